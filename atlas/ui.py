"""Small UI helpers shared by the pages: tables, source footer, basemap, the view's link, the export row under a figure.

The selected territory of a map page and the links between pages are in :mod:`atlas.selection`,
the first start's build in :mod:`atlas.premiere_construction`, Streamlit's chrome in French in
:mod:`atlas.chrome`, the tables' column widths in :mod:`atlas.largeurs_colonnes`.
"""

from __future__ import annotations

import itertools

import streamlit as st

from atlas.formatting import MANQUANT
from atlas.largeurs_colonnes import HAUTEUR_LIGNE_REPLIEE, LARGEUR_TABLEAU, largeurs_colonnes, libelle_et_aide
from atlas.url import lien_de_la_vue
from commun.config import get_settings


def _date_fr(iso: str | None) -> str:
    """The build date as French readers write it (« 1er décembre 2026 »), « ? » when unknown."""
    from atlas.formatting import format_date_fr

    try:
        return format_date_fr(iso)
    except (TypeError, ValueError):
        return "?"


def _titre_court(libelle: str) -> str:
    """A source's description up to its first detail (« Fichier localisé social et fiscal (Filosofi) »)."""
    import re

    libelle = re.sub(r"^DÉMONSTRATION\s*:\s*", "", libelle)
    court = re.split(r" : | — | \(|, (?=via|calculé|regroupés)", libelle, maxsplit=1)[0]
    return court.rstrip(" ,;")


def pied_de_page(sources: list[str] | None = None) -> None:
    """Footer: the sources (all of them, or the given source codes) as a short list, one a line.

    Demonstration data is named once, first; each source then reads « title — producer,
    millésime ». Their full descriptions and licences are on « Données et méthodes ».
    """
    from atlas.queries import metadonnees
    from atlas.queries import sources as lire_sources

    frame = lire_sources()
    if sources is not None:
        frame = frame[frame["source"].isin(sources)]
    demo = frame[frame["demonstration"].fillna(False).astype(bool)]
    reelles = frame.drop(demo.index)
    lignes = []
    if len(demo):
        lignes.append(
            "**Données de démonstration** (valeurs inventées, jamais à citer) : "
            + " ; ".join(f"{_titre_court(r.libelle)} ({r.producteur})" for r in demo.itertuples())
            + "."
        )
    if len(reelles):
        lignes.append("**Sources**")
        lignes += [
            f"- {_titre_court(r.libelle)} — {r.producteur}, millésime {r.millesime}" for r in reelles.itertuples()
        ]
    meta = metadonnees()
    st.divider()
    st.caption(
        "\n".join(lignes)
        + ("\n\n" if lignes else "")
        + f"Base construite le {_date_fr(meta.get('date_construction'))}. "
        "Descriptions et licences des sources : page « Données et méthodes ». "
        "Atlas du non-recours, logiciel libre (GPL-3.0)."
    )


# keys of the containers of the tables too wide for the page (one per table of a run)
_compteur_defilants = itertools.count()


def tableau(data, **options):
    """``st.dataframe`` that fits its page at 1280 px, with missing values shown as « — ».

    Missing values read « — » instead of Streamlit's English « None ». Column widths come from
    :func:`largeurs_colonnes`: no column is cut at the right edge of a 1280 px screen; a long
    text wraps on three lines, and a header too long for its column keeps its full text in the
    header's tooltip. A width given in ``column_config`` is kept.

    Parameters
    ----------
    data : DataFrame
        The table as shown.
    **options
        Passed to ``st.dataframe`` (``hide_index``, ``column_config``...).
    """
    import pandas as pd

    options.setdefault("placeholder", MANQUANT)
    if isinstance(data, pd.DataFrame) and len(data.columns):
        config = dict(options.get("column_config") or {})
        largeurs, replier, coupes = largeurs_colonnes(data, config, options.get("hide_index"))
        for nom, largeur in largeurs.items():
            cfg = config.get(nom)
            libelle, aide = libelle_et_aide(nom, cfg)
            cfg = dict(cfg) if isinstance(cfg, dict) else {"label": libelle}
            cfg["width"] = largeur
            if nom in coupes and not aide:
                cfg["help"] = libelle  # the header is cut: its whole text on hover
            config[nom] = cfg
        options["column_config"] = config
        if replier:
            options.setdefault("row_height", HAUTEUR_LIGNE_REPLIEE)
        if sum(largeurs.values()) > LARGEUR_TABLEAU + 1:
            # too many columns for the page even narrowed (a month-by-month table): it scrolls
            # sideways, its first column pinned, and says so
            premiere = next(iter(largeurs))
            config[premiere] = {**config[premiere], "pinned": True}
            with st.container(key=f"tableau_defilant_{next(_compteur_defilants)}"):
                tableau_ = st.dataframe(data, **options)
                st.caption("Tableau large : faites-le défiler vers la droite, sa première colonne reste affichée.")
            return tableau_
    return st.dataframe(data, **options)


