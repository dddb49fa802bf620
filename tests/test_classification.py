"""Classification of values for maps: methods, French class labels, colours oriented by sens."""

import mapclassify
import numpy as np
import pandas as pd

from atlas.classification import YLORRD, classer, jenks_bornes


def test_quantiles_on_a_hand_checked_example():
    values = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8])
    classes = classer(values, "quantiles", 4, "%")
    assert classes.bornes == [2.75, 4.5, 6.25, 8.0]
    assert classes.libelles[0] == "1,0 à 2,8\u00a0%"
    assert classes.libelles[-1] == "plus de 6,3 à 8,0\u00a0%"
    assert classes.classe.tolist()[:3] == [classes.libelles[0], classes.libelles[0], classes.libelles[1]]


def test_equal_intervals_split_the_range_evenly():
    classes = classer(pd.Series([0.0, 10, 20, 30, 40]), "egales", 4, "€")
    assert classes.bornes == [10.0, 20.0, 30.0, 40.0]


def test_numpy_jenks_matches_mapclassify_fisher_jenks():
    rng = np.random.default_rng(7)
    y = np.concatenate([rng.normal(10, 2, 150), rng.normal(30, 3, 100), rng.normal(60, 5, 50)])
    assert np.allclose(jenks_bornes(y, 5), mapclassify.FisherJenks(y, k=5).bins)


def test_secret_values_get_no_class():
    classes = classer(pd.Series([1.0, None, 3.0, 4.0, 5.0]), "quantiles", 3)
    assert pd.isna(classes.classe.iloc[1])


def test_darkest_colour_is_the_worst_situation():
    values = pd.Series([1.0, 2, 3, 4, 5, 6])
    poverty = classer(values, "quantiles", 3, "%", sens="+")
    income = classer(values, "quantiles", 3, "€", sens="-")
    assert poverty.couleurs == YLORRD[3]  # high poverty rate = dark red
    assert income.couleurs == YLORRD[3][::-1]  # low income = dark red


def test_fewer_distinct_values_than_classes_gives_fewer_classes():
    classes = classer(pd.Series([5.0, 5.0, 7.0]), "jenks", 5)
    assert len(classes.libelles) == 2
