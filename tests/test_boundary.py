"""One boundary between the write side (``etl/``) and the read side (``atlas/``, ``pages/``, ``dashboard.py``).

Both sides import ``commun/`` (configuration, method constants, the visit format, the error type);
the read side reaches the ETL only through ``etl.facade``; the ETL never imports the read side;
``commun`` imports neither side nor streamlit nor duckdb; ``atlas`` modules import each other
without a circle. Every import counts, also one inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from commun.config import ROOT

PACKAGES = ("atlas", "commun", "etl", "pages")
FACADE = "etl.facade"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    files = [ROOT / "dashboard.py", *(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))]
    return {_module_name(p): p for p in files}


def _imports(path: Path) -> set[str]:
    """Modules imported by a file (``from atlas import ui`` gives ``atlas.ui`` when it is a module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*full.split("."))).with_suffix(".py").is_file()
                out.add(full if is_module else node.module)
    return out


def _graph() -> dict[str, set[str]]:
    return {name: _imports(path) for name, path in _modules().items()}


def _top(module: str) -> str:
    return module.split(".")[0]


def test_the_read_side_reaches_the_etl_only_through_its_facade():
    crossings = sorted(
        f"{module} → {imported}"
        for module, imports in _graph().items()
        if _top(module) in ("atlas", "pages", "dashboard")
        for imported in imports
        if _top(imported) == "etl" and imported != FACADE
    )
    assert not crossings, "importer etl.facade (ou commun) à la place de : " + ", ".join(crossings)


def test_the_etl_never_imports_the_read_side():
    crossings = sorted(
        f"{module} → {imported}"
        for module, imports in _graph().items()
        if _top(module) == "etl"
        for imported in imports
        if _top(imported) in ("atlas", "pages", "dashboard")
    )
    assert not crossings, "déplacer dans commun ce que etl prend à : " + ", ".join(crossings)


def test_the_shared_package_depends_on_neither_side_nor_on_streamlit_or_duckdb():
    crossings = sorted(
        f"{module} → {imported}"
        for module, imports in _graph().items()
        if _top(module) == "commun"
        for imported in imports
        if _top(imported) in ("atlas", "pages", "dashboard", "etl", "streamlit", "duckdb")
    )
    assert not crossings, ", ".join(crossings)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_atlas_modules_import_each_other_without_a_circle():
    graph = _graph()
    atlas = {m: {i for i in imports if i in graph and _top(i) == "atlas"} for m, imports in graph.items()}
    atlas = {m: deps for m, deps in atlas.items() if _top(m) == "atlas"}
    assert not _cycles(atlas), _cycles(atlas)


def test_a_circle_is_found():
    # the detector itself, on a two-module circle such as ui ↔ diaporama_ui used to be
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_production_code_does_not_reach_for_test_machinery():
    # telling an AppTest run apart by a mock of Streamlit's private runtime hangs the app on test
    # internals; the AppTest helpers set ATLAS_APPTEST instead (atlas.navigation.page_via_navigation)
    users = sorted(
        module
        for module, imports in _graph().items()
        if any(_top(i) in ("unittest", "pytest") or i.startswith("streamlit.testing") for i in imports)
    )
    assert not users, users
