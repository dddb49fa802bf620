"""What the « Précarité énergétique » page shows: a share on too few DPE is hidden, a secret poverty value is not classed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas import precarite
from atlas import precarite_vues as vues

IND = {"libelle": "Taux de pauvreté", "unite": "%", "sens": "+", "source_libelle": "Filosofi", "producteur": "INSEE"}


def _passoires():
    """Five territories: three reliable shares, one on 3 DPE, one without any DPE."""
    return pd.DataFrame(
        {
            "code": ["a", "b", "c", "d", "e"],
            "nom": ["A", "B", "C", "D", "E"],
            "population": [100, 200, 300, 400, 500],
            "nb_dpe": [50, 60, 70, 3, 0],
            "nb_fg": [5, 12, 21, 3, 0],
            "part_passoires": [10.0, 20.0, 30.0, 100.0, np.nan],
            "part_efg": [20.0, 30.0, 40.0, 100.0, np.nan],
            "fiable": [True, True, True, False, False],
        }
    )


def test_a_share_on_too_few_dpe_is_hidden_as_unreliable_and_a_territory_without_dpe_is_absent():
    data = vues.parts_affichees(_passoires()).set_index("code")
    assert data["statut"].to_dict() == {"a": "ok", "b": "ok", "c": "ok", "d": "secret", "e": "absent"}
    assert pd.isna(data.loc["d", "valeur"])  # the 100 % on 3 DPE is not drawn
    assert data.loc["d", "texte_part"] == f"Passoires : part non publiée (3\u00a0DPE, moins de {precarite.SEUIL_DPE})"


def test_a_secret_poverty_value_leaves_its_territory_unclassed_never_zero():
    data = vues.parts_affichees(_passoires())
    pauvrete = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "valeur": [8.0, np.nan, 20.0, 30.0],
            "statut": ["publie", "secret", "publie", "publie"],
            "bas": np.nan,
            "haut": np.nan,
        }
    )
    croise, bivariee = vues.croiser(data, pauvrete, IND, "2021")
    croise = croise.set_index("code")
    assert croise.loc["b", "cellule"] == "Non classé" and pd.isna(croise.loc["b", "y"])
    assert croise.loc["e", "statut_y"] == "absent"  # no poverty row at all
    assert croise.loc["a", "texte_pauvrete"].startswith("Taux de pauvreté 2021 : ")


def test_the_map_puts_hidden_shares_in_dark_grey_and_missing_values_in_light_grey():
    data = vues.parts_affichees(_passoires())
    pauvrete = pd.DataFrame({"code": list("abcde"), "valeur": [8.0, 12.0, 20.0, 30.0, 5.0], "statut": "publie"})
    croise, bivariee = vues.croiser(data, pauvrete.assign(bas=np.nan, haut=np.nan), IND, "2021")
    groupes = {g[0]: (g[1], list(g[2])) for g in vues.groupes_carte(croise, bivariee)}
    assert groupes[precarite.LIBELLE_PEU_FIABLE] == (precarite.GRIS_PEU_FIABLE, [3])
    assert groupes[precarite.LIBELLE_MANQUANT] == (precarite.GRIS_MANQUANT, [4])
    assert sum(map(sum, vues.comptes_cellules(bivariee))) == 3


def test_the_full_table_puts_reliable_shares_first():
    data = vues.parts_affichees(_passoires())
    pauvrete = pd.DataFrame({"code": list("abcde"), "valeur": 10.0, "statut": "publie", "bas": np.nan, "haut": np.nan})
    croise, bivariee = vues.croiser(data, pauvrete, IND, "2021")
    tableau = vues.tableau_territoires(croise, bivariee)
    affiche = vues.tableau_affiche(tableau, croise["fiable"])
    assert affiche["code"].tolist()[:3] == ["c", "b", "a"]  # not the 100 % computed on 3 DPE
    assert tableau.set_index("code")["fiabilite"].to_dict() == {
        "a": "fiable",
        "b": "fiable",
        "c": "fiable",
        "d": f"moins de {precarite.SEUIL_DPE} DPE : part non publiée",
        "e": "aucun DPE",
    }


def test_the_target_list_header_says_when_targets_rest_on_an_atlas_estimate():
    sans = vues.entete_cibles("commune", "ensemble", IND, "2021", "ADEME", estimees=False)
    avec = vues.entete_cibles("commune", "ensemble", IND, "2021", "ADEME", estimees=True)
    assert sans[1] == "Sources : ADEME ; Filosofi (INSEE), millésime 2021"
    assert sans[3] == avec[3] == "Parts calculées sur moins de 20 DPE : non publiées, exclues du classement."
    assert len(avec) == len(sans) + 1 and "Estimation de l'atlas" in avec[-1]
    # the column both CSV files have (the full table has no column « Pauvreté »)
    assert "« Statut (pauvreté) »" in avec[-1]


def _region():
    return pd.DataFrame({"part_passoires": [18.5], "nb_fg": [12_602], "nb_dpe": [68_243]})


def test_the_sentence_above_the_map_says_nothing_of_unreliable_shares_when_there_are_none():
    # EPCI, houses: « 0 EPCI ont moins de 20 DPE : leur part n'est pas publiée » was on screen
    data = _passoires().assign(nb_dpe=[50, 60, 70, 80, 0], fiable=[True, True, True, True, False])
    phrase = vues.phrase_region(_region(), data, "epci")
    assert "moins de" not in phrase and phrase.endswith("DPE).")


def test_the_sentence_above_the_map_names_a_single_unreliable_share_in_the_singular():
    phrase = vues.phrase_region(_region(), _passoires(), "commune").replace("\u00a0", " ")
    assert "1 commune a moins de 20 DPE : sa part n'est pas publiée" in phrase
