"""docs/architecture.md stays true: every name it gives exists, and a figure is followed in three hops.

The doc is the newcomer's map (page → ``atlas`` function → table → ``etl`` module → source file);
a renamed function, table or file makes its hop a dead end, so each one is checked here. The three
worked examples are followed on the session database down to the raw file's cell.
"""

from __future__ import annotations

import ast
import csv
import importlib
import re

import numpy as np
import pandas as pd
import pytest

from commun.config import ROOT
from tests.test_boundary import _graph, _top

DOC = ROOT / "docs" / "architecture.md"
RAW = ROOT / "data" / "raw"
SCHEMA = (ROOT / "etl" / "sql" / "schema.sql").read_text(encoding="utf-8")
TABLES = set(re.findall(r"create (?:table|view) (\w+)", SCHEMA))
with open(ROOT / "etl" / "indicateurs.csv", encoding="utf-8", newline="") as _catalogue:
    INDICATEURS = {row["code"] for row in csv.DictReader(_catalogue, delimiter=";")}


PAGES = "Pages: figures → `atlas` → tables → `etl` → files"


def _section(titre: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    debut = text.index(f"## {titre}")
    fin = text.find("\n## ", debut + 1)
    return text[debut : fin if fin > 0 else None]


def _rows(titre: str) -> list[list[str]]:
    """Cells of the Markdown table of a section (header and rule left out)."""
    lines = [line for line in _section(titre).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_every_file_the_architecture_doc_names_exists():
    missing = []
    for name in _code(DOC.read_text(encoding="utf-8")):
        name = name.split(" ")[0].rstrip(",")
        if not re.search(r"\.(py|sql|csv|md|lzma|geojson|js|css)$|/$", name) or "<" in name:
            continue
        if name.startswith(("imports/", "demo/")):
            continue  # written beside the database by an import or the build
        if not ((ROOT / name).exists() or (RAW / name).exists()):
            missing.append(name)
    assert not missing, missing


def test_every_atlas_module_has_its_role_in_the_architecture_doc():
    # a newcomer reads from the roles table what a module may touch: a module missing from it has no stated role
    doc = DOC.read_text(encoding="utf-8")
    roles = doc[doc.index("## The read side by role") : doc.index("## Naming")]
    absents = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "atlas").rglob("*.py"))
        if p.name != "__init__.py" and f"`{p.relative_to(ROOT)}`" not in roles
    ]
    assert absents == []


def test_every_atlas_function_of_the_page_table_exists_and_is_called_by_its_page():
    dead_ends = []
    for page, _figure, fonctions, *_ in _rows(PAGES):
        source = (ROOT / _code(page)[0]).read_text(encoding="utf-8")
        for fonction in (f for f in _code(fonctions) if re.fullmatch(r"\w+\.\w+", f)):
            module, nom = fonction.rsplit(".", 1)
            if not hasattr(importlib.import_module(f"atlas.{module}"), nom):
                dead_ends.append(f"atlas.{fonction} n'existe pas")
            elif not re.search(rf"\b{nom}\(", source):
                dead_ends.append(f"{_code(page)[0]} n'appelle pas {fonction}")
    assert not dead_ends, dead_ends


def test_every_figure_of_the_page_table_reaches_an_etl_module_that_reads_its_raw_file():
    # hops 2 and 3 on one line: the module named opens the folder of the file named (its path
    # constant), so that a renamed file or a moved reader leaves the row a dead end here
    dead_ends = []
    for page, figure, *_, modules, fichiers in _rows(PAGES):
        noms = [m for m in _code(modules) if m.startswith("etl/")]
        if not noms:
            dead_ends.append(f"{_code(page)[0]}, {figure} : aucun module etl")
            continue
        texte = "\n".join(
            p.read_text(encoding="utf-8")
            for nom in noms
            for p in ([ROOT / nom] if nom.endswith((".py", ".sql")) else sorted((ROOT / nom).rglob("*.py")))
        )
        for fichier in _code(fichiers):
            dossier = fichier.split("/")[0]
            if (RAW / fichier).is_file() and not re.search(rf"[\"']{re.escape(dossier)}[\"'/]", texte):
                dead_ends.append(f"{_code(page)[0]}, {figure} : {fichier} lu par aucun de {noms}")
    assert not dead_ends, dead_ends


