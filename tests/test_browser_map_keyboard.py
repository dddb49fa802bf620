"""The map answers the keyboard, and a page with a map still scrolls under the wheel and a finger.

A keyboard user reaches the explorer's map with Tab, pans it with the arrows, zooms with « + »
and « - », fits the region again with « 0 » or Home and chooses the territory under the centre's
cross-hair with Enter. A reader scrolling down with the wheel over a map scrolls the page and is
told how to zoom (Ctrl + wheel), which zooms the map; on a touch screen one finger scrolls the
page and two move the map.
"""

from __future__ import annotations

import pytest

from tests.browser import dessiner_les_cartes, open_page

pytestmark = pytest.mark.browser

CARTE = ".st-key-carte_explorer .atlas-carte"
VUE_JS = "(r) => r.__atlasCarte.vue()"
# the north-west corner of the view, in Web Mercator units
ORIGINE_JS = "(r) => ({x: r.__atlasCarte.vueCourante.x, y: r.__atlasCarte.vueCourante.y})"

# how far the page has scrolled: Streamlit scrolls its main block, not the document
DEFILEMENT_JS = """(r) => {
  let total = window.scrollY;
  for (let e = r.parentElement; e; e = e.parentElement) total += e.scrollTop;
  return total;
}"""

# every time the wheel's hint shows over the map (it fades out after a second)
GUETTER_L_INDICE_JS = """(r) => {
  const indice = r.querySelector('.atlas-carte-indice');
  window.__indices = [];
  new MutationObserver(() => {
    if (indice.classList.contains('atlas-carte-indice-visible')) window.__indices.push(indice.textContent);
  }).observe(indice, {attributes: true, attributeFilter: ['class']});
}"""


def _carte_dessinee(browser, server, width=1400, height=900, **options):
    page, errors = open_page(browser, f"{server.url}/explorer", width=width, height=height, **options)
    dessiner_les_cartes(page)
    carte = page.locator(CARTE)
    carte.scroll_into_view_if_needed()
    page.wait_for_function("(r) => r.dataset.etat === 'prete'", arg=carte.element_handle(), timeout=60_000)
    return page, errors, carte


def test_the_keyboard_reaches_the_map_pans_it_zooms_it_and_fits_the_region_again(server, browser):
    page, errors, carte = _carte_dessinee(browser, server)
    canvas = carte.locator("canvas.atlas-carte-canvas")
    assert "Carte interactive" in canvas.get_attribute("aria-label")
    assert "Entrée" in canvas.get_attribute("aria-label")
    # Shift+Tab from the zoom button lands on the map: its cross-hair and its keys show
    carte.get_by_role("button", name="Zoom avant").focus()
    page.keyboard.press("Shift+Tab")
    assert canvas.evaluate("(c) => document.activeElement === c")
    assert carte.locator(".atlas-carte-mire").is_visible()
    assert "Entrée : choisir le territoire sous la croix" in carte.locator(".atlas-carte-aide").inner_text().replace(
        "\xa0", " "
    )
    ouest, sud, est, nord = depart = carte.evaluate(VUE_JS)
    origine = carte.evaluate(ORIGINE_JS)

    page.keyboard.press("ArrowRight")
    v = carte.evaluate(VUE_JS)
    assert v[0] > ouest and v[2] > est, (depart, v)  # further east
    assert v[1] == pytest.approx(sud) and v[3] == pytest.approx(nord)
    a_droite = carte.evaluate(ORIGINE_JS)
    page.keyboard.press("Shift+ArrowDown")
    plus_bas = carte.evaluate(VUE_JS)
    assert plus_bas[1] < v[1] and plus_bas[3] < v[3], (v, plus_bas)  # further south
    # with Shift, a step 4 times longer
    pas = a_droite["x"] - origine["x"]
    assert carte.evaluate(ORIGINE_JS)["y"] - a_droite["y"] == pytest.approx(4 * pas, rel=1e-6)

    page.keyboard.press("+")
    zoomee = carte.evaluate(VUE_JS)
    assert zoomee[2] - zoomee[0] == pytest.approx((plus_bas[2] - plus_bas[0]) / 2, rel=1e-6)

    page.keyboard.press("-")
    assert carte.evaluate(VUE_JS) == pytest.approx(plus_bas, abs=1e-9)

    page.keyboard.press("0")
    assert carte.evaluate(VUE_JS) == pytest.approx(depart, abs=1e-9)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Home")
    assert carte.evaluate(VUE_JS) == pytest.approx(depart, abs=1e-9)

    page.keyboard.press("Escape")
    assert not carte.locator(".atlas-carte-mire").is_visible()
    assert canvas.evaluate("(c) => document.activeElement === c")
    assert errors.real() == []
    page.close()


def test_enter_on_the_focused_map_chooses_the_territory_under_its_centre(server, browser):
    page, errors, carte = _carte_dessinee(browser, server)
    canvas = carte.locator("canvas.atlas-carte-canvas")
    assert carte.evaluate("(r) => r.__atlasCarte.selection") is None
    canvas.focus()
    page.keyboard.press("ArrowLeft")
    # the territory under the cross-hair is named as the pointer's hover names it
    nom = carte.locator(".atlas-carte-bulle strong").inner_text()
    assert nom and nom in carte.locator(".atlas-carte-annonce").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(r) => r.dataset.etat === 'prete' && r.__atlasCarte.selection && location.search.includes('code=')",
        arg=carte.element_handle(),
        timeout=60_000,
    )
    code = carte.evaluate("(r) => r.__atlasCarte.selection")
    page.wait_for_function("(code) => location.search.includes('code=' + code)", arg=code, timeout=60_000)
    # the territory chosen is named in the legend as the outlined one
    page.wait_for_function(
        "([r, nom]) => r.querySelector('.atlas-carte-legende').innerText.includes(nom)",
        arg=[carte.element_handle(), nom],
        timeout=60_000,
    )
    # the keyboard stays on the map, redrawn with the choice
    assert canvas.evaluate("(c) => document.activeElement === c")
    assert errors.real() == []
    page.close()


