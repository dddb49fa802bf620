"""Static images of the figures (atlas.images): standalone layout and the real Chromium render."""

import io
import os

import plotly.graph_objects as go
import pytest

from atlas import images

CARRE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "49007", "geometry": {"type": "Polygon", "coordinates": [[[-0.6, 47.4], [-0.5, 47.4], [-0.5, 47.5], [-0.6, 47.5], [-0.6, 47.4]]]}},
    ],
}  # fmt: skip


def carte():
    fig = go.Figure(
        go.Choroplethmap(geojson=CARRE, locations=["49007"], z=[21.0], name="plus de 12 %", showlegend=True)
    )
    fig.update_layout(map_style="carto-positron", map_zoom=6, height=560)
    return fig


def test_exported_figure_carries_title_source_date_and_demonstration_label():
    fig = images.figure_pour_image(carte(), titre="Taux de pauvreté", source="Insee, Filosofi 2021", demonstration=True)
    assert "Taux de pauvreté" in fig.layout.title.text
    assert "démonstration" in fig.layout.title.text
    ligne = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "Source : Insee, Filosofi 2021" in ligne and "extraction du" in ligne and "DONNÉES DE DÉMONSTRATION" in ligne
    assert fig.layout.width >= 1600


def test_exported_map_drops_tile_basemap_and_leaves_page_figure_unchanged():
    page = carte()
    fig = images.figure_pour_image(page, titre="t", source="s")
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.map.zoom > page.layout.map.zoom  # taller image: the region fills it
    assert page.layout.map.style == "carto-positron" and page.layout.title.text is None


def test_missing_chromium_gives_a_french_explanation(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(tmp_path / "absent"))
    assert images.chromium() is None
    with pytest.raises(images.ImageIndisponible, match="Chromium est introuvable"):
        images.png(carte(), titre="t", source="s")


def test_png_is_drawn_by_chromium_at_1600_pixels_wide():
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour les exports d'image")
        pytest.skip("Chromium absent")
    from PIL import Image

    contenu = images.png(carte(), titre="Taux de pauvreté", source="Insee, Filosofi 2021")
    image = Image.open(io.BytesIO(contenu))
    assert image.format == "PNG" and image.size == (1600, 1100)
    # the polygon is drawn: some pixels are neither white nor text grey
    couleurs = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(couleurs) > 10
