"""A full disk (a fake ``OSError(ENOSPC)``): one French sentence, exit 1, no temporary, base intact."""

from __future__ import annotations

import errno
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main
from tests.conftest import FIXTURES

VISITES = FIXTURES / "visites"


@pytest.fixture
def db(db_copy) -> Path:
    return db_copy


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(db: Path) -> list[str]:
    """Temporaries beside the database or in its replay folders (the lock file is not one)."""
    return sorted(
        str(p.relative_to(db.parent))
        for p in db.parent.rglob("*")
        if p.name.endswith((".tmp", ".wal")) or ".partiel-" in p.name
    )


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/tmp/plein")


def _assert_french_failure(capsys, code: int) -> None:
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("ERREUR : ") and "disque plein" in err
    assert "Traceback" not in err and "No space left" not in err
    assert "La base précédente est restée inchangée." in err


def test_a_full_disk_while_copying_the_database_is_one_french_sentence_and_leaves_nothing(
    db, tmp_path, monkeypatch, capsys
):
    from etl import atomic

    def half_copy(src, dst, **_kwargs):  # the working copy cut short by the full disk
        Path(dst).write_bytes(Path(src).read_bytes()[:1000])
        _no_space()

    path = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "visites.csv"))
    monkeypatch.setattr(atomic.shutil, "copyfile", half_copy)
    before = _sha(db)
    _assert_french_failure(capsys, main(["import-visits", str(path), "--db", str(db)]))
    assert _leftovers(db) == []
    assert _sha(db) == before


def test_a_full_disk_while_keeping_the_imported_file_leaves_no_partial_copy(db, tmp_path, monkeypatch, capsys):
    from etl import kept_files

    monkeypatch.setattr(kept_files.os, "fsync", _no_space)
    path = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "visites.csv"))
    before = _sha(db)
    _assert_french_failure(capsys, main(["import-visits", str(path), "--db", str(db)]))
    assert _leftovers(db) == []
    assert not any((db.parent / "imports" / "visites").iterdir())
    assert _sha(db) == before


def test_a_full_disk_during_a_build_is_one_french_sentence_and_leaves_no_temporary(db, monkeypatch, capsys):
    from etl import build

    monkeypatch.setattr(build.geography, "load_geography", _no_space)
    before = _sha(db)
    _assert_french_failure(capsys, main(["build", "--db", str(db)]))
    assert _leftovers(db) == []
    assert _sha(db) == before


def test_a_full_disk_met_by_duckdb_is_one_french_sentence(db, tmp_path, monkeypatch, capsys):
    from etl import visits_storage

    def duckdb_full(*_args, **_kwargs):
        raise duckdb.IOException('Could not write file "x.tmp": No space left on device')

    monkeypatch.setattr(visits_storage, "insert", duckdb_full)
    path = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "visites.csv"))
    before = _sha(db)
    _assert_french_failure(capsys, main(["import-visits", str(path), "--db", str(db)]))
    assert _leftovers(db) == []
    assert _sha(db) == before


def test_temporaries_left_by_a_killed_run_are_removed_by_the_next_import(db, tmp_path, capsys):
    stale = db.with_name(".atlas.duckdb.4242-deadbeef.tmp")
    stale.write_bytes(b"\0" * 1_000_000)
    stale.with_name(stale.name + ".wal").write_bytes(b"\0" * 10)
    partial = db.parent / "imports" / "visites" / ".partiel-0badc0de_visites.csv"
    partial.parent.mkdir(parents=True)
    partial.write_text("date_contact;structure\n2025-01", encoding="utf-8")
    path = Path(shutil.copy(VISITES / "valide_point_virgule.csv", tmp_path / "visites.csv"))

    assert main(["import-visits", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "fichier temporaire d'une écriture interrompue supprimé : .atlas.duckdb.4242-deadbeef.tmp (1,0 Mo)" in out
    assert _leftovers(db) == []


def test_a_full_disk_while_writing_the_rejects_after_the_import_says_the_import_is_done(
    db, tmp_path, monkeypatch, capsys
):
    import pandas as pd

    def half_csv(self, path, **_kwargs):
        Path(path).write_text("ligne;colonne", encoding="utf-8")
        _no_space()

    path = Path(shutil.copy(VISITES / "malformees.csv", tmp_path / "malformees.csv"))
    monkeypatch.setattr(pd.DataFrame, "to_csv", half_csv)
    assert main(["import-visits", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Lignes rejetées non écrites à côté du fichier" in out and "disque plein" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base", "malformees.csv"]  # no half rejects file
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from visites where not demonstration").fetchone() == (1,)
