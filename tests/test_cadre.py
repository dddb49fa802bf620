"""The frame of every page (atlas.navigation.demarrer): its sidebar's controls and its one HTML block.

Every page pays for the frame in the browser, so its parts without a control (the chrome's style and
script, the empty slide basket) are one block, and the basemap is chosen with radio buttons.
"""

from atlas import chrome
from atlas.diaporama_ui import AIDE_PANIER_VIDE
from atlas.graphiques_html import STYLE
from commun.config import FONDS_DE_CARTE
from tests.apptest_helpers import run_page


def _blocs_du_cadre(app):
    return [h.value for h in app.sidebar.html if "chrome de Streamlit en français" in h.value]


def test_every_basemap_is_offered_at_once_in_the_sidebar_with_whether_it_needs_internet(app_env):
    app = run_page("dashboard.py")
    choix = app.sidebar.radio(key="fond_de_carte")
    assert choix.options == [libelle for libelle, _ in FONDS_DE_CARTE.values()]
    assert all("hors ligne" in o or "internet requis" in o for o in choix.options)
    assert choix.value == "aucun"


def test_an_empty_slide_basket_says_how_to_fill_it_in_the_chrome_block_of_the_sidebar(app_env):
    app = run_page("dashboard.py")
    blocs = _blocs_du_cadre(app)
    assert len(blocs) == 1, "the chrome's style, script and the empty basket share one element"
    assert "Diaporama (aucune vue)" in blocs[0]
    assert AIDE_PANIER_VIDE in blocs[0]
    assert chrome.SCRIPT_CHROME.strip() in blocs[0]
    assert not [e for e in app.sidebar.expander if e.label.startswith("Diaporama")]


def test_a_basket_with_a_view_has_its_controls_and_keeps_streamlit_in_french(app_env):
    app = run_page("dashboard.py")
    app.button(key="diaporama_chiffres_cles").click().run()
    assert not app.exception
    assert [e.label for e in app.sidebar.expander if e.label.startswith("Diaporama")] == ["Diaporama (1 vue)"]
    assert app.sidebar.button(key="vider_diaporama")
    blocs = _blocs_du_cadre(app)
    assert len(blocs) == 1 and chrome.SCRIPT_CHROME.strip() in blocs[0]
    assert "Diaporama (aucune vue)" not in blocs[0]


def test_the_frame_block_carries_the_html_charts_style_once_for_the_whole_page(app_env):
    # the charts and short tables of atlas.graphiques_html no longer carry it each
    app = run_page("dashboard.py")
    (bloc,) = _blocs_du_cadre(app)
    assert bloc.count(STYLE) == 1
