"""Passoires × poverty: tercile classes, orientation by ``sens``, target ranking, legend contrast."""

import numpy as np
import pandas as pd

from atlas.couleurs import contraste, texte_lisible
from atlas.maps_bivariee import legende_bivariee
from atlas.precarite import (
    PALETTE_BIVARIEE,
    EtatPrecarite,
    cibles,
    classer_bivarie,
    lire_etat,
)


def _territoires(x, y):
    return pd.DataFrame(
        {"code": [f"{i:05d}" for i in range(len(x))], "nom": list("abcdefghijkl")[: len(x)], "x": x, "y": y}
    )


def test_terciles_split_the_territories_having_both_values_into_three_equal_groups():
    data = _territoires([1, 2, 3, 4, 5, 6, 7, 8, 9], [9, 8, 7, 6, 5, 4, 3, 2, 1])
    b = classer_bivarie(data["x"], data["y"], "+")
    assert b.classe_x.tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert b.classe_y.tolist() == [3, 3, 3, 2, 2, 2, 1, 1, 1]


def test_a_territory_missing_one_value_is_not_classed_and_does_not_move_the_terciles():
    # the 100 of the last territory would shift the x terciles if its secret y were ignored
    data = _territoires([1, 2, 3, 4, 5, 6, 100], [1, 2, 3, 4, 5, 6, np.nan])
    b = classer_bivarie(data["x"], data["y"], "+")
    assert np.isnan(b.classe_x.iloc[-1]) and np.isnan(b.classe_y.iloc[-1])
    assert b.bornes_x == classer_bivarie(data["x"][:6], data["y"][:6]).bornes_x


def test_for_an_income_indicator_the_lowest_values_are_the_poorest_class():
    # a median income: higher is better (sens "-"), so the lowest tercile is class 3
    data = _territoires([1, 2, 3, 4, 5, 6], [30000, 28000, 25000, 22000, 19000, 17000])
    b = classer_bivarie(data["x"], data["y"], "-")
    assert b.classe_y.tolist() == [1, 1, 2, 2, 3, 3]
    labels = b.libelles_y("€")
    assert labels[2].startswith("jusqu'à") and labels[0].startswith("plus de")


def test_target_list_holds_only_the_high_high_cell_ranked_by_both_values_together():
    data = _territoires([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 7, 9, 8])
    b = classer_bivarie(data["x"], data["y"], "+")
    liste = cibles(data, b, "+")
    assert liste["nom"].tolist() == ["h", "i", "g"]  # x 9/y 8 and x 8/y 9 tie on the mean rank: code order
    assert liste["rang"].tolist() == [1, 2, 3]


def test_target_ranking_follows_the_poverty_direction():
    data = _territoires([1, 2, 3, 7, 8, 9], [30000, 29000, 28000, 15000, 14000, 16000])
    b = classer_bivarie(data["x"], data["y"], "-")
    liste = cibles(data, b, "-")
    # highest passoires and lowest income: x 8 / 14 000 € comes first
    assert liste["nom"].iloc[0] == "e"


def test_invalid_url_values_fall_back_to_defaults():
    etat = lire_etat(
        {"niveau": "iris", "type_batiment": "château", "pauvrete": "inconnu", "millesime": "1900"},
        ["taux_pauvrete", "mediane_niveau_vie"],
        lambda code, niveau: ["2021", "2019"],
    )
    assert etat == EtatPrecarite("commune", "ensemble", "taux_pauvrete", "2021")


def test_state_round_trips_through_the_url():
    etat = EtatPrecarite("epci", "maison", "mediane_niveau_vie", "2019", estimations=False)
    relu = lire_etat(etat.vers_params(), ["taux_pauvrete", "mediane_niveau_vie"], lambda c, n: ["2021", "2019"])
    assert relu == etat


def test_legend_counts_are_readable_on_every_cell_of_the_palette():
    for ligne in PALETTE_BIVARIEE:
        for fond in ligne:
            assert contraste(fond, texte_lisible(fond)) >= 4.5, fond


def test_bivariate_legend_shows_nine_cells_with_their_counts_and_both_axis_titles():
    comptes = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    fig = legende_bivariee(
        PALETTE_BIVARIEE, ["a", "b", "c"], ["d", "e", "f"], comptes, titre_x="Passoires (%)", titre_y="Pauvreté (%)"
    )
    assert len(fig.layout.shapes) == 9
    assert sorted(int(a.text) for a in fig.layout.annotations) == list(range(1, 10))
    assert "Passoires (%)" in fig.layout.xaxis.title.text and "Pauvreté" in fig.layout.yaxis.title.text
