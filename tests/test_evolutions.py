"""Changes between two millésimes: diverging classes symmetric around 0, points for rates, no change from a secret."""

import numpy as np
import pandas as pd
import pytest

from atlas.classification import PUOR, RDBU, classer_divergent
from atlas.evolutions import calculer, preparer, unite_evolution


def _valeurs(codes, valeurs, statuts, bas=None, haut=None):
    frame = pd.DataFrame({"code": codes, "nom": [f"T{c}" for c in codes], "valeur": valeurs, "statut": statuts})
    if bas is not None:
        frame["bas"], frame["haut"] = bas, haut
    return frame


@pytest.mark.parametrize("k", [3, 4, 5, 6, 7])
@pytest.mark.parametrize("methode", ["quantiles", "jenks", "egales"])
def test_diverging_classes_are_symmetric_around_zero(k, methode):
    changes = pd.Series([-3.2, -1.0, 0.1, 0.5, 2.0, 4.4, -0.3, 1.7])
    classes = classer_divergent(changes, methode, k, "pts", "+")
    bornes = np.array([classes.minimum, *classes.bornes])
    assert len(classes.libelles) == k
    assert np.allclose(bornes, -bornes[::-1])  # every bound has its mirror
    assert classes.bornes[-1] >= 4.4 and classes.classe.notna().all()


def test_an_odd_number_of_classes_centres_the_middle_class_on_zero_and_an_even_one_splits_at_zero():
    changes = pd.Series([-2.0, -0.4, 0.2, 0.6, 3.0])
    impair = classer_divergent(changes, "egales", 5, "pts")
    assert impair.libelles[2] == "plus de \u22121,0 à +1,0\u00a0pts"  # thirds of the largest change, 3,0
    pair = classer_divergent(changes, "egales", 4, "pts")
    assert 0.0 in pair.bornes
    assert pair.classe.iloc[1] == pair.libelles[1] and pair.classe.iloc[2] == pair.libelles[2]  # −0,4 / +0,2


def test_the_unfavourable_direction_is_the_warm_colour_and_a_count_is_neutral():
    changes = pd.Series([-2.0, -1.0, 1.0, 2.0])
    pauvrete = classer_divergent(changes, "quantiles", 4, "pts", "+")
    revenu = classer_divergent(changes, "quantiles", 4, "%", "-")
    effectif = classer_divergent(changes, "quantiles", 4, "%", None)
    assert pauvrete.couleurs[-1] == RDBU[4][0] and pauvrete.couleurs[0] == RDBU[4][-1]  # a rise of poverty: red
    assert revenu.couleurs[0] == RDBU[4][0]  # a fall of income: red
    assert effectif.couleurs == PUOR[4]


def test_no_values_no_classes():
    classes = classer_divergent(pd.Series([np.nan, np.nan]), "quantiles", 5, "pts")
    assert classes.libelles == [] and classes.classe.isna().all()


def test_a_rate_changes_in_points_and_a_level_in_percent():
    debut = _valeurs(["1", "2"], [10.0, 20000.0], ["ok", "ok"])
    fin = _valeurs(["1", "2"], [12.5, 21000.0], ["ok", "ok"])
    assert calculer(debut, fin, "%").set_index("code").at["1", "valeur"] == pytest.approx(2.5)
    assert calculer(debut, fin, "€").set_index("code").at["2", "valeur"] == pytest.approx(5.0)
    assert unite_evolution("%") == "pts" and unite_evolution("€") == "%" and unite_evolution("foyers") == "%"


def test_secret_or_missing_at_either_end_gives_no_change_never_zero():
    debut = _valeurs(["1", "2", "3", "4"], [np.nan, 10.0, 10.0, 0.0], ["secret", "ok", "ok", "ok"])
    fin = _valeurs(["1", "2", "4", "5"], [11.0, np.nan, 5.0, 3.0], ["ok", "secret", "ok", "ok"])
    pts = calculer(debut, fin, "%").set_index("code")
    assert pts.loc[["1", "2"], "statut"].tolist() == ["secret", "secret"]
    assert pts.loc[["3", "5"], "statut"].tolist() == ["absent", "absent"]  # a merged or new commune: no change
    assert pts.loc[["1", "2", "3", "5"], "valeur"].isna().all()
    relatif = calculer(debut, fin, "foyers").set_index("code")
    assert relatif.at["4", "statut"] == "absent" and np.isnan(relatif.at["4", "valeur"])  # no % change from 0


def test_a_change_from_an_estimate_is_labelled_with_a_conservative_interval():
    debut = _valeurs(["1"], [10.0], ["ok"])
    fin = _valeurs(["1"], [12.0], ["estime"], bas=[11.0], haut=[14.0])
    frame = calculer(debut, fin, "%")
    ligne = frame.iloc[0]
    assert ligne["statut"] == "estime" and ligne["valeur"] == pytest.approx(2.0)
    assert (ligne["bas"], ligne["haut"]) == (pytest.approx(1.0), pytest.approx(4.0))
    texte = preparer(frame, {"libelle": "Taux de pauvreté", "unite": "%"}, "2019", "2021").iloc[0]["survol_evolution"]
    assert "évolution calculée sur une estimation" in texte and "+2,0" in texte


def test_the_csv_of_a_change_keeps_both_values_with_their_statut_and_leaves_no_change_empty():
    from atlas.evolutions import tableau_export

    debut = _valeurs(["1", "2"], [10.0, np.nan], ["ok", "secret"])
    fin = _valeurs(["1", "2"], [12.0, 9.0], ["ok", "ok"])
    export = tableau_export(calculer(debut, fin, "%"), "taux", "2019", "2021").set_index("code")
    assert list(export.columns) == ["nom", "taux_2019", "statut_2019", "taux_2021", "statut_2021", "evolution_2019_2021", "statut_evolution", "remarque"]  # fmt: skip
    assert export.at["1", "evolution_2019_2021"] == pytest.approx(2.0)
    assert np.isnan(export.at["2", "evolution_2019_2021"]) and export.at["2", "statut_evolution"] == "secret"


def test_a_series_marks_an_estimate_with_a_hollow_marker_and_a_secret_under_its_panel():
    from atlas.fiche_series import figure_series

    serie = pd.DataFrame(
        {
            "theme": "Revenus",
            "indicateur": "taux",
            "libelle": "Taux de pauvreté",
            "unite": "%",
            "sens": "+",
            "serie": ["territoire"] * 3 + ["departement"] * 2,
            "millesime": ["2019", "2020", "2021", "2019", "2021"],
            "valeur": [np.nan, 11.0, 12.0, 10.0, 10.5],
            "statut": ["secret", "ok", "estime", "ok", "ok"],
        }
    )
    fig = figure_series(serie, {"territoire": "Commune", "departement": "Département"})
    commune = next(t for t in fig.data if t.name == "Commune")
    assert list(commune.marker.symbol) == ["circle", "circle", "circle-open"]
    assert np.isnan(commune.y[0])  # a secret is a gap, never a point at 0
    assert any(t.name == "Estimation de l'atlas (marqueur creux)" for t in fig.data)
    assert any(a.text == "secret : 2019" for a in fig.layout.annotations)


def test_a_change_missing_for_a_merged_commune_says_why():
    debut = _valeurs(["1"], [10.0], ["ok"]).assign(note=[None])
    fin = _valeurs(["1"], [np.nan], ["absent"]).assign(note=["commune fusionnée : valeur non transposable"])
    ligne = calculer(debut, fin, "%").iloc[0]
    assert ligne["statut"] == "absent" and ligne["note"] == "arrivée : commune fusionnée : valeur non transposable"
