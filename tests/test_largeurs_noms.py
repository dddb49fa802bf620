"""Table widths: a territory's name is never cut inside a word, even in a crowded table at 1280 px.

The data grid draws on a canvas: it wraps a text at its spaces only and cuts a longer word
anywhere (« Torcé-Viviers-en-C / harnie »). The widths below were measured in Chromium with the
grid's font (``measureText``, 14 px Source Sans).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from atlas.largeurs_colonnes import LARGEUR_TABLEAU, largeurs_colonnes

# px, Chromium, 14 px Source Sans
MESUREES = {"Saint-Martin-Lars-en-Sainte-Hermine": 216.6, "Torcé-Viviers-en-Charnie": 143.4}
# the grid's cell padding, 8 px on each side
PADDING = 16


def _tableau_precarite(noms: list[str]) -> tuple[pd.DataFrame, dict]:
    """The columns of Précarité's « Tableau de tous les territoires » (nine, its widest)."""
    n = len(noms)
    table = pd.DataFrame(
        {
            "nom": noms,
            "code": [f"{i:05d}" for i in range(n)],
            "population": [1_156 + i for i in range(n)],
            "dpe": [26] * n,
            "passoires": [42.3] * n,
            "fiabilite": ["fiable"] * n,
            "pauvrete": [7.2] * n,
            "statut": ["Estimation de l'atlas"] * n,
            "croisement": ["élevée · moyenne"] * n,
        }
    )
    config = {
        "nom": "Territoire",
        "code": "Code",
        "population": "Population",
        "dpe": "DPE",
        "passoires": {"label": "Passoires (%)", "type_config": {"step": 0.1}},
        "fiabilite": "Fiabilité",
        "pauvrete": {"label": "Pauvreté (%)", "type_config": {"step": 0.1}},
        "statut": "Statut",
        "croisement": "Croisement",
    }
    return table, config


def test_the_longest_commune_name_of_the_region_fits_its_column_of_a_crowded_table(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        noms = [nom for (nom,) in con.execute("select nom from territoires where niveau = 'commune'").fetchall()]
    assert "Saint-Martin-Lars-en-Sainte-Hermine" in noms
    table, config = _tableau_precarite(noms)
    largeurs, _replier, _coupes = largeurs_colonnes(table, config, True, LARGEUR_TABLEAU)
    assert largeurs["nom"] >= MESUREES["Saint-Martin-Lars-en-Sainte-Hermine"] + PADDING


def test_a_hyphenated_name_in_a_short_list_is_not_cut_inside_a_word():
    # the head of Précarité's target list, whose long texts wrap on three lines
    table, config = _tableau_precarite(["Marçon", "Le Grand-Lucé", "Fresnay-sur-Sarthe", "Torcé-Viviers-en-Charnie"])
    table["statut"] = "Estimation de l'atlas (ménages fiscaux, voir la méthode en fin de page)"
    largeurs, replier, _coupes = largeurs_colonnes(table, config, True, LARGEUR_TABLEAU)
    assert replier  # the rows wrap: a name narrower than its column would break inside a word
    assert largeurs["nom"] >= MESUREES["Torcé-Viviers-en-Charnie"] + PADDING


def test_a_name_with_spaces_may_wrap_between_its_words_only():
    long_ = "Saint-Martin-Lars-en-Sainte-Hermine et ses hameaux de la vallée du Lay"
    table, config = _tableau_precarite([long_, "Angers"])
    largeurs, _replier, _coupes = largeurs_colonnes(table, config, True, LARGEUR_TABLEAU)
    # narrower than the whole text (it wraps), never than its longest word
    assert MESUREES["Saint-Martin-Lars-en-Sainte-Hermine"] + PADDING <= largeurs["nom"]
