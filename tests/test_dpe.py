"""ADEME DPE import: both official layouts, gzip and Parquet, accounting, latest DPE per dwelling.

The fixtures are hand-made extracts of 11 rows (same content in both layouts), checked by hand:

- 2244E0000001A and 2344E0000002A: one house (same BAN address), 2022 G then 2023 D: only D counts;
- 2244E0000003A and 2244E0000004A: two flats at one address (different ``complement``): both count;
- 2249E0000005A: old commune code 49069 placed on Orée d'Anjou (49126);
- empty label, unknown commune 44999, invalid label X: 3 rejects; Rennes (35238): out of scope;
- 2244E0000003A twice: the second is a duplicate; 2444E0000009A has no BAN address.

Nantes (44109) keeps D, F, C, E: 4 DPE, 1 passoire (25 %), 2 E/F/G (50 %).
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import dpe_demo
from etl.dpe import detect_schema, import_dpe
from etl.errors import EtlError

FIXTURES = Path(__file__).parent / "fixtures" / "dpe"
CURRENT = FIXTURES / "dpe03existant_mini.csv"
LEGACY = FIXTURES / "dpe-v2-logements-existants_mini.csv"


@pytest.fixture
def db(built_db, tmp_path) -> Path:
    path = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, path)
    return path


def _quiet(_line: str) -> None:
    pass


def _value(db: Path, indicateur: str, niveau: str, code: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select valeur, statut from valeurs where indicateur = ? and niveau = ? and code = ?",
            [indicateur, niveau, code],
        ).fetchone()


def _check_hand_example(db: Path) -> None:
    assert _value(db, "dpe_nb", "commune", "44109") == (4.0, "ok")
    # shares on fewer than 20 DPE are not published (the counts behind them are kept)
    assert _value(db, "dpe_part_passoires", "commune", "44109") == (None, "absent")
    assert _value(db, "dpe_part_efg", "commune", "44109") == (None, "absent")
    assert _value(db, "dpe_part_passoires", "commune", "49126") == (None, "absent")
    assert _value(db, "dpe_part_passoires", "commune", "49007") == (None, "absent")
    assert _value(db, "dpe_nb", "region", "52") == (5.0, "ok")
    with duckdb.connect(str(db), read_only=True) as con:
        agregat = con.execute(
            "select nb_dpe, nb_fg, nb_efg from dpe_agregats where niveau = 'commune' and code = '44109' "
            "and type_batiment = 'ensemble' and periode = 'ensemble'"
        ).fetchone()
        assert agregat == (4, 1, 2)
        notes = con.execute(
            "select note from qualite_valeurs where indicateur = 'dpe_part_passoires' and code = '44109'"
        ).fetchall()
        assert notes == [("moins de 20 DPE (4) : part non publiée, trop peu fiable",)]
        assert con.execute("select count(*) from dpe_agregats where demonstration").fetchone()[0] == 0
        assert "démonstration" not in con.execute("select libelle from indicateurs where code = 'dpe_nb'").fetchone()[0]


@pytest.mark.parametrize("fixture", [CURRENT, LEGACY], ids=["dpe03existant", "dpe-v2"])
def test_both_layouts_give_the_hand_computed_result(db, fixture):
    result = import_dpe(db, fixture, log=_quiet)
    assert result.schema == ("dpe03existant" if fixture is CURRENT else "dpe-v2-logements-existants")
    assert (result.lues, result.chargees, result.rejetees, result.doublons, result.hors_champ) == (11, 5, 3, 2, 1)
    _check_hand_example(db)


def _cells(db: Path, code: str) -> dict[tuple[str, str], tuple[int, int, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select type_batiment, periode, nb_dpe, nb_fg, nb_efg from dpe_agregats where niveau = 'commune' and code = ?",
            [code],
        ).fetchall()
    return {(t, p): (n, fg, efg) for t, p, n, fg, efg in rows}


def test_latest_dpe_per_dwelling_is_kept(db):
    import_dpe(db, CURRENT, log=_quiet)
    cells = _cells(db, "44109")
    # the house diagnosed G in 2022 then D in 2023 counts once, as D; the DPE without address too
    assert cells[("maison", "ensemble")] == (2, 0, 1)
    assert cells[("appartement", "ensemble")] == (2, 1, 1)  # two flats at one address: both count
    assert cells[("ensemble", "avant 1948")] == (1, 0, 0)
    assert cells[("ensemble", "2006-2012")] == (1, 0, 1)


def test_only_aggregates_are_stored(db):
    import_dpe(db, CURRENT, log=_quiet)
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()}
    assert "dpe_agregats" in tables
    assert not {t for t in tables if t.startswith("dpe_")} - {"dpe_agregats"}  # no per-DPE table


def test_a_replaced_dpe_does_not_count(db, tmp_path):
    frame = pd.read_csv(CURRENT, dtype=str, keep_default_na=False)
    frame["numero_dpe_remplace"] = ""
    frame.loc[frame["numero_dpe"] == "2444E0000009A", "numero_dpe_remplace"] = "2244E0000004A"
    extract = tmp_path / "remplacement.csv"
    frame.to_csv(extract, index=False)
    result = import_dpe(db, extract, log=_quiet)
    assert (result.chargees, result.doublons) == (4, 3)
    assert _cells(db, "44109")[("appartement", "ensemble")] == (1, 1, 1)  # the C flat is replaced


def test_extracts_add_up_each_dpe_counted_once(db, tmp_path):
    """Two overlapping extracts: the second repeats DPE of the first and brings a newer DPE."""
    lines = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "premier.csv", tmp_path / "second.csv"
    # the first holds the 2022 G of the house; the second its 2023 D and the rest (overlapping)
    first.write_text("".join([lines[0], lines[1], *lines[3:6]]), encoding="utf-8")
    second.write_text("".join([lines[0], *lines[2:]]), encoding="utf-8")
    a = import_dpe(db, first, log=_quiet)
    assert (a.lues, a.chargees, a.doublons) == (4, 4, 0)
    b = import_dpe(db, second, log=_quiet)
    # new and current: 2344E0000002A (supersedes the G of the first extract) and 2444E0000009A;
    # 2244E0000003A (twice), 2244E0000004A and 2249E0000005A were counted with the first extract
    assert (b.lues, b.chargees, b.rejetees, b.doublons, b.hors_champ) == (10, 2, 3, 4, 1)
    _check_hand_example(db)
    assert len(list((db.parent / "imports" / "dpe").iterdir())) == 2


def test_rejects_are_counted_per_reason(db):
    import_dpe(db, CURRENT, log=_quiet)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select ligne, colonne, valeur, motif from rejets where source = 'ademe_dpe' order by ligne"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (7, "etiquette_dpe", None),
        (8, "code_insee_ban", "44999"),
        (12, "etiquette_dpe", "X"),
    ]
    assert rows[0][3].startswith("étiquette DPE vide (1 lignes")


def test_gzip_and_parquet_are_read(db, tmp_path):
    gz = tmp_path / "extrait.csv.gz"
    with open(CURRENT, "rb") as src, gzip.open(gz, "wb") as out:
        out.write(src.read())
    parquet = tmp_path / "extrait.parquet"
    pd.read_csv(LEGACY, dtype=str).to_parquet(parquet)
    assert import_dpe(db, parquet, log=_quiet).chargees == 5
    _check_hand_example(db)
    again = import_dpe(db, gz, log=_quiet)  # same DPE numbers: nothing new
    assert (again.chargees, again.doublons) == (0, 7)


def test_reimport_is_idempotent(db):
    import_dpe(db, CURRENT, log=_quiet)
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("select * from dpe_agregats order by all").fetchall()
    again = import_dpe(db, CURRENT, log=_quiet)
    assert (again.lues, again.chargees, again.doublons) == (11, 0, 7)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select * from dpe_agregats order by all").fetchall() == before
    _check_hand_example(db)


def test_wrong_header_is_refused_and_database_unchanged(db):
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(EtlError) as info:
        import_dpe(db, FIXTURES / "mauvais_entete.csv", log=_quiet)
    message = str(info.value)
    assert "mauvais_entete.csv" in message and "etiquette_dpe" in message and "code_insee_ban" in message
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert not (db.parent / "imports" / "dpe").exists()


def test_padded_values_are_read_like_the_plain_ones(db, tmp_path):
    """A blank around a value (spreadsheet exports) changes nothing: the same DPE are counted."""
    frame = pd.read_csv(CURRENT, dtype=str, keep_default_na=False)
    for column in ("numero_dpe", "date_etablissement_dpe", "etiquette_dpe", "type_batiment", "code_insee_ban"):
        frame[column] = " " + frame[column] + " "
    padded = tmp_path / "avec_espaces.csv"
    frame.to_csv(padded, index=False)
    result = import_dpe(db, padded, log=_quiet)
    assert (result.lues, result.chargees, result.rejetees, result.doublons, result.hors_champ) == (11, 5, 3, 2, 1)
    _check_hand_example(db)


def test_a_file_failing_while_read_leaves_the_database_and_the_kept_extracts_unchanged(db, tmp_path):
    """The header is right, a line further down is not CSV: the error names the file, nothing stays."""
    import_dpe(db, CURRENT, log=_quiet)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    kept = sorted(p.name for p in (db.parent / "imports" / "dpe").iterdir())
    broken = tmp_path / "coupe.csv"
    lines = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join([*lines[:4], '2244E0000077A,"2022-01-10,2022-01-12,G\n', *lines[4:]]), encoding="utf-8")
    with pytest.raises(EtlError) as info:
        import_dpe(db, broken, log=_quiet)
    assert "coupe.csv" in str(info.value) and "lecture du fichier impossible" in str(info.value)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in (db.parent / "imports" / "dpe").iterdir()) == kept


def test_header_detection_prefers_the_closest_layout():
    with pytest.raises(EtlError, match="dpe-v2-logements-existants : Etiquette_DPE"):
        detect_schema(["N°DPE", "Date_établissement_DPE", "Type_bâtiment", "Code_INSEE_(BAN)"], "x.csv")


def test_demo_generator_is_deterministic_and_streams(built_db, tmp_path, monkeypatch):
    communes = dpe_demo.communes_from_db(built_db)
    monkeypatch.setattr(dpe_demo, "CHUNK", 400)
    a = dpe_demo.write_demo(tmp_path / "a.csv", 1000, communes)
    b = dpe_demo.write_demo(tmp_path / "b.csv.gz", 1000, communes, gzip=True)
    assert a.read_bytes() == gzip.decompress(b.read_bytes())
    frame = pd.read_csv(a, dtype=str, keep_default_na=False)
    assert len(frame) == 1000 and frame["numero_dpe"].is_unique
    assert list(frame.columns) == dpe_demo.COLUMNS
    assert frame["identifiant_ban"].duplicated().any()  # re-diagnosed dwellings


def test_build_uses_a_labelled_demonstration_extract(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        libelle = con.execute("select libelle from indicateurs where code = 'dpe_part_passoires'").fetchone()[0]
        share = con.execute(
            "select valeur from valeurs where indicateur = 'dpe_part_passoires' and niveau = 'region'"
        ).fetchone()[0]
        assert con.execute("select valeur from metadonnees where cle = 'dpe_donnees'").fetchone()[0] == "démonstration"
    assert "démonstration" in libelle
    assert 12 < share < 20
