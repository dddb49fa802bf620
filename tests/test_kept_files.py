"""Kept copies of the imports: replayed exactly, never half, never a rejects file, never hidden.

A build replays the imported files kept beside the database. These tests kill an import at a
chosen step (a real child process dying with ``os._exit``), truncate a kept file as a crash of an
older version did, and check that the next import or build recovers or refuses in French — never
loads part of a file without a word.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from etl import geography, kept_files, services_import, visits
from etl.__main__ import main
from etl.build import build
from etl.dpe import import_dpe, kept_extracts
from etl.errors import EtlError
from etl.writer_lock import writer_lock
from tests import etl_subprocess
from tests.conftest import FIXTURES, RAW_DIR
from tests.test_dpe import _check_hand_example

VISITES = FIXTURES / "visites"
DPE_EXTRACT = FIXTURES / "dpe" / "dpe03existant_mini.csv"


@pytest.fixture
def db(db_copy) -> Path:
    return db_copy


def _quiet(_line: str) -> None:
    pass


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _query(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def _hidden(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".")) if folder.is_dir() else []


def _four_hundred(tmp_path: Path) -> Path:
    return Path(shutil.copy(VISITES / "quatre_cents_contacts.csv", tmp_path / "quatre_cents.csv"))


def _dpe_aggregates(db: Path) -> list[tuple]:
    return _query(db, "select * exclude (demonstration) from dpe_agregats order by all")


@pytest.fixture(scope="module")
def two_builds(built_db, tmp_path_factory) -> SimpleNamespace:
    """An installation with a visit file (one rejected row), a service layer and a DPE extract
    imported, rebuilt twice.

    Older builds left a rejects file in the replay folder: one is planted beside the kept visit
    file before the first build. The DPE extract is kept as a link to the user's file (the default),
    then the user deletes their file. What each build logged, loaded and left in the replay folder
    is recorded. One scenario for the tests below: each build costs 10 to 20 s.
    """
    folder = tmp_path_factory.mktemp("deux_constructions")
    db = folder / "base" / "atlas.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    path = _four_hundred(folder)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2025-03-03;Habitants-relais Angers (essai);99999;porte_a_porte;non;;;Q-9999\n")
    imported = visits.import_visits(db, path, log=_quiet)
    layer = Path(shutil.copy(FIXTURES / "services" / "services_valides.csv", folder / "services_valides.csv"))
    services_import.import_services(layer, db, "mobilite", log=_quiet)
    downloads = folder / "telechargements"
    downloads.mkdir()
    extract = Path(shutil.copyfile(DPE_EXTRACT, downloads / "dpe03existant_44.csv"))
    import_dpe(db, extract, log=_quiet)
    dpe_imported = _dpe_aggregates(db)
    extract.unlink()  # the user tidies their downloads
    replay = db.parent / "imports" / "visites"
    (kept,) = _visible(replay)
    # planted after the last import: every writer removes it when it takes the lock
    stale = kept.with_name(kept.name + ".rejets.csv")
    stale.write_text("ligne;colonne;valeur;motif\n3;code_commune;99999;code commune inconnu\n", encoding="utf-8")
    builds = []
    # a real extract is kept: the builds generate no demonstration DPE extract
    for _ in range(2):
        lines = []
        build(db, RAW_DIR, "52", log=lines.append)
        builds.append(
            SimpleNamespace(
                lines=lines,
                stale_left=stale.exists(),
                replay_folder=[p.name for p in _visible(replay)],
                counts=_query(
                    db,
                    "select lignes_lues, lignes_chargees, lignes_rejetees from chargements where source = 'visites'",
                ),
                visites=_query(db, "select count(*), count(*) filter (where demonstration) from visites"),
                mobilite=_query(db, "select nom from services where couche = 'mobilite' order by nom"),
                dpe=_dpe_aggregates(db),
                dpe_kept=[p.read_bytes() for p in _visible(db.parent / "imports" / "dpe")],
            )
        )
    return SimpleNamespace(imported=imported, user_folder=folder, db=db, dpe_imported=dpe_imported, builds=builds)


@pytest.mark.build
def test_two_builds_after_an_import_with_a_rejected_row_both_succeed_with_the_same_counts(two_builds):
    assert (two_builds.imported.chargees, two_builds.imported.rejetees) == (400, 1)
    # the rejects beside the user's file, not in the replay folder
    assert two_builds.imported.rejets_path.parent == two_builds.user_folder
    first, second = two_builds.builds
    assert first.counts == second.counts == [(401, 400, 1)]
    assert [name.endswith(".rejets.csv") for name in second.replay_folder] == [False]


@pytest.mark.build
def test_a_rejects_file_left_in_the_replay_folder_by_an_older_build_is_never_replayed(two_builds):
    first = two_builds.builds[0]
    assert not first.stale_left
    assert any("fichier de rejets écrit par une ancienne construction supprimé" in line for line in first.lines)
    assert first.visites[0][0] - first.visites[0][1] == 400  # the visits of the kept file, no more


@pytest.mark.build
def test_a_rebuild_replays_the_imported_files_instead_of_the_demonstration(two_builds):
    assert two_builds.builds[0].visites == [(400, 0)]


@pytest.mark.build
def test_the_build_replays_the_kept_service_layers(two_builds):
    assert [nom for (nom,) in two_builds.builds[0].mobilite] == [
        "Garage solidaire de Rezé",
        "Plateforme mobilité Anjou",
        "Transport à la demande Mayenne",
    ]


@pytest.mark.build
def test_deleting_the_imported_dpe_file_leaves_the_kept_extract_and_the_rebuilds_intact(two_builds):
    for rebuilt in two_builds.builds:
        assert rebuilt.dpe_kept == [DPE_EXTRACT.read_bytes()]
        assert rebuilt.dpe == two_builds.dpe_imported
    # the rebuilds publish the kept real extract's hand-computed figures, never the demonstration
    _check_hand_example(two_builds.db)


def test_an_import_killed_while_keeping_its_copy_changes_nothing_and_the_next_import_keeps_it_whole(db, tmp_path):
    path = _four_hundred(tmp_path)
    before = _sha(db)
    folder = db.parent / "imports" / "visites"
    killed = etl_subprocess.run(
        ["import-visits", str(path), "--db", str(db)], etl_subprocess.die_after("etl.kept_files", "stage_copy")
    )
    assert killed.returncode == 9
    assert _sha(db) == before  # killed before the swap: the import did not happen
    assert _visible(folder) == [] and len(_hidden(folder)) == 1  # only a temporary, never replayed

    lines = []
    visits.import_visits(db, path, log=lines.append)
    assert any("copie partielle d'un import interrompu supprimée" in line for line in lines)
    assert _hidden(folder) == []
    (kept,) = _visible(folder)
    assert _sha(kept) == _sha(path)
    assert _query(db, "select count(*) from visites where not demonstration") == [(400,)]


class _Stop(Exception):
    """Stops a build once the step under test has run."""


def test_an_import_killed_between_the_swap_and_the_naming_of_its_copy_is_still_replayed_by_the_build(
    db, tmp_path, monkeypatch
):
    path = _four_hundred(tmp_path)
    folder = db.parent / "imports" / "visites"
    killed = etl_subprocess.run(
        ["import-visits", str(path), "--db", str(db)], etl_subprocess.die_before("etl.kept_files", "keep_after_swap")
    )
    assert killed.returncode == 9
    assert _query(db, "select count(*) from visites where not demonstration") == [(400,)]  # swapped in
    assert _visible(folder) == []

    # the build finishes the copy as soon as it holds the writer lock: stopped at its first step
    def first_step(*_args, **_kwargs):
        raise _Stop

    monkeypatch.setattr(geography, "load_geography", first_step)
    before = _sha(db)
    lines = []
    with pytest.raises(_Stop):
        build(db, RAW_DIR, "52", log=lines.append)
    assert _sha(db) == before
    assert any("fichier conservé achevé" in line for line in lines)
    (kept,) = _visible(folder)
    assert _sha(kept) == _sha(path) and _hidden(folder) == []
    # and its visits step replays that copy, whole, instead of the demonstration (on a scratch copy
    # of the database emptied of visits, as the build's own database before that step)
    scratch = Path(shutil.copyfile(db, tmp_path / "rejoue.duckdb"))
    with duckdb.connect(str(scratch)) as con:
        con.execute("delete from visites_droits; delete from visites")
        (report,) = visits.load_for_build(con, db, _quiet)
        assert (report.lues, report.chargees) == (400, 400)
        assert con.execute("select count(*), count(*) filter (where demonstration) from visites").fetchall() == [
            (400, 0)
        ]


def test_a_truncated_kept_file_stops_the_build_and_a_reimport_of_the_same_file_repairs_it(db, tmp_path):
    path = _four_hundred(tmp_path)
    visits.import_visits(db, path, log=_quiet)
    (kept,) = _visible(db.parent / "imports" / "visites")
    content = kept.read_bytes()
    kept.write_bytes(content[: len(content) * 15 // 100])  # what a crash mid-copy left under the kept name
    before = _sha(db)

    lines = []
    with pytest.raises(EtlError) as info:
        build(db, RAW_DIR, "52", log=lines.append)
    assert str(kept) in str(info.value) and "modifié depuis son import" in str(info.value)
    assert _sha(db) == before
    assert not any(line.startswith("Construction") for line in lines)  # stopped before its first step

    lines = []
    again = visits.import_visits(db, path, log=lines.append)
    assert (again.chargees, again.doublons) == (0, 400)
    assert kept.read_bytes() == content
    assert any("endommagé remplacé" in line for line in lines)


def test_a_visit_file_the_build_would_not_replay_is_refused_with_the_accepted_suffixes(db, tmp_path, capsys):
    path = tmp_path / "visites.txt"
    shutil.copy(VISITES / "valide_point_virgule.csv", path)
    before = _sha(db)
    assert main(["import-visits", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "visites.txt" in err and ".csv, .xlsx" in err
    assert _sha(db) == before and not (db.parent / "imports" / "visites").exists()


def test_import_dpe_deplacer_killed_midway_leaves_the_extract_in_place_and_unpublished(db, tmp_path):
    extract = Path(shutil.copy(FIXTURES / "dpe" / "dpe03existant_mini.csv", tmp_path / "dpe03existant_44.csv"))
    before = _sha(db)
    killed = etl_subprocess.run(
        ["import-dpe", str(extract), "--deplacer", "--db", str(db)],
        etl_subprocess.die_before("etl.dpe.importing", "publish"),  # after the keep step, before the swap
    )
    assert killed.returncode == 9
    assert extract.is_file()  # never hidden as imports/dpe/.<hex>_…
    assert _sha(db) == before
    assert kept_extracts(db) == []  # what the next build publishes: nothing of this run

    result = import_dpe(db, extract, deplacer=True, log=_quiet)
    assert not extract.exists() and _visible(db.parent / "imports" / "dpe") == [result.copie]
    assert _hidden(db.parent / "imports" / "dpe") == []


def test_import_dpe_killed_after_the_swap_keeps_its_extract_at_the_next_writer(db, tmp_path):
    extract = Path(shutil.copy(FIXTURES / "dpe" / "dpe03existant_mini.csv", tmp_path / "dpe03existant_44.csv"))
    killed = etl_subprocess.run(
        ["import-dpe", str(extract), "--db", str(db)],
        etl_subprocess.die_before("etl.kept_files", "keep_after_swap"),
    )
    assert killed.returncode == 9
    assert kept_extracts(db) == []
    lines = []
    with writer_lock(db, log=lines.append):
        ((kept, name),) = kept_extracts(db)
    assert name == "dpe03existant_44.csv" and _sha(kept) == _sha(extract)
    assert any("fichier conservé achevé" in line for line in lines)


def test_an_extract_hidden_by_an_older_deplacer_is_put_back_in_sight_with_a_french_line(db):
    folder = db.parent / "imports" / "dpe"
    folder.mkdir(parents=True)
    hidden = folder / ".1a2b3c4d_dpe03existant_44.csv"
    shutil.copy(FIXTURES / "dpe" / "dpe03existant_mini.csv", hidden)
    lines = []
    with writer_lock(db, log=lines.append):
        pass
    recovered = db.parent / "imports" / "recuperes" / "dpe03existant_44.csv"
    assert recovered.read_bytes() == (FIXTURES / "dpe" / "dpe03existant_mini.csv").read_bytes()
    assert not hidden.exists()
    assert any("remis en vue" in line and str(recovered) in line for line in lines)


def test_service_layers_are_kept_beside_the_database_given_on_the_command_line(db, tmp_path):
    path = Path(shutil.copy(FIXTURES / "services" / "services_valides.csv", tmp_path / "garages_essai.csv"))
    assert main(["import-services", str(path), "--db", str(db), "--couche", "garages_essai"]) == 0
    (kept,) = _visible(db.parent / "imports" / "services" / "garages_essai")
    assert kept_files.original_name(kept) == "garages_essai.csv" and _sha(kept) == _sha(path)
    project = Path(services_import.__file__).parents[1] / "data" / "imports" / "services" / "garages_essai"
    assert not project.exists()  # a trial import never reaches the project's database


def test_a_damaged_kept_service_layer_is_refused_at_replay(db, tmp_path):
    path = Path(shutil.copy(FIXTURES / "services" / "services_valides.csv", tmp_path / "garages.csv"))
    services_import.import_services(path, db, "garages", log=_quiet)
    folder = db.parent / "imports" / "services"
    (kept,) = _visible(folder / "garages")
    kept.write_bytes(kept.read_bytes()[:40])
    with duckdb.connect(str(db)) as con, pytest.raises(EtlError, match="modifié depuis son import"):
        services_import.load_imported_layers(con, folder)
