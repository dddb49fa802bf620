"""Filosofi on the real bundled files (session database) and on the official Pauvres EPCI layout."""

from __future__ import annotations

import shutil

import pytest

from etl.build import connect_for_build, sql_file
from etl.filosofi import load_filosofi
from tests.conftest import FIXTURES


@pytest.fixture
def db(built_con):
    return built_con


def value(con, indicator, niveau, code, millesime):
    return con.execute(
        "select valeur, statut from valeurs where indicateur = ? and niveau = ? and code = ? and millesime = ?",
        [indicator, niveau, code, millesime],
    ).fetchone()


def test_angers_poverty_rate_and_median_2021(db):
    assert value(db, "taux_pauvrete", "commune", "49007", "2021") == (21.0, "ok")
    assert value(db, "mediane_niveau_vie", "commune", "49007", "2021") == (21450.0, "ok")


def test_secret_poverty_rate_in_real_file_is_null_with_statut_secret(db):
    # 44002 Aigrefeuille-sur-Maine: TP60AGE121 = "s" in cc_filosofi_2021_COM.csv
    assert value(db, "taux_pauvrete_moins_30_ans", "commune", "44002", "2021") == (None, "secret")


def test_a_secret_overall_rate_is_the_atlas_estimate_never_an_insee_figure(db):
    # 44002: TP6021 = "s"; the atlas's estimate (etl/estimation.py) is stored as 'estime'
    valeur, statut = value(db, "taux_pauvrete", "commune", "44002", "2021")
    assert statut == "estime" and valeur is not None


def test_secret_cells_are_never_zero_anywhere(db):
    bad = db.execute(
        "select count(*) from valeurs where statut in ('secret', 'absent') and valeur is not null"
    ).fetchone()[0]
    assert bad == 0
    assert db.execute("select count(*) from valeurs where statut = 'secret'").fetchone()[0] > 1000


def test_2019_and_2021_files_are_read_by_the_same_code(db):
    years = db.execute(
        "select list(distinct millesime order by millesime) from valeurs where indicateur = 'mediane_niveau_vie' and niveau = 'commune'"
    ).fetchone()[0]
    assert years == ["2019", "2021"]
    assert value(db, "mediane_niveau_vie", "epci", "244900015", "2019")[1] == "ok"


def test_communes_outside_the_region_are_out_of_scope(db):
    lues, chargees, hors_champ = db.execute(
        "select lignes_lues, lignes_chargees, lignes_hors_champ from chargements where source = 'insee_filosofi_2021_communes'"
    ).fetchone()
    assert lues > 34000 and hors_champ > 33000 and 1200 < chargees < 1232


def test_fused_commune_rate_is_absent_and_not_invented(db):
    # 85021 La Bernardière and 85076 merged into the current 85076 after 2021: both rows are
    # placed (their counts are summed, see test_communes_nouvelles.py), the rate is not invented.
    assert value(db, "taux_pauvrete", "commune", "85076", "2021") == (None, "absent")
    assert value(db, "nb_menages_fiscaux", "commune", "85076", "2021")[1] == "ok"


def test_code_unknown_to_the_passage_table_is_rejected(tmp_path):
    raw = tmp_path / "raw"
    (raw / "insee_filosofi").mkdir(parents=True)
    (raw / "insee_filosofi" / "FILO2019_DISP_COM_PDL.csv").write_text(
        "CODGEO;NBMEN19;Q219\n49007;100;20000\n49999;50;19000\n", encoding="utf-8"
    )
    con = connect_for_build(tmp_path / "t.duckdb")
    con.execute(sql_file("schema.sql"))
    con.execute("insert into passage_communes values ('49007', '49007', 'Angers', 'COM')")
    con.execute(
        "insert into territoires values ('commune', '49007', 'Angers', null, '49', '52', 1, 1, 0, 47, ''::blob, ''::blob)"
    )
    con.execute(
        "insert into territoires values ('departement', '49', 'Maine-et-Loire', null, '49', '52', 1, 1, 0, 47, ''::blob, ''::blob)"
    )
    (report,) = load_filosofi(con, raw)
    assert [(r.valeur, r.motif) for r in report.rejets] == [("49999", "code commune inconnu de la table de passage")]


def test_sole_renumbered_commune_keeps_its_value(db):
    # Orée d'Anjou is 49069 in the files and 49126 today, with no other fragment.
    assert value(db, "mediane_niveau_vie", "commune", "49126", "2021")[1] == "ok"


def test_iris_declared_income_codes_are_nine_character_text(db):
    codes = db.execute(
        "select distinct code from valeurs where niveau = 'iris' and indicateur = 'mediane_revenu_declare'"
    ).fetchall()
    assert len(codes) > 700 and all(len(c) == 9 for (c,) in codes)


def test_official_pauvres_epci_layout_is_loaded(tmp_path):
    raw = tmp_path / "raw"
    (raw / "insee_filosofi").mkdir(parents=True)
    shutil.copy(FIXTURES / "insee" / "FILO2020_DISP_Pauvres_EPCI.csv", raw / "insee_filosofi")
    con = connect_for_build(tmp_path / "t.duckdb")
    con.execute(sql_file("schema.sql"))
    for code in ("244900015", "244400404", "200071876"):
        con.execute(
            "insert into territoires values ('epci', ?, ?, null, '49', '52', 1, 1, 0, 47, ''::blob, ''::blob)",
            [code, f"EPCI {code}"],
        )
    (report,) = load_filosofi(con, raw)
    assert (report.source, report.lues, report.chargees, report.hors_champ) == (
        "insee_filosofi_2020_epci_pauvrete",
        4,
        3,
        1,
    )
    assert value(con, "taux_pauvrete", "epci", "244900015", "2020") == (14.9, "ok")
    assert value(con, "nb_menages_fiscaux", "epci", "244900015", "2020") == (137412.0, "ok")
    assert value(con, "taux_pauvrete_moins_30_ans", "epci", "200071876", "2020") == (None, "secret")
    assert value(con, "taux_pauvrete_locataires", "epci", "244400404", "2020") == (24.3, "ok")
    con.close()
