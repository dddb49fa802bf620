"""Share of households without a car (IRIS → commune) and the commune typologies."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from commun.config import ROOT
from etl import mobilite

FIXTURE = ROOT / "tests" / "fixtures" / "services" / "iris_sans_voiture.csv"


@pytest.fixture
def con(built_con):
    return built_con


def share(con, code):
    return con.execute(
        "select valeur from valeurs where indicateur = 'part_menages_sans_voiture' and niveau = 'commune' and code = ?",
        [code],
    ).fetchone()[0]


def test_a_non_irise_commune_takes_the_iris_value_times_100(con):
    assert share(con, "44001") == pytest.approx(0.04352941176470593 * 100, abs=1e-3)
    notes = con.execute(
        "select count(*) from qualite_valeurs where code = '44001' and indicateur = 'part_menages_sans_voiture'"
    ).fetchone()[0]
    assert notes == 0


def test_an_irisee_commune_is_flagged_as_an_unweighted_mean(con):
    lines = (ROOT / "data" / "raw" / mobilite.SANS_VOITURE).read_text(encoding="utf-8").splitlines()
    n_iris = sum(1 for line in lines if line.startswith("44109"))
    note = con.execute(
        "select note from qualite_valeurs where indicateur = 'part_menages_sans_voiture' and code = '44109'"
    ).fetchone()[0]
    assert note == f"moyenne non pondérée de {n_iris} IRIS"
    assert 0 < share(con, "44109") < 100


def test_negative_noise_is_clipped_to_zero_and_noted(built_db, tmp_path):
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, db)
    raw = tmp_path / "raw"
    (raw / mobilite.SANS_VOITURE).parent.mkdir(parents=True)
    shutil.copyfile(FIXTURE, raw / mobilite.SANS_VOITURE)
    with duckdb.connect(str(db)) as con:
        con.execute("delete from valeurs where indicateur = 'part_menages_sans_voiture'")
        con.execute("delete from qualite_valeurs")
        report = mobilite.load_sans_voiture(con, raw)
        assert (report.lues, report.chargees, report.rejetees) == (4, 4, 0)
        assert share(con, "44109") == pytest.approx((40 + 20 + 0) / 3)
        notes = {n for (n,) in con.execute("select note from qualite_valeurs where code = '44109'").fetchall()}
    assert "moyenne non pondérée de 3 IRIS" in notes
    assert any("ramené à 0" in n for n in notes)


def test_typologies_carry_the_official_density_labels(con):
    rows = dict(con.execute("select grille_densite, libelle_densite from typologies_communes").fetchall())
    assert rows[1] == "Grands centres urbains"
    assert rows[7] == "Rural à habitat très dispersé"
    nantes = con.execute(
        "select grille_densite, niveau_centralite, typologie_ruralite from typologies_communes where code_commune = '44109'"
    ).fetchone()
    assert nantes == (1, 1, "hors_champ")
    assert con.execute("select count(*) from typologies_communes").fetchone()[0] == 1228
