"""Page « Fiche territoire »: a territory's indicators with honest comparisons, reachable by URL."""

import re

from tests.apptest_helpers import cartes, ouvrir_tableaux, run_page, tableaux_html


def _open(query: dict):
    return run_page("pages/fiche_territoire.py", query)


def _ouvrir(app, onglet: str, theme: str = "Revenus et pauvreté"):
    """Open a theme's block and one of its tabs, as a reader clicks them (the charts are drawn once opened)."""
    from atlas.ui import cle_tableau

    app.session_state[cle_tableau(theme, "fiche_volet")] = True
    app.session_state[f"fiche_onglets_{theme}"] = onglet
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _all_rows(app):
    """Every theme's rows, each folded block opened (a folded block is built once opened)."""
    import pandas as pd

    ouvrir_tableaux(app)
    return pd.concat([t for t in tableaux_html(app) if "Indicateur" in t.columns], ignore_index=True)


def test_fiche_opens_on_angers_with_its_poverty_rate_and_qpv(app_env):
    app = run_page("pages/fiche_territoire.py")
    assert app.header[0].value == "Angers"
    rows = _all_rows(app).set_index("Indicateur")
    assert rows.at["Taux de pauvreté (seuil à 60 %)", "Valeur"] == "21,0\u00a0%"
    assert rows.at["Médiane du niveau de vie", "Valeur"] == "21\u202f450\u00a0€"  # thousands: narrow no-break space
    assert any("Quartiers prioritaires" in h.proto.body and "Monplaisir" in h.proto.body for h in app.get("html"))


def test_secret_cell_reads_secret_statistique_never_zero(app_env):
    app = _open({"niveau": "commune", "code": "44002"})
    rows = _all_rows(app).set_index("Indicateur")
    assert rows.at["Taux de pauvreté des ménages dont le référent a moins de 30 ans", "Valeur"] == "Secret statistique"


def test_a_commune_shows_the_atlas_estimate_labelled_with_its_interval_when_insee_keeps_it_secret(app_env):
    from tests.apptest_helpers import plotly_figures

    app = _open({"niveau": "commune", "code": "44002"})
    rows = _all_rows(app).set_index("Indicateur")
    valeur = rows.at["Taux de pauvreté (seuil à 60 %)", "Valeur"]
    assert "estimation de l'atlas" in valeur and " à " in valeur
    assert rows.at["Taux de pauvreté (seuil à 60 %)", "Rang"] == "—"  # never ranked among INSEE's figures
    _ouvrir(app, "Comparaison")
    bars = [f["data"][0] for f in plotly_figures(app) if f["data"][0]["type"] == "bar"]
    hatched = [b for b in bars if "/" in b.get("marker", {}).get("pattern", {}).get("shape", [])]
    assert len(hatched) == 1 and "error_x" in hatched[0]  # the estimate, with its interval
    assert any("Barre hachurée : estimation" in c.value for c in app.caption)


def test_the_locator_map_draws_only_whole_territories_inside_its_view(app_env):
    # the EPCI of the other départements were cut by the edges of the PNG and the PDF's map
    import shapely

    from atlas.fiche import contexte_carte

    for niveau, code in (("epci", "244900015"), ("commune", "49007"), ("departement", "49")):
        geo, _table, emprise = contexte_carte(niveau, code)
        cadre = shapely.box(*emprise)
        formes = [shapely.geometry.shape(f["geometry"]) for f in geo["features"]]
        assert all(cadre.contains(f) for f in formes), niveau


def test_an_epci_locator_map_says_its_grey_neighbours_are_the_epci_of_its_departement(app_env):
    app = _open({"niveau": "epci", "code": "244900015"})
    legendes = [c.value for c in app.caption if c.value.startswith("En rouge")]
    assert legendes == ["En rouge, le territoire ; en gris, les autres EPCI de son département."]
    (situation,) = [c for c in cartes(app) if any("du département de" in e["libelle"] for e in c["legende"])]
    assert [e["libelle"] for e in situation["legende"]][1] == "Autres EPCI du département de Maine-et-Loire"


def test_link_from_the_map_opens_an_epci(app_env):
    app = _open({"niveau": "epci", "code": "244900015"})
    assert app.header[0].value.startswith("Communauté urbaine Angers Loire Métropole")
    assert "EPCI" not in _all_rows(app).columns  # no « EPCI of an EPCI » column
    details = " ".join(m.value for m in app.markdown)
    assert "EPCI (244900015)" in details and "Epci" not in details
    assert "habitants (population municipale 2021)" in details