def tableau_statique(frame, libelles: dict[str, str], largeurs: dict[str, int] | None = None, *, key: str) -> None:
    """A short reference table (a few dozen rows of long texts) drawn whole, its texts wrapped.

    ``st.table``: every cell's text wraps within the page's width, so that a source's
    description or a publication reads in full, on a projector as on paper; nothing to scroll.

    Parameters
    ----------
    frame : DataFrame
        The table; only the columns named in ``libelles`` are shown, in that order.
    libelles : dict
        Header of each shown column. Numbers are written the French way (« 1 535 »: years are
        given as text), booleans read « oui » or « non », missing values « — ».
    largeurs : dict, optional
        Share of the page's width (%) of some columns; the others share the rest.
    key : str
        Key of the table's container (its widths are set on it).
    """
    import pandas as pd

    from atlas.formatting import texte_litteral

    montre = frame[list(libelles)].rename(columns=libelles)
    from atlas.formatting import format_nombre

    def ecrire(col):
        if pd.api.types.is_bool_dtype(col):
            return col.map({True: "oui", False: "non"})
        if pd.api.types.is_numeric_dtype(col):
            return col.map(lambda v: MANQUANT if pd.isna(v) else format_nombre(v, 0 if float(v).is_integer() else 1))
        return col

    montre = montre.apply(ecrire).astype(object)
    regles = [
        # fixed layout: the given shares hold, and a long word (a code) breaks rather than overflow
        f".st-key-{key} table {{table-layout: fixed; width: 100%;}}",
        f".st-key-{key} :is(td, th) p {{overflow-wrap: anywhere !important;}}",
    ]
    for i, colonne in enumerate(libelles, start=1):
        if largeurs and colonne in largeurs:
            regles.append(f".st-key-{key} tr > :nth-child({i}) {{width: {largeurs[colonne]}%;}}")
        if pd.api.types.is_numeric_dtype(frame[colonne]) and not pd.api.types.is_bool_dtype(frame[colonne]):
            # numbers right-aligned, units under units, as in every other table
            regles.append(f".st-key-{key} td:nth-child({i}) p {{text-align: right;}}")
    with st.container(key=key):
        st.html(f"<style>{''.join(regles)}</style>")
        st.table(texte_litteral(montre.where(montre.notna(), MANQUANT)), hide_index=True)


def colonne_nombre(label: str, *, help: str | None = None, decimales: int | None = None):
    """A table column of numbers written the reader's way: « 2 541 » and « 28,1 » in a French browser.

    A printf format (``"%.1f"``) always prints a decimal point — « 28.1 », wrong in French —
    and no thousands separator; ``"localized"`` follows the browser's language. Every value of
    the column gets the same number of decimals (« 25,0 » beside « 28,1 », never « 25 »): given,
    or read from the unit in the label's parentheses (one for « % », « rapport », « points », two
    for « indice », none otherwise), as :func:`atlas.formatting.decimales` does for the text.

    Parameters
    ----------
    label : str
        Column header (with its unit).
    help : str, optional
        Tooltip of the header.
    decimales : int, optional
        Decimals shown; by default from the unit in the label.
    """
    if decimales is None:
        decimales = decimales_du_libelle(label)
    # the column's step fixes its decimals in Streamlit's "localized" format
    step = 10.0**-decimales if decimales else None
    return st.column_config.NumberColumn(label, format="localized", help=help, step=step)


