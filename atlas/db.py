"""Read-only access to the DuckDB file: one cached connection per file version, a cursor per query.

Pages never import duckdb: they call the query functions of :mod:`atlas.queries`, which go
through :func:`query`. Parameters are always passed with ``?`` placeholders.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from atlas.config import get_settings


def db_stamp() -> str:
    """Identity of the current database file (path, inode, mtime).

    The ETL swaps in a new file with ``os.replace``: the stamp changes, so cached connections and
    query results keyed on it are renewed instead of serving the previous build.
    """
    path = get_settings().db_path
    stat = path.stat()
    return f"{path}|{stat.st_ino}|{stat.st_mtime_ns}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(stamp: str) -> duckdb.DuckDBPyConnection:
    path = stamp.split("|", 1)[0]
    return duckdb.connect(path, read_only=True)


def query(sql: str, params: list | tuple | None = None) -> pd.DataFrame:
    """Run a read-only query on its own cursor and return a DataFrame.

    Parameters
    ----------
    sql : str
        A SQL statement with ``?`` placeholders (never formatted with user input).
    params : sequence, optional
        Values for the placeholders.
    """
    cursor = _connection(db_stamp()).cursor()
    try:
        return cursor.execute(sql, list(params or [])).df()
    finally:
        cursor.close()


def geometries(blobs):
    """Decode WKB blobs returned by DuckDB (``bytearray``) into shapely geometries."""
    import numpy as np
    import shapely

    return shapely.from_wkb(np.array([None if b is None else bytes(b) for b in blobs], dtype=object))
