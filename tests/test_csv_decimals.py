"""A CSV export writes each value with its indicator's own decimals, as the screen shows it."""

import pandas as pd

from atlas import explorer
from atlas.exports import csv_fr, pour_lecteur


def _lignes(frame: pd.DataFrame) -> list[str]:
    return [ligne for ligne in csv_fr(frame).decode("utf-8-sig").splitlines() if not ligne.startswith("#")]


def test_a_rate_has_one_decimal_a_gini_index_two_and_a_count_none():
    frame = pd.DataFrame(
        {"code": ["01053", "2A004"], "taux": [100 / 7, 6.25], "gini": [0.285714, None], "menages": [141228.0, 3.0]}
    )
    lignes = _lignes(
        pour_lecteur(
            frame,
            {"code": "Code", "taux": "Taux (%)", "gini": "Gini", "menages": "Ménages"},
            unites={"taux": "%", "gini": "indice", "menages": "ménages"},
        )
    )
    assert lignes == ['"Code";"Taux (%)";"Gini";"Ménages"', '"01053";14,3;0,29;141228', '"2A004";6,3;;3']


def test_the_explorer_csv_writes_values_and_intervals_with_the_indicators_decimals():
    frame = pd.DataFrame(
        {
            "code": ["44109", "44020"],
            "nom": ["Nantes", "Bouaye"],
            "valeur": [17.049999999999997, 9.333333333333334],
            "statut": ["ok", "estime"],
            "rang": [1.0, 2.0],
            "bas": [None, 7.777777777777778],
            "haut": [None, 11.0],
            "methode": [None, "modele"],
        }
    )
    ind = {"libelle": "Taux de pauvreté", "unite": "%"}
    lignes = _lignes(explorer.tableau_export(frame, ind, "2021"))
    assert lignes[1].startswith('"44109";"Nantes";17,0;"Disponible";1;;;')
    assert lignes[2].startswith('"44020";"Bouaye";9,3;"Estimation de l\'atlas";2;7,8;11,0;')
