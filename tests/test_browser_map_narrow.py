"""Below 1 024 px, Zones blanches' map keeps a useful width: its legend goes under it, not beside a strip."""

from __future__ import annotations

import pytest

from tests.browser import cartes_rognees, open_page

pytestmark = pytest.mark.browser


def test_zones_blanches_map_in_a_900_px_window_is_wide_and_shows_the_whole_region(server, browser):
    page, errors = open_page(browser, f"{server.url}/zones_blanches", width=900, height=800)
    # the page's main column is about 440 px wide there: a 190 px legend beside the map left it
    # a strip of about 240 px
    assert cartes_rognees(page) == []
    carte = page.locator(".st-key-carte_zones_blanches .atlas-carte")
    # the component lays itself out once its frame has its final width: wait for that layout
    # (with the legend under the map) rather than measure the first one drawn
    carte.locator(".atlas-carte-fond").evaluate(
        """(fond) => new Promise((resolve) => {
             const pret = () => fond.clientWidth >= 0.95 * fond.closest('.atlas-carte').clientWidth;
             if (pret()) return resolve(true);
             const fin = Date.now() + 10000;
             const attendre = () => (pret() || Date.now() > fin) ? resolve(pret()) : requestAnimationFrame(attendre);
             attendre();
           })"""
    )
    largeur_carte = carte.locator(".atlas-carte-fond").evaluate("(e) => e.clientWidth")
    largeur_bloc = carte.evaluate("(e) => e.clientWidth")
    assert largeur_carte >= 400 and largeur_carte >= 0.95 * largeur_bloc, (largeur_carte, largeur_bloc)
    legende = carte.locator(".atlas-carte-legende").bounding_box()
    fond = carte.locator(".atlas-carte-fond").bounding_box()
    assert legende["y"] >= fond["y"] + fond["height"], (legende, fond)
    assert errors.real() == []
    page.close()
