"""The map component's variants: categories (with a 3 × 3 grid legend, service sites) and a continuous scale.

Each must tell a reader the same as its plotly twin of :mod:`atlas.maps` (same colours, greys and
legend entries), so that the page on screen and its PNG image agree.
"""

import pandas as pd
import pytest

from atlas.composants import carte, couches, echelles
from atlas.maps import CONTOUR_ESTIMATION, GRIS_MANQUANT, LIBELLE_ESTIMATION, contours_estimations


@pytest.fixture(autouse=True)
def _couche_sans_base(monkeypatch):
    # the layer's URL needs a database; the colours and the legend do not
    monkeypatch.setattr(couches, "url_couche", lambda niveau: f"app/static/couches/{niveau}-essai.geojson")


EMPRISE = (-2.6, 46.2, 0.9, 48.6)


def _communes(n=6):
    return pd.DataFrame({"code": [f"4900{i}" for i in range(n)], "nom": [f"Commune {i}" for i in range(n)]})


def _couleur_de(donnees, code):
    return donnees["couleurs"][donnees["classes"][donnees["codes"].index(code)]]


def test_each_category_keeps_its_colour_and_the_legend_lists_them_in_order_without_empty_ones():
    data = _communes()
    groupes = [
        ("Zone blanche (2)", "#bd0026", data.index[:2]),
        ("Couvert (0)", "#fd8d3c", data.index[[]]),
        ("Besoin inconnu (4)", "#bcbddc", data.index[2:]),
    ]
    donnees = carte.donnees_categories(data, "commune", groupes, emprise=EMPRISE, survol=["nom"], trait="#9e9e9e")
    assert [e["libelle"] for e in donnees["legende"]] == ["Zone blanche (2)", "Besoin inconnu (4)"]
    assert _couleur_de(donnees, "49000") == "#bd0026" and _couleur_de(donnees, "49005") == "#bcbddc"
    assert donnees["trait"] == "#9e9e9e"
    assert donnees["survol"][0] == ["Commune 0"]


def test_estimates_are_outlined_in_black_with_one_legend_entry_and_keep_their_category_colour():
    data = _communes()
    estime = pd.Series([False, True, False, False, False, True], index=data.index)
    groupes = contours_estimations(
        [("Élevé", "#bd0026", data.index[:3]), ("Modéré", "#cccccc", data.index[3:])], estime
    )
    donnees = carte.donnees_categories(data, "commune", groupes, emprise=EMPRISE, survol=["nom"])
    assert dict(zip(donnees["codes"], donnees["estimes"], strict=True)) == {
        "49000": 0, "49001": 1, "49002": 0, "49003": 0, "49004": 0, "49005": 1,
    }  # fmt: skip
    assert _couleur_de(donnees, "49001") == "#bd0026" and _couleur_de(donnees, "49005") == "#cccccc"
    libelles = [e["libelle"] for e in donnees["legende"]]
    assert libelles == ["Élevé", "Modéré", LIBELLE_ESTIMATION]
    assert donnees["legende"][-1]["contour"] and donnees["legende"][-1]["couleur"] == CONTOUR_ESTIMATION["trait"]


