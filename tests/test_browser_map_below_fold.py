"""A map below the fold waits for the reader: its legend at once, its map drawn when scrolled to.

The pages with three maps (Non-recours, Mobilité) drew them all at load, far below the first
screen: the reader's first screen waits for none of them.
"""

from __future__ import annotations

import pytest

from benchmarks.navigateur import PRETE_JS
from tests.browser import open_page

pytestmark = pytest.mark.browser

ETAT_JS = "(c) => c.dataset.etat"


def test_a_map_below_the_fold_is_drawn_when_the_reader_scrolls_to_it(server, browser):
    page, errors = open_page(browser, f"{server.url}/non_recours", width=1400, height=900)
    cartes = page.locator(".atlas-carte")
    page.wait_for_function("() => document.querySelectorAll('.atlas-carte').length >= 3", timeout=180_000)
    derniere = cartes.last
    # the page counts as ready while the lowest map has not started
    page.wait_for_function(PRETE_JS, arg=None, timeout=180_000)
    assert page.evaluate(ETAT_JS, derniere.element_handle()) == "en_attente"
    assert derniere.locator("canvas").count() == 0
    # its legend is HTML, drawn at once
    assert derniere.locator(".atlas-carte-legende-titre").inner_text().strip()
    assert derniere.locator(".atlas-carte-legende-ligne").count() > 0

    derniere.scroll_into_view_if_needed()
    page.wait_for_function("(c) => c.dataset.etat === 'prete'", arg=derniere.element_handle(), timeout=180_000)
    assert derniere.locator("canvas.atlas-carte-canvas").is_visible()
    # drawn as a map at load would be: the whole region in view, at the map's real width
    vue = derniere.evaluate("(r) => ({emprise: r.__atlasCarte.emprise, vue: r.__atlasCarte.vue()})")
    (ouest, sud, est, nord), (v_ouest, v_sud, v_est, v_nord) = vue["emprise"], vue["vue"]
    assert v_ouest <= ouest and v_sud <= sud and v_est >= est and v_nord >= nord, vue
    assert errors.real() == []
    page.close()
