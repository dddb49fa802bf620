"""Legend colours: every entry of a map's legend can be told from every other and from the white page.

A committee reads the maps on a projector, which washes pale colours out: a class drawn near white
vanishes, and a « donnée manquante » grey as light as the lowest class reads as that class. Each
map builder is checked on what it actually draws (the fills of its legend entries).
"""

import itertools

import numpy as np
import pandas as pd
import pytest
import shapely

from atlas import mobilite, precarite
from atlas import zones_blanches as zb
from atlas.classification import BLUES, GRIS_ABSENT, GRIS_SECRET, YLORRD, classer
from atlas.couleurs import ecart_couleurs, lab
from atlas.maps import GRIS_MANQUANT, carte_categories, carte_classes
from atlas.maps_continue import carte_choroplethe

EMPRISE = (-2.6, 46.2, 0.95, 48.6)
#: ΔE (CIE76) a fill keeps from the white background, and any two fills of one legend from each other
VISIBLE_SUR_BLANC = 15
DISTINCTES = 10
#: CIELAB lightness above which a fill vanishes on a projector (ColorBrewer's #ffffb2 is 99)
CLARTE_MAX = 92


def clarte(couleur: str) -> float:
    """CIELAB lightness L* of a colour: a pale yellow far from white in hue (ΔE 31 for ColorBrewer's
    ``#ffffb2``) still vanishes on a projector."""
    return lab(couleur)[0]


def _carres(codes):
    feats = [
        {
            "type": "Feature",
            "id": code,
            "properties": {},
            "geometry": shapely.geometry.mapping(shapely.box(-2 + i * 0.1, 47, -1.95 + i * 0.1, 48)),
        }
        for i, code in enumerate(codes)
    ]
    return {"type": "FeatureCollection", "features": feats}


def _remplissages(fig) -> dict[str, str]:
    """Legend name → fill colour of every map trace shown in the legend."""
    return {
        t.name: t.colorscale[0][1]
        for t in fig.data
        if t.type == "choroplethmap"
        and t.showlegend is not False
        and t.name
        and t.name != "Estimation de l'atlas (contour noir)"
    }


def _verifier(couleurs: dict[str, str]) -> None:
    claires = {n: round(clarte(c)) for n, c in couleurs.items() if clarte(c) > CLARTE_MAX}
    assert claires == {}, f"couleurs trop claires pour un vidéoprojecteur : {claires}"
    pales = {
        n: round(ecart_couleurs(c, "#ffffff"), 1)
        for n, c in couleurs.items()
        if ecart_couleurs(c, "#ffffff") < VISIBLE_SUR_BLANC
    }
    assert pales == {}, f"couleurs à peine visibles sur fond blanc : {pales}"
    proches = [
        (a, b, round(ecart_couleurs(couleurs[a], couleurs[b]), 1))
        for a, b in itertools.combinations(couleurs, 2)
        if ecart_couleurs(couleurs[a], couleurs[b]) < DISTINCTES
    ]
    assert proches == [], f"couleurs de légende trop proches : {proches}"


@pytest.mark.parametrize("k", range(3, 8))
@pytest.mark.parametrize("sens", ["+", None])
def test_classes_secret_and_missing_can_all_be_told_apart(k, sens):
    n = 3 * k
    codes = [f"{44000 + i}" for i in range(n + 2)]
    data = pd.DataFrame(
        {
            "code": codes,
            "nom": codes,
            "valeur": [*np.arange(n, dtype=float), np.nan, np.nan],
            "statut": ["ok"] * n + ["secret", "absent"],
        }
    )
    classes = classer(data["valeur"], "quantiles", k, "%", sens=sens)
    assert len(classes.libelles) == k
    fig = carte_classes(data, _carres(codes), classes, emprise=EMPRISE, survol=["nom"])
    couleurs = _remplissages(fig)
    assert {GRIS_SECRET, GRIS_ABSENT} <= set(couleurs.values()) and len(couleurs) == k + 2
    _verifier(couleurs)


