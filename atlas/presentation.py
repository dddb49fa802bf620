"""« Mode présentation »: a page as a presenter shows it on a projector.

The presenter sets the view (indicator, level, thresholds…) then switches the mode on: the
sidebar, the header and every control (the export buttons under the figures included) disappear,
texts get bigger, maps and tables take the width. Figures keep their legends and sources. A
button at the top of the page leaves the mode.
The mode lives in the session (it follows the presenter from page to page) and in the URL
(``?presentation=1``), so that a copied link opens directly in presentation mode.
"""

from __future__ import annotations

import streamlit as st

CLE = "mode_presentation"
PARAMETRE = "presentation"

#: Streamlit widgets hidden in presentation mode (test ids of Streamlit 1.67's frontend).
CONTROLES = (
    "stSelectbox",
    "stMultiSelect",
    "stRadio",
    "stSlider",
    "stCheckbox",
    "stToggle",
    "stTextInput",
    "stNumberInput",
    "stDownloadButton",
    "stFileUploader",
    "stPageLink",
    "stCode",
    # Mobilité's and Précarité's choices, the fiche's and the Explorer's territory lists: a control
    # outside a « controles_ » row must not stay on the projector either
    "stButtonGroup",
    "stPopover",
)

#: Font sizes (px) of a chart's texts on a projector: axes and labels, and the figures in the bars.
POLICE_GRAPHIQUE, POLICE_VALEURS = 18, 20

CSS = (
    "<style>/* mode présentation */\n"
    'section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], '
    '[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"], [data-testid="stToolbar"] '
    "{display: none !important;}\n"
    + ", ".join(f'[data-testid="{c}"]' for c in CONTROLES)
    + " {display: none !important;}\n"
    # the containers of hidden controls and the rows holding only controls leave no gap
    + ", ".join(f'[data-testid="stElementContainer"]:has([data-testid="{c}"])' for c in CONTROLES)
    + " {display: none !important;}\n"
    '[data-testid="stHorizontalBlock"]:not(:has([data-testid="stPlotlyChart"], [data-testid="stMarkdownContainer"], '
    '[data-testid="stDataFrame"], .atlas-chiffre-cle, [data-testid="stButton"])) {display: none !important;}\n'
    # export controls (PNG / PDF downloads, « Ajouter au diaporama ») and a page's rows of controls
    # (a container keyed « controles_… », whose emptied rows kept their gaps) are hidden by their keys
     + '[class*="st-key-diaporama_"], [class*="st-key-exports_"], [class*="st-key-controles_"] '
    "{display: none !important;}\n"
    # Streamlit 1.67 wraps each container in a layout wrapper that keeps the key on its child: the
    # wrapper of a hidden container stayed, empty, between two gaps (the 32 px under Zones blanches'
    # title); CSS allows no :has() inside :has(), so rows of controls need a « controles_… » key
    + ", ".join(
        f'[data-testid="stLayoutWrapper"]:has(> {s})'
        for s in (
            '[class*="st-key-diaporama_"]',
            '[class*="st-key-exports_"]',
            '[class*="st-key-controles_"]',
        )
    )
    + " {display: none !important;}\n"
    ".st-key-quitter_presentation {position: fixed; top: 0.6rem; right: 1.2rem; z-index: 1000; width: auto !important;}\n"
    '[data-testid="stMainBlockContainer"] {padding: 1rem 2rem 2rem 2rem !important; max-width: 100% !important;}\n'
    "h1 {font-size: 2.8rem !important;}\n"
    "h2 {font-size: 2.1rem !important;}\n"
    "h3 {font-size: 1.8rem !important;}\n"
    '[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {font-size: 1.3rem !important;}\n'
    # captions (« objectif cumulé : 486 » under a key figure, sources) read from the back of a room too
    '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.2rem !important;}\n'
    # what st.html draws is outside Streamlit's markdown: a chart's bold title (« Rendement des
    # canaux ») stayed at 16 px under 21 px paragraphs, notes and the fiche's comparables at 14 px
     + ".atlas-intitule, .fiche-encadre p, .fiche-encadre summary {font-size: 1.3rem !important;}\n"
    ".atlas-note {font-size: 1.2rem !important;}\n"
    f".atlas-tableau:not(.large) {{font-size: {POLICE_GRAPHIQUE}px !important;}}\n"
    # a profile of ten columns keeps its width: it scrolls sideways past 1 rem
    ".atlas-tableau.large {font-size: 1rem !important;}\n"
    ".fiche-chiffres.grand .fiche-chiffre-libelle, .fiche-chiffres.grand .fiche-chiffre-details "
    "{font-size: 1.1rem !important;}\n"
    # key figures larger than their labels (the paragraphs' size above applies to the labels)
     + ".atlas-chiffre-cle dd {font-size: 3.2rem !important; line-height: 1.15;}\n"
    ".atlas-chiffre-cle dt {font-size: 1.3rem !important;}\n"
    ".atlas-chiffre-cle dd.atlas-chiffre-ecart {font-size: 1.2rem !important;}\n"
    # the « ? » of a key figure and its help, the fiche's numbered sources: at a projector's size too
    ".atlas-aide {width: 1.5rem; height: 1.5rem; font-size: 1.1rem !important;}\n"
    ".atlas-bulle {font-size: 1.1rem !important;}\n"
    ".atlas-sources p, .atlas-sources li {font-size: 1.3rem !important;}\n"
    "</style>"
)


