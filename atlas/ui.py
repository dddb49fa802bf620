"""Small UI helpers shared by the pages: first-run build, headers, source footers."""

from __future__ import annotations

import threading

import streamlit as st

from atlas.url import lien_de_la_vue
from commun.config import get_settings


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    # One first-run build per server process, even when several sessions open at once.
    return threading.Lock()


def base_a_jour() -> bool:
    """True when the DuckDB file exists and has the schema version this code expects."""
    from commun.schema import SCHEMA_VERSION

    path = get_settings().db_path
    if not path.is_file():
        return False
    from atlas.queries import metadonnees

    try:
        return metadonnees().get("schema_version") == SCHEMA_VERSION
    except Exception:  # an unreadable or foreign file: rebuild it
        return False


def assurer_base() -> None:
    """Build the database on first start (or after a schema change), with visible progress."""
    if base_a_jour():
        return
    settings = get_settings()
    with _build_lock():
        if base_a_jour():  # built by another session while we waited
            return
        from commun.erreurs import EtlError
        from etl import facade

        with st.status("Première utilisation : construction de la base de données…", expanded=True) as status:
            try:
                # under the writers' lock (imports, command-line builds): a build already running
                # is waited for, then not run twice
                facade.build_first_run(
                    settings.db_path, settings.raw_dir, settings.region, is_current=base_a_jour, log=st.text
                )
            except EtlError as exc:
                status.update(label="La construction de la base a échoué", state="error")
                st.error(f"Construction impossible : {exc}")
                st.stop()
            status.update(label="Base de données construite", state="complete", expanded=False)
        st.cache_data.clear()


def _date_fr(iso: str | None) -> str:
    """The build date as French readers write it (« 1er décembre 2026 »), « ? » when unknown."""
    from atlas.formatting import format_date_fr

    try:
        return format_date_fr(iso)
    except (TypeError, ValueError):
        return "?"


def pied_de_page(sources: list[str] | None = None) -> None:
    """Footer naming the sources (all of them, or the given source codes) with millésime and licence."""
    from atlas.queries import metadonnees
    from atlas.queries import sources as lire_sources

    frame = lire_sources()
    if sources is not None:
        frame = frame[frame["source"].isin(sources)]
    lignes = [f"{r.libelle} — {r.producteur}, millésime {r.millesime} ({r.licence})" for r in frame.itertuples()]
    meta = metadonnees()
    st.divider()
    sources_texte = ("**Sources** : " + " ; ".join(lignes) + ". ") if lignes else ""
    st.caption(
        sources_texte + f"Base construite le {_date_fr(meta.get('date_construction'))}. "
        "Atlas du non-recours, logiciel libre (GPL-3.0)."
    )


# A missing value in a table (Streamlit would write « None »).
MANQUANT = "—"


def tableau(data, **options):
    """``st.dataframe`` with missing values shown as « — » instead of Streamlit's English « None ».

    Parameters
    ----------
    data : DataFrame
        The table as shown.
    **options
        Passed to ``st.dataframe`` (``hide_index``, ``column_config``...).
    """
    options.setdefault("placeholder", MANQUANT)
    return st.dataframe(data, **options)


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


def lien_fiche(niveau: str, code: str, nom: str) -> None:
    """« Ouvrir la fiche de … »: the selected territory's profile, when the page exists."""
    from commun.config import ROOT

    if (ROOT / "pages" / "fiche_territoire.py").is_file():
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
    from atlas import diaporama, diaporama_ui, images

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
            on_click=lambda: diaporama_ui.ajouter_et_signaler(
                diaporama.Vue.de_figure(figure(), **mise_en_page, lien=lien_de_la_vue())
            ),
        )
    if sans_chromium:
        st.caption(images.MESSAGE_SANS_CHROMIUM)
