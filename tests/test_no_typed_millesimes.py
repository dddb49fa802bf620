"""Captions, legends and export headers never type a millésime, a date or a method constant.

They come from the database (``sources``, ``indicateurs``, ``valeurs``, ``metadonnees``) or from
the constants the ETL computes with, so that the next data update cannot leave a page stating
the previous one.
"""

from __future__ import annotations

import ast
import re

from commun.config import ROOT

#: A year (« 2021 », « RP 2020 »), a date (« 01/08/2024 »), a detour factor (« × 1,3 ») or a speed
#: (« 60 km/h ») written in a string. Format codes (``%d/%m/%Y``) are not figures.
LITTERAL = re.compile(r"(?<![\d%])(19|20)\d{2}(?!\d)|\d{1,2}/\d{1,2}/\d{4}|×\s*\d|\d\s*km/h")

#: The files that write what a reader sees: every page and every module of ``atlas/`` (a caption,
#: a legend or an export footer can be worded in any of them).
FICHIERS = [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "atlas").rglob("*.py"))]

#: (file, text of the string) allowed, each with why it is not a millésime of the data.
PERMIS = {
    # the name of the DPE method (the 2021 reform), not the date of the data
    ("pages/precarite_energetique.py", "méthode 2021"),
    # the formula of a relative change (« × 100 »), not a detour factor
    ("atlas/evolutions.py", "valeur de départ × 100"),
    # an SQL comment explaining the query (a commune's year beside its département's), not shown
    ("atlas/indicateurs.py", "mune 2021 beside dé"),
    # the SVG namespace's URL (« …/2000/svg »), not a year of the data
    ("atlas/graphiques_html.py", "www.w3.org/2000/svg"),
}


def _docstrings(arbre: ast.Module) -> set[int]:
    """``id`` of the docstring nodes (they explain, the reader does not see them)."""
    noeuds = [arbre, *(n for n in ast.walk(arbre) if isinstance(n, ast.FunctionDef | ast.ClassDef))]
    return {
        id(n.body[0].value)
        for n in noeuds
        if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
    }


def litteraux(source: str, fichier: str) -> list[tuple[int, str]]:
    """Line and text of every string of ``source`` (docstrings aside) holding a typed millésime or constant.

    ``fichier`` (relative to the repository) selects the entries of :data:`PERMIS` that apply.
    """
    arbre = ast.parse(source)
    docstrings = _docstrings(arbre)
    trouves = []
    for noeud in ast.walk(arbre):
        if not (isinstance(noeud, ast.Constant) and isinstance(noeud.value, str)) or id(noeud) in docstrings:
            continue
        for m in LITTERAL.finditer(noeud.value):
            contexte = noeud.value[max(0, m.start() - 30) : m.end() + 10]
            if not any(f == fichier and permis in contexte for f, permis in PERMIS):
                trouves.append((noeud.lineno, contexte))
    return trouves


def test_no_page_types_a_millesime_a_date_or_a_method_constant():
    trouves = {}
    for chemin in FICHIERS:
        fichier = chemin.relative_to(ROOT).as_posix()
        if found := litteraux(chemin.read_text(encoding="utf-8"), fichier):
            trouves[fichier] = found
    assert not trouves, trouves


def test_the_scan_catches_the_literals_pages_used_to_type():
    page = (
        "import streamlit as st\n"
        'st.caption("Sources : ANCT, France services au 01/08/2024 ; INSEE RP 2020")\n'
        'x = f"temps : vol d\'oiseau × 1,3 à 60 km/h, {1}"\n'
        'y = f"{debut:%d/%m/%Y}"\n'
    )
    assert [ligne for ligne, _ in litteraux(page, "pages/page.py")] == [2, 2, 3, 3]


def test_every_allowed_literal_is_still_there():
    # an entry whose literal is gone must leave the allow-list, so that it cannot hide a new one
    sources = {f.relative_to(ROOT).as_posix(): f.read_text(encoding="utf-8") for f in FICHIERS if f.is_file()}
    perimes = [(f, texte) for f, texte in PERMIS if texte not in sources.get(f, "")]
    assert not perimes, perimes
