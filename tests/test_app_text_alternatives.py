"""Accessibility: every map and chart has its data as a table on the same page."""

import pytest

from tests.apptest_helpers import ouvrir_tableaux, run_page


@pytest.mark.parametrize(
    ("page", "colonne"),
    [
        ("pages/mobilite.py", "temps_min"),
        ("pages/zones_blanches.py", "minutes_service"),
        ("pages/precarite_energetique.py", "part_passoires"),
        ("pages/non_recours.py", "potentiel"),
    ],
)
def test_map_pages_carry_their_data_as_a_table(app_env, page, colonne):
    app = ouvrir_tableaux(run_page(page))  # a table is built once its expander is opened
    alternatives = [e for e in app.expander if e.label.startswith("Les données")]
    assert alternatives, "no « Les données … en tableau » block"
    tables = [d.value for e in alternatives for d in e.dataframe]
    assert any(colonne in t.columns and len(t) > 0 for t in tables)


def test_full_mobility_table_lists_every_commune_of_the_map(app_env):
    app = ouvrir_tableaux(run_page("pages/mobilite.py"))
    bloc = next(e for e in app.expander if e.label.startswith("Les données des cartes"))
    assert len(bloc.dataframe[0].value) == 1228


def test_text_alternatives_of_visit_charts_keep_the_secret_rule(app_env):
    app = ouvrir_tableaux(run_page("pages/non_recours.py"))
    for bloc in (e for e in app.expander if e.label.startswith("Les données")):
        for table in (d.value for d in bloc.dataframe):
            for colonne in table.columns:
                valeurs = [v for v in table[colonne] if isinstance(v, int | float) and not isinstance(v, bool)]
                if colonne in ("contacts", "bilans", "non_recours"):
                    assert all(v != v or v >= 5 for v in valeurs), colonne
