"""First start in the browser: while the app builds its missing database, the sidebar holds no raw
page name nor Streamlit's English, and the atlas opens with its French menu once built.

Until the entry script calls ``st.navigation``, Streamlit 1.67 lists the files of ``pages/`` in the
sidebar by their raw names (« dashboard », « precarite energetique ») on the server's first run;
``atlas.navigation.demarrer`` replaces that list, hidden, before anything slow. The server is a new
process on a path with no database: its first page view is that first run, and it builds.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.browser import StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.build]

# the names Streamlit gives the files of pages/ (and the entry script: lowercase, no accents), and its
# English while running
NOMS_BRUTS = re.compile(
    r"\b(dashboard|donnees|experimentations|explorer|fiche territoire|importer visites|mobilite|non recours|"
    r"precarite energetique|zones blanches)\b|_"
)
ANGLAIS = re.compile(r"\b(Stop|Running|Stopping)\b")

BARRE_JS = r"""() => {
  // the menu's icons are ligatures (« location_city »): their names are not text a reader sees
  const vue = document.querySelector('[data-testid=stSidebar]');
  const icones = vue ? [...vue.querySelectorAll('[data-testid=stIconMaterial]')].map((e) => e.innerText.trim()) : [];
  const barre = vue ? vue.innerText.split('\n').filter((l) => !icones.includes(l.trim())).join('\n') : '';
  const etat = document.querySelector('[data-testid=stStatusWidget]');
  const app = document.querySelector('[data-testid=stApp]');
  return {barre: barre, etat: etat ? etat.innerText : '',
          script: app ? app.getAttribute('data-test-script-state') : null, h1: document.querySelector('h1')?.innerText || ''};
}"""


def _suivre_le_premier_demarrage(browser, tmp_path, chemin: str) -> tuple[list[str], dict]:
    """Open ``chemin`` on a new server with no database; the faults seen every ~100 ms until the page is drawn."""
    base = tmp_path / "neuve.duckdb"
    serveur = StreamlitServer(base)
    fautes: list[str] = []
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="fr-FR")
        page.goto(f"{serveur.url}/{chemin}", wait_until="commit")
        fin = time.monotonic() + 240
        while time.monotonic() < fin:
            etat = page.evaluate(BARRE_JS)
            fautes += [m.group(0) for m in NOMS_BRUTS.finditer(etat["barre"])]
            fautes += [m.group(0) for texte in (etat["barre"], etat["etat"]) for m in ANGLAIS.finditer(texte)]
            if base.is_file() and etat["script"] == "notRunning" and etat["h1"]:
                break
            page.wait_for_timeout(100)
        page.close()
    finally:
        serveur.stop()
    return fautes, etat


def test_first_start_shows_no_raw_page_name_and_ends_on_the_french_home_page(browser, tmp_path):
    fautes, fin = _suivre_le_premier_demarrage(browser, tmp_path, "")
    assert fautes == []
    assert fin["h1"].startswith("Atlas du non-recours")
    assert "Accueil" in fin["barre"] and "Précarité énergétique" in fin["barre"], fin["barre"]


@pytest.mark.xfail(
    reason="on the server's first run Streamlit runs pages/explorer.py alone (legacy multipage mode) and lists "
    "pages/ by raw names until ui.page_via_navigation() reruns, which the page calls only after its heavy "
    "imports (several seconds): the call must come first in every page",
    strict=False,
)
def test_a_page_opened_by_its_address_during_the_first_build_shows_no_raw_page_name(browser, tmp_path):
    fautes, fin = _suivre_le_premier_demarrage(browser, tmp_path, "explorer")
    assert fautes == []
    assert fin["h1"].startswith("Explorer les indicateurs")
    assert "Accueil" in fin["barre"] and "Précarité énergétique" in fin["barre"], fin["barre"]
