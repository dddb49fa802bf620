"""Tables as a reader compares them: same decimals down a column; a table wider than the page says it scrolls."""

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


def _page_colonne_fixee():
    import pandas as pd

    from atlas import ui

    frame = pd.DataFrame({"fichier": ["data/raw/insee/base-cc-filosofi-2021-communes.csv"], "motif": ["x"]})
    # the page fixes the « Motif » column's width: the table is wider than the page with it
    ui.tableau(frame, hide_index=True, column_config={"motif": {"label": "Motif", "width": 600}})


def test_a_grid_whose_fixed_column_makes_it_wider_than_the_page_scrolls_and_says_so():
    # the fixed column was left out of the table's width: Données' rejected lines ran 2 px past
    # the page's edge at 1280 px, with no « Tableau large » caption
    app = AppTest.from_function(_page_colonne_fixee).run()
    assert not app.exception
    assert any("faites-le défiler vers la droite" in c.value for c in app.caption)
