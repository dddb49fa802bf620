"""``python -m etl import-services``: user service layers, rejects, idempotence, atomicity."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from commun.config import ROOT
from etl.__main__ import main
from etl.errors import EtlError
from etl.services_import import import_services

FIXTURES = ROOT / "tests" / "fixtures" / "services"


@pytest.fixture
def workspace(built_db, tmp_path):
    """A writable copy of the session database, and an empty imports folder."""
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, db)
    for name in ("services_valides.csv", "services_malformes.csv"):
        shutil.copyfile(FIXTURES / name, tmp_path / name)
    return tmp_path


def layer(db, couche):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select nom, type, code_commune, longitude, latitude, placement from services where couche = ? order by nom",
            [couche],
        ).fetchall()


def test_a_valid_file_is_loaded_into_services_with_a_chargements_row(workspace):
    db = workspace / "atlas.duckdb"
    assert (
        main(["import-services", str(workspace / "services_valides.csv"), "--db", str(db), "--couche", "mobilite"]) == 0
    )
    rows = layer(db, "mobilite")
    assert [r[0] for r in rows] == [
        "Garage solidaire de Rezé",
        "Plateforme mobilité Anjou",
        "Transport à la demande Mayenne",
    ]
    assert rows[0][3:5] == pytest.approx((-1.55, 47.1833))
    with duckdb.connect(str(db), read_only=True) as con:
        loads = con.execute(
            "select lignes_lues, lignes_chargees from chargements where source = 'import_mobilite'"
        ).fetchall()
    assert loads == [(3, 3)]
    # kept beside the database, under a name carrying its SHA-256 (checked at every replay)
    assert [p.name[18:] for p in (workspace / "imports" / "services" / "mobilite").iterdir()] == [
        "services_valides.csv"
    ]


def test_a_row_with_only_a_commune_code_is_placed_at_the_town_hall_reference_point(workspace):
    db = workspace / "atlas.duckdb"
    import_services(workspace / "services_valides.csv", db, "mobilite")
    angers = next(r for r in layer(db, "mobilite") if r[0] == "Plateforme mobilité Anjou")
    with duckdb.connect(str(db), read_only=True) as con:
        town_hall = con.execute(
            "select longitude, latitude from territoires where niveau = 'commune' and code = '49007'"
        ).fetchone()
    assert angers[2] == "49007"
    assert angers[3:5] == town_hall
    assert angers[5] == "point_reference_commune"


def test_malformed_rows_are_rejected_with_line_column_value_and_reason(workspace):
    source = workspace / "services_malformes.csv"
    report = import_services(source, workspace / "atlas.duckdb", "aide")
    assert (report.lues, report.chargees, report.rejetees) == (7, 1, 6)
    with open(workspace / "services_malformes.csv.rejets.csv", encoding="utf-8-sig", newline="") as handle:
        rejects = list(csv.DictReader(handle, delimiter=";"))
    by_line = {int(r["ligne"]): r for r in rejects}
    assert by_line[3]["motif"] == "nom du service absent"
    assert (by_line[4]["colonne"], by_line[4]["valeur"], by_line[4]["motif"]) == (
        "latitude",
        "quarante-sept",
        "coordonnée non numérique",
    )
    assert "hors de la France métropolitaine" in by_line[5]["motif"]
    assert by_line[6]["motif"] == "code commune inconnu du Code officiel géographique"
    assert "ni coordonnées ni code commune" in by_line[7]["motif"]
    assert "hors de la région construite" in by_line[8]["motif"]


def test_re_importing_the_same_file_changes_nothing(workspace):
    db = workspace / "atlas.duckdb"
    import_services(workspace / "services_valides.csv", db, "mobilite")
    again = import_services(workspace / "services_valides.csv", db, "mobilite")
    assert (again.chargees, again.doublons) == (0, 3)
    assert len(layer(db, "mobilite")) == 3


def test_a_failed_import_leaves_the_database_byte_identical(workspace):
    db = workspace / "atlas.duckdb"
    before = db.read_bytes()
    bad = workspace / "sans_colonnes.csv"
    bad.write_text("libelle_inconnu;x\nA;1\n", encoding="utf-8")
    with pytest.raises(EtlError, match="colonne obligatoire absente"):
        import_services(bad, db, "mobilite")
    assert db.read_bytes() == before
    assert not list(workspace.glob(".atlas.duckdb.*.tmp"))
