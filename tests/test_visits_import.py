"""Import of visit outcomes (issue 4): formats, row validation, privacy guard, idempotence, atomicity."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from etl import visits, visits_storage
from etl.__main__ import main
from etl.errors import EtlError
from tests.conftest import FIXTURES

VISITES = FIXTURES / "visites"
HEADER = "date_contact;structure;code_commune;canal;bilan_realise;non_recours;orientation;droits_ouverts;id_contact"


@pytest.fixture
def db(db_copy) -> Path:
    """A writable copy of the session database."""
    return db_copy


def _copy(name: str, tmp_path: Path) -> Path:
    # rejects are written beside the input: never beside the committed fixtures
    target = tmp_path / name
    shutil.copy(VISITES / name, target)
    return target


def _write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _query(db: Path, sql: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _real_visits(db: Path) -> int:
    return _query(db, "select count(*) from visites where not demonstration")[0][0]


def _quiet(_line: str) -> None:
    pass


def test_a_valid_semicolon_csv_with_bom_loads_every_row(db, tmp_path):
    result = visits.import_visits(db, _copy("valide_point_virgule.csv", tmp_path), log=_quiet)
    assert (result.lues, result.chargees, result.rejetees, result.doublons) == (5, 5, 0, 0)
    rows = _query(
        db,
        "select canal, bilan_realise, non_recours, orientation, code_commune, code_epci, code_departement "
        "from visites where not demonstration order by date_contact, bilan_realise desc",
    )
    assert rows[0] == ("porte_a_porte", True, "PA|RSA", "CAF", "49007", "244900015", "49")
    assert rows[1][:2] == ("porte_a_porte", False)  # "Porte-à-porte" / "Non" normalised
    # Champtoceaux (49069) is placed on Orée d'Anjou (49126) through the passage table
    assert ("espace_public", True, None, None, "49126") in [r[:5] for r in rows]
    assert ("telephone", True, "AL|CHEQUE_ENERGIE", "France Services|CAF") in [r[:4] for r in rows]


def test_the_long_table_holds_one_row_per_benefit_in_non_recours_or_opened(db, tmp_path):
    visits.import_visits(db, _copy("valide_point_virgule.csv", tmp_path), log=_quiet)
    rows = _query(
        db,
        "select d.droit, d.type, count(*) from visites_droits d join visites v using (id_visite) "
        "where not v.demonstration group by all order by 1, 2",
    )
    assert rows == [
        ("AL", "non_recours", 1),
        ("AL", "ouvert", 1),
        ("CHEQUE_ENERGIE", "non_recours", 1),
        ("CSS", "non_recours", 1),
        ("PA", "non_recours", 1),
        ("RSA", "non_recours", 1),
        ("RSA", "ouvert", 1),
    ]


def test_a_comma_separated_file_without_bom_with_loose_headers_loads(db, tmp_path):
    result = visits.import_visits(db, _copy("valide_virgule.csv", tmp_path), log=_quiet)
    assert (result.lues, result.chargees, result.rejetees) == (3, 3, 0)
    assert _query(
        db,
        "select orientation, droits_ouverts from visites where id_contact_hash is not null and canal = ?",
        ["orientation_partenaire"],
    ) == [("MSA", "PA")]


def test_a_cp1252_file_keeps_its_accents(db, tmp_path):
    result = visits.import_visits(db, _copy("valide_cp1252.csv", tmp_path), log=_quiet)
    assert result.chargees == 2
    rows = _query(
        db,
        "select distinct structure, canal from visites where not demonstration and bilan_realise and non_recours is not null",
    )
    assert rows == [("Équipe QPV Angers été", "evenement")]
    assert _query(db, "select orientation from visites where not demonstration and orientation is not null") == [
        ("Département",)
    ]


def test_an_xlsx_file_with_date_and_number_cells_loads(db, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([datetime(2025, 4, 1), "Redon 44", 44185, "permanence", "Oui", "RSA|PA", "CAF", "RSA", "R-1"])
    sheet.append(["02/04/2025", "Redon 44", "44128", "Porte à porte", "non", None, None, None, "R-2"])
    path = tmp_path / "visites.xlsx"
    book.save(path)
    result = visits.import_visits(db, path, log=_quiet)
    assert (result.lues, result.chargees, result.rejetees) == (2, 2, 0)
    assert _query(db, "select date_contact::varchar, code_commune from visites where not demonstration order by 1") == [
        ("2025-04-01", "44185"),
        ("2025-04-02", "44128"),
    ]


MALFORMED = [
    (3, "code_commune", "99999", "code commune inconnu"),
    (4, "date_contact", "2099-01-01", "date dans le futur"),
    (5, "date_contact", "31/02/2025", "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"),
    (6, "canal", "bouche_a_oreille", "canal inconnu"),
    (7, "non_recours", "RSA|APA", "code de droit inconnu « APA »"),
    (8, "droits_ouverts", "RSA", "droits ouverts renseignés sans bilan de droits réalisé"),
    (9, "non_recours", "RSA", "non-recours renseigné sans bilan de droits réalisé"),
    (10, "structure", None, "structure vide"),
    (11, "orientation", "Mairie", "orientation inconnue « Mairie »"),
    (12, "date_suivi", "2025-01-15", "date de suivi antérieure à la date de contact"),
    (13, "code_commune", "75056", "commune hors de la région construite (52 Pays de la Loire)"),
    (14, "bilan_realise", "peut-être", "valeur attendue : oui ou non"),
]


@pytest.fixture
def malformed_import(db, tmp_path):
    path = _copy("malformees.csv", tmp_path)
    return db, path, visits.import_visits(db, path, log=_quiet)


@pytest.mark.parametrize(("ligne", "colonne", "valeur", "motif"), MALFORMED, ids=[m[3][:30] for m in MALFORMED])
def test_each_malformed_row_is_rejected_with_its_line_column_value_and_reason(
    malformed_import, ligne, colonne, valeur, motif
):
    db, _path, _result = malformed_import
    rows = _query(db, "select colonne, valeur, motif from rejets where source = 'visites' and ligne = ?", [ligne])
    assert len(rows) == 1
    assert rows[0][0] == colonne
    assert rows[0][1] == valeur
    assert motif in rows[0][2]


def test_only_the_valid_row_of_the_malformed_file_is_loaded(malformed_import):
    db, _path, result = malformed_import
    assert (result.lues, result.chargees, result.rejetees, result.doublons) == (13, 1, 12, 0)
    assert _real_visits(db) == 1


def test_rejected_rows_are_written_beside_the_input_as_a_french_csv(malformed_import):
    _db, path, result = malformed_import
    assert result.rejets_path == path.with_name("malformees.csv.rejets.csv")
    raw = result.rejets_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 12
    assert rows[0]["ligne"] == "3"
    assert rows[0]["colonne"] == "code_commune"
    assert rows[0]["id_contact"] == "M-02"  # the original row follows, to fix and re-import


def test_rows_read_equal_loaded_plus_rejected_plus_duplicates_in_chargements(malformed_import):
    db, path, _result = malformed_import
    visits.import_visits(db, path, log=_quiet)  # second time: the valid row is a duplicate
    rows = _query(
        db,
        "select lignes_lues, lignes_chargees, lignes_rejetees, lignes_doublons from chargements "
        "where source = 'visites' order by debut",
    )
    assert rows == [(13, 1, 12, 0), (13, 0, 12, 1)]
    for lues, chargees, rejetees, doublons in rows:
        assert lues == chargees + rejetees + doublons


@pytest.mark.parametrize(
    "colonne", ["Nom", "Prénom", "telephone", "E-mail", "Date de naissance", "NIR", "num_secu", "adresse_postale"]
)
def test_a_column_identifying_a_person_refuses_the_whole_file_and_stores_nothing(db, tmp_path, colonne):
    path = _write(
        tmp_path,
        "personnel.csv",
        [f"{HEADER};{colonne}", "2025-02-03;Association;49007;permanence;oui;RSA;CAF;;P-1;valeur"],
    )
    before = db.read_bytes()
    with pytest.raises(EtlError) as error:
        visits.import_visits(db, path, log=_quiet)
    assert "données personnelles interdites" in str(error.value)
    assert f"colonne « {colonne} »" in str(error.value)
    assert db.read_bytes() == before
    assert not visits.rejects_path(path).exists()
    assert not (db.parent / visits.IMPORTS_SUBDIR).exists()


def test_an_unknown_column_refuses_the_whole_file(db, tmp_path):
    path = _write(
        tmp_path, "libre.csv", [f"{HEADER};commentaire", "2025-02-03;Association;49007;permanence;oui;RSA;CAF;;P-1;ok"]
    )
    before = db.read_bytes()
    with pytest.raises(EtlError, match="colonne inconnue"):
        visits.import_visits(db, path, log=_quiet)
    assert db.read_bytes() == before


def test_importing_the_same_file_twice_counts_every_row_as_a_duplicate(db, tmp_path):
    path = _copy("valide_point_virgule.csv", tmp_path)
    visits.import_visits(db, path, log=_quiet)
    snapshot = _query(db, "select * from visites order by id_visite")
    again = visits.import_visits(db, path, log=_quiet)
    assert (again.lues, again.chargees, again.doublons) == (5, 0, 5)
    assert _query(db, "select * from visites order by id_visite") == snapshot
    # the replay folder keeps one copy per distinct content
    assert len(list((db.parent / visits.IMPORTS_SUBDIR).iterdir())) == 1


def test_overlapping_files_never_count_a_household_twice(db, tmp_path):
    base = "2025-02-03;Association;49007;permanence;oui;RSA;CAF;;"
    first = _write(tmp_path, "janvier.csv", [HEADER, base + "X-1", base + "X-2", base + "X-2"])
    second = _write(tmp_path, "fevrier.csv", [HEADER, base + "X-2", base + "X-3"])
    one = visits.import_visits(db, first, log=_quiet)
    two = visits.import_visits(db, second, log=_quiet)
    assert (one.chargees, one.doublons) == (2, 1)  # X-2 twice in the same file
    assert (two.chargees, two.doublons) == (1, 1)
    assert _real_visits(db) == 3


def test_without_id_contact_identical_rows_of_one_file_are_kept_but_never_reloaded(db, tmp_path):
    header = HEADER.removesuffix(";id_contact")
    row = "2025-02-03;Association;49007;porte_a_porte;non;;;"
    first = _write(tmp_path, "a.csv", [header, row, row, "2025-02-04;Association;49007;porte_a_porte;non;;;"])
    overlap = _write(tmp_path, "b.csv", [header, row, row, row])
    assert visits.import_visits(db, first, log=_quiet).chargees == 3
    second = visits.import_visits(db, overlap, log=_quiet)
    assert (second.chargees, second.doublons) == (1, 2)  # the third identical household is new
    assert _query(db, "select count(*) from visites where id_contact_hash is null and not demonstration") == [(4,)]


def test_a_failure_in_the_middle_of_the_inserts_leaves_the_database_byte_identical(db, tmp_path, monkeypatch):
    def broken(_con, _records):
        raise RuntimeError("panne simulée pendant l'insertion")

    monkeypatch.setattr(visits_storage, "insert_droits", broken)
    before = db.read_bytes()
    with pytest.raises(RuntimeError, match="panne simulée"):
        visits.import_visits(db, _copy("valide_point_virgule.csv", tmp_path), log=_quiet)
    assert db.read_bytes() == before
    # no temp file, no kept copy (the installation's pseudonym key may have been created)
    # (the writer lock file stays: deleting a flock file would let two writers lock two files)
    assert {p.name for p in db.parent.iterdir()} - {".sel_pseudonymes", "atlas.duckdb.lock"} == {"atlas.duckdb"}


def test_a_real_import_replaces_the_demonstration_visits_and_says_so(db, tmp_path):
    assert _query(db, "select count(*) > 0 from visites where demonstration") == [(True,)]
    lines = []
    result = visits.import_visits(db, _copy("valide_virgule.csv", tmp_path), log=lines.append)
    assert result.demonstration_supprimees > 0
    assert any("visites de démonstration supprimées" in line for line in lines)
    assert _query(db, "select count(*) from visites where demonstration") == [(0,)]
    assert _query(db, "select count(*) from visites_droits where id_visite not in (select id_visite from visites)") == [
        (0,)
    ]


def test_four_hundred_contacts_give_90_bilans_and_79_households_in_non_recours(db, tmp_path):
    result = visits.import_visits(db, _copy("quatre_cents_contacts.csv", tmp_path), log=_quiet)
    assert (result.lues, result.chargees, result.rejetees, result.doublons) == (400, 400, 0, 0)
    contacts, bilans, non_recours = _query(
        db,
        "select count(*), count(*) filter (where bilan_realise), count(*) filter (where nb_droits_non_recours > 0) "
        "from visites where not demonstration",
    )[0]
    assert (contacts, bilans, non_recours) == (400, 90, 79)
    assert round(100 * non_recours / bilans, 1) == 87.8


def test_the_cli_prints_the_balance_and_where_the_rejects_are(db, tmp_path, capsys):
    path = _copy("malformees.csv", tmp_path)
    assert main(["import-visits", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "13 lignes lues = 1 chargées + 12 rejetées + 0 doublons" in out
    assert "malformees.csv.rejets.csv" in out


def test_the_cli_refuses_a_personal_data_file_with_an_error_and_exit_1(db, tmp_path, capsys):
    path = _write(tmp_path, "noms.csv", [f"{HEADER};Prénom", "2025-02-03;A;49007;permanence;oui;RSA;CAF;;P-1;Jean"])
    assert main(["import-visits", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERREUR : ")
    assert "données personnelles interdites" in err
