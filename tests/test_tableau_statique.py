"""A static table writes every value of a column with the same decimals, as a reader compares them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import pandas as pd

    from atlas import ui

    frame = pd.DataFrame({"nom": ["A", "B", "C"], "taux": [25.0, 28.1, None], "n": [1092, 11109, 7]})
    ui.tableau_statique(frame, {"nom": "Territoire", "taux": "Taux (%)", "n": "Lignes"}, key="t")


def test_a_column_of_rates_writes_25_0_beside_28_1_not_25():
    app = AppTest.from_function(_page).run()
    assert not app.exception
    table = app.table[0].value
    assert list(table["Taux (%)"]) == ["25,0", "28,1", "—"]


def test_a_column_of_whole_counts_keeps_no_decimal_and_french_separators():
    app = AppTest.from_function(_page).run()
    lignes = [v.replace("\u202f", " ").replace("\xa0", " ") for v in app.table[0].value["Lignes"]]
    assert lignes == ["1 092", "11 109", "7"]
