"""Atomic changes to a built database: work on a copy, swap it in only when everything succeeded.

The imports (visits, DPE extracts, service layers) change an existing database. Each does it
inside :func:`copie_de_travail`: the file (and its WAL, if any) is copied beside itself, the
block works on the copy (its own transaction, the data checks), then the copy is checkpointed and
``os.replace`` swaps it in. Any exception leaves the database byte-identical and removes the copy;
a reader never sees a half-written file (``os.replace`` is atomic on one file system).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl.errors import EtlError


@contextmanager
def copie_de_travail(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A build connection on a copy of ``db_path``, swapped in when the block succeeds.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.

    Yields
    ------
    duckdb.DuckDBPyConnection
        Connection to the copy (:func:`etl.checks.connect_for_build`). The block opens and
        commits its own transaction; it must not close the connection.

    Raises
    ------
    EtlError
        The database does not exist. Whatever the block raises is raised again after the copy
        is removed.
    """
    from etl.checks import connect_for_build

    db_path = Path(db_path)
    if not db_path.is_file():
        raise EtlError(f"base introuvable : {db_path} (lancer d'abord « python -m etl build »)")
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    wal = db_path.with_name(db_path.name + ".wal")
    con = None
    try:
        # inside the try: a copy cut short by a full disk is removed like any other failure
        shutil.copyfile(db_path, tmp)
        if wal.exists():
            shutil.copyfile(wal, tmp.with_name(tmp.name + ".wal"))
        con = connect_for_build(tmp)
        yield con
        con.execute("checkpoint")
        con.close()
        os.replace(tmp, db_path)
    except BaseException:
        if con is not None:
            con.close()
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables of the database (to refuse a database built before a feature)."""
    return {t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()}
