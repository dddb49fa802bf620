"""Every page: headings without Streamlit's English anchor link."""

import ast

import pytest

from commun.config import ROOT
from tests.apptest_helpers import run_page

EVOLUTION = {"mode": "evolution", "indicateur": "part_allocataires_rsa", "niveau": "commune", "debut": "2017", "millesime": "2020"}  # fmt: skip
PAGES = [
    ("dashboard.py", None),
    ("pages/explorer.py", None),
    ("pages/explorer.py", EVOLUTION),
    ("pages/fiche_territoire.py", None),
    ("pages/non_recours.py", None),
    ("pages/precarite_energetique.py", None),
    ("pages/mobilite.py", None),
    ("pages/zones_blanches.py", None),
    ("pages/experimentations.py", None),
    ("pages/importer_visites.py", None),
    ("pages/donnees.py", None),
]
HEADINGS = {"title", "header", "subheader"}


@pytest.mark.parametrize(("page", "query"), PAGES)
def test_no_heading_offers_the_english_link_to_heading(app_env, page, query):
    # the anchor's icon reads « Link to heading » to a screen reader, and drawing it makes the
    # browser recompute the page's styles once per heading on the first screen
    app = run_page(page, query)
    titres = [*app.title, *app.header, *app.subheader]
    assert titres
    assert [t.value for t in titres if not t.proto.hide_anchor] == []


def _headings_with_anchor(fichier) -> list[str]:
    arbre = ast.parse(fichier.read_text(encoding="utf-8"))
    fautes = []
    for noeud in ast.walk(arbre):
        if not (isinstance(noeud, ast.Call) and isinstance(noeud.func, ast.Attribute)):
            continue
        if noeud.func.attr not in HEADINGS or isinstance(noeud.func.value, ast.Constant):
            continue
        # str.title() takes no argument: a heading always has its text
        if not noeud.args:
            continue
        sans = any(
            mot.arg == "anchor" and isinstance(mot.value, ast.Constant) and mot.value.value is False
            for mot in noeud.keywords
        )
        if not sans:
            fautes.append(f"{fichier.relative_to(ROOT)}:{noeud.lineno}")
    return fautes


def test_headings_of_branches_a_default_run_skips_have_no_anchor_either():
    # a heading shown only for some data (another region, no visit imported yet) reads the same
    fichiers = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "atlas").glob("*.py"))]
    assert [f for fichier in fichiers for f in _headings_with_anchor(fichier)] == []
