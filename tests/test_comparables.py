"""Territoires comparables: z-scores over the level, distance on the variables both publish, estimates left out."""

import numpy as np
import pandas as pd
import pytest

from atlas.comparables import distances, standardiser, tableau_variables


def _long(lignes):
    return pd.DataFrame(lignes, columns=["indicateur", "code", "valeur", "statut"])


TERRITOIRES = pd.DataFrame(
    {
        "code": ["A", "B", "C", "D"],
        "population": [1000, 1000, 100000, 1000],
        "superficie_km2": [10.0, 10.0, 10.0, 100.0],
    }
)


def test_density_is_on_a_log_scale_and_only_published_values_count():
    valeurs = _long(
        [
            ("taux_pauvrete", "A", 10.0, "ok"),
            ("taux_pauvrete", "B", 12.0, "estime"),  # the atlas's estimate: never a variable
            ("taux_pauvrete", "C", np.nan, "secret"),
            ("mediane_niveau_vie", "A", 21000.0, "ok"),
        ]
    )
    large = tableau_variables(valeurs, TERRITOIRES)
    assert large.at["A", "densite"] == pytest.approx(2.0) and large.at["C", "densite"] == pytest.approx(4.0)
    assert large.at["A", "taux_pauvrete"] == 10.0
    assert np.isnan(large.at["B", "taux_pauvrete"]) and np.isnan(large.at["C", "taux_pauvrete"])
    assert list(large.index) == ["A", "B", "C", "D"]


def test_each_variable_is_standardised_over_the_territories_of_the_level():
    large = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [10.0, 10.0, 10.0]}, index=["A", "B", "C"])
    z = standardiser(large)
    assert list(z.columns) == ["x"]  # no spread, no information
    assert z["x"].mean() == pytest.approx(0) and z["x"].std(ddof=0) == pytest.approx(1)


def test_the_distance_is_on_the_variables_both_territories_publish():
    z = pd.DataFrame(
        {"a": [0.0, 1.0, 0.0, 3.0], "b": [0.0, 1.0, np.nan, 0.0], "c": [0.0, 1.0, 0.0, 0.0]},
        index=["T", "U", "V", "W"],
    )
    out = distances(z, "T", min_variables=2).set_index("code")
    assert out.at["U", "distance"] == pytest.approx(1.0)  # sqrt((1+1+1)/3)
    assert out.at["V", "distance"] == pytest.approx(0.0) and out.at["V", "nb_variables"] == 2
    assert out.at["V", "variables"] == ("a", "c")
    assert out.at["W", "distance"] == pytest.approx(np.sqrt(3))
    assert list(out.index) == ["V", "U", "W"]  # closest first
    assert "T" not in out.index


def test_a_pair_sharing_too_few_variables_is_not_compared():
    z = pd.DataFrame({"a": [0.0, 0.1, 2.0], "b": [0.0, np.nan, 1.0], "c": [0.0, np.nan, 1.0]}, index=["T", "U", "V"])
    out = distances(z, "T", min_variables=3)
    assert out["code"].tolist() == ["V"]


def test_an_estimate_never_makes_two_territories_alike():
    valeurs = _long(
        [
            ("taux_pauvrete", c, v, s)
            for c, v, s in [("A", 10.0, "ok"), ("B", 10.0, "estime"), ("C", 30.0, "ok"), ("D", 20.0, "ok")]
        ]
        + [
            ("mediane_niveau_vie", c, v, "ok")
            for c, v in [("A", 20000.0), ("B", 20000.0), ("C", 15000.0), ("D", 18000.0)]
        ]
    )
    z = standardiser(tableau_variables(valeurs, TERRITOIRES))
    out = distances(z, "A", min_variables=3).set_index("code")
    assert "B" not in out.index  # only 2 published variables in common with A: its estimate does not count
