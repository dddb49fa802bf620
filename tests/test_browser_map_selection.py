"""The selected territory is outlined on the explorer's map, in the selection's colour, over its neighbours."""

from __future__ import annotations

import pytest

from atlas.contours_carte import CONTOUR_SELECTION, LIBELLE_SELECTION
from tests.browser import dessiner_les_cartes, open_page

pytestmark = pytest.mark.browser

CARTE = ".st-key-carte_explorer .atlas-carte"

# the colour of the canvas' pixel under a point of the territory's outline (its first vertex)
PIXEL_DU_CONTOUR_JS = """(r) => {
  const carte = r.__atlasCarte, code = carte.selection, p = carte.pointDuContour(code);
  const dpr = window.devicePixelRatio || 1;
  const [x, y] = [Math.floor(p[0] * dpr), Math.floor(p[1] * dpr)];
  return {code, pixel: [...carte.canvas.getContext('2d').getImageData(x, y, 1, 1).data].slice(0, 3)};
}"""


def _rgb(couleur: str) -> list[int]:
    return [int(couleur[i : i + 2], 16) for i in (1, 3, 5)]


def test_the_territory_clicked_on_the_explorer_map_is_outlined_in_the_selection_colour(server, browser):
    page, errors = open_page(browser, f"{server.url}/explorer", width=1400, height=900)
    dessiner_les_cartes(page)
    carte = page.locator(CARTE)
    carte.scroll_into_view_if_needed()
    assert carte.evaluate("(r) => r.__atlasCarte.selection") is None
    # EPCI polygons are large: a click in the middle of the map lands on one
    boite = carte.locator("canvas.atlas-carte-canvas").bounding_box()
    page.mouse.click(boite["x"] + boite["width"] * 0.5, boite["y"] + boite["height"] * 0.55)
    # the page runs again with the territory chosen: the map is drawn with it outlined and named
    page.wait_for_function(
        "(r) => r.dataset.etat === 'prete' && r.__atlasCarte.selection"
        " && r.querySelector('.atlas-carte-legende').innerText.includes(arguments[1])".replace(
            "arguments[1]", repr(LIBELLE_SELECTION)
        ),
        arg=carte.element_handle(),
        timeout=60_000,
    )
    page.wait_for_timeout(1_000)  # the URL's rerun, drawn again
    page.wait_for_function("(r) => r.dataset.etat === 'prete'", arg=carte.element_handle(), timeout=60_000)
    trace = carte.evaluate(PIXEL_DU_CONTOUR_JS)
    assert trace["code"] and f"code={trace['code']}" in page.url
    attendu = _rgb(CONTOUR_SELECTION["trait"])
    assert all(abs(a - b) <= 12 for a, b in zip(trace["pixel"], attendu, strict=True)), (trace, attendu)
    assert errors.real() == []
    page.close()


def test_a_double_click_on_the_map_zooms_without_choosing_the_territory_under_it(server, browser):
    page, errors = open_page(browser, f"{server.url}/explorer", width=1400, height=900)
    dessiner_les_cartes(page)
    carte = page.locator(CARTE)
    carte.scroll_into_view_if_needed()
    echelle = carte.evaluate("(r) => r.__atlasCarte.vueCourante.k")
    boite = carte.locator("canvas.atlas-carte-canvas").bounding_box()
    page.mouse.dblclick(boite["x"] + boite["width"] * 0.5, boite["y"] + boite["height"] * 0.55)
    # the map zooms at once; a click's choice would have come within the double-click's delay
    page.wait_for_timeout(1_500)
    assert carte.evaluate("(r) => r.__atlasCarte.vueCourante.k") == pytest.approx(2 * echelle)
    assert carte.evaluate("(r) => r.__atlasCarte.selection") is None
    assert "code=" not in page.url
    # a single click afterwards still chooses
    page.mouse.click(boite["x"] + boite["width"] * 0.5, boite["y"] + boite["height"] * 0.55)
    page.wait_for_function("(r) => r.__atlasCarte.selection", arg=carte.element_handle(), timeout=10_000)
    assert errors.real() == []
    page.close()
