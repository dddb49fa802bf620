"""Read-only access to the DuckDB file: one cached connection per file version, a cursor per query.

Pages never import duckdb: they call the query functions of :mod:`atlas.queries`, which go
through :func:`query`. Parameters are always passed with ``?`` placeholders.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from collections.abc import Callable

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


def cache_par_base(fonction: Callable | None = None, *, partage: bool = False, **options):
    """Cache a read function per version of the database file (:func:`db_stamp`).

    The function is cached with ``st.cache_data`` (a copy for each caller) or, with
    ``partage=True``, ``st.cache_resource`` (one object shared by every session, for large
    read-only results such as map layers). The cache key adds the database stamp to the
    arguments: a file swapped in by the ETL or an import (``os.replace``, even from the command
    line, which clears no Streamlit cache) is read afresh on the next call. The decorated
    function keeps its name, docstring and signature; ``.clear()`` empties its cache.

    Parameters
    ----------
    fonction : callable, optional
        The function, when used as ``@cache_par_base`` without parentheses.
    partage : bool
        One shared object per database version (``st.cache_resource``) instead of copies.
    **options
        Passed to the Streamlit cache (``max_entries``, ``ttl``...).

    Examples
    --------
    ::

        @cache_par_base
        def sources() -> pd.DataFrame:
            return query("select * from sources")
    """

    def decorer(f: Callable) -> Callable:
        signature = inspect.signature(f)
        try:
            code = inspect.getsource(f).encode()
        except (OSError, TypeError):
            code = f.__code__.co_code
        # a code change (a page edited while the server runs) gives other keys, as Streamlit does
        revision = hashlib.sha256(code).hexdigest()[:16]

        def lire(stamp: str, revision: str, *args, **kwargs):
            return f(*args, **kwargs)

        # Streamlit names a cache after the function's module and qualified name: each decorated
        # function keeps its own cache, not one shared by every ``lire``
        lire.__module__, lire.__qualname__, lire.__name__ = f.__module__, f.__qualname__, f.__name__
        cache = st.cache_resource if partage else st.cache_data
        en_cache = cache(show_spinner=False, **options)(lire)

        @functools.wraps(f)
        def appel(*args, **kwargs):
            # arguments bound the same way whether given by position or by name: one cache entry
            lies = signature.bind(*args, **kwargs)
            lies.apply_defaults()
            return en_cache(db_stamp(), revision, *lies.args, **lies.kwargs)

        appel.clear = en_cache.clear
        return appel

    return decorer if fonction is None else decorer(fonction)


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
