"""Atomic changes to a built database: work on a copy, swap it in only when everything succeeded.

The imports (visits, experiments, DPE extracts, service layers) change an existing database. Each
does it inside :func:`copie_de_travail` (the visit, experiment and service imports through
:func:`import_atomically`, which adds the writers' lock, the checks and the kept copy): the file (and its WAL, if any) is copied beside itself, the
block works on the copy (its own transaction, the data checks), then the copy is checkpointed and
``os.replace`` swaps it in. Any exception leaves the database byte-identical and removes the copy;
a reader never sees a half-written file (``os.replace`` is atomic on one file system).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from etl.errors import EtlError

T = TypeVar("T")


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


def import_atomically(
    db_path: Path,
    file: Path,
    load: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    keep_in: Path | None,
    log: Callable[[str], None],
    table: tuple[str, str] | None = None,
    writes: Collection[str] | None = None,
) -> tuple[T, Path | None]:
    """The one sequence of the visit, experiment and service imports: lock, copy, load, check, swap, keep.

    Under the writers' lock, on a working copy (:func:`copie_de_travail`): one transaction runs
    ``load``, the data checks, and commits; the imported file is copied beside the replay folder
    before the swap (a full disk fails there, the database unchanged) and given its kept name
    after it (:mod:`etl.kept_files`). Any failure leaves the database and the replay folder as
    they were.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.
    file : Path
        The imported file.
    load : callable
        Reads ``file`` into the open transaction (and saves its report); its result is returned.
    keep_in : Path or None
        The replay folder of ``file``; None keeps nothing (demonstration data).
    log : callable
        Receives the lines about the lock and the kept copy.
    table : (str, str), optional
        A table the database must have, and the French message when it has not (a database
        built before the feature).
    writes : collection of str, optional
        Every table ``load`` may change: only the data checks reading one of them run
        (:func:`etl.checks.run_checks`). None runs every check.

    Returns
    -------
    (object, Path or None)
        What ``load`` returned, and the kept copy of ``file``.
    """
    from etl import kept_files
    from etl.checks import run_checks
    from etl.writer_lock import writer_lock

    part = kept = None
    with writer_lock(db_path, log):
        try:
            with copie_de_travail(db_path) as con:
                if table is not None and table[0] not in tables(con):
                    raise EtlError(table[1])
                con.execute("begin transaction")
                result = load(con)
                run_checks(con, writes)
                con.execute("commit")
                if keep_in is not None:
                    # copied before the swap (a full disk fails here, the base unchanged), named after it
                    part, digest = kept_files.stage_copy(file, keep_in)
            if part is not None:
                kept = kept_files.keep_after_swap(part, keep_in, digest, file.name, log)
        except BaseException:
            if part is not None:
                part.unlink(missing_ok=True)
            raise
    return result, kept
