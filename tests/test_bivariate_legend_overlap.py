"""The bivariate map's image: the legend grid's axis titles never run over its class bounds."""

from __future__ import annotations

import pytest

from atlas import images, mise_en_page_image
from atlas.maps_bivariee import carte_et_legende_bivariee
from tests.browser import chromium_or_skip
from tests.test_bivariate_image import carte_et_legende_exemple

pytestmark = pytest.mark.chromium


# Boxes of the grid's texts, as the image draws them: each axis title against each of its own tick
# labels; the pairs closer than 6 px (glyphs run a little past their box: closer, they touch).
CHEVAUCHEMENTS_JS = """() => {
  const boite = e => e.getBoundingClientRect();
  const croise = (a, b) => a.left - 6 < b.right && b.left < a.right + 6 && a.top - 6 < b.bottom && b.top < a.bottom + 6;
  const out = [];
  for (const axe of ['x', 'y']) {
    const titre = document.querySelector(`.g-${axe}title text`);
    if (!titre) { out.push(`pas de titre ${axe}`); continue; }
    for (const tick of document.querySelectorAll(`.${axe}tick text`)) {
      if (croise(boite(titre), boite(tick))) out.push(`${titre.textContent} / ${tick.textContent}`);
    }
  }
  return out;
}"""


def _image(titre_y: str):
    carte, legende = carte_et_legende_exemple(titre_y)
    return mise_en_page_image.figure_pour_image(
        carte_et_legende_bivariee(carte, legende), titre="Passoires × pauvreté", source="ADEME"
    )


def _svg(figure) -> str:
    """The figure drawn by kaleido as the PNG export draws it (same Chromium, same plotly.js), in SVG."""
    chromium_or_skip()
    (svg,) = images.dessiner([figure], format="svg")
    return svg.decode("utf-8")


@pytest.mark.parametrize("titre_y", ["Taux de pauvreté (%)", "Taux de pauvreté (seuil à 60 %)"])
def test_the_grid_axis_titles_do_not_overlap_the_class_bounds(tmp_path, browser, titre_y):
    # the suite's shared Chromium (tests/conftest.py): one sync Playwright per worker
    figure = _image(titre_y)
    dessin = tmp_path / "image.svg"
    dessin.write_text(_svg(figure), encoding="utf-8")
    page = browser.new_page(viewport={"width": figure.layout.width, "height": figure.layout.height})
    page.goto(dessin.as_uri())
    chevauchements = page.evaluate(CHEVAUCHEMENTS_JS)
    page.screenshot(path=tmp_path / "image.png")
    page.close()
    assert chevauchements == []
