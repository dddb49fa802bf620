"""Streamlit controls of the image and slide exports: the row under a figure, a table's button, the basket.

A map or chart gets its PNG download and its « Ajouter au diaporama » from the export row
:func:`exports_figure`; a table (key figures, the territory profile) from
:func:`bouton_ajouter_tableau`. The basket is shown in the sidebar of every page by
:func:`panneau_lateral`, called once by ``dashboard.py``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from atlas import diaporama, diaporama_pptx, images, queries
from atlas.url import lien_de_la_vue


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


def exports_figure(
    fig,
    *,
    titre: str,
    source: str,
    nom_fichier: str,
    key: str,
    demonstration: bool = False,
    sous_titre: str | None = None,
) -> None:
    """The export row under a map or chart: « Télécharger l'image (PNG) » and « Ajouter au diaporama ».

    The PNG is drawn only when the button is clicked (deferred download), so the page renders
    as fast as without it; without Chromium the button is disabled and a caption says how to
    enable it. The view added to the presenter's basket carries the same title, source and
    demonstration flag, and the URL of the current view. Presentation mode hides the row
    (its container key starts with ``exports_``).

    Parameters
    ----------
    fig : plotly Figure or callable
        The figure as shown on the page, or a function without argument that returns the
        figure made for the image (e.g. a map with its bivariate legend): it is called on click
        only, so the page does not build it on every run.
    titre : str
        Title drawn in the image and on the slide (indicator, level, millésime).
    source : str
        Source and millésime, drawn with the extraction date.
    nom_fichier : str
        Name of the downloaded file, without extension.
    key : str
        Unique key of the figure on the page (the widgets' keys derive from it).
    demonstration : bool
        Demonstration data: labelled « données de démonstration » in the image and the slide.
    sous_titre : str, optional
        Second title line (level, classification, period...).
    """
    mise_en_page = {"titre": titre, "source": source, "demonstration": demonstration, "sous_titre": sous_titre}
    # a figure made for the image only (a map with its legend...) is built on click, not on every run
    figure = fig if callable(fig) else (lambda: fig)
    sans_chromium = images.chromium() is None
    with st.container(horizontal=True, gap="small", key=f"exports_{key}"):
        st.download_button(
            "Télécharger l'image (PNG)",
            data=lambda: images.png(figure(), **mise_en_page),
            file_name=f"{nom_fichier}.png",
            mime="image/png",
            on_click="ignore",
            icon=":material/image:",
            disabled=sans_chromium,
            key=f"png_{key}",
            help="Image de 1600 pixels de large avec titre, légende, source et millésime, préparée au clic "
            "(quelques secondes ; jusqu'à 20 s pour une carte des communes).",
        )
        # a callback, so that the sidebar basket (drawn before the page) counts the view at once;
        # the figure is serialised only on click
        st.button(
            "Ajouter au diaporama",
            icon=":material/slideshow:",
            key=f"diaporama_{key}",
            on_click=lambda: ajouter_et_signaler(
                diaporama.Vue.de_figure(figure(), **mise_en_page, lien=lien_de_la_vue())
            ),
        )
    if sans_chromium:
        st.caption(images.MESSAGE_SANS_CHROMIUM)


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


def panneau_lateral() -> None:
    """Sidebar block « Diaporama »: the views added so far, remove them, download the PPTX."""
    panier = diaporama.vues(st.session_state)
    with st.sidebar.expander(
        # « Diaporama (aucune vue) », never « (0 vue) »
        f"Diaporama ({f'{len(panier)} vue' + ('s' if len(panier) > 1 else '') if panier else 'aucune vue'})",
        icon=":material/slideshow:",
    ):
        if not panier:
            st.caption(
                "Ajoutez des cartes, graphiques ou tableaux avec les boutons « Ajouter au diaporama » des pages, "
                "puis téléchargez-les ici en PowerPoint (une diapositive par vue, avec titre, source et date)."
            )
            return
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
            data=lambda: diaporama_pptx.construire_pptx(panier, titre=titre),
            file_name=f"atlas-non-recours-diaporama-{dt.date.today().isoformat()}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            on_click="ignore",
            icon=":material/download:",
            disabled=images.chromium() is None and any(v.figure is not None for v in panier),
            key="telecharger_diaporama",
        )
        st.button("Vider le diaporama", on_click=_vider, key="vider_diaporama")
