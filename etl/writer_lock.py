"""One writer at a time: every build and every import holds an exclusive lock beside the database.

Two imports started together each copied the database, changed their copy and swapped it in: the
second swap dropped the first import without a word. Every writer (``python -m etl build``,
``import-visits``, ``import-dpe``, ``import-services``, the upload page and the app's first-run
build, which all go through the ETL functions) now takes :func:`writer_lock` first.

- The lock is ``fcntl.flock`` on ``<database>.lock`` (``atlas.duckdb.lock``). The kernel releases
  it when the holder dies, even by ``kill -9``: a killed run never leaves the base locked.
- A second writer waits a bounded time (``ATLAS_ATTENTE_VERROU`` seconds, default 5), then stops
  with « import en cours, réessayez » and changes nothing.
- Whoever holds the lock is the only writer, so every temporary left beside the database (a
  killed build's ``.atlas.duckdb.*.tmp``, a half-written kept import) is stale: it is removed as
  soon as the lock is taken (:func:`etl.kept_files.remove_stale`).
- The lock is re-entrant within a thread (an import that runs a build, the app that locks around
  its first-run build); two threads of one server (two sessions of the upload page) exclude each
  other like two processes.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.errors import EtlError

DEFAULT_WAIT_S = 5.0
_held = threading.local()  # per thread: {lock path: depth}


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: ``<database>.lock`` beside it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def default_wait() -> float:
    """Seconds a second writer waits for the lock (env ``ATLAS_ATTENTE_VERROU``, default 5)."""
    try:
        return max(0.0, float(os.environ.get("ATLAS_ATTENTE_VERROU", DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S


@contextmanager
def writer_lock(
    db_path: Path, log: Callable[[str], None] = print, wait: float | None = None, clean: bool = True
) -> Iterator[None]:
    """Hold the exclusive writer lock of ``db_path`` for the block.

    Parameters
    ----------
    db_path : Path
        The database about to be written (its folder must exist).
    log : callable
        Receives one line per stale temporary removed or interrupted import recovered.
    wait : float, optional
        Seconds to wait for a writer already at work (default :func:`default_wait`).
    clean : bool
        Remove the temporaries left by killed runs once the lock is taken.

    Raises
    ------
    EtlError
        « import en cours, réessayez » when another writer still holds the lock after ``wait``.
    """
    path = lock_path(db_path)
    key = str(path.resolve())
    depth = getattr(_held, "depth", None)
    if depth is None:
        depth = _held.depth = {}
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    wait = default_wait() if wait is None else wait
    if not path.parent.is_dir():
        raise EtlError(f"dossier de la base introuvable : {path.parent} (lancer d'abord « python -m etl build »)")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise EtlError(
                        f"import en cours, réessayez : une autre écriture (import ou construction) tient la base "
                        f"{Path(db_path).name} depuis plus de {wait:g} s ; rien n'a été modifié"
                    ) from None
                time.sleep(0.1)
        depth[key] = 1
        try:
            if clean:
                from etl.kept_files import remove_stale

                remove_stale(Path(db_path), log)
            yield
        finally:
            depth[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
