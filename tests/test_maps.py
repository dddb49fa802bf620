"""Map figures: extent, missing values, French separators, offline basemap."""

import pandas as pd
import shapely

from atlas.cadrage_carte import vue_carte
from atlas.maps import GRIS_MANQUANT, carte_categories, couper_libelle
from atlas.maps_continue import carte_choroplethe

EMPRISE = (-2.6, 46.2, 0.95, 48.6)  # Pays de la Loire, roughly


def _squares():
    # three 1° squares in EPSG:4326 (lon/lat)
    feats = []
    for i, code in enumerate(["44001", "44002", "44003"]):
        geom = shapely.box(-2 + i, 47, -1 + i, 48)
        feats.append({"type": "Feature", "id": code, "properties": {}, "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": feats}


def test_view_is_centred_on_the_extent_and_zoomed_to_fit():
    centre, zoom = vue_carte(EMPRISE, 760, 560)
    assert -1 < centre["lon"] < -0.7 and 47.2 < centre["lat"] < 47.6
    assert 6 < zoom < 7.5
    _centre, zoom_small = vue_carte(EMPRISE, 380, 280)
    assert zoom_small < zoom


def test_missing_values_are_drawn_grey_and_named_in_the_legend():
    data = pd.DataFrame({"code": ["44001", "44002", "44003"], "nom": ["A", "B", "C"], "v": [1.0, None, 3.0]})
    fig = carte_choroplethe(
        data, _squares(), colonne="v", libelle="Taux", unite="%", emprise=EMPRISE, libelle_manquant="Secret statistique"
    )
    grey = [t for t in fig.data if t.name == "Secret statistique"]
    assert len(grey) == 1 and list(grey[0].locations) == ["44002"]
    assert grey[0].colorscale[0][1] == GRIS_MANQUANT
    assert list(fig.data[0].locations) == ["44001", "44003"]


def test_offline_basemap_needs_no_tiles_and_numbers_are_french():
    data = pd.DataFrame({"code": ["44001"], "nom": ["A"], "v": [1234.5]})
    fig = carte_choroplethe(
        data, _squares(), colonne="v", libelle="Densité", unite="hab./km²", emprise=EMPRISE, decimales=1
    )
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.separators == ", "
    assert fig.data[0].customdata[0][1] == "1\u00a0234,5\u00a0hab./km²"
    assert "hab./km²" in fig.layout.coloraxis.colorbar.title.text


def test_log_scale_legend_shows_real_values():
    data = pd.DataFrame({"code": ["44001", "44002", "44003"], "nom": list("ABC"), "v": [20.0, 150.0, 1500.0]})
    fig = carte_choroplethe(
        data, _squares(), colonne="v", libelle="Densité", unite="hab./km²", emprise=EMPRISE, echelle_log=True
    )
    assert list(fig.layout.coloraxis.colorbar.ticktext) == ["20", "50", "100", "200", "500", "1\u00a0000"]


def _hors_de_la_carte(objet, domaine_x=(0, 1), domaine_y=(0, 1)):
    """Whether a legend or colour bar stands wholly beside or under the map's area (never over it)."""
    a_droite = objet.x is not None and objet.x >= domaine_x[1] and objet.xanchor == "left"
    dessous = objet.y is not None and objet.y <= domaine_y[0] and objet.yanchor == "top"
    return (a_droite or dessous) and (objet.xref or "paper") == "paper" and (objet.yref or "paper") == "paper"


def test_colour_bar_and_missing_values_legend_of_a_choropleth_stand_outside_the_map():
    data = pd.DataFrame({"code": ["44001", "44002", "44003"], "nom": list("ABC"), "v": [1.0, None, 3.0]})
    fig = carte_choroplethe(data, _squares(), colonne="v", libelle="Taux de pauvreté", unite="%", emprise=EMPRISE)
    domaine = fig.layout.map.domain
    assert _hors_de_la_carte(fig.layout.coloraxis.colorbar, domaine.x or (0, 1), domaine.y or (0, 1))
    assert _hors_de_la_carte(fig.layout.legend, domaine.x or (0, 1), domaine.y or (0, 1))


def test_category_and_class_map_legends_stand_outside_the_map_on_the_right_or_under_it():
    data = pd.DataFrame({"code": ["44001", "44002", "44003"], "nom": list("ABC")})
    groupes = [("Élevé", "#bd0026", data.index[:2]), ("Faible", "#ffffb2", data.index[2:])]
    droite = carte_categories(data, _squares(), groupes, survol=["nom"], emprise=EMPRISE, titre_legende="Titre")
    dessous = carte_categories(
        data, _squares(), groupes, survol=["nom"], emprise=EMPRISE, titre_legende="Titre", legende="dessous"
    )
    assert _hors_de_la_carte(droite.layout.legend) and droite.layout.legend.x >= 1
    assert _hors_de_la_carte(dessous.layout.legend) and dessous.layout.legend.y <= 0
    # no translucent box: nothing of the legend lies on the territories to fade them
    assert droite.layout.legend.bgcolor is None or droite.layout.legend.bgcolor in ("white", "#ffffff")


def test_the_view_fits_the_expected_width_of_a_narrow_map():
    data = pd.DataFrame({"code": ["44001"], "nom": ["A"], "v": [1.0]})
    large = carte_choroplethe(data, _squares(), colonne="v", libelle="T", unite="%", emprise=EMPRISE, hauteur=420)
    etroite = carte_choroplethe(
        data, _squares(), colonne="v", libelle="T", unite="%", emprise=EMPRISE, hauteur=420, largeur=340
    )
    assert etroite.layout.map.zoom < large.layout.map.zoom


def test_long_legend_titles_are_cut_into_lines_without_leaving_a_sign_alone():
    data = pd.DataFrame({"code": ["44001"], "nom": ["A"]})
    titre = "Part de passoires F ou G (%), ADEME, DPE des logements existants — DONNÉES DE DÉMONSTRATION"
    fig = carte_categories(
        data, _squares(), [("A", "#bd0026", data.index)], survol=["nom"], emprise=EMPRISE, titre_legende=titre
    )
    lignes = fig.layout.legend.title.text.split("<br>")
    assert len(lignes) > 1 and all(len(ligne) <= 40 for ligne in lignes)
    assert " ".join(lignes) == titre
    assert couper_libelle("Taux de pauvreté (seuil à 60 %)", 24) == "Taux de pauvreté (seuil<br>à 60 %)"


def test_array_coordinates_send_the_browser_the_same_json_as_nested_lists():
    """Rings become NumPy arrays (plotly copies them in one step), the JSON stays number for number."""
    import json

    import numpy as np
    import plotly.graph_objects as go
    import plotly.io as pio

    from atlas.geojson_partage import geojson_pour_plotly

    plain = json.loads(json.dumps(_squares()))  # nested lists, as read from the database
    plain["features"].append(
        {
            "type": "Feature",
            "id": "44004",
            "properties": {},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[0.1, 47.0], [0.2, 47.0], [0.2, 47.1], [0.1, 47.0]]]],
            },
        }
    )
    arrays = geojson_pour_plotly(plain)
    assert isinstance(arrays["features"][0]["geometry"]["coordinates"][0], np.ndarray)
    assert isinstance(arrays["features"][3]["geometry"]["coordinates"][0][0], np.ndarray)
    codes = [f["id"] for f in plain["features"]]

    def spec(geojson):
        return pio.to_json(
            go.Figure(go.Choroplethmap(geojson=geojson, locations=codes, z=[0, 1, 2, 3])), validate=False
        )

    assert spec(arrays) == spec(plain)
    assert isinstance(plain["features"][0]["geometry"]["coordinates"][0], list)  # the input is left as it was
