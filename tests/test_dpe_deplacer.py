"""``import-dpe --deplacer``: the extract is moved into the replay folder instead of copied.

A national extract weighs gigabytes: moving it keeps one exemplar on disk and spares the copy.
What the user relies on: the counts are those of a copied import, the kept file is the extract
byte for byte, and a failed import (or an extract already kept) leaves the file where it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import dpe
from etl.__main__ import main
from etl.dpe import import_dpe
from etl.errors import EtlError

FIXTURES = Path(__file__).parent / "fixtures" / "dpe"
CURRENT = FIXTURES / "dpe03existant_mini.csv"


@pytest.fixture
def db(built_db, tmp_path) -> Path:
    path = tmp_path / "base" / "atlas.duckdb"
    path.parent.mkdir()
    shutil.copyfile(built_db, path)
    return path


@pytest.fixture
def extract(tmp_path) -> Path:
    """A copy of the hand-checked fixture in a folder of the user's (moved away by the import)."""
    folder = tmp_path / "telechargements"
    folder.mkdir()
    return Path(shutil.copyfile(CURRENT, folder / "dpe03existant_44.csv"))


def _quiet(_line: str) -> None:
    pass


def _broken_extract(tmp_path: Path) -> Path:
    """The fixture with a line that is not CSV (an unclosed quote) after a right header."""
    broken = tmp_path / "coupe.csv"
    lines = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join([*lines[:4], '2244E0000077A,"2022-01-10,2022-01-12,G\n', *lines[4:]]), encoding="utf-8")
    return broken


def _kept(db: Path) -> list[Path]:
    folder = db.parent / "imports" / "dpe"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _aggregates(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select * exclude (demonstration) from dpe_agregats order by all").fetchall()


def test_deplacer_moves_the_extract_and_counts_like_a_copy(db, extract, built_db, tmp_path):
    copied = tmp_path / "copie" / "atlas.duckdb"
    copied.parent.mkdir()
    shutil.copyfile(built_db, copied)
    reference = import_dpe(copied, CURRENT, log=_quiet)

    result = import_dpe(db, extract, deplacer=True, log=_quiet)

    assert not extract.exists()
    (kept,) = _kept(db)
    assert kept == result.copie and kept.name.endswith("_dpe03existant_44.csv")
    assert _sha(kept) == _sha(CURRENT)
    assert (result.lues, result.chargees, result.rejetees, result.doublons, result.hors_champ) == (
        reference.lues,
        reference.chargees,
        reference.rejetees,
        reference.doublons,
        reference.hors_champ,
    )
    assert _aggregates(db) == _aggregates(copied)
    with duckdb.connect(str(db), read_only=True) as con:
        # the provenance of the load still names the extract by its SHA-256
        assert con.execute("select sha256 from chargements where source = 'ademe_dpe'").fetchall() == [(_sha(CURRENT),)]


def test_a_failed_import_with_deplacer_puts_the_extract_back_unchanged(db, tmp_path):
    import_dpe(db, CURRENT, log=_quiet)
    digest, kept = _sha(db), _kept(db)
    broken = _broken_extract(tmp_path)
    content = broken.read_bytes()

    with pytest.raises(EtlError, match="lecture du fichier impossible"):
        import_dpe(db, broken, deplacer=True, log=_quiet)

    assert broken.read_bytes() == content
    assert _kept(db) == kept
    assert _sha(db) == digest


def test_deplacer_of_an_extract_already_kept_leaves_it_where_it_was(db, extract):
    import_dpe(db, CURRENT, log=_quiet)
    kept = _kept(db)
    lines = []

    again = import_dpe(db, extract, deplacer=True, log=lines.append)

    assert extract.read_bytes() == CURRENT.read_bytes()
    assert _kept(db) == kept and again.copie == kept[0]
    assert (again.chargees, again.doublons) == (0, 7)
    assert any("déjà conservé" in line and "laissé en place" in line for line in lines)


def test_deplacer_across_filesystems_removes_the_original_only_after_success(db, extract, tmp_path, monkeypatch):
    def cross_device(src, dst):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src), None, str(dst))

    monkeypatch.setattr(dpe.os, "rename", cross_device)
    broken = _broken_extract(tmp_path)
    with pytest.raises(EtlError):
        import_dpe(db, broken, deplacer=True, log=_quiet)
    assert broken.exists() and _kept(db) == []

    result = import_dpe(db, extract, deplacer=True, log=_quiet)

    assert not extract.exists()
    assert _kept(db) == [result.copie] and _sha(result.copie) == _sha(CURRENT)


def test_the_command_line_option_moves_the_extract(db, extract, capsys):
    main(["import-dpe", str(extract), "--deplacer", "--db", str(db)])

    assert not extract.exists() and len(_kept(db)) == 1
    assert "Extrait déplacé pour les reconstructions" in capsys.readouterr().out
