"""One writer at a time: two imports at once both land, or one is refused loudly — never lost."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from etl.errors import EtlError
from etl.writer_lock import lock_path, writer_lock
from tests import etl_subprocess
from tests.conftest import FIXTURES, RAW_DIR

VISITES = FIXTURES / "visites"
# The import reads the file, then waits 2 s before inserting: two imports started together
# overlap for sure (without the lock, both copy the same database and the second swap wins).
SLOW_IMPORT = """
import time
import etl.visits as _visits
_read = _visits.load_visits
def _slow(*args, **kwargs):
    time.sleep(2)
    return _read(*args, **kwargs)
_visits.load_visits = _slow
"""


@pytest.fixture
def db(db_copy) -> Path:
    return db_copy


def _real_visits_by_file(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("select fichier, count(*) from visites where not demonstration group by 1").fetchall())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_imports_at_once_both_end_up_in_the_database_or_one_is_refused_loudly(db, tmp_path):
    first = Path(shutil.copy(VISITES / "quatre_cents_contacts.csv", tmp_path / "quatre_cents.csv"))
    second = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "point_virgule.csv"))
    env = {"ATLAS_ATTENTE_VERROU": "30"}
    processes = [
        etl_subprocess.start(["import-visits", str(path), "--db", str(db)], SLOW_IMPORT, env)
        for path in (first, second)
    ]
    outcomes = [(p, *p.communicate(timeout=300)) for p in processes]

    loaded = _real_visits_by_file(db)
    for (process, _out, err), path in zip(outcomes, (first, second), strict=True):
        if process.returncode == 0:
            assert loaded.get(path.name, 0) > 0, f"{path.name} : import réussi mais perdu"
        else:
            assert "import en cours, réessayez" in err
    # with a 30 s wait, the second import runs after the first: both land
    assert [p.returncode for p, _, _ in outcomes] == [0, 0]
    assert loaded == {"quatre_cents.csv": 400, "point_virgule.csv": loaded["point_virgule.csv"]}


def test_a_second_writer_stops_with_a_french_message_and_leaves_the_database_intact(db, tmp_path):
    path = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "visites.csv"))
    before = _sha(db)
    with writer_lock(db, log=lambda _line: None):  # another writer at work
        result = etl_subprocess.run(["import-visits", str(path), "--db", str(db)], env={"ATLAS_ATTENTE_VERROU": "0.5"})
    assert result.returncode == 1
    assert result.stderr.startswith("ERREUR : import en cours, réessayez")
    assert "Traceback" not in result.stderr
    assert _sha(db) == before
    assert lock_path(db) == db.with_name("atlas.duckdb.lock")


def test_a_build_waits_for_the_writer_lock_too(db, monkeypatch):
    monkeypatch.setenv("ATLAS_ATTENTE_VERROU", "0.2")
    before = _sha(db)
    errors = []

    def other_session() -> None:  # a second thread of the server: excluded like a process
        try:
            build(db, RAW_DIR, "52", log=lambda _line: None)
        except EtlError as exc:
            errors.append(str(exc))

    with writer_lock(db, log=lambda _line: None):
        thread = threading.Thread(target=other_session)
        thread.start()
        thread.join()
    assert len(errors) == 1 and "import en cours, réessayez" in errors[0]
    assert _sha(db) == before


def test_a_killed_writer_does_not_leave_the_base_locked(db, tmp_path):
    path = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "visites.csv"))
    killed = etl_subprocess.run(
        ["import-visits", str(path), "--db", str(db)], etl_subprocess.die_before("etl.visits", "load_visits")
    )
    assert killed.returncode == 9
    again = etl_subprocess.run(["import-visits", str(path), "--db", str(db)], env={"ATLAS_ATTENTE_VERROU": "0"})
    assert again.returncode == 0, again.stderr
    assert _real_visits_by_file(db)["visites.csv"] > 0


def test_the_upload_page_import_is_refused_in_french_while_another_writer_works(db, monkeypatch):
    from atlas import imports

    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_ATTENTE_VERROU", "0.2")
    before = _sha(db)
    errors = []

    def upload() -> None:  # the page runs in another thread of the server
        try:
            imports.importer_visites("visites.csv", (VISITES / "valide_point_virgule.csv").read_bytes(), log=print)
        except EtlError as exc:
            errors.append(str(exc))

    with writer_lock(db, log=lambda _line: None):
        thread = threading.Thread(target=upload)
        thread.start()
        thread.join()
    assert len(errors) == 1 and errors[0].startswith("import en cours, réessayez")
    assert _sha(db) == before
