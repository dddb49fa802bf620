"""Data checks of an import: every check reading a table the import writes runs, the others are not rerun."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import checks, visits
from etl.errors import EtlError


def _checks(tmp_path: Path, monkeypatch, files: dict[str, str]) -> None:
    folder = tmp_path / "sql" / "checks"
    folder.mkdir(parents=True)
    for name, sql in files.items():
        (folder / f"{name}.sql").write_text(sql, encoding="utf-8")
    monkeypatch.setattr(checks, "SQL_DIR", tmp_path / "sql")


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create table visites (id_visite varchar)")
    con.execute("create table territoires (code varchar)")
    con.execute("create view visites_vue as select * from visites")
    con.execute("create view visites_vue_de_vue as select * from visites_vue")
    yield con
    con.close()


def test_an_import_reruns_the_checks_reading_its_tables_even_through_views(con, tmp_path, monkeypatch):
    _checks(
        tmp_path,
        monkeypatch,
        {
            "direct": "select 'visite fautive' from visites",
            "par_une_vue": "select 'visite fautive' from visites_vue_de_vue",
            "territoires_seuls": "select 'territoire fautif' from territoires",
        },
    )
    con.execute("insert into visites values ('v1')")
    con.execute("insert into territoires values ('t1')")
    with pytest.raises(EtlError) as err:
        checks.run_checks(con, ["visites"])
    assert "direct" in str(err.value) and "par_une_vue" in str(err.value)
    assert "territoires_seuls" not in str(err.value)


def test_the_build_runs_every_check(con, tmp_path, monkeypatch):
    _checks(tmp_path, monkeypatch, {"territoires_seuls": "select 'territoire fautif' from territoires"})
    con.execute("insert into territoires values ('t1')")
    with pytest.raises(EtlError, match="territoires_seuls"):
        checks.run_checks(con)


def _fingerprints(db: Path) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [t for (t,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {t: con.execute(f'select count(*), bit_xor(hash(t)) from "{t}" as t').fetchall()[0] for t in names}


def test_a_visit_import_changes_no_table_beyond_those_whose_checks_it_reruns(db_copy, tmp_path):
    # the checks left out by an import are only those of tables it cannot have changed
    before = _fingerprints(db_copy)
    source = tmp_path / "visites.csv"
    source.write_text(
        "date_contact;structure;code_commune;canal;bilan_realise;non_recours;id_contact\n"
        "2024-03-04;Asso;49007;porte_a_porte;oui;RSA;A1\n"
        "2024-03-05;Asso;49007;permanence;non;;A2\n"
        "2024-03-05;Asso;99999;permanence;non;;A3\n",
        encoding="utf-8",
    )
    visits.import_visits(db_copy, source, log=lambda _line: None)
    after = _fingerprints(db_copy)
    changed = {t for t in before if before[t] != after.get(t)}
    assert {"visites", "chargements", "rejets"} <= changed
    assert changed <= set(visits.WRITES)
