"""The bivariate map exported as one image: the map and its 3 × 3 legend side by side."""

import io

import plotly.graph_objects as go
import pytest

from atlas import images, mise_en_page_image, precarite
from atlas.maps import carte_categories
from atlas.maps_bivariee import carte_et_legende_bivariee, legende_bivariee

CARRE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "49007", "geometry": {"type": "Polygon", "coordinates": [[[-0.6, 47.4], [-0.5, 47.4], [-0.5, 47.5], [-0.6, 47.5], [-0.6, 47.4]]]}},
    ],
}  # fmt: skip


def carte_et_legende_exemple(titre_y: str = "Taux de pauvreté (%)"):
    """A one-commune bivariate map and its 3 × 3 legend (shared with tests/test_bivariate_legend_overlap.py)."""
    import pandas as pd

    data = pd.DataFrame({"code": ["49007"], "nom": ["Angers"]})
    carte = carte_categories(
        data,
        CARRE,
        [("Passoires : part élevée · pauvreté : élevée", "#3b4994", data.index)],
        survol=["nom"],
        emprise=(-0.7, 47.3, -0.4, 47.6),
        titre_legende="Terciles : passoires × pauvreté",
    )
    legende = legende_bivariee(
        precarite.PALETTE_BIVARIEE,
        ["jusqu'à 14,4 %", "plus de 14,4 % à 20,7 %", "plus de 20,7 %"],
        ["jusqu'à 7,0 %", "plus de 7,0 % à 10,0 %", "plus de 10,0 %"],
        [[39, 27, 34], [28, 40, 29], [36, 28, 35]],
        titre_x="Part de passoires (%)",
        titre_y=titre_y,
    )
    return carte, legende


def test_composed_figure_holds_the_map_on_the_left_and_the_grid_on_the_right():
    carte, legende = carte_et_legende_exemple()
    fig = carte_et_legende_bivariee(carte, legende, part_carte=0.6)
    assert list(fig.layout.map.domain.x) == [0, 0.6]
    assert fig.layout.xaxis.domain[0] > 0.6 and fig.layout.xaxis.domain[1] <= 1
    # nine coloured squares, on the legend's axes, with their counts
    assert len(fig.layout.shapes) == 9
    assert {s.xref for s in fig.layout.shapes} == {"x"} and {s.yref for s in fig.layout.shapes} == {"y"}
    assert {s.fillcolor for s in fig.layout.shapes} == {c for ligne in precarite.PALETTE_BIVARIEE for c in ligne}
    textes = [a.text for a in fig.layout.annotations]
    assert "40" in textes and "Nombre de territoires par case" in textes


def test_composed_figure_keeps_class_bounds_axis_titles_and_the_map_legend():
    carte, legende = carte_et_legende_exemple()
    fig = carte_et_legende_bivariee(carte, legende)
    assert "14,4" in "".join(fig.layout.xaxis.ticktext) and "10,0" in "".join(fig.layout.yaxis.ticktext)
    assert fig.layout.xaxis.title.text.startswith("Part de passoires (%)")
    assert fig.layout.yaxis.title.text.startswith("Taux de pauvreté")
    # the map's own legend (categories, greys) moves to the right panel, off the map
    assert fig.layout.legend.x > fig.layout.map.domain.x[1]
    assert any(t.name == "Passoires : part élevée · pauvreté : élevée" for t in fig.data)


def test_page_figures_are_left_unchanged():
    carte, legende = carte_et_legende_exemple()
    avant = (carte.to_json(), legende.to_json())
    carte_et_legende_bivariee(carte, legende)
    assert (carte.to_json(), legende.to_json()) == avant


@pytest.mark.chromium
def test_bivariate_png_draws_the_legend_grid_colours():
    if images.chromium() is None:
        pytest.skip("Chromium absent")
    from PIL import Image

    carte, legende = carte_et_legende_exemple()
    contenu = images.png(carte_et_legende_bivariee(carte, legende), titre="Passoires × pauvreté", source="ADEME")
    image = Image.open(io.BytesIO(contenu)).convert("RGB")
    assert image.size[0] >= 1600
    couleurs = {c for _n, c in image.getcolors(maxcolors=2_000_000)}
    # every square of the 3 × 3 palette is drawn in the image (the legend is not cut)
    for ligne in precarite.PALETTE_BIVARIEE:
        for code in ligne:
            assert tuple(int(code[k : k + 2], 16) for k in (1, 3, 5)) in couleurs, code


def test_a_chart_keeps_its_tick_labels_and_puts_the_source_under_its_axis_title():
    fig = go.Figure(go.Bar(y=["Complémentaire santé solidaire"], x=[3], orientation="h"))
    fig.update_layout(margin={"l": 0})
    image = mise_en_page_image.figure_pour_image(fig, titre="t", source="s", sous_titre="x " * 100)
    assert image.layout.yaxis.automargin is True
    assert image.layout.margin.b >= 180 and image.layout.annotations[-1].yshift <= -150
    # the long subtitle wraps on two lines, under the title (the title's last lines, in smaller type)
    titre, *sous_titre = image.layout.title.text.split("<br>")
    assert titre == "<b>t</b>" and len(sous_titre) == 2 and "x x" in sous_titre[0]


def test_the_image_lists_every_cell_even_those_the_page_legend_leaves_to_the_grid():
    carte, legende = carte_et_legende_exemple()
    carte.update_traces(showlegend=False, selector=lambda t: t.name.startswith("Passoires :"))
    fig = carte_et_legende_bivariee(carte, legende)
    cellule = next(t for t in fig.data if t.name == "Passoires : part élevée · pauvreté : élevée")
    assert cellule.showlegend is True and fig.layout.legend.orientation == "v"
    assert carte.data[0].showlegend is False  # the page figure is left unchanged
