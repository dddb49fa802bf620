"""Page « Zones blanches »: summary line, sliders, URL state."""

import re

from tests.apptest_helpers import plotly_figures, run_page


def _summary(app):
    text = app.subheader[0].value
    match = re.match(r"([\d\u00a0]+) communes \(([\d\u00a0]+) habitants\)", text)
    return int(match.group(1).replace("\u00a0", "")), text


def test_default_rules_give_a_summary_line_and_a_map_of_every_commune(app_env):
    app = run_page("pages/zones_blanches.py")
    n, text = _summary(app)
    assert text.endswith("ont un besoin élevé et ne sont couvertes par aucun service")
    assert len(app.dataframe[0].value) == n
    locations = sum((t["locations"] for t in plotly_figures(app)[0]["data"]), [])
    assert len(locations) == 1228


def test_a_stricter_time_rule_gives_more_white_zones(app_env):
    app = run_page("pages/zones_blanches.py")
    app.slider(key="zb_mois").set_value(0).run()
    app.slider(key="zb_minutes").set_value(30).run()
    loose, _ = _summary(app)
    app.slider(key="zb_minutes").set_value(5).run()
    strict, _ = _summary(app)
    assert strict > loose
    assert app.query_params["minutes"] in ("5", ["5"])


def test_url_rules_reopen_the_same_view(app_env):
    app = run_page(
        "pages/zones_blanches.py",
        {"indicateur": "part_menages_sans_voiture", "seuil": "quartile", "mois": "6", "minutes": "15"},
    )
    assert app.selectbox(key="zb_indicateur").value == "part_menages_sans_voiture"
    assert app.radio(key="zb_seuil").value == "quartile"
    assert app.slider(key="zb_mois").value == 6 and app.slider(key="zb_minutes").value == 15
