"""Map figures: extent, missing values, French separators, offline basemap."""

import pandas as pd
import shapely

from atlas.maps import GRIS_MANQUANT, carte_choroplethe, vue_carte

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
