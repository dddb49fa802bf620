"""The build's fast paths store what the slow ones stored: one-statement inserts, INSEE files parsed once."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl.bulk import insert_rows
from etl.insee_csv import read_insee_csv

_TABLE = "create table t (texte varchar, entier integer, grand bigint, reel double, vrai boolean, jour date)"


def _stored(rows) -> tuple[list, list]:
    """The table filled by executemany, and by insert_rows, from the same rows."""
    tables = []
    for insert in ("executemany", "insert_rows"):
        con = duckdb.connect()
        con.execute(_TABLE)
        if insert == "executemany":
            con.executemany("insert into t values (?, ?, ?, ?, ?, ?)", rows)
        else:
            assert insert_rows(con, "t", rows) == len(rows)
        tables.append(con.execute("select * from t").fetchall())  # insertion order kept
    return tables[0], tables[1]


def test_rows_inserted_in_one_statement_are_stored_as_executemany_stores_them():
    rows = [
        ("49007", 3, 2**40, 0.1, True, dt.date(2024, 5, 1)),
        (None, None, None, None, None, None),
        ("L'Île-d'Yeu", -1, 0, 1, False, dt.date(2000, 1, 1)),  # an int in a double column
        ("", 0, -(2**40), float("nan"), None, None),
    ]
    by_executemany, by_insert_rows = _stored(rows)
    assert by_insert_rows[:3] == by_executemany[:3]
    assert by_insert_rows[3][:3] == by_executemany[3][:3] and by_insert_rows[3][4:] == by_executemany[3][4:]
    assert by_insert_rows[3][3] != by_insert_rows[3][3]  # NaN stays NaN, not NULL (as with executemany)


@pytest.mark.parametrize(
    "odd_row",
    [(12, 1, 1, 1.0, True, None), ("a", 1.5, 1, 1.0, True, None), ("a", 1, 1, 1.0, 1, "2024-05-01")],
    ids=["int-in-text", "float-in-integer", "int-in-boolean-and-text-in-date"],
)
def test_a_value_of_another_type_is_cast_by_duckdb_as_before(odd_row):
    rows = [("49007", 3, 1, 0.5, False, dt.date(2024, 5, 1)), odd_row]
    by_executemany, by_insert_rows = _stored(rows)
    assert by_insert_rows == by_executemany


def test_a_name_that_is_not_a_table_of_the_database_is_refused_before_any_statement():
    # the table's name goes into the statement as an identifier
    con = duckdb.connect()
    con.execute(_TABLE)
    with pytest.raises(ValueError, match="table inconnue"):
        insert_rows(con, "t; drop table t", [("a", 1, 1, 1.0, True, None)])
    assert con.execute("select count(*) from t").fetchone()[0] == 0


def test_an_insee_file_edited_between_two_reads_is_read_again(tmp_path):
    path = tmp_path / "filo.csv"
    path.write_text("CODGEO;MED21\n49007;21450\n", encoding="utf-8")
    assert read_insee_csv(path).frame["MED21"].tolist() == ["21450"]
    path.write_text("CODGEO;MED21\n49007;19999\n", encoding="utf-8")  # same size, same name
    assert read_insee_csv(path).frame["MED21"].tolist() == ["19999"]


def test_a_loader_changing_its_table_leaves_the_next_read_of_the_file_unchanged(tmp_path):
    path = tmp_path / "filo.csv"
    path.write_text("CODGEO;MED21\n49007;21450\n44109;s\n", encoding="utf-8")
    first = read_insee_csv(path)
    first.frame.loc[0, "MED21"] = "0"
    first.frame["ajout"] = 1
    again = read_insee_csv(path)
    assert again.frame["MED21"].tolist() == ["21450", "s"]
    assert list(again.frame.columns) == ["CODGEO", "MED21", "ligne"]


def test_blank_space_around_a_cell_is_removed_and_space_inside_kept(tmp_path):
    path = tmp_path / "espaces.csv"
    path.write_text(
        "CODGEO;LIBGEO;MED21\n 49007;Angers ; 21 450\n44109;\"Nantes ; ville\" ;\t\n85113;L'Île-d'Yeu;\u00a0s\u00a0\n",
        encoding="utf-8",
    )
    frame = read_insee_csv(path).frame
    assert frame["CODGEO"].tolist() == ["49007", "44109", "85113"]
    assert frame["LIBGEO"].tolist() == ["Angers", "Nantes ; ville", "L'Île-d'Yeu"]
    assert frame["MED21"].tolist()[0] == "21 450"
    assert frame["MED21"].isna().tolist() == [False, True, False]  # a cell of blank space only is empty
    assert frame["MED21"].tolist()[2] == "s"


def test_the_same_file_read_under_two_names_keeps_each_name_in_its_messages(tmp_path):
    path = tmp_path / "filo.csv"
    path.write_text("CODGEO;MED21\n49007;21450\n", encoding="utf-8")
    assert read_insee_csv(path, "insee_filosofi/filo.csv").fichier == "insee_filosofi/filo.csv"
    assert read_insee_csv(path, "autre/filo.csv").fichier == "autre/filo.csv"