def test_lowest_class_of_every_palette_is_not_near_white():
    for palette in (*YLORRD.values(), *BLUES.values()):
        assert ecart_couleurs(palette[0], "#ffffff") >= VISIBLE_SUR_BLANC, palette
        assert clarte(palette[0]) <= CLARTE_MAX, palette


@pytest.mark.parametrize("palette", ["Blues", "Reds", "YlOrRd"])
def test_continuous_map_starts_from_a_visible_colour_distinct_from_missing(palette):
    data = pd.DataFrame({"code": ["44001", "44002", "44003"], "nom": list("ABC"), "v": [1.0, None, 3.0]})
    fig = carte_choroplethe(
        data, _carres(data["code"]), colonne="v", libelle="Taux", unite="%", emprise=EMPRISE, palette=palette
    )
    debut = fig.layout.coloraxis.colorscale[0][1]
    assert ecart_couleurs(debut, "#ffffff") >= VISIBLE_SUR_BLANC and clarte(debut) <= CLARTE_MAX
    assert ecart_couleurs(debut, GRIS_MANQUANT) >= DISTINCTES
    _verifier(_remplissages(fig))


def test_zones_blanches_categories_including_unknown_need_are_visible_and_distinct():
    codes = list(zb.CATEGORIES)
    data = pd.DataFrame({"code": codes, "nom": codes})
    groupes = [(libelle, couleur, data.index[data["code"] == cle]) for cle, (libelle, couleur) in zb.CATEGORIES.items()]
    fig = carte_categories(data, _carres(codes), groupes, survol=["nom"], emprise=EMPRISE, trait="#9e9e9e")
    couleurs = _remplissages(fig)
    assert len(couleurs) == len(zb.CATEGORIES)
    _verifier(couleurs)


def test_mobilite_categories_including_the_reachable_one_are_visible_and_distinct_from_missing():
    # « Proche et motorisée » was #ffffcc: near white, gone on a projector
    codes = list(mobilite.CATEGORIES)
    data = pd.DataFrame({"code": codes, "nom": codes})
    groupes = [
        (libelle, couleur, data.index[data["code"] == cle]) for cle, (libelle, couleur) in mobilite.CATEGORIES.items()
    ]
    fig = carte_categories(data, _carres(codes), groupes, survol=["nom"], emprise=EMPRISE)
    couleurs = _remplissages(fig)
    assert len(couleurs) == len(mobilite.CATEGORIES)
    assert couleurs["Donnée manquante"] == GRIS_MANQUANT
    _verifier({**couleurs, "secret": GRIS_SECRET})


def test_bivariate_cells_unreliable_and_missing_greys_are_visible_and_distinct():
    cellules = {f"{i}×{j}": precarite.couleur(i, j) for i in (1, 2, 3) for j in (1, 2, 3)}
    couleurs = {**cellules, "peu fiable": precarite.GRIS_PEU_FIABLE, "manquant": precarite.GRIS_MANQUANT}
    codes = list(couleurs)
    data = pd.DataFrame({"code": codes, "nom": codes})
    groupes = [(nom, c, data.index[data["code"] == nom]) for nom, c in couleurs.items()]
    fig = carte_categories(data, _carres(codes), groupes, survol=["nom"], emprise=EMPRISE, legende="dessous")
    # the low × low cell is Stevens' very light grey: it only has to differ from the greys and the
    # other cells; the missing values must not be mistaken for it
    tracees = _remplissages(fig)
    assert ecart_couleurs(tracees["manquant"], tracees["1×1"]) >= 15
    _verifier({n: c for n, c in tracees.items() if n != "1×1"})
    proches = [n for n, c in tracees.items() if n != "1×1" and ecart_couleurs(c, tracees["1×1"]) < DISTINCTES]
    assert proches == []
