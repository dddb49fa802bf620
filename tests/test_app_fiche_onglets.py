"""Fiche territoire: a theme's charts are drawn once the reader opens their tab, not before."""

from atlas.ui import cle_tableau
from tests.apptest_helpers import plotly_figures, run_page, tableaux_html

PAGE = "pages/fiche_territoire.py"
THEME = "Revenus et pauvreté"


def _ouvrir(app, onglet: str, theme: str = THEME):
    app.session_state[cle_tableau(theme, "fiche_volet")] = True  # the theme's block, folded on arrival
    app.session_state[f"fiche_onglets_{theme}"] = onglet
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_fiche_opens_on_its_tables_without_drawing_any_chart(app_env):
    app = _ouvrir(run_page(PAGE), "Tableau")
    assert plotly_figures(app) == []  # no plotly.js for a chart nobody opened
    assert any("Taux de pauvreté (seuil à 60 %)" in set(t.get("Indicateur", [])) for t in tableaux_html(app))
    # each theme still offers its charts, one click away
    onglets = {t.label for t in app.get("tab")}
    assert {"Tableau", "Comparaison", "Évolution sur plusieurs millésimes"} <= onglets


def test_opening_the_comparison_tab_draws_that_themes_bars_with_their_image_and_slide_buttons(app_env):
    from atlas import diaporama

    app = _ouvrir(run_page(PAGE), "Comparaison")
    (figure,) = plotly_figures(app)
    assert {t["type"] for t in figure["data"]} == {"bar"}
    assert "Taux de pauvreté (seuil à 60 %)" in figure["data"][0]["y"]
    png = {b.proto.id.rsplit("-png_", 1)[-1] for b in app.get("download_button") if "PNG" in b.proto.label}
    assert f"comparaison_{THEME}" in png
    app.button(key=f"diaporama_comparaison_{THEME}").click().run()
    assert not app.exception
    assert "Vue ajoutée au diaporama (1 vue)" in [t.value for t in app.toast]
    assert len(app.session_state[diaporama.CLE_SESSION]) == 1
    # the table of the theme stays one click back, its rows unchanged
    _ouvrir(app, "Tableau")
    assert plotly_figures(app) == []
    assert any("Taux de pauvreté (seuil à 60 %)" in set(t.get("Indicateur", [])) for t in tableaux_html(app))


def test_opening_the_series_tab_draws_the_themes_small_multiples_until_a_territory_without_them(app_env):
    app = _ouvrir(run_page(PAGE), "Évolution sur plusieurs millésimes")
    (figure,) = plotly_figures(app)
    assert figure["data"] and all(t["type"] == "scatter" for t in figure["data"])
    assert any("Chaque indicateur à son propre axe" in c.value for c in app.caption)
    # the region has one millésime of its poverty rates only: no series tab, its table instead
    app.selectbox(key="fiche_territoire").select("region:52").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.header[0].value == "Pays de la Loire" and plotly_figures(app) == []
    _ouvrir(app, "Évolution sur plusieurs millésimes")  # the region's block, folded on arrival
    assert plotly_figures(app) == []
    assert any("Taux de pauvreté (seuil à 60 %)" in set(t.get("Indicateur", [])) for t in tableaux_html(app))