def test_a_plain_wheel_over_the_map_scrolls_the_page_and_says_how_to_zoom(server, browser):
    page, errors, carte = _carte_dessinee(browser, server, width=1280, height=720)
    carte.evaluate(GUETTER_L_INDICE_JS)
    boite = carte.locator("canvas.atlas-carte-canvas").bounding_box()
    page.mouse.move(boite["x"] + boite["width"] * 0.5, boite["y"] + min(boite["height"], 300) * 0.5)
    vue, defilement = carte.evaluate(VUE_JS), carte.evaluate(DEFILEMENT_JS)
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"([r, avant]) => ({DEFILEMENT_JS})(r) > avant", arg=[carte.element_handle(), defilement])
    assert carte.evaluate(VUE_JS) == vue
    assert page.evaluate("() => window.__indices") == ["Pour zoomer sur la carte : Ctrl + molette"]
    # the hint fades out
    page.wait_for_function(
        "(r) => !r.querySelector('.atlas-carte-indice').classList.contains('atlas-carte-indice-visible')",
        arg=carte.element_handle(),
        timeout=5_000,
    )
    assert errors.real() == []
    page.close()


def test_ctrl_and_the_wheel_over_the_map_zoom_it_without_scrolling_the_page(server, browser):
    page, errors, carte = _carte_dessinee(browser, server, width=1280, height=720)
    boite = carte.locator("canvas.atlas-carte-canvas").bounding_box()
    page.mouse.move(boite["x"] + boite["width"] * 0.5, boite["y"] + min(boite["height"], 300) * 0.5)
    vue, defilement = carte.evaluate(VUE_JS), carte.evaluate(DEFILEMENT_JS)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    page.wait_for_function(
        "([r, largeur]) => { const v = r.__atlasCarte.vue(); return v[2] - v[0] < largeur * 0.9; }",
        arg=[carte.element_handle(), vue[2] - vue[0]],
        timeout=5_000,
    )
    assert carte.evaluate(DEFILEMENT_JS) == defilement
    assert errors.real() == []
    page.close()


def _glisser_des_doigts(page, doigts: list[tuple[float, float]], dx: float, dy: float, pas: int = 8) -> None:
    """Fingers put on the screen, moved together by (dx, dy) in ``pas`` moves, then lifted (DevTools' touch input)."""
    cdp = page.context.new_cdp_session(page)
    points = lambda i: [{"x": x + dx * i / pas, "y": y + dy * i / pas, "id": n} for n, (x, y) in enumerate(doigts)]  # noqa: E731
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for i in range(1, pas + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(i)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _defilement_arrete(page, carte) -> int:
    """How far the page has scrolled once it has stopped (a finger's fling carries on after it is lifted)."""
    avant = None
    for _ in range(50):
        page.wait_for_timeout(200)
        defilement = carte.evaluate(DEFILEMENT_JS)
        if defilement == avant:
            return defilement
        avant = defilement
    raise AssertionError("la page défile encore après 10 s")


def test_one_finger_on_the_map_scrolls_the_page_and_two_fingers_move_the_map(server, browser):
    page, errors, carte = _carte_dessinee(browser, server, width=1280, height=720, has_touch=True)
    carte.evaluate(GUETTER_L_INDICE_JS)
    boite = carte.locator("canvas.atlas-carte-canvas").bounding_box()
    x, y = boite["x"] + boite["width"] * 0.5, boite["y"] + min(boite["height"], 400) * 0.6
    vue, defilement = carte.evaluate(VUE_JS), carte.evaluate(DEFILEMENT_JS)
    # one finger up: the page scrolls down, the map stays, and says how to move it
    _glisser_des_doigts(page, [(x, y)], 0, -150)
    page.wait_for_function(f"([r, avant]) => ({DEFILEMENT_JS})(r) > avant", arg=[carte.element_handle(), defilement])
    assert carte.evaluate(VUE_JS) == vue
    assert "Utilisez deux doigts pour déplacer la carte" in page.evaluate("() => window.__indices")
    # two fingers to the right: the map shows what lies further west, the page stays (the map
    # brought back into view first, however far the page has flung)
    _defilement_arrete(page, carte)
    carte.locator("canvas.atlas-carte-canvas").evaluate("(c) => c.scrollIntoView({block: 'center'})")
    defilement = _defilement_arrete(page, carte)
    boite = carte.locator("canvas.atlas-carte-canvas").bounding_box()
    y = max(boite["y"], 0) + 100
    _glisser_des_doigts(page, [(x - 40, y), (x + 40, y)], 120, 0)
    apres = carte.evaluate(VUE_JS)
    assert apres[0] < vue[0] and apres[2] < vue[2], (vue, apres)
    assert apres[2] - apres[0] == pytest.approx(vue[2] - vue[0], rel=1e-6)  # moved, not zoomed
    assert carte.evaluate(DEFILEMENT_JS) == defilement
    assert errors.real() == []
    page.close()
