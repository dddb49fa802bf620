"""A new classification on the explorer's map redraws it from the layer already in the page.

The layer (GeoJSON of a level) is fetched once, parsed and projected once; a run that changes only
the colours sends the colours and nothing else travels or is parsed again.
"""

from __future__ import annotations

import pytest

from tests.browser import dessiner_les_cartes, open_page

pytestmark = pytest.mark.browser

CARTE = ".st-key-carte_explorer .atlas-carte"

# the layer's fetches by the page, by its URL
CHARGEMENTS_JS = """(r) => performance.getEntriesByType('resource')
  .filter(e => e.name === new URL(r.__atlasCarte.url, document.baseURI).href).length"""


def test_a_new_number_of_classes_recolours_the_map_without_fetching_or_parsing_its_layer_again(server, browser):
    page, errors = open_page(browser, f"{server.url}/explorer", width=1400, height=900)
    dessiner_les_cartes(page)
    carte = page.locator(CARTE)
    avant = carte.evaluate("(r) => { window.__coucheAvant = r.__atlasCarte.couche; return r.dataset.rendu; }")
    assert carte.evaluate(CHARGEMENTS_JS) == 1
    couleurs_avant = carte.evaluate("(r) => [...r.__atlasCarte.dessin.aplats.keys()]")

    # « Nombre de classes » : 5 by default, 4 chosen
    page.locator(".st-key-classes").get_by_text("4", exact=True).click()
    page.wait_for_function(
        "([r, avant]) => r.dataset.etat === 'prete' && r.dataset.rendu !== avant",
        arg=[carte.element_handle(), avant],
        timeout=60_000,
    )
    # one class fewer on screen, from the same projected layer, fetched once
    assert len(carte.evaluate("(r) => [...r.__atlasCarte.dessin.aplats.keys()]")) == len(couleurs_avant) - 1
    assert carte.evaluate("(r) => r.__atlasCarte.couche === window.__coucheAvant")
    assert carte.evaluate(CHARGEMENTS_JS) == 1
    assert errors.real() == []
    page.close()