def test_choosing_another_territory_updates_the_fiche_and_the_url(app_env):
    app = run_page("pages/fiche_territoire.py")
    app.selectbox(key="fiche_territoire").select("commune:85113").run()
    assert app.header[0].value == "L'Île-d'Yeu"  # the COG name, with its article
    assert any("hors EPCI" in m.value for m in app.markdown)
    assert app.query_params["code"] in ("85113", ["85113"])


def test_a_commune_is_compared_with_the_published_values_of_its_epci_departement_region_and_france(app_env):
    app = run_page("pages/fiche_territoire.py")
    rows = _all_rows(app).set_index("Indicateur")
    ligne = rows.loc["Taux de pauvreté (seuil à 60 %)"]
    # Angers 2021; Angers Loire Métropole 2021; Maine-et-Loire, region and France 2020 (said)
    assert ligne["Département"] == "11,1\u00a0% (2020)"
    assert ligne["Région"] == "10,5\u00a0% (2020)"
    assert ligne["France métropolitaine"] == "14,4\u00a0% (2020)"
    assert ligne["EPCI"].endswith("%")
    assert "Médiane des communes de la région" in rows.columns
    assert any("hors estimations" in c.value for c in app.caption)


def test_every_level_has_its_poverty_section_down_to_the_region(app_env):
    for niveau, code in (("epci", "244900015"), ("departement", "49"), ("region", "52")):
        app = _open({"niveau": niveau, "code": code})
        rows = _all_rows(app).set_index("Indicateur")
        assert rows.at["Taux de pauvreté (seuil à 60 %)", "Valeur"].endswith("%"), niveau
    assert rows.at["Taux de pauvreté (seuil à 60 %)", "Valeur"] == "10,5\u00a0%"
    assert rows.at["Taux de pauvreté (seuil à 60 %)", "France métropolitaine"] == "14,4\u00a0%"


def test_a_departement_is_compared_with_the_region_and_france_not_with_itself(app_env):
    from tests.apptest_helpers import plotly_figures

    app = _open({"niveau": "departement", "code": "44"})
    columns = list(_all_rows(app).columns)
    assert "Médiane des départements de la région" in columns
    assert "Département" not in columns and "EPCI" not in columns
    _ouvrir(app, "Comparaison")
    comparaison = next(f for f in plotly_figures(app) if f["data"][0]["type"] == "bar")
    # beside the territory, the compared département (the closest profile by default), then the references
    assert [t["name"] for t in comparaison["data"]] == ["Loire-Atlantique", "Vendée", "Pays de la Loire", "France métropolitaine"]  # fmt: skip


def test_commune_fiche_names_its_density_centrality_and_rurality(app_env):
    app = run_page("pages/fiche_territoire.py")
    # no-break spaces before « : » and « ; » (French typography): compared as the reader reads them
    text = " ".join(h.proto.body for h in app.get("html")).replace("\xa0", " ")
    assert "Densité (grille INSEE) : Grands centres urbains" in text
    assert "Centralité (ANCT)" in text and "Ruralité (ANCT)" in text


def test_age_bands_come_from_the_youngest_to_the_oldest_not_alphabetically(app_env):
    app = run_page("pages/fiche_territoire.py")
    libelles = [lib for lib in _all_rows(app)["Indicateur"] if lib.startswith("Taux de pauvreté des ménages dont")]
    assert [lib.split(" a ", 1)[1] for lib in libelles] == [
        "moins de 30 ans",
        "30 à 39 ans",
        "40 à 49 ans",
        "50 à 59 ans",
        "60 à 74 ans",
        "75 ans ou plus",
    ]


def test_no_line_of_the_sources_can_start_with_a_closing_guillemet_or_a_colon(app_env):
    # « prime d'activité 27 % (« moins de 30 % », Rapport… » wrapped before its « » »
    app = run_page("pages/fiche_territoire.py")
    (sources,) = [h.proto.body for h in app.get("html") if "Sources des indicateurs" in h.proto.body]
    assert "moins de 30" in sources
    assert not re.search(r" [»;:%]", sources) and not re.search(r"« ", sources)


def test_the_region_map_speaks_of_no_other_territory_in_grey(app_env):
    # « en gris, les autres territoires du même échelon » under a map with no other region
    app = run_page("pages/fiche_territoire.py", {"niveau": "region", "code": "52"})
    legendes = [c.value.replace("\u00a0", " ") for c in app.caption if c.value.startswith("En rouge")]
    assert legendes == ["En rouge, la région, seule de son échelon dans l'atlas."]