def test_every_table_the_doc_names_is_in_the_schema_and_every_table_has_its_writer():
    named_in_pages = {t for row in _rows(PAGES) for t in _code(row[3])}
    writers = {t for row in _rows("Tables → the `etl` module that writes them") for t in _code(row[0])}
    # the other names of that column are the indicators read from valeurs (« nr_potentiel_* »: a family)
    indicateurs = named_in_pages - TABLES
    assert [i for i in indicateurs if not any(c.startswith(i.rstrip("*")) for c in INDICATEURS)] == []
    assert writers - TABLES == set()
    # every table a figure reads says who writes it (views are computed from a table)
    assert TABLES - writers == set(re.findall(r"create view (\w+)", SCHEMA))


def test_every_indicator_of_the_catalogue_is_written_whole_in_the_code_that_computes_it():
    # hop 3 by grep: an indicator code built by concatenation (« 'taux_' || suffixe ») is found
    # nowhere; the data checks name codes too, but they do not compute them
    ecrit = "\n".join(
        p.read_text(encoding="utf-8")
        for dossier in ("etl", "commun")
        for p in sorted((ROOT / dossier).rglob("*"))
        if p.suffix in (".py", ".sql") and "checks" not in p.relative_to(ROOT).parts
    )
    introuvables = sorted(code for code in INDICATEURS if not re.search(rf"(?<!\w){re.escape(code)}(?!\w)", ecrit))
    assert not introuvables, introuvables


def test_every_source_of_the_database_has_its_module_and_file(built_db):
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as con:
        sources = {row[0] for row in con.execute("select source from sources").fetchall()}
    documented = {_code(row[0])[0] for row in _rows("Sources → `etl` module → file")}
    assert documented == sources


def test_the_read_side_never_imports_duckdb_but_through_atlas_db_and_the_etl_never_imports_streamlit():
    graph = _graph()
    assert [m for m, imports in graph.items() if _top(m) in ("pages", "dashboard") and "duckdb" in imports] == []
    assert [m for m, imports in graph.items() if _top(m) == "atlas" and "duckdb" in imports] == ["atlas.db"]
    assert [
        m for m, imports in graph.items() if _top(m) == "etl" and any(_top(i) == "streamlit" for i in imports)
    ] == []


def test_figure_and_export_modules_open_neither_the_database_nor_streamlit():
    # « draw what they are given »: an image, a slide or a PDF shows the page's data, not a query of its own
    ligne = next(r for r in _rows("The read side by role") if r[0] == "Figures and export files")
    modules = [nom.removesuffix(".py").replace("/", ".") for nom in _code(ligne[1])]
    graph = _graph()
    assert len(modules) > 10 and set(modules) <= set(graph)
    touchent = {
        m: sorted(i for i in graph[m] if i == "atlas.db" or _top(i) in ("streamlit", "duckdb")) for m in modules
    }
    assert {m: i for m, i in touchent.items() if i} == {}


def _francais(texte: str) -> float:
    return float(texte.replace(",", "."))


@pytest.fixture
def le_croisic(app_env) -> str:
    return "44049"  # the commune of the doc's three examples


def test_explorer_poverty_rate_is_the_filosofi_cell(le_croisic):
    from atlas import indicateurs

    assert "explorer_vues.vue_niveau(" in (ROOT / "pages" / "explorer.py").read_text(encoding="utf-8")
    assert "indicateurs.valeurs(" in (ROOT / "atlas" / "explorer_vues.py").read_text(encoding="utf-8")
    ligne = indicateurs.valeurs("taux_pauvrete", "commune", "2021").set_index("code").loc[le_croisic]
    brut = pd.read_csv(RAW / "insee_filosofi" / "cc_filosofi_2021_COM.csv", sep=";", dtype=str).set_index("CODGEO")
    assert ligne["statut"] == "ok"
    assert ligne["valeur"] == _francais(brut.loc[le_croisic, "TP6021"])


