"""Read-only access to the DuckDB file: one cached connection per file version, a cursor per query.

Pages never import duckdb: they call the query functions of :mod:`atlas.queries`, which go
through :func:`query`. Parameters are always passed with ``?`` placeholders.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from commun.config import get_settings

#: Alias of the database file in the private DuckDB instance of the read side.
ALIAS = "atlas"


def db_stamp() -> str:
    """Identity of the current database file: path, inode, size, mtime and ctime (nanoseconds).

    The ETL swaps in a new file with ``os.replace``: the stamp changes, so cached connections and
    query results keyed on it are renewed instead of serving the previous build. Inode and mtime
    alone are not enough: inodes are reused as soon as a swapped-out file is freed (successive
    imports alternate between two inodes on ext4), and some file systems store mtime to the
    second or coarser, so two imports within the same second could share inode and mtime. Size
    and ctime (set by the rename itself) make such a collision need all four to coincide.
    """
    path = get_settings().db_path
    stat = path.stat()
    return f"{path}|{stat.st_ino}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(stamp: str) -> duckdb.DuckDBPyConnection:
    # Not ``duckdb.connect(path, read_only=True)``: DuckDB keeps one database instance per path
    # and process, and hands back the instance of the *replaced* file as long as a connection to
    # it is alive (the previous stamp's cached connection): a new stamp would still read the old
    # build. Attaching the file to a private in-memory instance always opens the current file.
    path = stamp.split("|", 1)[0]
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{path.replace(chr(39), chr(39) * 2)}' as {ALIAS} (read_only)")
    con.execute(f"use {ALIAS}")
    return con


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
        cursor.execute(f"use {ALIAS}")  # a cursor starts on the in-memory catalog
        return cursor.execute(sql, list(params or [])).df()
    finally:
        cursor.close()


def geometries(blobs):
    """Decode WKB blobs returned by DuckDB (``bytearray``) into shapely geometries."""
    import numpy as np
    import shapely

    return shapely.from_wkb(np.array([None if b is None else bytes(b) for b in blobs], dtype=object))
