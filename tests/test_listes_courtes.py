"""Short lists (Zones blanches, Mobilité) are read whole in a plain table; long ones keep the sortable grid.

A data grid makes the browser load about 1,4 MB of script even for six rows: a list of a few
communes is drawn as an HTML table with the grid's headers, tooltips and French number formats.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from atlas import ui
from tests.apptest_helpers import colonne_de_liste, graphiques_html, run_page


def test_a_short_list_of_remote_communes_is_a_plain_table_not_a_data_grid(app_env):
    app = run_page("pages/mobilite.py")  # 20 minutes: a handful of communes
    communes = colonne_de_liste(app, "Commune", "nom")
    assert 0 < len(communes) <= 25
    assert not app.dataframe  # nor the ruralité cross-table: no grid, no Arrow table on the page
    assert not app.table
    (liste,) = [h for h in graphiques_html(app) if ">Sans voiture (%)</th>" in h]
    # the header's help is its tooltip, as in the grid
    assert "title='Part des ménages sans voiture'" in liste


def test_a_long_list_of_zones_blanches_keeps_the_sortable_grid(app_env):
    # no outreach counted, a service within 5 minutes: well over a hundred communes
    app = run_page("pages/zones_blanches.py", {"mois": "0", "minutes": "5"})
    (grille,) = app.dataframe
    assert len(grille.value) > 25


def test_a_short_list_writes_numbers_dates_and_missing_values_as_its_grid_would(app_env):
    from streamlit.testing.v1 import AppTest

    def page():
        import datetime as dt

        import pandas as pd
        import streamlit as st

        from atlas import bloc_carte, ui

        frame = pd.DataFrame(
            {
                "nom": ["Angers", "Segré"],
                "population": [157175, None],
                "taux": [28.14, 9.0],
                "contact": [dt.date(2025, 3, 12), None],
                "cache": [1, 2],
            }
        )
        bloc_carte.tableau_court(
            frame,
            {
                "nom": "Commune",
                "population": ui.colonne_nombre("Population", help="Population municipale 2021"),
                "taux": ui.colonne_nombre("Taux (%)"),
                "contact": st.column_config.DateColumn("Dernier contact (mois)", format="MM/YYYY"),
                "cache": None,
            },
            key="liste_essai",
        )

    app = AppTest.from_function(page).run()
    assert not app.exception
    (table,) = [h.proto.body for h in app.get("html")]
    assert "<td class='nombre'>157\u00a0175</td>" in table and "<td class='nombre'>—</td>" in table
    assert "<td class='nombre'>28,1</td>" in table and "<td class='nombre'>9,0</td>" in table
    assert "<td>03/2025</td>" in table and "<td>—</td>" in table
    assert "title='Population municipale 2021'" in table
    assert "cache" not in table
    assert dt and pd and st and ui  # the page's imports run inside AppTest
