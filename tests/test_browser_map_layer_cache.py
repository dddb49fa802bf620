"""A map layer travels once per browser and database: the next page views draw it without downloading it.

Streamlit's static serving sends no Cache-Control and answers a revalidation with the whole file, so
the map component keeps each layer in the browser's Cache Storage under its name, which changes with
the database (``atlas/composants/couches.py``): a rebuilt database is a new name, never the old shapes.
"""

from __future__ import annotations

import time

import pytest

from tests.browser import chromium_or_skip, dessiner_les_cartes

pytestmark = pytest.mark.browser

CARTE = ".st-key-carte_explorer .atlas-carte"


def _ouvrir(context, url: str) -> tuple[object, list[str]]:
    """Open ``url`` in a new tab of ``context``, draw its maps; returns the page and the layers it requested."""
    page = context.new_page()
    demandes: list[str] = []
    page.on("request", lambda r: demandes.append(r.url) if "/couches/" in r.url else None)
    page.goto(url)
    page.wait_for_selector(CARTE, timeout=60_000)
    dessiner_les_cartes(page)
    assert page.locator(CARTE).get_attribute("data-etat") == "prete"
    return page, demandes


def _gardees(page, timeout: float = 30) -> list[str]:
    """The layers kept in the page's Cache Storage, once the one the map drew is kept (in the background)."""
    fin = time.monotonic() + timeout
    while True:
        gardees = page.evaluate(
            "() => caches.open('atlas-couches').then((b) => b.keys()).then((k) => k.map((r) => r.url))"
        )
        neuve = page.locator(CARTE).evaluate("(r) => new URL(r.__atlasCarte.url, document.baseURI).href")
        if neuve in gardees or time.monotonic() > fin:
            return gardees
        time.sleep(0.1)


def test_a_second_page_view_draws_the_map_without_downloading_its_layer_again(server, browser):
    chromium_or_skip()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    try:
        premiere, demandes = _ouvrir(context, f"{server.url}/explorer")
        couche = premiere.locator(CARTE).evaluate("(r) => new URL(r.__atlasCarte.url, document.baseURI).href")
        assert demandes == [couche]
        assert _gardees(premiere) == [couche]
        premiere.close()

        seconde, demandes = _ouvrir(context, f"{server.url}/explorer")
        assert seconde.locator(CARTE).evaluate("(r) => new URL(r.__atlasCarte.url, document.baseURI).href") == couche
        assert demandes == []
        assert seconde.locator(CARTE).evaluate("(r) => r.__atlasCarte.couche.territoires.length") > 50
        seconde.close()
    finally:
        context.close()


def test_a_layer_kept_from_an_earlier_database_is_neither_drawn_nor_kept(server, browser):
    chromium_or_skip()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/_stcore/health")
        # the explorer's EPCI layer of an earlier database: another name, one square where Nantes is
        ancienne = f"{server.url}/app/static/couches/epci-0000000000000000.geojson"
        page.evaluate(
            """async (u) => {
              const carre = [[-1.6, 47.2], [-1.5, 47.2], [-1.5, 47.3], [-1.6, 47.3], [-1.6, 47.2]];
              const couche = {type: 'FeatureCollection', features: [{type: 'Feature', properties: {code: '44109'},
                geometry: {type: 'Polygon', coordinates: [carre]}}]};
              const boite = await caches.open('atlas-couches');
              await boite.put(u, new Response(JSON.stringify(couche), {headers: {'Content-Type': 'application/json'}}));
            }""",
            ancienne,
        )
        page.close()

        page, demandes = _ouvrir(context, f"{server.url}/explorer")
        couche = page.locator(CARTE).evaluate("(r) => new URL(r.__atlasCarte.url, document.baseURI).href")
        assert couche != ancienne and demandes == [couche]
        assert page.locator(CARTE).evaluate("(r) => r.__atlasCarte.couche.territoires.length") > 50
        # the earlier database's layer is dropped once the new one is kept
        assert _gardees(page) == [couche]
        page.close()
    finally:
        context.close()
