"""``python -m etl``: argparse's own errors reach the user in French, like every other message."""

from __future__ import annotations

import pytest

from etl.__main__ import main


def _error_of(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2  # argparse's exit status for a usage error
    return capsys.readouterr().err


def test_a_missing_file_name_is_reported_in_french(capsys):
    err = _error_of(["import-dpe"], capsys)
    assert "erreur : arguments requis manquants : fichier" in err
    assert err.startswith("usage : ")
    assert "error" not in err and "required" not in err


def test_two_exclusive_options_are_reported_in_french(capsys):
    err = _error_of(["import-dpe", "x.csv", "--copier", "--deplacer"], capsys)
    assert "argument --deplacer : incompatible avec l'argument --copier" in err


def test_an_unknown_command_is_reported_in_french(capsys):
    err = _error_of(["importer"], capsys)
    assert "choix invalide : 'importer'" in err


def test_the_help_headings_are_french(capsys):
    with pytest.raises(SystemExit):
        main(["import-dpe", "--help"])
    out = capsys.readouterr().out
    assert "affiche cette aide et quitte" in out and "arguments" in out
    assert "show this help" not in out and "positional arguments" not in out
