"""The selected territory of a map page, and the links from it to another page (its profile).

A click on the map or the keyboard-accessible list chooses the territory
(:func:`territoire_selectionne`); :func:`lien_fiche` opens its profile, :func:`lien_page` any page
with query parameters.
"""

from __future__ import annotations

import streamlit as st


def territoire_selectionne(noms: dict[str, str], code_clique: str | None, code_url: str | None) -> str | None:
    """The selected territory of a map page: a click on the map, else the list (keyboard-accessible).

    The list keeps its choice across reruns; it starts on the link's territory when that one is of
    the level shown (``code_url``), and follows a click on the map.

    Parameters
    ----------
    noms : dict
        Code → « Nom (code) » of the territories of the map.
    code_clique : str or None
        The territory clicked on the map in this run.
    code_url : str or None
        The territory named by the page's link.
    """
    if code_clique:
        st.session_state["territoire"] = code_clique
    elif "territoire" not in st.session_state or st.session_state["territoire"] not in noms:
        st.session_state["territoire"] = code_url if code_url in noms else None
    return st.selectbox(
        "Territoire sélectionné (cliquez sur la carte ou choisissez)",
        list(noms),
        format_func=noms.get,
        placeholder="Choisir un territoire…",
        key="territoire",
    )


def lien_fiche(niveau: str, code: str, nom: str) -> None:
    """« Ouvrir la fiche de … »: the selected territory's profile.

    Always drawn: a missing page file stops the app with its name (:mod:`atlas.navigation`)
    rather than losing its links without a word.
    """
    lien_page(
        "pages/fiche_territoire.py",
        f"Ouvrir la fiche de {nom}",
        {"niveau": niveau, "code": code},
        ":material/location_city:",
    )


def lien_page(fichier: str, libelle: str, query_params: dict[str, str], icone: str | None = None) -> None:
    """Link to another page with query parameters.

    ``st.page_link`` when the page is registered in the navigation (the normal case); a plain
    relative link to the same URL otherwise (a page run on its own, as in AppTest).
    """
    from urllib.parse import urlencode

    from streamlit.errors import StreamlitAPIException

    try:
        st.page_link(fichier, label=libelle, icon=icone, query_params=query_params)
    except StreamlitAPIException:
        chemin = fichier.rsplit("/", 1)[-1].removesuffix(".py")
        st.markdown(f"[{libelle}]({chemin}?{urlencode(query_params)})")
