"""Précarité énergétique: the bars by construction period are drawn in HTML on screen, plotly kept for the image."""

import pandas as pd

from atlas.graphiques_html import barres_html, graduations
from tests.apptest_helpers import ouvrir_tableaux, run_page

PAGE = "pages/precarite_energetique.py"


def test_the_page_loads_no_plotly_chart_and_writes_each_periods_share_as_its_table_shows_it(app_env):
    from plotly.io import from_json

    from atlas import diaporama

    app = run_page(PAGE)
    assert list(app.get("plotly_chart")) == []
    # no data grid either until the reader opens one: the target list and the full table are closed
    assert list(app.dataframe) == []
    (barres,) = [h.proto.body for h in app.get("html") if "<figure class='atlas-graphique atlas-barres" in h.proto.body]
    ouvrir_tableaux(app)
    assert len(app.dataframe) == 3
    tableau = next(e for e in app.expander if e.label == "Les données du graphique en tableau").dataframe[0].value
    for periode, part in zip(tableau["periode"], tableau["part_passoires"], strict=True):
        assert f"{periode} : {part:.1f}\u00a0%".replace(".", ",") in barres  # read aloud and on hover
    # the slide (and the PNG) keep the plotly bars
    app.button(key="diaporama_graphique_periodes").click().run()
    assert not app.exception
    (vue,) = app.session_state[diaporama.CLE_SESSION]
    assert [t.type for t in from_json(vue.figure).data] == ["bar"]


def test_a_missing_bar_says_why_and_the_axis_climbs_by_round_steps():
    html = barres_html(
        pd.Series(["avant 1948", "après 2012"]),
        pd.Series([35.8, float("nan")]),
        ["avant 1948 : 35,8 % de 22 570 DPE", ""],
        unite="%",
        titre_x="Période de construction",
        titre_y="Part (%)",
        absente="moins de 20 DPE",
    )
    assert "après 2012 : moins de 20 DPE" in html and "nan" not in html.lower()
    assert "title='avant 1948 : 35,8 % de 22 570 DPE'" in html
    assert graduations(35.8) == [0, 10, 20, 30, 40]
    assert ">40\u00a0%<" in html and "height: 89.50%" in html  # 35,8 on an axis up to 40


def test_on_a_projector_the_bars_are_larger(app_env):
    from atlas.presentation import CLE
    from tests.apptest_helpers import app_for

    app = app_for(PAGE)
    app.session_state[CLE] = True
    app.run()
    assert not app.exception
    (barres,) = [h.proto.body for h in app.get("html") if "<figure class='atlas-graphique atlas-barres" in h.proto.body]
    assert "atlas-barres grand'" in barres
