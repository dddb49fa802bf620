"""Données et méthodes: the rejected rows' table offers no CSV button of its own.

Its values are shown as their file holds them (« -63.10… »); the CSV a spreadsheet opens is the
page's « Télécharger les rejets (CSV) », which guards against formulas. The grid's own button,
which would hand them back unguarded, is hidden; the other tables keep theirs.
"""

from __future__ import annotations

import pytest

from tests.browser import open_page

pytestmark = pytest.mark.browser

# display of every grid's CSV button, split between the rejected rows' table and the others
BOUTONS_JS = """() => {
  const boutons = [...document.querySelectorAll('[data-testid=stElementToolbarButton]')]
    .filter(e => /^(Download|Télécharger)/.test(e.querySelector('button')?.getAttribute('aria-label') || ''));
  const affichage = (liste) => liste.map(e => getComputedStyle(e).display);
  return {
    rejets: affichage(boutons.filter(e => e.closest('.st-key-tableau_rejets'))),
    autres: affichage(boutons.filter(e => !e.closest('.st-key-tableau_rejets'))),
  };
}"""


def test_the_rejected_rows_table_has_no_csv_button_of_its_own(browser, server):
    page, _ = open_page(browser, server.url + "/donnees")
    try:
        rejets = page.locator(".st-key-tableau_rejets [data-testid='stDataFrame']")
        rejets.scroll_into_view_if_needed()
        rejets.hover()
        boutons = page.evaluate(BOUTONS_JS)
        assert boutons["rejets"] == ["none"]
        # every other grid of the page keeps its download button
        assert boutons["autres"] and "none" not in boutons["autres"]
    finally:
        page.close()
