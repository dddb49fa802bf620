"""How ``import-dpe`` keeps an extract for the rebuilds: a hard link (default), a copy, or a move.

A national extract weighs gigabytes. By default the kept extract is a hard link to the user's file
(a second name of the same file on disk: no copy time); ``--copier`` keeps an independent copy
(also what the default does where no link can be made); ``--deplacer`` moves the file. What the
user relies on: the counts are the same whichever way, the kept file is the extract byte for byte,
deleting their file leaves the kept one intact (and the rebuilds: judged on the rebuilds of
``tests/test_kept_files.py``), a failed import (or an extract already kept)
leaves their file where and as it was with nothing kept, and a kept extract whose content changed
(their file edited in place) stops the next import or build with a French message instead of
silently changing the published figures.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main
from etl.dpe import SOURCE, import_dpe
from etl.errors import EtlError

FIXTURES = Path(__file__).parent / "fixtures" / "dpe"
CURRENT = FIXTURES / "dpe03existant_mini.csv"
LEGACY = FIXTURES / "dpe-v2-logements-existants_mini.csv"


@pytest.fixture
def db(built_db, tmp_path) -> Path:
    path = tmp_path / "base" / "atlas.duckdb"
    path.parent.mkdir()
    shutil.copyfile(built_db, path)
    return path


@pytest.fixture
def extract(tmp_path) -> Path:
    """A copy of the hand-checked fixture in a folder of the user's (moved away or edited by some
    tests: never link the repository's fixture itself)."""
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

    monkeypatch.setattr(os, "link", cross_device)
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


def test_the_kept_extract_is_a_link_to_the_imported_file_not_a_copy(db, extract):
    lines = []
    result = import_dpe(db, extract, log=lines.append)
    (kept,) = _kept(db)
    assert result.copie == kept
    # one file on disk under two names: no copy time, no second exemplar
    assert os.path.samefile(kept, extract) and extract.stat().st_nlink == 2
    assert "par un lien vers le fichier importé (pas de copie)" in lines[-1]
    with duckdb.connect(str(db), read_only=True) as con:
        (digest,) = con.execute("select sha256 from chargements where source = ?", [SOURCE]).fetchone()
    assert digest == _sha(extract)


def test_a_failed_import_leaves_no_link_behind(db, tmp_path):
    broken = _broken_extract(tmp_path)
    with pytest.raises(EtlError, match="coupe.csv"):
        import_dpe(db, broken, log=_quiet)
    assert _kept(db) == []
    assert broken.stat().st_nlink == 1


def test_copier_keeps_an_independent_copy(db, extract):
    lines = []
    import_dpe(db, extract, copier=True, log=lines.append)
    (kept,) = _kept(db)
    assert not os.path.samefile(kept, extract) and kept.read_bytes() == extract.read_bytes()
    assert lines[-1].startswith("Extrait copié pour les reconstructions")


def test_where_no_link_can_be_made_the_extract_is_copied(db, extract, monkeypatch):
    def no_link(_src, _dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")  # the extract on another disk

    monkeypatch.setattr(os, "link", no_link)
    import_dpe(db, extract, log=_quiet)
    (kept,) = _kept(db)
    assert not os.path.samefile(kept, extract) and kept.read_bytes() == CURRENT.read_bytes()


def test_an_imported_file_edited_in_place_stops_the_next_import_unchanged(db, extract, tmp_path):
    import_dpe(db, extract, log=_quiet)
    digest = _sha(db)
    with open(extract, "a", encoding="utf-8") as handle:  # edited in place: the kept name follows
        handle.write("2244E0000099A,2023-05-01,2023-05-02,G,F,maison,1930,avant 1948,60.0,,,44109,44000,Nantes\n")
    other = Path(shutil.copyfile(LEGACY, tmp_path / "dpe-v2_49.csv"))
    with pytest.raises(EtlError) as info:
        import_dpe(db, other, log=_quiet)
    message = str(info.value)
    assert str(_kept(db)[0]) in message and "modifié depuis son import" in message and "--copier" in message
    assert _sha(db) == digest
    assert len(_kept(db)) == 1 and other.stat().st_nlink == 1  # the refused extract is not kept


def test_an_imported_file_edited_in_place_stops_the_build(db, extract):
    from commun.config import ROOT
    from etl.build import build

    import_dpe(db, extract, log=_quiet)
    digest = _sha(db)
    extract.write_bytes(extract.read_bytes().replace(b",G,", b",A,", 1))  # same size, other content
    lines = []
    with pytest.raises(EtlError, match="modifié depuis son import"):
        build(db, ROOT / "data" / "raw", "52", log=lines.append)
    assert _sha(db) == digest
    assert not any(line.startswith("Construction") for line in lines)  # stopped before its first step


def test_copier_and_deplacer_exclude_each_other(db, extract):
    with pytest.raises(EtlError, match="s'excluent"):
        import_dpe(db, extract, copier=True, deplacer=True, log=_quiet)
    with pytest.raises(SystemExit):
        main(["import-dpe", str(extract), "--copier", "--deplacer", "--db", str(db)])
    assert _kept(db) == [] and extract.stat().st_nlink == 1


def test_the_command_line_copier_option_keeps_a_copy(db, extract):
    assert main(["import-dpe", str(extract), "--copier", "--db", str(db)]) == 0
    (kept,) = _kept(db)
    assert not os.path.samefile(kept, extract)
