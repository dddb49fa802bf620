"""Opening a database for writing and running the SQL data checks (``etl/sql/checks``).

Kept apart from :mod:`etl.build` so that the imports (``import-dpe``, ``import-visits``...) can
use them without loading every loader of the build (pandas, geopandas...): a light process is
what lets ``import-dpe`` stream a national extract in a small memory.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import duckdb
from duckdb.sqltypes import BLOB, BOOLEAN

from etl.errors import EtlError

SQL_DIR = Path(__file__).parent / "sql"


def _geometry_is_valid(wkb: bytes | None) -> bool:
    # Registered as a DuckDB function so that geometry checks are SQL files like the others
    # (the spatial extension cannot be downloaded on an offline machine). shapely is imported
    # on the first call only.
    import shapely

    if wkb is None:
        return False
    geom = shapely.from_wkb(wkb, on_invalid="ignore")
    return geom is not None and not geom.is_empty and bool(shapely.is_valid(geom))


def connect_for_build(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a database for writing, with the helper functions the checks use."""
    con = duckdb.connect(str(path))
    con.create_function("geometrie_valide", _geometry_is_valid, [BLOB], BOOLEAN, null_handling="special")
    return con


_WORD = re.compile(r"[a-z_][a-z0-9_]*")


def _names(sql: str) -> set[str]:
    # every word of the statement, comments included: a word too many only runs a check more
    return set(_WORD.findall(sql.lower()))


def _reading(con, tables: Collection[str]) -> set[str]:
    """``tables`` and every view of the database that reads one of them, directly or through a view."""
    reading = {t.lower() for t in tables}
    views = con.execute("select lower(view_name), sql from duckdb_views() where not internal").fetchall()
    grew = True
    while grew:
        grew = False
        for name, sql in views:
            if name not in reading and _names(sql) & reading:
                reading.add(name)
                grew = True
    return reading


def run_checks(con, tables: Collection[str] | None = None) -> list[str]:
    """Run the ``etl/sql/checks/*.sql``; each must return zero rows.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being written.
    tables : collection of str, optional
        The only tables the caller changed (an import): a check that reads none of them, nor a
        view over them, returns what it returned after the last build (zero rows) and is not run
        again. A check runs when any word of its SQL names one of these tables or views. None
        (the build): every check.

    Returns
    -------
    list of str
        The names of the checks run.

    Raises
    ------
    EtlError
        Naming every failing check with a few of the rows it returned.
    """
    reading = None if tables is None else _reading(con, tables)
    names, failures = [], []
    for path in sorted((SQL_DIR / "checks").glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        if reading is not None and not _names(sql) & reading:
            continue
        names.append(path.stem)
        rows = con.execute(sql).fetchmany(5)
        if rows:
            failures.append(f"- {path.stem} : {rows}")
    if failures:
        raise EtlError("contrôles de données en échec (aucune ligne attendue) :\n" + "\n".join(failures))
    return names
