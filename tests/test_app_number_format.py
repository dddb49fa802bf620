"""The pages' tables are written the reader's way: « 28,1 », « 2 541 » in French, « — » when missing.

A printf format (``%.1f``) always prints a decimal point, so a French reader saw « 28.1 »; the
tables now use the browser's language (``format="localized"``), which prints the decimals the
value has: the values must be rounded before they are shown, or « 28,125 » would appear. A
missing value (a secret cell, no visit) read « None », in English: every table shows « — ».
"""

from __future__ import annotations

import json

import pytest

from tests.apptest_helpers import ouvrir_tableaux, run_page

PAGES = [
    "dashboard.py",
    "pages/explorer.py",
    "pages/non_recours.py",
    "pages/precarite_energetique.py",
    "pages/mobilite.py",
    "pages/zones_blanches.py",
    "pages/donnees.py",
]


def _id(page: str) -> str:
    return page.split("/")[-1].removesuffix(".py")


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_table_numbers_follow_the_readers_language_and_are_rounded(app_env, page):
    app = ouvrir_tableaux(run_page(page))  # tables in expanders are built once opened
    localised = 0
    for table in app.dataframe:
        config = json.loads(table.proto.columns or "{}")
        for column, settings in config.items():
            fmt = settings.get("type_config", {}).get("format") or ""
            assert not (fmt.startswith("%") and fmt.endswith("f")), (page, column, fmt)  # « 28.1 » in French
            if fmt == "localized" and column in table.value and table.value[column].dtype.kind == "f":
                values = table.value[column].dropna()
                assert (values.round(2) == values).all(), (page, column, values[values.round(2) != values].head())
                localised += 1
    assert localised, f"{page}: no localised decimal column checked"


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_missing_values_in_tables_read_as_a_dash_not_none(app_env, page):
    app = ouvrir_tableaux(run_page(page))
    assert app.dataframe, f"{page}: no table"
    for table in app.dataframe:
        assert table.proto.placeholder == "—", (page, list(table.value.columns)[:3])


def test_non_recours_rate_reads_as_a_whole_number_as_the_secret_rule_rounds_it(app_env):
    # the table said « 85,0 » beside the CSV's « 85 »: a rate rounded to the unit shows no decimal
    app = ouvrir_tableaux(run_page("pages/non_recours.py"))
    colonnes = [json.loads(t.proto.columns or "{}") for t in app.dataframe]
    taux = [c["taux_non_recours_pct"] for c in colonnes if "taux_non_recours_pct" in c]
    assert taux, "no territory table with the detected rate"
    assert all(not t.get("type_config", {}).get("step") for t in taux), taux
