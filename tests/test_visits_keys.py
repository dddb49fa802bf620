"""Visit keys without a primary-key index: a visit stored twice, or rights without their visit, fail the data checks."""

from __future__ import annotations

import duckdb
import pytest

from etl.checks import SQL_DIR


def _check(con, name: str) -> list[tuple]:
    return con.execute((SQL_DIR / "checks" / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    # only what the checks read of the territories (no geometry, population or area)
    con.execute("drop view if exists visites_par_commune")
    con.execute("drop table territoires")
    con.execute("create table territoires (niveau varchar, code varchar)")
    con.execute("insert into territoires values ('commune', '49007')")
    yield con
    con.close()


def _visit(con, id_visite: str) -> None:
    con.execute(
        """
        insert into visites (id_visite, date_contact, structure, code_commune, code_departement, canal,
                             bilan_realise, non_recours, nb_droits_non_recours, fichier, demonstration)
        values (?, date '2024-03-04', 'Asso', '49007', '49', 'permanence', true, 'RSA', 1, 'f.csv', false)
        """,
        [id_visite],
    )
    con.execute("insert into visites_droits values (?, 'RSA', 'non_recours')", [id_visite])


def test_a_visit_stored_twice_fails_the_data_checks(con):
    _visit(con, "v1")
    assert _check(con, "visites_cles_uniques") == []
    _visit(con, "v1")
    assert {row[0] for row in _check(con, "visites_cles_uniques")} == {"visites", "visites_droits"}


def test_rights_left_without_their_visit_fail_the_data_checks(con):
    _visit(con, "v1")
    assert _check(con, "visites_coherentes") == []
    con.execute("delete from visites")
    assert [row[0] for row in _check(con, "visites_coherentes")] == ["v1"]
