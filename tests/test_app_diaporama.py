"""Pages add views to the session's diaporama; the sidebar lists them and empties the basket."""

from atlas import diaporama
from tests.apptest_helpers import run_page


def _vues(app):
    return diaporama.vues(app.session_state) if diaporama.CLE_SESSION in app.session_state else []


def test_key_figures_go_to_the_diaporama_once(app_env):
    app = run_page("dashboard.py")
    assert any("Diaporama (aucune vue)" in h.value for h in app.sidebar.html)
    app.button(key="diaporama_chiffres_cles").click().run()
    app.button(key="diaporama_chiffres_cles").click().run()
    assert not app.exception
    vues = _vues(app)
    assert [v.titre for v in vues] == ["Chiffres clés — Pays de la Loire"]
    assert list(vues[0].tableau.columns) == ["Chiffre", "Valeur"]
    assert "INSEE" in vues[0].source
    assert any(e.label.startswith("Diaporama (1 vue") for e in app.sidebar.expander)


def test_sidebar_removes_a_view_and_empties_the_diaporama(app_env):
    app = run_page("dashboard.py")
    app.button(key="diaporama_chiffres_cles").click().run()
    app.button(key="retirer_vue_0").click().run()
    assert _vues(app) == []
    app.button(key="diaporama_chiffres_cles").click().run()
    app.button(key="vider_diaporama").click().run()
    assert not app.exception and _vues(app) == []


def test_territory_profile_goes_to_the_diaporama_with_its_sources(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "commune", "code": "49007"})
    app.button(key="diaporama_fiche").click().run()
    assert not app.exception
    (vue,) = _vues(app)
    assert vue.titre == "Fiche territoire — Angers"
    assert vue.demonstration  # the DPE indicators of the profile are demonstration data
    assert "Filosofi" in vue.source
    assert {"Thème", "Indicateur", "Valeur", "Millésime", "Rang"} <= set(vue.tableau.columns)
    assert len(vue.tableau) > 20


def test_fiche_offers_its_pdf(app_env):
    app = run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": "244900015"})
    boutons = [e for e in app.get("download_button") if "PDF" in e.proto.label]
    assert len(boutons) == 1