def agrandir(fig, hauteur: int | None = None):
    """The chart as a projector shows it: a copy with larger texts in presentation mode.

    Outside presentation mode the figure itself is returned. The copy leaves a figure shared
    between sessions (cached) untouched.

    Parameters
    ----------
    fig : plotly Figure
        A chart (not a map: maps have their own legend size).
    hauteur : int, optional
        Height of the copy in pixels (the figure's own by default).

    Returns
    -------
    plotly Figure
    """
    if not actif():
        return fig
    import plotly.graph_objects as go

    copie = go.Figure(fig)
    copie.update_layout(font_size=POLICE_GRAPHIQUE, legend_font_size=POLICE_GRAPHIQUE)
    if copie.layout.title.text:
        copie.update_layout(title_font_size=POLICE_VALEURS)
    copie.update_traces(textfont_size=POLICE_VALEURS)
    # the sizes a figure sets on its axes, legend and title would win over the layout's font
    for axes in (copie.update_xaxes, copie.update_yaxes):
        axes(tickfont_size=POLICE_GRAPHIQUE, title_font_size=POLICE_GRAPHIQUE)
    if hauteur:
        copie.update_layout(height=hauteur)
    return copie


def actif() -> bool:
    """Whether the session is in presentation mode."""
    return bool(st.session_state.get(CLE, False))


def choisir_mode() -> None:
    """Read the mode from the URL, offer the sidebar switch and, when on, restyle the page.

    Called by ``dashboard.py`` before the page runs, so that every page gets it.
    """
    if st.query_params.get(PARAMETRE) == "1":
        st.session_state[CLE] = True
    st.sidebar.toggle(
        "Mode présentation",
        key=CLE,
        help="Masque le menu et les réglages, agrandit les textes : pour projeter la vue en cours. "
        "Un bouton en haut de la page permet d'en sortir.",
    )
    if actif():
        st.markdown(CSS, unsafe_allow_html=True)
        with st.container(key="quitter_presentation"):
            st.button("Quitter le mode présentation", icon=":material/close_fullscreen:", on_click=_quitter)


def _quitter() -> None:
    st.session_state[CLE] = False
    if PARAMETRE in st.query_params:
        del st.query_params[PARAMETRE]


def garder_dans_l_url() -> None:
    """Put ``presentation=1`` back in the URL after the page rewrote its query parameters."""
    if actif():
        st.query_params[PARAMETRE] = "1"
    elif PARAMETRE in st.query_params:
        del st.query_params[PARAMETRE]
