"""The pages of the dashboard, grouped by section. A listed page whose file is missing stops the app, named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commun.config import ROOT

#: Session flag: a page opened by its address ran alone in Streamlit's legacy mode and reruns the entry point.
_LISTE_BRUTE = "_atlas_liste_des_fichiers_affichee"


@dataclass(frozen=True)
class PageInfo:
    fichier: str  # path relative to the project root
    titre: str
    icone: str


SECTIONS: dict[str, list[PageInfo]] = {
    "Pauvreté et territoires": [
        PageInfo("pages/explorer.py", "Explorer les indicateurs", ":material/map:"),
        PageInfo("pages/fiche_territoire.py", "Fiche territoire", ":material/location_city:"),
    ],
    "Aller vers": [
        PageInfo("pages/non_recours.py", "Non-recours", ":material/diversity_3:"),
        PageInfo("pages/importer_visites.py", "Importer des visites", ":material/upload_file:"),
        PageInfo("pages/experimentations.py", "Suivi des expérimentations", ":material/flag:"),
    ],
    "Besoins et couverture": [
        PageInfo("pages/precarite_energetique.py", "Précarité énergétique", ":material/home:"),
        PageInfo("pages/mobilite.py", "Mobilité", ":material/directions_bus:"),
        PageInfo("pages/zones_blanches.py", "Zones blanches", ":material/crop_free:"),
    ],
    "À propos": [
        PageInfo("pages/donnees.py", "Données et méthodes", ":material/dataset:"),
    ],
}


class PageManquante(FileNotFoundError):
    """A page of :data:`SECTIONS` has no file: the navigation would silently lose it."""


def pages_existantes() -> dict[str, list[PageInfo]]:
    """The sections and their pages, each checked to exist.

    Raises
    ------
    PageManquante
        Naming every listed page whose file is missing (a renamed or deleted page must be
        taken out of :data:`SECTIONS`, not dropped from the menu without a word).
    """
    manquantes = [p.fichier for pages in SECTIONS.values() for p in pages if not (ROOT / p.fichier).is_file()]
    if manquantes:
        raise PageManquante(
            f"page{'s' if len(manquantes) > 1 else ''} de la navigation sans fichier : {', '.join(manquantes)} "
            "(atlas/navigation.py, SECTIONS) : rétablir le fichier ou retirer la page de la liste"
        )
    return SECTIONS


def _menu(accueil: Callable[[], None] | None, *, icones: bool = True) -> dict:
    """The pages for ``st.navigation``: the home page ``accueil`` (if given), then :data:`SECTIONS`' files.

    ``icones=False`` for the hidden menus of a first run: the current page's icon would become the
    tab's (a Material icon fetched from fonts.gstatic.com, out of reach offline).
    """
    import streamlit as st

    menu = (
        {}
        if accueil is None
        else {"": [st.Page(accueil, title="Accueil", icon=":material/home:" if icones else None, default=True)]}
    )
    for section, pages in pages_existantes().items():
        menu[section] = [st.Page(p.fichier, title=p.titre, icon=p.icone if icones else None) for p in pages]
    return menu


def demarrer(accueil: Callable[[], None]) -> None:
    """Run the page the URL asks for inside the atlas's frame, ``accueil`` being the home page.

    The frame every page gets, from ``dashboard.py``: page settings, Streamlit's chrome in French
    (:mod:`atlas.chrome`), the first-run build, the menu of :data:`SECTIONS`, the sidebar's
    basemap, presentation mode and slide basket. ``benchmarks.pages`` measures it around a page
    that writes one title: the floor of every page's time in the browser.

    Parameters
    ----------
    accueil : callable
        The home page, drawn at the root URL.
    """
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    navigation = _menu(accueil)
    # (or the rerun of a page opened first by its address, page_via_navigation: the flag is reset by then)
    if PagesManager.uses_pages_directory or st.session_state.pop(_LISTE_BRUTE, False):
        # The server's first run: until st.navigation is called, Streamlit 1.67 lists the files of
        # pages/ in the sidebar by their raw names (« dashboard », « precarite energetique »). The
        # menu, hidden, replaces that list before any heavy import or the first-run build.
        # Without icons: the current page's icon becomes the tab's (« :material/home: » fetched from
        # fonts.gstatic.com, out of reach offline) until st.set_page_config sets the atlas's own
        st.navigation(_menu(accueil, icones=False), position="hidden")

    # the favicon is read and converted here (an image library's first import): after the menu
    st.set_page_config(page_title="Atlas du non-recours", page_icon=str(ROOT / "assets" / "favicon.png"), layout="wide")
    from atlas import chrome, diaporama_ui, premiere_construction, presentation, ui

    if not premiere_construction.base_a_jour():
        # the first-run build's running icon comes with Streamlit's English « Stop »: its style first
        st.html(chrome.CSS_CHROME)
        # The build takes a minute: the menu stays hidden until the atlas can open its pages.
        st.navigation(navigation, position="hidden")
    premiere_construction.assurer_base()
    ui.choisir_fond_de_carte()
    page = st.navigation(navigation)
    presentation.choisir_mode()
    # before the page: a page that stops early (st.stop) still gets Streamlit's texts in French
    st.sidebar.html(chrome.bloc_de_la_barre_laterale(diaporama_ui.panneau_lateral()), unsafe_allow_javascript=True)
    page.run()
    presentation.garder_dans_l_url()


def page_via_navigation() -> None:
    """Make sure a page runs inside the navigation of ``dashboard.py``.

    A ``pages/`` folder makes Streamlit start every server process in its legacy multipage mode,
    which runs a page file alone (no entry point, file names in the sidebar) until
    ``dashboard.py`` has called ``st.navigation`` once. A shared link opened first on a fresh
    server (``/explorer``) would show the page without its setup. Each page calls this first: in
    legacy mode it switches the process to ``st.navigation`` mode and reruns, so the entry point
    runs and resolves the same URL to the same page. Each page calls it before its own imports
    (this module is light): the raw list of ``pages/`` stayed on screen while they loaded.
    """
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    from commun.config import get_settings

    # AppTest resets this flag before every run and drives pages itself: rerunning there would
    # swallow the widget event of the run (a button click). Its helpers say so by ATLAS_APPTEST.
    if get_settings().apptest:
        return
    if PagesManager.uses_pages_directory:
        # the raw list is on screen: the pages' menu, hidden, replaces it at once (the entry point's
        # rerun takes about a second to start), and demarrer hides it again first thing
        st.navigation(_menu(None, icones=False), position="hidden")
        PagesManager.uses_pages_directory = False
        st.session_state[_LISTE_BRUTE] = True
        st.rerun()
