"""Streamlit controls of the diaporama: add a table view, and the sidebar basket with the PPTX.

Figures are added by the export row under each figure (``atlas.ui``); tables (key figures, the
territory profile) by :func:`bouton_ajouter_tableau`. The basket is shown in the sidebar of every
page by :func:`panneau_lateral`, called once by ``dashboard.py``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from atlas import diaporama, diaporama_pptx, images, queries, telechargement


def ajouter_et_signaler(vue: diaporama.Vue) -> None:
    """Add a view to the session's basket and say so (toast)."""
    if diaporama.ajouter(st.session_state, vue):
        n = len(diaporama.vues(st.session_state))
        st.toast(f"Vue ajoutée au diaporama ({n} vue{'s' if n > 1 else ''})", icon=":material/slideshow:")
    elif vue in diaporama.vues(st.session_state):
        st.toast("Cette vue est déjà dans le diaporama.", icon=":material/info:")
    else:
        st.toast(
            f"Le diaporama est plein ({diaporama.MAX_VUES} vues) : retirez-en une avant d'ajouter celle-ci.",
            icon=":material/warning:",
        )


def bouton_ajouter_tableau(
    tableau: pd.DataFrame,
    *,
    titre: str,
    source: str,
    key: str,
    demonstration: bool = False,
    sous_titre: str | None = None,
) -> None:
    """A button « Ajouter au diaporama » that adds ``tableau`` as a table view.

    Parameters
    ----------
    tableau : DataFrame
        Already formatted for reading (French numbers with units as text).
    titre, source : str
        Slide title; source and millésime printed at the foot of the slide.
    key : str
        Widget key (unique on the page).
    demonstration : bool
        Whether the table holds demonstration data.
    sous_titre : str, optional
        Second line under the title.
    """
    from atlas.url import lien_de_la_vue

    vue = diaporama.Vue(
        titre=titre,
        source=source,
        demonstration=demonstration,
        sous_titre=sous_titre,
        tableau=tableau,
        lien=lien_de_la_vue(),
    )
    st.button(
        "Ajouter au diaporama",
        key=key,
        icon=":material/slideshow:",
        help="Ajoute ce tableau au diaporama (PPTX) de la session ; le diaporama se télécharge depuis le menu latéral.",
        on_click=ajouter_et_signaler,
        args=(vue,),
    )


def _retirer(position: int) -> None:
    diaporama.retirer(st.session_state, position)


def _vider() -> None:
    diaporama.vider(st.session_state)


#: Text of the empty basket: where views come from and what the download gives.
AIDE_PANIER_VIDE = (
    "Ajoutez des cartes, graphiques ou tableaux avec les boutons « Ajouter au diaporama » des pages, "
    "puis téléchargez-les ici en PowerPoint (une diapositive par vue, avec titre, source et date)."
)


def panneau_lateral() -> str:
    """Sidebar block « Diaporama »: the views added so far, remove them, download the PPTX.

    Returns
    -------
    str
        With an empty basket, the block as HTML (a ``<details>`` drawn as Streamlit's expander,
        styled by :data:`atlas.chrome.CSS_CHROME`) for the frame's one HTML block of the sidebar
        (:func:`atlas.navigation.demarrer`): an expander and its caption were two more elements
        of every page for a block without any control. Else ``""``: the block is drawn here.
    """
    from html import escape

    panier = diaporama.vues(st.session_state)
    if not panier:
        return (
            '<details class="atlas-panier"><summary><span class="atlas-icone" aria-hidden="true">slideshow</span>'
            f"Diaporama (aucune vue)</summary><p>{escape(AIDE_PANIER_VIDE)}</p></details>"
        )
    with st.sidebar.expander(
        f"Diaporama ({len(panier)} vue{'s' if len(panier) > 1 else ''})", icon=":material/slideshow:"
    ):
        for position, vue in enumerate(panier):
            # the sidebar is narrow: the title on its own line, a small « Retirer » under it
            st.markdown(f"{position + 1}. {vue.titre}")
            st.button(
                "Retirer", key=f"retirer_vue_{position}", help=f"Retirer « {vue.titre} » du diaporama",
                icon=":material/delete:", type="tertiary", on_click=_retirer, args=(position,),
            )  # fmt: skip
        titre = f"Atlas du non-recours — {queries.metadonnees()['region_nom']}"
        if images.chromium() is None and any(v.figure is not None for v in panier):
            st.caption(images.MESSAGE_SANS_CHROMIUM)
        st.download_button(
            "Télécharger le diaporama (PPTX)",
            data=telechargement.prepare(
                lambda: diaporama_pptx.construire_pptx(panier, titre=titre),
                quoi="Le diaporama n'a pas pu être préparé",
                conseil="Réessayez dans un instant ; si l'échec revient, retirez la dernière vue ajoutée.",
            ),
            file_name=f"atlas-non-recours-diaporama-{dt.date.today().isoformat()}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            on_click="ignore",
            icon=":material/download:",
            disabled=images.chromium() is None and any(v.figure is not None for v in panier),
            key="telecharger_diaporama",
        )
        st.button("Vider le diaporama", on_click=_vider, key="vider_diaporama")
    return ""
