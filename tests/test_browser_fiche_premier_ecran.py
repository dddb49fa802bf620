"""Fiche territoire at 1280 × 720, as a committee's projector shows it: its key figures on the first screen.

Opened on « Angers », the fiche shows its title, the commune's key figures (poverty rate with its
rank and references…) without scrolling; in presentation mode, the whole locator map as well.
"""

import pytest

from tests.browser import open_page


def _bas(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_the_fiche_shows_its_key_figures_on_the_first_screen_at_1280_x_720(server, browser, presentation):
    adresse = f"{server.url}/fiche_territoire?niveau=commune&code=49007" + ("&presentation=1" if presentation else "")
    page, errors = open_page(browser, adresse, width=1280, height=720)
    chiffres = page.locator("[aria-label='Chiffres clés']")
    chiffres.wait_for(timeout=30_000)
    pauvrete = chiffres.get_by_text("21,0\u00a0%", exact=True)
    assert pauvrete.is_visible() and _bas(pauvrete) <= 720
    # each figure whole: its label, value and details, on the first screen
    assert _bas(chiffres) <= 720, f"chiffres clés sous le premier écran ({_bas(chiffres):.0f} px)"
    assert page.locator("h1").first.bounding_box()["y"] >= 0
    if presentation:
        carte = page.locator(".st-key-carte_fiche canvas.atlas-carte-canvas").first
        carte.wait_for(state="visible", timeout=30_000)
        assert _bas(carte) <= 720, f"carte de situation sous le premier écran ({_bas(carte):.0f} px)"
    assert errors.real() == []
    page.close()
