"""Opening a database for writing and running the SQL data checks (``etl/sql/checks``).

Kept apart from :mod:`etl.build` so that the imports (``import-dpe``, ``import-visits``...) can
use them without loading every loader of the build (pandas, geopandas...): a light process is
what lets ``import-dpe`` stream a national extract in a small memory.
"""

from __future__ import annotations

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


def run_checks(con) -> list[str]:
    """Run every ``etl/sql/checks/*.sql``; each must return zero rows.

    Returns
    -------
    list of str
        The names of the checks run.

    Raises
    ------
    EtlError
        Naming every failing check with a few of the rows it returned.
    """
    names, failures = [], []
    for path in sorted((SQL_DIR / "checks").glob("*.sql")):
        names.append(path.stem)
        rows = con.execute(path.read_text(encoding="utf-8")).fetchmany(5)
        if rows:
            failures.append(f"- {path.stem} : {rows}")
    if failures:
        raise EtlError("contrôles de données en échec (aucune ligne attendue) :\n" + "\n".join(failures))
    return names
