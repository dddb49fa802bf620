"""``python -m etl import-experimentations``: declarations, French rejects, idempotence, demonstration, replay."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import duckdb
import pytest

from commun.config import ROOT
from etl.__main__ import main
from etl.errors import EtlError
from etl.experimentations import import_experimentations, load_for_build
from etl.experimentations_demo import DEMO_EXPERIMENTATIONS

FIXTURES = ROOT / "tests" / "fixtures" / "experimentations"


@pytest.fixture
def workspace(built_db, tmp_path):
    """A writable copy of the session database and copies of the fixture files."""
    shutil.copyfile(built_db, tmp_path / "atlas.duckdb")
    for path in FIXTURES.glob("*.csv"):
        shutil.copyfile(path, tmp_path / path.name)
    return tmp_path


def rows(db, sql, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_the_build_declares_the_three_demonstration_experiments_on_the_territories_of_the_pacte(built_db):
    declared = rows(
        built_db, "select code, niveau, code_territoire, demonstration from experimentations order by code_territoire"
    )
    assert declared == [
        ("tznr_redon_agglomeration", "epci", "243500741", True),
        ("tznr_pays_de_la_chataigneraie", "epci", "248500415", True),
        ("tznr_chemille_en_anjou", "commune", "49092", True),
    ]
    # each follows structures that the demonstration visits use, on its territory
    for code, *_ in declared:
        visits = rows(
            built_db,
            """
            select count(*) from visites as v, experimentations as e
            where e.code = ? and list_contains(e.structures, v.structure)
              and e.code_territoire in (v.code_commune, v.code_epci)
            """,
            [code],
        )[0][0]
        assert visits > 100, code
    assert rows(built_db, "select count(distinct code_experimentation) from objectifs_experimentations") == [(3,)]
    assert len(DEMO_EXPERIMENTATIONS) == 3


def test_a_valid_file_declares_experiments_and_their_monthly_objectives(workspace):
    db = workspace / "atlas.duckdb"
    assert main(["import-experimentations", str(workspace / "experimentations_valides.csv"), "--db", str(db)]) == 0
    assert rows(
        db,
        "select code, nom, structures, niveau, code_territoire, date_debut, date_fin, demonstration "
        "from experimentations order by code",
    ) == [  # fmt: skip
        (
            "essai_chemille",
            "Essai Chemillé-en-Anjou",
            ["Territoire zéro non-recours Chemillé-en-Anjou"],
            "commune",
            "49092",
            dt.date(2024, 3, 1),
            None,
            False,
        ),
        (
            "essai_redon",
            "Essai Redon",
            ["Équipe A", "Équipe B"],
            "epci",
            "243500741",
            dt.date(2024, 6, 1),
            dt.date(2026, 12, 31),
            False,
        ),  # fmt: skip
    ]
    assert rows(db, "select * from objectifs_experimentations order by all") == [
        ("essai_chemille", dt.date(2024, 3, 1), "bilans", 8.0),
        ("essai_chemille", dt.date(2024, 3, 1), "contacts", 20.0),
        ("essai_chemille", dt.date(2024, 3, 1), "droits_ouverts", 3.0),
        ("essai_chemille", dt.date(2024, 3, 1), "taux_non_recours", 80.0),
        ("essai_chemille", dt.date(2024, 4, 1), "bilans", 9.0),
        ("essai_chemille", dt.date(2024, 4, 1), "contacts", 22.0),
        ("essai_redon", dt.date(2024, 6, 1), "contacts", 10.0),
        ("essai_redon", dt.date(2024, 6, 1), "taux_non_recours", 75.5),
    ]
    # a real declaration replaces the demonstration experiments
    assert rows(db, "select count(*) from experimentations where demonstration") == [(0,)]
    assert rows(
        db, "select lignes_lues, lignes_chargees, lignes_rejetees, lignes_doublons from chargements "
        "where source = 'experimentations'"
    ) == [(3, 3, 0, 0)]  # fmt: skip
    kept = list((workspace / "imports" / "experimentations").iterdir())
    assert [p.name[18:] for p in kept] == ["experimentations_valides.csv"]


def test_bad_rows_are_rejected_with_line_column_value_and_a_french_reason(workspace):
    db = workspace / "atlas.duckdb"
    fichier = workspace / "experimentations_malformees.csv"
    result = import_experimentations(db, fichier, log=lambda _l: None)
    assert (result.lues, result.chargees, result.rejetees, result.doublons) == (11, 1, 9, 1)
    assert result.lues == result.chargees + result.rejetees + result.doublons
    stored = rows(db, "select ligne, colonne, valeur, motif from rejets where source = 'experimentations' order by 1")
    assert stored == [
        (
            3,
            "territoire",
            "99999",
            "territoire inconnu dans la région construite (code commune INSEE, SIREN d'EPCI ou code de département)",
        ),  # fmt: skip
        (4, "mois", "2023-12", "mois en dehors de la période de l'expérimentation"),
        (5, "contacts", "-4", "nombre de ménages attendu (entier positif ou nul)"),
        (6, "taux_non_recours", "120", "taux attendu entre 0 et 100 (en %)"),
        (7, "nom", "Autre nom", "diffère de la ligne 2 (« Essai ») pour la même expérimentation"),
        (9, "mois", "2024-01", "objectifs de ce mois déjà donnés ligne 2, autrement"),
        (10, "date_fin", "01/01/2024", "date de fin antérieure à la date de début"),
        (11, "structures", None, "aucune structure (noms séparés par « | », comme dans les visites)"),
        (12, "date_debut", "2024-13-45", "date illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"),
    ]
    # the same rejects beside the input, with the row to correct
    with open(result.rejets_path, encoding="utf-8-sig", newline="") as handle:
        written = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["ligne"], r["colonne"], r["motif"][:20]) for r in written][:2] == [
        ("3", "territoire", "territoire inconnu d"),
        ("4", "mois", "mois en dehors de la"),
    ]
    assert written[0]["nom"] == "Essai"
    assert rows(db, "select code_experimentation, count(*) from objectifs_experimentations group by 1") == [
        ("essai", 4)
    ]


def test_re_importing_the_same_file_changes_nothing(workspace):
    db = workspace / "atlas.duckdb"
    fichier = workspace / "experimentations_valides.csv"
    import_experimentations(db, fichier, log=lambda _l: None)
    before = rows(db, "select * from objectifs_experimentations order by all")
    again = import_experimentations(db, fichier, log=lambda _l: None)
    assert (again.lues, again.chargees, again.rejetees, again.doublons) == (3, 0, 0, 3)
    assert rows(db, "select * from objectifs_experimentations order by all") == before
    assert len(list((workspace / "imports" / "experimentations").iterdir())) == 1


def test_a_corrected_declaration_replaces_the_experiment_and_all_its_objectives(workspace):
    db = workspace / "atlas.duckdb"
    import_experimentations(db, workspace / "experimentations_valides.csv", log=lambda _l: None)
    corrige = workspace / "corrige.csv"
    corrige.write_text(
        "code;nom;structures;territoire;date_debut;mois;contacts\n"
        "essai_chemille;Essai Chemillé-en-Anjou;Équipe C;49092;2024-03-01;2024-05;30\n",
        encoding="utf-8",
    )
    import_experimentations(db, corrige, log=lambda _l: None)
    assert rows(db, "select structures from experimentations where code = 'essai_chemille'") == [(["Équipe C"],)]
    assert rows(db, "select mois, indicateur, valeur from objectifs_experimentations "
                "where code_experimentation = 'essai_chemille'") == [(dt.date(2024, 5, 1), "contacts", 30.0)]  # fmt: skip
    # the other experiment of the first file is untouched
    assert rows(db, "select count(*) from experimentations where code = 'essai_redon'") == [(1,)]


def test_a_file_with_an_unknown_column_is_refused_whole_and_the_base_is_unchanged(workspace):
    db = workspace / "atlas.duckdb"
    fichier = workspace / "inconnue.csv"
    fichier.write_text("nom;structures;territoire;date_debut;telephone\nA;B;49092;2024-01-01;0601020304\n", "utf-8")
    before = db.read_bytes()
    with pytest.raises(EtlError, match="colonne inconnue") as error:
        import_experimentations(db, fichier, log=lambda _l: None)
    assert "telephone" in str(error.value) and "ligne 1" in str(error.value)
    assert db.read_bytes() == before


def test_the_build_replays_the_kept_declarations_instead_of_the_demonstration(workspace):
    db = workspace / "atlas.duckdb"
    import_experimentations(db, workspace / "experimentations_valides.csv", log=lambda _l: None)
    from etl.checks import connect_for_build

    scratch = workspace / "rejoue.duckdb"
    shutil.copyfile(db, scratch)
    con = connect_for_build(scratch)
    try:
        con.execute("delete from objectifs_experimentations; delete from experimentations")
        reports = load_for_build(con, db, log=lambda _l: None)
        assert [r.chargees for r in reports] == [3]
        assert con.execute("select code, demonstration from experimentations order by 1").fetchall() == [
            ("essai_chemille", False),
            ("essai_redon", False),
        ]
    finally:
        con.close()


def test_an_import_while_another_writer_works_stops_with_a_french_message(workspace, monkeypatch):
    import threading

    from etl.writer_lock import writer_lock

    db = workspace / "atlas.duckdb"
    before = db.read_bytes()
    monkeypatch.setenv("ATLAS_ATTENTE_VERROU", "0.2")
    taken, release = threading.Event(), threading.Event()

    def other_writer():
        with writer_lock(db, log=lambda _l: None):
            taken.set()
            release.wait(10)

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        taken.wait(10)
        with pytest.raises(EtlError, match="import en cours, réessayez"):
            import_experimentations(db, workspace / "experimentations_valides.csv", log=lambda _l: None)
    finally:
        release.set()
        thread.join()
    assert db.read_bytes() == before


def test_a_build_of_another_region_declares_no_demonstration_experiment_elsewhere():
    from etl.experimentations_demo import demo_rows

    assert demo_rows(set()) == []
    assert {r[0] for r in demo_rows({"49092"})} == {"tznr_chemille_en_anjou"}