def test_a_bivariate_grid_names_its_nine_cells_and_the_list_keeps_only_the_greys():
    palette = [[f"#{i}{j}{i}{j}{i}{j}" for j in range(1, 4)] for i in range(1, 4)]
    data = _communes(4)
    groupes = [
        ("Passoires : élevée ; pauvreté : élevée", palette[2][2], data.index[:1]),
        ("Passoires : faible ; pauvreté : faible", palette[0][0], data.index[1:2]),
        ("Non classé (secret ou donnée manquante)", "#dddddd", data.index[2:]),
    ]
    grille = echelles.grille_bivariee(
        palette,
        ["0 à 10 %", "10 à 20 %", "20 à 60 %"],
        ["5 à 9 %", "9 à 12 %", "12 à 30 %"],
        [[1200, 0, 0], [0, 0, 0], [0, 0, 1]],
        titre_x="Part de passoires (%)",
        titre_y="Taux de pauvreté (%)",
    )
    donnees = carte.donnees_categories(data, "commune", groupes, emprise=EMPRISE, survol=["nom"], grille=grille)
    assert [e["libelle"] for e in donnees["legende"]] == ["Non classé (secret ou donnée manquante)"]
    # the top row is the highest y class, read left to right from the lowest x class
    assert [c["couleur"] for c in donnees["grille"]["lignes"][0]] == [palette[0][2], palette[1][2], palette[2][2]]
    assert donnees["grille"]["lignes"][2][0]["texte"] == "1\u00a0200"
    assert donnees["grille"]["titre_x"] == "Part de passoires (%) →"
    assert "Taux de pauvreté (%) : 12 à 30 %" in donnees["grille"]["lignes"][0][2]["titre"]
    assert _couleur_de(donnees, "49000") == palette[2][2]


def test_service_sites_are_points_named_in_the_legend_after_the_categories():
    data = _communes(2)
    sites = pd.DataFrame({"longitude": [-1.55, None], "latitude": [47.21, 47.3], "nom": ["FS Nantes", "sans lieu"]})
    donnees = carte.donnees_categories(
        data,
        "commune",
        [("Couvert", "#cccccc", data.index)],
        emprise=EMPRISE,
        survol=["nom"],
        points=[("Sites : France services", "#08519c", sites)],
    )
    assert [e["libelle"] for e in donnees["legende"]] == ["Couvert", "Sites : France services"]
    assert donnees["legende"][1]["point"]
    (site,) = donnees["points"]["features"]
    assert site["geometry"]["coordinates"] == [-1.55, 47.21]
    assert site["properties"] == {"couleur": "#08519c", "nom": "FS Nantes", "couche": "Sites : France services"}


def test_a_continuous_scale_runs_from_the_lowest_to_the_highest_value_with_missing_values_grey():
    data = _communes(4).assign(densite=[12.0, 1500.0, None, 140.0])
    donnees = echelles.donnees_continues(
        data, "epci", colonne="densite", libelle="Densité", unite="hab./km²", emprise=EMPRISE, echelle_log=True
    )
    degrade = donnees["degrade"]
    assert degrade["min"] == "12\u00a0hab./km²" and degrade["max"] == "1\u00a0500\u00a0hab./km²"
    assert donnees["titre"] == "Densité (hab./km²)"
    assert [g["texte"] for g in degrade["graduations"]] == ["20", "50", "100", "200", "500", "1\u00a0000"]
    assert all(0 <= g["position"] <= 1 for g in degrade["graduations"])
    # the lowest value takes the scale's first colour, the highest its last; the missing one is grey
    assert _couleur_de(donnees, "49000") == degrade["couleurs"][0]
    assert _couleur_de(donnees, "49001") == degrade["couleurs"][-1]
    assert _couleur_de(donnees, "49002") == GRIS_MANQUANT
    assert donnees["legende"] == [{"libelle": "Donnée manquante", "couleur": GRIS_MANQUANT}]
    # the scale starts away from white, as the plotly map's (visible on a projector)
    assert degrade["couleurs"][0] != "#ffffff"
    assert donnees["survol"][1] == ["Commune 1", "Densité : 1\u00a0500\u00a0hab./km²"]
    assert donnees["survol"][2] == ["Commune 2", "Donnée manquante"]


def test_a_continuous_scale_without_missing_values_lists_no_grey():
    data = _communes(3).assign(v=[1.0, 2.0, 3.0])
    donnees = echelles.donnees_continues(data, "commune", colonne="v", libelle="V", unite="%", emprise=EMPRISE)
    assert donnees["legende"] == [] and donnees["degrade"]["graduations"] == []
    assert donnees["degrade"]["min"] == "1\u00a0%" and donnees["degrade"]["max"] == "3\u00a0%"
