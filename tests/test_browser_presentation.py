"""Presentation mode on a projector: maps take a taller screen's height, captions read from the back of a room.

At 1400 × 900 the home map kept the 330 px set for a 1280 × 720 projector and filled a third of
the width, blank on each side; the captions under the key figures (« objectif cumulé : 486 ») stayed
small while the figures grew.
"""

from __future__ import annotations

import pytest

from tests.browser import open_page

pytestmark = pytest.mark.browser

CANVAS = "canvas.atlas-carte-canvas"


def _carte(page) -> dict:
    canvas = page.locator(CANVAS).first
    canvas.wait_for(state="visible", timeout=30_000)
    return canvas.bounding_box()


def test_the_home_map_on_a_projector_grows_with_a_taller_screen_and_stays_on_the_first_one(server, browser):
    page, errors = open_page(browser, f"{server.url}/?presentation=1", width=1280, height=720)
    petite = _carte(page)
    # title, key figures and the whole map on a 1280 × 720 projector
    assert petite["y"] + petite["height"] <= 720, petite

    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_timeout(1500)  # the new layout and the map's fit to its new size
    grande = _carte(page)
    # the extra 180 px of the screen go to the map, which still ends on the first screen
    assert grande["height"] >= petite["height"] + 150, (petite, grande)
    assert grande["y"] + grande["height"] <= 900, grande
    # the region is drawn whole at its new size
    vue = page.locator(".atlas-carte").first.evaluate(
        "(r) => ({emprise: r.__atlasCarte.emprise, vue: r.__atlasCarte.vue()})"
    )
    (ouest, sud, est, nord), (v_ouest, v_sud, v_est, v_nord) = vue["emprise"], vue["vue"]
    assert v_ouest <= ouest and v_sud <= sud and v_est >= est and v_nord >= nord, vue
    assert errors.real() == []
    page.close()


def test_the_captions_under_key_figures_on_a_projector_are_as_large_as_body_text_on_a_screen(server, browser):
    page, errors = open_page(browser, f"{server.url}/experimentations?presentation=1", width=1280, height=720)
    page.locator(".atlas-chiffre-cle dd").first.wait_for(timeout=30_000)
    objectif = page.locator("[data-testid='stCaptionContainer']", has_text="objectif cumulé").first
    taille = objectif.evaluate("(e) => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize)")
    # 16,8 px under figures of 51 px: lost from the back of a room
    assert taille >= 19, taille
    # and the key figures with their captions still fit the first screen
    boite = objectif.bounding_box()
    assert boite["y"] + boite["height"] <= 720, boite
    assert errors.real() == []
    page.close()