def test_zones_blanches_minutes_are_the_france_services_list_distance_at_the_stated_speed(le_croisic):
    from atlas import zones_blanches as zb
    from commun.geometrie import haversine_km, minutes_from_km

    # the page reads it through its view shared per database
    assert "partage.vue(" in (ROOT / "pages" / "zones_blanches.py").read_text(encoding="utf-8")
    assert "zb.donnees(" in (ROOT / "atlas" / "zones_blanches_partage.py").read_text(encoding="utf-8")
    commune = zb.donnees("taux_pauvrete", ("france_services",)).set_index("code").loc[le_croisic]
    sites = pd.read_csv(RAW / "anct_france_services" / "liste-fs-20240801.csv", dtype=str)
    km = haversine_km(
        commune["longitude"],
        commune["latitude"],
        sites["longitude"].astype(float).to_numpy(),
        sites["latitude"].astype(float).to_numpy(),
    )
    assert commune["minutes_service"] == pytest.approx(minutes_from_km(np.nanmin(km)), abs=1e-3)


def test_mobilite_households_without_a_car_are_the_census_iris_share(le_croisic):
    from atlas import mobilite

    # the page reads it through its view shared per database and threshold
    assert "mobilite_vues.vue_seuil(" in (ROOT / "pages" / "mobilite.py").read_text(encoding="utf-8")
    assert "mobilite.communes(" in (ROOT / "atlas" / "mobilite_vues.py").read_text(encoding="utf-8")
    commune = mobilite.communes().set_index("code").loc[le_croisic]
    brut = pd.read_csv(RAW / "insee_rp_logement_derived" / "iris_part_rp_sans_voiture_2020_PDL.csv", dtype=str)
    iris = brut[brut["IRIS"].str[:5] == le_croisic]
    assert len(iris) == 1  # one IRIS: the commune's share is the file's, not a mean
    assert commune["part_sans_voiture"] == pytest.approx(100 * float(iris["perc_voit"].iloc[0]), abs=1e-3)


#: The longest a function may be: past it, it is several steps that want names of their own.
LIGNES_MAX = 100

#: Functions still longer than :data:`LIGNES_MAX` (« file:function »), each with why it is left.
LONGUES: dict[str, str] = {
    # "file:function": why it stays longer (none today)
}


def _longueurs() -> dict[str, int]:
    """Length in lines of every function of ``atlas/``, ``etl/``, ``commun/`` and ``pages/``."""
    out = {}
    for dossier in ("atlas", "etl", "commun", "pages"):
        for chemin in sorted((ROOT / dossier).rglob("*.py")):
            arbre = ast.parse(chemin.read_text(encoding="utf-8"))
            for noeud in ast.walk(arbre):
                if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef):
                    cle = f"{chemin.relative_to(ROOT).as_posix()}:{noeud.name}"
                    out[cle] = max(out.get(cle, 0), noeud.end_lineno - noeud.lineno + 1)
    return out


def test_no_function_is_longer_than_a_hundred_lines_but_the_listed_ones():
    longueurs = _longueurs()
    trop_longues = {f: n for f, n in longueurs.items() if n > LIGNES_MAX and f not in LONGUES}
    assert not trop_longues, trop_longues
    # a function split since must leave the list, so that the list only shrinks
    assert [f for f in LONGUES if longueurs.get(f, 0) <= LIGNES_MAX] == []


#: pandas reshaping a page must leave to ``atlas/`` (a page reads widgets, calls ``atlas``, draws).
CALCULS = {"groupby", "agg", "aggregate", "pivot", "pivot_table", "merge", "melt", "crosstab", "resample", "date_range"}


def test_pages_reshape_no_data_they_call_atlas_for_it():
    calculs = []
    for chemin in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
            if isinstance(noeud, ast.Call) and isinstance(noeud.func, ast.Attribute) and noeud.func.attr in CALCULS:
                calculs.append(f"{chemin.relative_to(ROOT).as_posix()}:{noeud.lineno} {noeud.func.attr}")
    assert not calculs, calculs