def decimales_du_libelle(label: str) -> int:
    """Decimals of a column from the unit its header names in parentheses.

    Examples
    --------
    >>> decimales_du_libelle("Taux détecté (%)"), decimales_du_libelle("Indice de Gini (indice), 2021")
    (1, 2)
    >>> decimales_du_libelle("Nombre de DPE"), decimales_du_libelle("Écart (points)")
    (0, 1)
    """
    import re

    from atlas.formatting import decimales

    unites = " ".join(re.findall(r"\(([^()]*)\)", label))
    if re.search(r"(?<!\w)indice(?!\w)", unites):
        return decimales("indice")
    if "%" in unites or re.search(r"(?<!\w)(rapport|points|pts)(?!\w)", unites):
        return 1
    return 0


def donnees_en_tableau(
    frame, column_config: dict | None = None, titre: str = "Les données de la carte en tableau"
) -> None:
    """Text alternative of a figure: the same data as a table, in an expander.

    A screen-reader or keyboard user reaches every value of a map or chart through it, and an
    analyst can sort it.
    """
    with st.expander(titre, icon=":material/table:"):
        tableau(frame, hide_index=True, column_config=column_config)


def choisir_fond_de_carte() -> None:
    """Sidebar setting of the basemap, shared by every page of the session."""
    from commun.config import FONDS_DE_CARTE

    if "fond_de_carte" not in st.session_state:
        st.session_state["fond_de_carte"] = get_settings().fond_de_carte
    st.sidebar.selectbox(
        "Fond de carte",
        options=list(FONDS_DE_CARTE),
        format_func=lambda k: FONDS_DE_CARTE[k][0],
        key="fond_de_carte",
        help="Le fond neutre fonctionne sans internet ; les fonds tuilés nécessitent une connexion.",
    )


def fond_de_carte() -> str:
    """The basemap chosen in the sidebar (or the configured default)."""
    return st.session_state.get("fond_de_carte", get_settings().fond_de_carte)


def page_via_navigation() -> None:
    """Make sure a page runs inside the navigation of ``dashboard.py``.

    A ``pages/`` folder makes Streamlit start every server process in its legacy multipage mode,
    which runs a page file alone (no entry point, file names in the sidebar) until
    ``dashboard.py`` has called ``st.navigation`` once. A shared link opened first on a fresh
    server (``/explorer``) would show the page without its setup. Each page calls this first: in
    legacy mode it switches the process to ``st.navigation`` mode and reruns, so the entry point
    runs and resolves the same URL to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    # AppTest resets this flag before every run and drives pages itself: rerunning there would
    # swallow the widget event of the run (a button click). Its helpers say so by ATLAS_APPTEST.
    if get_settings().apptest:
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def copier_le_lien() -> None:
    """Sidebar block « Copier le lien » with the URL of the current view (copy button included)."""
    lien = lien_de_la_vue()
    st.sidebar.markdown("**Copier le lien de cette vue**")
    if lien:
        st.sidebar.code(lien, language=None, wrap_lines=True)
    else:
        st.sidebar.caption(
            "L'adresse de la page dans le navigateur reproduit la vue (les réglages y sont enregistrés)."
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
    as fast as without it; a drawing that fails says why in French under the button
    (:mod:`atlas.telechargement`); without Chromium the button is disabled and a caption says how to
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
    from atlas import diaporama, diaporama_ui, images, telechargement

    mise_en_page = {"titre": titre, "source": source, "demonstration": demonstration, "sous_titre": sous_titre}
    # a figure made for the image only (a map with its legend...) is built on click, not on every run
    figure = fig if callable(fig) else (lambda: fig)
    sans_chromium = images.chromium() is None
    with st.container(horizontal=True, gap="small", key=f"exports_{key}"):
        st.download_button(
            "Télécharger l'image (PNG)",
            # a failure reads in French under the button (not Streamlit's « Failed to generate file »)
            data=telechargement.prepare(
                lambda: images.png(figure(), **mise_en_page),
                quoi="L'image n'a pas pu être dessinée",
                conseil="Réessayez dans un instant, ou téléchargez les données (CSV) du tableau de la page.",
            ),
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
            on_click=lambda: diaporama_ui.ajouter_et_signaler(
                diaporama.Vue.de_figure(figure(), **mise_en_page, lien=lien_de_la_vue())
            ),
        )
    if sans_chromium:
        st.caption(images.MESSAGE_SANS_CHROMIUM)
