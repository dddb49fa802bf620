"""The sentence that sums up an import on the pages (visits, experiments): figures written the French way."""

from types import SimpleNamespace

from atlas.imports import bilan_import


def test_the_import_summary_writes_large_counts_with_a_thousands_separator():
    resultat = SimpleNamespace(lues=12_345, chargees=12_000, rejetees=300, doublons=45, demonstration_supprimees=3_600)
    assert bilan_import(resultat, "visites") == (
        "12\u00a0345 lignes lues = 12\u00a0000 chargées + 300 rejetées + 45 doublons."
        " Les 3\u00a0600 visites de démonstration ont été retirées."
    )


def test_the_import_summary_says_nothing_of_demonstration_rows_when_none_were_deleted():
    resultat = SimpleNamespace(lues=3, chargees=2, rejetees=1, doublons=0, demonstration_supprimees=0)
    assert bilan_import(resultat, "expérimentations") == "3 lignes lues = 2 chargées + 1 rejetée + 0 doublon."


def test_the_import_summary_writes_a_count_under_two_in_the_singular():
    # « 13 lignes lues = 1 chargées + 12 rejetées + 0 doublons » was on screen after a malformed file
    resultat = SimpleNamespace(lues=1, chargees=1, rejetees=0, doublons=0, demonstration_supprimees=0)
    assert bilan_import(resultat, "visites") == "1 ligne lue = 1 chargée + 0 rejetée + 0 doublon."
