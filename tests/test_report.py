"""Load reports refuse to lose rows silently."""

from pathlib import Path

import pytest

from etl.errors import EtlError
from etl.report import LoadReport


def test_unbalanced_report_is_refused():
    report = LoadReport("essai", Path("x.csv"), "x.csv", lues=10, chargees=8)
    report.reject(3, "code", "ZZ", "code inconnu")
    with pytest.raises(EtlError, match="10 lignes lues mais 9 comptées"):
        report.close()


def test_balanced_report_closes_and_names_each_count():
    report = LoadReport("essai", Path("x.csv"), "x.csv", lues=5, chargees=2, doublons=1, hors_champ=1)
    report.reject(4, "date", "31/02/2024", "date impossible")
    line = report.close().progress_line()
    assert "lues       5" in line and "rejetées     1" in line and "doublons 1" in line and "hors champ 1" in line


def test_error_message_names_file_line_column_and_value():
    err = EtlError("date dans le futur", fichier="visites.csv", ligne=12, colonne="date_contact", valeur="2099-01-01")
    assert (
        str(err)
        == "fichier visites.csv, ligne 12, colonne « date_contact », valeur « 2099-01-01 » : date dans le futur"
    )
