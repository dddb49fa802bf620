"""The tolerant INSEE CSV reader on tiny malformed files (tests/fixtures/insee/)."""

from __future__ import annotations

import math

import pytest

from etl.errors import EtlError
from etl.insee_csv import file_millesime, parse_cell, parse_values, read_insee_csv, split_millesime
from tests.conftest import FIXTURES

INSEE = FIXTURES / "insee"


def test_bom_crlf_and_trailing_empty_columns_are_handled():
    table = read_insee_csv(INSEE / "bom_crlf_decimal_comma.csv")
    assert table.encoding == "utf-8-sig"
    assert table.separator == ";"
    assert table.id_column == "CODGEO"
    assert list(table.frame.columns) == ["CODGEO", "LIBGEO", "NBMENFISC21", "MED21", "TP6021", "PPSOC21", "ligne"]
    assert table.frame["CODGEO"].tolist() == ["49007", "44002", "44003"]
    assert table.frame["ligne"].tolist() == [2, 3, 4]


def test_decimal_comma_and_space_thousands_become_numbers():
    table = read_insee_csv(INSEE / "bom_crlf_decimal_comma.csv")
    values, problems = parse_values(table.frame, ["NBMENFISC21", "MED21", "TP6021"])
    assert problems.empty
    assert values.loc[0, "NBMENFISC21"] == 66797
    assert values.loc[0, "MED21"] == 21450  # no-break space as thousands separator
    assert values.loc[0, "TP6021"] == 21.0


def test_secret_cells_are_missing_not_zero():
    table = read_insee_csv(INSEE / "bom_crlf_decimal_comma.csv")
    values, _ = parse_values(table.frame, ["TP6021", "PPSOC21"])
    assert values.loc[1, "TP6021__statut"] == "secret"
    assert math.isnan(values.loc[1, "TP6021"])
    assert values.loc[1, "PPSOC21__statut"] == "absent"  # nd
    assert values.loc[2, "TP6021__statut"] == "absent"  # empty
    assert values.loc[2, "PPSOC21__statut"] == "absent"  # ND


def test_cp1252_file_with_comma_separator_is_read():
    table = read_insee_csv(INSEE / "cp1252_comma.csv")
    assert table.encoding == "cp1252"
    assert table.separator == ","
    assert table.frame["LIBGEO"].tolist()[1] == "Laval école"
    values, problems = parse_values(table.frame, ["NBMEN19", "Q219"])
    assert problems.empty
    assert values.loc[0, "Q219"] == 20420.5
    assert values.loc[1, "NBMEN19__statut"] == "secret"


def test_missing_identifier_column_names_file_and_column():
    with pytest.raises(EtlError) as error:
        read_insee_csv(INSEE / "missing_codgeo.csv")
    message = str(error.value)
    assert "missing_codgeo.csv" in message
    assert "CODGEO" in message
    assert error.value.ligne == 1


def test_binary_file_is_refused_with_a_french_message(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(EtlError, match="pas un fichier texte"):
        read_insee_csv(path)


def test_non_numeric_cell_is_rejected_with_line_column_and_reason():
    table = read_insee_csv(INSEE / "non_numeric_cell.csv")
    values, problems = parse_values(table.frame, ["TP6021", "MED21"])
    assert len(problems) == 1
    problem = problems.iloc[0]
    assert (problem["ligne"], problem["colonne"], problem["valeur"]) == (3, "TP6021", "douze")
    assert "non numérique" in problem["motif"]
    assert values.loc[1, "TP6021__statut"] == "invalide"
    assert math.isnan(values.loc[1, "TP6021"])  # never coerced to 0


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("TP6021", ("TP60", 2021)),
        ("MED21", ("MED", 2021)),
        ("Q219", ("Q2", 2019)),
        ("NBMENFISC21", ("NBMENFISC", 2021)),
        ("DEC_TP6021", ("DEC_TP60", 2021)),
        ("PPSOC19", ("PPSOC", 2019)),
        ("TP60AGE121", ("TP60AGE1", 2021)),
        ("S80S2019", ("S80S20", 2019)),
        ("RD", ("RD", None)),
        ("TP60", ("TP60", None)),
        ("ENF_18_24", ("ENF_18_24", None)),
        ("APRES100", ("APRES100", None)),
    ],
)
def test_year_suffixed_column_names_split_into_base_and_millesime(column, expected):
    assert split_millesime(column) == expected


def test_a_file_header_carries_one_millesime():
    assert file_millesime(["CODGEO", "NBMEN19", "Q219", "RD"], "f.csv") == 2019
    with pytest.raises(EtlError, match="millésimes multiples"):
        file_millesime(["TP6021", "Q219"], "f.csv")


def test_parse_cell_accepts_signs_and_narrow_spaces():
    assert parse_cell("-12,5") == (-12.5, "ok")
    assert parse_cell("1\u202f672") == (1672.0, "ok")
    assert parse_cell("ns")[1] == "secret"
    assert parse_cell("so")[1] == "absent"
    assert parse_cell("1,2,3")[1] == "invalide"
