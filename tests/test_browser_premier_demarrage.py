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
  // the menu only: the sidebar's « Copier le lien » block holds the page's address (« /explorer?… »)
  const vue = document.querySelector('[data-testid=stSidebarNav]');
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
            vues = [m.group(0) for m in NOMS_BRUTS.finditer(etat["barre"])]
            vues += [m.group(0) for texte in (etat["barre"], etat["etat"]) for m in ANGLAIS.finditer(texte)]
            # one entry per look at the page (every ~100 ms), empty when it showed none
            fautes.append(" ".join(vues))
            if base.is_file() and etat["script"] == "notRunning" and etat["h1"]:
                break
            page.wait_for_timeout(100)
        page.close()
    finally:
        serveur.stop()
    return fautes, etat


def test_first_start_shows_no_raw_page_name_and_ends_on_the_french_home_page(browser, tmp_path):
    fautes, fin = _suivre_le_premier_demarrage(browser, tmp_path, "")
    # Streamlit sends its list of pages/ with the start of the run, before the entry point's first
    # line, which replaces it: a look can catch it then (about one run in three here); never after
    premiere_sans = next((i for i, f in enumerate(fautes) if not f and i > 0 and fautes[i - 1]), 0)
    assert [f for f in fautes[premiere_sans:] if f] == []
    assert not [f for f in fautes if ANGLAIS.search(f)]
    assert fin["h1"].startswith("Atlas du non-recours")
    assert "Accueil" in fin["barre"] and "Précarité énergétique" in fin["barre"], fin["barre"]


def test_a_page_opened_by_its_address_during_the_first_build_shows_no_raw_page_name(browser, tmp_path):
    fautes, fin = _suivre_le_premier_demarrage(browser, tmp_path, "explorer")
    # Streamlit sends its list of pages/ with the start of the page's run, before any line of the
    # page: the page's first statement replaces it (atlas.navigation.page_via_navigation;
    # test_every_page_switches_to_the_atlas_navigation_before_its_imports), so it can flash at the
    # first looks; once gone it never comes back, and no English shows at any time
    premiere_sans = next((i for i, f in enumerate(fautes) if not f and i > 0 and fautes[i - 1]), 0)
    assert [f for f in fautes[premiere_sans:] if f] == []
    assert not [f for f in fautes if ANGLAIS.search(f)]
    assert fin["h1"].startswith("Explorer les indicateurs")
    assert "Accueil" in fin["barre"] and "Précarité énergétique" in fin["barre"], fin["barre"]


def test_every_page_switches_to_the_atlas_navigation_before_its_imports():
    # the page's heavy imports (pandas, DuckDB, plotly) ran first: the raw list stayed about 5 s
    import ast

    from commun.config import ROOT

    for fichier in sorted((ROOT / "pages").glob("*.py")):
        corps = [
            n
            for n in ast.parse(fichier.read_text(encoding="utf-8")).body
            if not isinstance(n, ast.Expr) or not isinstance(n.value, ast.Constant)
        ]
        premier_appel = next(i for i, n in enumerate(corps) if isinstance(n, ast.Expr))
        assert ast.unparse(corps[premier_appel]) == "page_via_navigation()", fichier.name
        assert [ast.unparse(n) for n in corps[:premier_appel]] == [
            "from atlas.navigation import page_via_navigation"
        ], fichier.name
