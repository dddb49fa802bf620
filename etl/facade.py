"""The one door from the app into the write side: the first build and every upload start here.

``atlas/``, ``pages/`` and ``dashboard.py`` import no other ``etl`` module
(``tests/test_boundary.py``); what both sides share without writing (configuration, method
constants, the visit format, the error type) is in ``commun/``. Each function imports the ETL
module it drives when it is called, so a page that only shows its upload form does not load the
write side.

An upload is written to a temporary folder under a name safe for the disk, imported (atomically,
under the writers' lock: see :mod:`etl.atomic`), and its rejected rows are read back for the page
to offer; a system error (a full disk) becomes one French :class:`commun.erreurs.EtlError`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from commun.config import get_settings
from commun.erreurs import from_os_error

#: What the app can upload: kind → (default file name, suffix forced on the name or None).
UPLOADS = {
    "visites": ("visites.csv", None),
    "services": ("services.csv", None),
    "experimentations": ("experimentations.csv", ".csv"),
}


def build_first_run(
    db_path: Path, raw_dir: Path, region: str, *, is_current: Callable[[], bool], log: Callable[[str], None]
) -> None:
    """Build the database when the app starts without one, under the writers' lock.

    A build or an import already running is waited for (a few minutes at most); the build then
    runs only if the database is still not current (another session may have built it).

    Parameters
    ----------
    db_path, raw_dir : Path
        The database to build and the raw data folder.
    region : str
        INSEE code of the region.
    is_current : callable
        True when the database exists with the expected schema version.
    log : callable
        Receives the progress lines.

    Raises
    ------
    EtlError
        A failed step or check, or a system error (a full disk), in French.
    """
    from etl.build import build
    from etl.writer_lock import writer_lock

    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with writer_lock(db_path, log=log, wait=600):
            if not is_current():
                build(db_path, raw_dir, region, log=log)
    except OSError as exc:
        raise from_os_error(exc) from exc


def import_upload(kind: str, name: str, content: bytes, *, log: Callable[[str], None] = print, couche=None):
    """Import an uploaded file into the configured database.

    Parameters
    ----------
    kind : str
        ``visites``, ``services`` or ``experimentations`` (:data:`UPLOADS`).
    name : str
        The uploaded file's name (kept in reports; sanitised for the disk).
    content : bytes
        Its content.
    log : callable
        Receives the progress lines.
    couche : str, optional
        Services only: the layer name (default: from the file name).

    Returns
    -------
    (result, bytes or None)
        The import's result (``etl.visits.ImportResult``, or ``etl.report.LoadReport`` for a
        service layer) and the rejected rows file, when there are any.

    Raises
    ------
    EtlError
        The file is refused or a check fails (the database is unchanged), or a system error.
    """
    default, suffix = UPLOADS[kind]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name) or default
    if suffix and not safe.lower().endswith(suffix):
        safe += suffix
    db_path = get_settings().db_path
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / safe
            path.write_bytes(content)
            result, rejects = _IMPORTS[kind](db_path, path, log, couche)
            return result, rejects.read_bytes() if rejects is not None and rejects.is_file() else None
    except OSError as exc:  # a full disk: the page shows one French sentence, as for a refused file
        raise from_os_error(exc) from exc


def _visits(db_path: Path, path: Path, log, _couche):
    from etl.visits import import_visits

    result = import_visits(db_path, path, log=log)
    return result, result.rejets_path


def _experimentations(db_path: Path, path: Path, log, _couche):
    from etl.experimentations import import_experimentations

    result = import_experimentations(db_path, path, log=log)
    return result, result.rejets_path


def _services(db_path: Path, path: Path, log, couche):
    from etl.services_import import import_services, rejects_path

    return import_services(path, db_path, couche or None, log=log), rejects_path(path)


_IMPORTS = {"visites": _visits, "services": _services, "experimentations": _experimentations}


def visits_example(rows: int = 40) -> list[list[str]]:
    """A filled visit file (fictitious demonstration structures, valid for the import), header first."""
    from etl.demo_visits import HEADER, example_rows

    return [HEADER, *example_rows(rows)]


def experimentations_example(rows: int | None = None) -> list[list[str]]:
    """The experiment file format: the header, then ``rows`` demonstration rows (fictitious)."""
    from etl.experimentations_demo import DEMO_HEADER, demo_rows

    return [DEMO_HEADER, *(demo_rows()[:rows] if rows else [])]
