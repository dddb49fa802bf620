"""« Télécharger l'image (PNG) » and « Ajouter au diaporama » under every map and chart of every page."""

import pytest

from atlas import diaporama, images, presentation
from tests.apptest_helpers import cartes, run_page

PNG = "Télécharger l'image (PNG)"
FIGURES = {
    "dashboard.py": ["carte_accueil"],
    "pages/explorer.py": ["carte_explorer"],
    # the fiche's charts are drawn once their tab is opened (tests/test_app_fiche_onglets.py)
    "pages/fiche_territoire.py": ["carte_fiche"],
    "pages/non_recours.py": ["entonnoir", "carte_nr", "par_droit", "par_mois", "carte_potentiel", "carte_presence"],
    "pages/precarite_energetique.py": ["carte_passoires", "graphique_periodes", "carte_bivariee"],
    "pages/mobilite.py": ["carte_mobilite"],
    "pages/zones_blanches.py": ["carte_zones_blanches"],
}

TABLEAUX = {"chiffres_cles", "fiche"}
#: Pages that draw their export rows once the reader asks, by the key of their switch
INTERRUPTEURS = {"pages/non_recours.py": "exports_visibles_nr"}


def _page_avec_exports(page):
    app = run_page(page)
    if page in INTERRUPTEURS:
        app.toggle(key=INTERRUPTEURS[page]).set_value(True).run()
        assert not app.exception
    return app


def _boutons_png(app):
    return {b.proto.id.rsplit("-png_", 1)[-1]: b for b in app.get("download_button") if b.proto.label == PNG}


@pytest.mark.parametrize("page", list(FIGURES))
def test_every_figure_of_the_page_has_its_png_button_and_slide_button(app_env, page):
    app = _page_avec_exports(page)
    png = _boutons_png(app)
    # table views (key figures, the whole profile) have their own « Ajouter au diaporama »
    diapo = {b.key.removeprefix("diaporama_") for b in app.button if b.label == "Ajouter au diaporama"} - TABLEAUX
    for cle in FIGURES[page]:
        assert cle in png, (cle, sorted(png))
        assert cle in diapo, (cle, sorted(diapo))
        # deferred: no file at render, a callable registered for the click, no rerun on click
        assert png[cle].proto.deferred_file_id and not png[cle].proto.url and png[cle].proto.ignore_rerun
        assert not png[cle].proto.disabled
    # one pair of buttons per figure drawn on the page (the maps drawn by the atlas's map
    # component and the charts drawn in HTML count as figures)
    barres = [h for h in app.get("html") if "<figure class='atlas-graphique" in h.proto.body]
    assert (
        len(png)
        == len(diapo)
        == len([c for c in app.get("plotly_chart") if c.proto.id]) + len(cartes(app)) + len(barres)
    )


@pytest.mark.parametrize(
    ("page", "cle"), [("pages/explorer.py", "carte_explorer"), ("pages/non_recours.py", "par_droit")]
)
def test_add_to_slides_puts_the_view_in_the_session_once(app_env, page, cle):
    app = _page_avec_exports(page)
    app.button(key=f"diaporama_{cle}").click().run()
    assert not app.exception
    vues = app.session_state[diaporama.CLE_SESSION]
    assert len(vues) == 1 and vues[0].figure and vues[0].source
    assert "Vue ajoutée au diaporama (1 vue)" in [t.value for t in app.toast]
    if page == "pages/non_recours.py":
        assert vues[0].demonstration is True  # the page's demonstration warning follows the view
    app.button(key=f"diaporama_{cle}").click().run()
    assert len(app.session_state[diaporama.CLE_SESSION]) == 1
    assert any("déjà dans le diaporama" in t.value for t in app.toast)


def test_the_image_is_drawn_only_when_the_button_is_clicked(app_env, monkeypatch):
    appels = []
    monkeypatch.setattr(images, "png", lambda *a, **k: appels.append(k) or b"")
    app = run_page("pages/explorer.py")
    assert _boutons_png(app)
    assert appels == []  # deferred download: rendering the page draws no image


def test_without_chromium_the_button_is_disabled_and_says_how_to_enable_it(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_CHROMIUM", str(tmp_path / "absent"))
    app = run_page("pages/explorer.py")
    assert _boutons_png(app)["carte_explorer"].proto.disabled
    assert any("Chromium est introuvable" in c.value for c in app.caption)


def test_presentation_mode_hides_the_export_rows():
    # the rule that names the export rows' keys hides them
    regle = next(r for r in presentation.CSS.split("}") if '[class*="st-key-exports_"]' in r)
    assert regle.rstrip().endswith("{display: none !important;")
