"""Table widths: a header is drawn whole, on one line; a table too wide for the page scrolls rather than cut it.

The data grid draws a header on one line and clips it at its column's edge (« Catégorie (seuil 2 »):
no column is narrower than its header. The long texts that wrap give way first.
"""

from __future__ import annotations

import pandas as pd

from atlas.largeurs_colonnes import LARGEUR_TABLEAU, largeur_texte, largeurs_colonnes


def _entete(libelle: str) -> float:
    # as estimated for the headers (semi-bold, room for the sort arrow)
    return largeur_texte(libelle) * 1.03 + 20


def test_no_header_is_cut_in_a_table_too_wide_for_the_page():
    # a month-by-month table: thirty columns of long headers over small numbers
    libelles = {f"c{i}": f"Ménages rencontrés : objectif cumulé n° {i} (ménages)" for i in range(30)}
    table = pd.DataFrame({"mois": ["janvier 2024"], **{c: [12] for c in libelles}})
    largeurs, _replier, coupes = largeurs_colonnes(table, {"mois": "Mois", **libelles}, True)
    assert coupes == set()
    assert all(largeurs[c] >= _entete(libelle) - 1 for c, libelle in libelles.items())
    assert sum(largeurs.values()) > LARGEUR_TABLEAU  # it scrolls (atlas.ui.tableau says so)


def test_a_remark_cut_at_its_third_line_anyway_gives_way_before_a_name_is_broken():
    remarque = (
        "périmètre différent : valeur de l'EPCI calculée sur ses communes d'alors ; des communes membres ont été "
        "fusionnées ou rétablies depuis (Saint-Jean-d'Hermine (85223)), à comparer avec prudence"
    )
    table = pd.DataFrame(
        {
            "nom": ["Torcé-Viviers-en-Charnie", "Angers"],
            "code": ["53265", "49007"],
            "valeur": [12.5, 18.6],
            "rang": [1, 2],
            "statut": ["Disponible", "Disponible"],
            "ecart_departement": ["+5,7 pts", "—"],
            "ecart_region": ["+8,1 pts", "+6,1 pts"],
            "note": [remarque, ""],
        }
    )
    config = {
        "nom": "Territoire",
        "code": "Code",
        "valeur": {"label": "Valeur (%)", "type_config": {"step": 0.1}},
        "rang": "Rang",
        "statut": "Statut",
        "ecart_departement": "Écart dép.",
        "ecart_region": "Écart région",
        "note": "Remarque",
    }
    largeurs, replier, coupes = largeurs_colonnes(table, config, True)
    assert sum(largeurs.values()) <= LARGEUR_TABLEAU and replier and coupes == set()
    # the name keeps its longest word (143,4 px measured in Chromium, 16 px of padding)
    assert largeurs["nom"] >= 143.4 + 16
