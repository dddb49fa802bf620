"""Fiche territoire: comparable territories with their distance, a compared territory side by side, series over time."""

from atlas import fiche_tableaux
from atlas.ui import cle_tableau
from tests.apptest_helpers import ouvrir_tableaux, plotly_figures, run_page, tableaux_html


def _rows(app):
    import pandas as pd

    ouvrir_tableaux(app)
    return pd.concat([t for t in tableaux_html(app) if "Indicateur" in t.columns], ignore_index=True)


def test_angers_lists_five_comparable_communes_with_their_distance_and_variables(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    assert list(app.dataframe) == []  # five rows read, not sorted: no data grid to load
    (proches,) = [t for t in tableaux_html(app) if "Distance" in t.columns]
    assert len(proches) == 5
    assert proches["Territoire"].iloc[0] == "Le Mans (72181)"
    distances = [float(d.replace(",", ".")) for d in proches["Distance"]]
    assert distances == sorted(distances)
    assert proches["Variables communes"].iloc[0] == "3 : pauvreté, niveau de vie, densité"
    assert any("jamais une estimation" in h.proto.body for h in app.get("html"))  # the method, under the table


def test_the_closest_territory_is_compared_by_default_in_the_table_the_charts_and_the_url(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    assert app.selectbox(key="fiche_comparer").value == "72181"
    rows = _rows(app).set_index("Indicateur")
    assert rows.at["Taux de pauvreté (seuil à 60 %)", "Le Mans"].endswith("%")
    app.session_state[cle_tableau("Revenus et pauvreté", "fiche_volet")] = True  # the reader opens the block
    app.session_state["fiche_onglets_Revenus et pauvreté"] = "Comparaison"  # and the chart
    app.run()
    noms = {t["name"] for f in plotly_figures(app) for t in f["data"] if t["type"] == "bar"}
    assert "Le Mans" in noms
    assert app.query_params["comparer"] in ("72181", ["72181"])


def test_picking_another_territory_adds_its_column(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    app.selectbox(key="fiche_comparer").set_value("44109").run()
    assert not app.exception
    rows = _rows(app)
    assert "Nantes" in rows.columns and "Le Mans" not in rows.columns
    assert rows.set_index("Indicateur").at["Taux de pauvreté (seuil à 60 %)", "Nantes"].endswith("%")
    assert app.query_params["comparer"] in ("44109", ["44109"])


def test_no_comparison_removes_the_column(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007", "comparer": "44109"})
    assert app.selectbox(key="fiche_comparer").value == "44109"
    app.selectbox(key="fiche_comparer").set_value("").run()
    assert "Nantes" not in _rows(app).columns and "comparer" not in app.query_params


def test_an_epci_shows_its_median_income_over_time_beside_its_departement_and_region(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": "244900015"})
    app.session_state[cle_tableau("Revenus et pauvreté", "fiche_volet")] = True
    app.session_state["fiche_onglets_Revenus et pauvreté"] = "Évolution sur plusieurs millésimes"
    app.run()
    assert not app.exception
    figures = [f for f in plotly_figures(app) if any(t["type"] == "scatter" for t in f["data"])]
    assert figures
    traces = [t for f in figures for t in f["data"] if t["type"] == "scatter" and t.get("x") and 2019 in t["x"]]
    noms = {t["name"] for t in traces}
    assert {"Maine-et-Loire"} <= noms and any("Angers" in n for n in noms)


def test_the_pdf_and_the_slide_carry_the_compared_territory_beside_the_territory(app_env):
    from atlas import fiche, fiche_pdf

    document = fiche_pdf.html_fiche("commune", "49007", compare="44109")
    assert "Territoires comparables" in document and "Le Mans" in document
    assert "<th class='n'>Nantes</th>" in document
    profil = fiche.ajouter_comparaison(fiche.profil("commune", "49007"), fiche.profil("commune", "44109"))
    diapo = fiche_tableaux.profil_pour_diaporama(profil, "commune", "Nantes")
    assert list(diapo.columns[:4]) == ["Thème", "Indicateur", "Valeur", "Nantes"]
    ligne = diapo.set_index("Indicateur").loc["Taux de pauvreté (seuil à 60 %)"]
    assert ligne["Nantes"].endswith("%") and ligne["Nantes"] != ligne["Valeur"]
