"""The fiche's profile tables never cut a number in two lines, at 1024 px as at 1280 px."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every number of the profile tables' cells (« 141 228 », « 1 207 », « 17,0 ») that spans more than
# one line box, with its cell's text.
NOMBRES_COUPES_JS = r"""() => {
  const coupes = [];
  for (const cellule of document.querySelectorAll('.st-key-fiche_profil :is(td, th)')) {
    if (cellule.getBoundingClientRect().width === 0) continue;  // a folded block
    const parcours = document.createTreeWalker(cellule, NodeFilter.SHOW_TEXT);
    while (parcours.nextNode()) {
      const texte = parcours.currentNode;
      for (const m of texte.textContent.matchAll(/\d(?:[\d\u00a0\u202f]*\d)?(?:,\d+)?/g)) {
        const r = document.createRange();
        r.setStart(texte, m.index);
        r.setEnd(texte, m.index + m[0].length);
        const lignes = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
        if (lignes.size > 1) coupes.push(`${m[0]} dans « ${cellule.textContent.replace(/\s+/g, ' ')} »`);
      }
    }
  }
  return coupes;
}"""


def test_profile_tables_never_cut_a_number_in_two_lines(server, browser):
    # the suite's shared server and Chromium (tests/conftest.py): one sync Playwright per worker
    coupes = {}
    # Nantes: « 141 228 ménages », ranks out of « 1 207 » in a table of ten columns; loaded at
    # 1024 px, then widened to 1280 px (a resize lays the tables out again)
    page = browser.new_page(viewport={"width": 1024, "height": 900}, locale="fr-FR")
    page.goto(f"{server.url}/fiche_territoire?niveau=commune&code=44109", wait_until="networkidle")
    # the poverty block (folded on arrival, built once opened)
    page.locator(".st-key-fiche_profil [data-testid='stExpander'] summary", has_text="Revenus et pauvreté").click()
    page.wait_for_selector(".st-key-fiche_profil table", timeout=60_000)
    for largeur in (1024, 1280):
        page.set_viewport_size({"width": largeur, "height": 900})
        page.wait_for_timeout(1000)
        if trouves := page.evaluate(NOMBRES_COUPES_JS):
            coupes[largeur] = trouves
    page.close()
    assert coupes == {}
