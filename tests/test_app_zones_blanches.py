"""Page « Zones blanches »: summary line, sliders, URL state."""

import re

import pandas as pd

from tests.apptest_helpers import plotly_figures, run_page


def _summary(app):
    text = app.subheader[0].value
    if text.startswith("Aucune commune"):
        return 0, text
    # a count and its noun held together by a no-break space (« 2 communes »)
    match = re.match(r"([\d\u00a0]+)[ \u00a0]communes? \(([\d\u00a0]+)[ \u00a0]habitants?\)", text)
    return int(match.group(1).replace("\u00a0", "")), text


def test_default_rules_give_a_summary_line_and_a_map_of_every_commune(app_env):
    app = run_page("pages/zones_blanches.py")
    n, text = _summary(app)
    assert (
        text == "Aucune commune n'a un besoin élevé sans être couverte par un service"
        if n == 0
        else text.endswith("par aucun service")
    )
    assert len(app.dataframe[0].value) == n
    # every commune once (the legend entry of the estimates' outline draws no territory)
    locations = sum((t.get("locations", []) for t in plotly_figures(app)[0]["data"]), [])
    assert sorted(c for c in locations if c != "legende") == sorted(set(locations) - {"legende"})
    assert len(set(locations) - {"legende"}) == 1228


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


def test_service_sites_of_the_chosen_layers_are_drawn(app_env):
    app = run_page("pages/zones_blanches.py")
    names = [t["name"] for t in plotly_figures(app)[0]["data"]]
    assert any(n.startswith("Sites : France services") for n in names)
    app.toggle(key="zb_sites").set_value(False).run()
    assert not any(t["name"].startswith("Sites") for t in plotly_figures(app)[0]["data"])


def test_imported_service_layer_counts_in_coverage(built_db, tmp_path, monkeypatch):
    import shutil

    from atlas import imports

    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_IMPORTS_DIR", str(tmp_path / "imports"))
    import datetime as dt

    import duckdb

    from atlas import zones_blanches as zb

    # the white zones without any service layer, computed directly (mois = 0: outreach ignored)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select t.code, v.valeur from territoires t left join valeurs v on v.code = t.code and v.niveau = 'commune' "
        "and v.indicateur = 'taux_pauvrete' and v.millesime = '2021' where t.niveau = 'commune'"
    ).fetchall()
    con.close()
    frame = pd.DataFrame(rows, columns=["code", "besoin"]).assign(dernier_contact=None, minutes_service=float("nan"))
    categories = zb.classer(frame, "+", zb.Regles(mois=0, minutes=10, couches=()), dt.date(2025, 12, 31))
    codes = frame.loc[categories == "zone_blanche", "code"].tolist()
    without = len(codes)
    # a "service" in every white zone commune (placed at the town hall) must cover them all
    content = ("nom;type;code_commune\n" + "".join(f"Permanence {c};permanence;{c}\n" for c in codes)).encode()
    rapport, rejets = imports.importer_services("permanences.csv", content, "permanences_droits")
    assert rapport.chargees == len(codes) and rejets is None
    app = run_page("pages/zones_blanches.py", {"couches": "permanences_droits", "mois": "0", "minutes": "10"})
    with_layer, _ = _summary(app)
    assert without > 0 and with_layer == 0


def test_the_need_counts_the_atlas_estimates_so_that_few_communes_are_left_unknown(app_env):
    from tests.apptest_helpers import plotly_figures, run_page

    def inconnus(app):
        legende = [t["name"] for t in plotly_figures(app)[0]["data"]]
        nom = next(n for n in legende if n.startswith("Besoin inconnu"))
        return int(nom.rsplit("(", 1)[1].rstrip(")").replace("\u00a0", ""))

    app = run_page("pages/zones_blanches.py")
    assert inconnus(app) < 50  # the few communes without a published median
    app.toggle(key="zb_estimations").set_value(False).run()
    assert inconnus(app) > 900  # INSEE keeps three poverty rates in four secret
    assert app.query_params["estimations"] in ("0", ["0"])


def test_zones_blanches_resting_on_an_estimate_are_counted_and_labelled(app_env):
    from tests.apptest_helpers import run_page

    # no outreach counted, a service within 5 minutes: many communes are not covered
    app = run_page("pages/zones_blanches.py", {"mois": "0", "minutes": "5"})
    liste = next(t.value for t in app.dataframe if "nature_besoin" in t.value.columns)
    estimees = int(liste["nature_besoin"].str.startswith("estimation de l'atlas").sum())
    assert estimees > 0
    assert any(
        f"{estimees} de ces {len(liste)} zones blanches reposent sur une estimation" in i.value for i in app.info
    )
