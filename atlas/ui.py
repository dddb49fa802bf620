"""Small UI helpers shared by the pages: first-run build, headers, source footers."""

from __future__ import annotations

import itertools
import json
import math
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


# Streamlit 1.67 writes some of its own controls in English and has no setting to translate them
# (``client.toolbarMode = "minimal"`` already removes the developer menu: Deploy, Print, Record,
# Settings, Rerun). What is left, seen by a visitor:
# - « Stop », next to the running icon at the top right while a page computes: with this
#   configuration Streamlit 1.67 draws neither (not even during the first-run build); should a
#   version draw them again, the button stays hidden;
# - « Skip to main content », the keyboard's first stop (shown when focused): a help for keyboard
#   and screen-reader users, kept and written in French, as are the buttons' tooltips and spoken
#   names of the tables and charts (« Download as CSV », « Fullscreen »...) and the page's
#   language (``lang``: a screen reader reads French with a French voice, and the browser does
#   not offer to translate the page from English).
#: Style of the chrome: given before anything else (the first-run build shows the running icon).
CSS_CHROME = (
    "<style>/* chrome de Streamlit en français */\n"
    '[data-testid="stStatusWidget"] button {display: none !important;}\n'
    "</style>"
)
#: Streamlit's and plotly's English names of their buttons (tooltips and spoken names), in French.
TRADUCTIONS_CHROME = {
    "Skip to main content": "Aller au contenu principal",
    "Running...": "Calcul en cours",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Déplier le menu",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Clear selection": "Effacer la sélection",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear entry": "Effacer",
    "Clear date": "Effacer la date",
    "Clear dates": "Effacer les dates",
    # not the name of the atlas's own « Télécharger l'image (PNG) » (with title, legend and source)
    "Download plot as a png": "Capture de la figure (PNG)",
    "Download plot as a PNG": "Capture de la figure (PNG)",
    "Pan": "Déplacer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Reset view": "Vue initiale",
    "Reset axes": "Axes initiaux",
    "Autoscale": "Échelle automatique",
    "Zoom": "Zoomer",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
}
#: Script of the chrome: French page language, French names and tooltips of Streamlit's and
#: plotly's buttons (:data:`TRADUCTIONS_CHROME`), drawn again by the frontend at every run.
SCRIPT_CHROME = (
    """
<script>
(() => {
  if (window.__atlasChrome) return;
  window.__atlasChrome = true;
  const fr = """
    + json.dumps(TRADUCTIONS_CHROME, ensure_ascii=False)
    + """;
  const franciser = () => {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
    for (const attr of ["aria-label", "title", "data-title"]) {
      document.querySelectorAll(`[${attr}]`).forEach((e) => {
        const t = fr[e.getAttribute(attr)];
        if (t) e.setAttribute(attr, t);
      });
    }
    // texts: the skip link and the tooltips of the tables' and charts' buttons
    document.querySelectorAll('[data-testid="stSkipToContent"], [data-baseweb="tooltip"] *, [role="tooltip"] *')
      .forEach((e) => {
        if (e.childElementCount === 0 && fr[e.textContent]) e.textContent = fr[e.textContent];
      });
  };
  franciser();
  new MutationObserver(franciser).observe(document.body, {childList: true, subtree: true});
})();
</script>
"""
)


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


# A missing value in a table (Streamlit would write « None »).
MANQUANT = "—"


#: Width (px) a table takes without scrolling sideways: the page's column at 1280 px with the
#: sidebar open is 820 px; less the frame's borders and a classic vertical scrollbar (Windows
#: draws one inside the table, 15 px). At 1400 px and in presentation mode the columns stretch.
LARGEUR_TABLEAU = 768
#: Row height (px) that lets a table's long texts wrap on three lines (Streamlit wraps the cells'
#: text only above 64 px).
HAUTEUR_LIGNE_REPLIEE = 66
# Text widths in the tables' font (Source Sans, 14 px), measured in Chromium: narrow letters,
# wide ones, capitals, and the rest (lower case, digits).
_ETROITS = set("fijlrtI.,;:'()|[]!/- \u00a0\u202f")
_LARGES = set("mwMW%—…")
# cell padding (8 px each side) and, in a header, room for the sort arrow
_MARGE_CELLULE, _MARGE_ENTETE = 18, 20
# a column never narrower than this, whatever its content (a header must show a word)
_LARGEUR_MIN = 56
# a text column that wraps keeps at least this width (about fourteen letters a line)
_LARGEUR_MIN_REPLIEE = 100


def largeur_texte(texte: str) -> float:
    """Width (px) of a text written in a table's font (Source Sans, 14 px), within a few percent.

    Examples
    --------
    >>> round(largeur_texte("Nantes"))
    40
    """
    largeur = 0.0
    for c in texte:
        if c in _ETROITS:
            largeur += 3.8
        elif c in _LARGES:
            largeur += 11.2
        elif c.isupper():
            largeur += 8.3
        else:
            largeur += 7.0
    return largeur


def _libelle_et_aide(nom, config) -> tuple[str, str | None]:
    """Header text and tooltip of a column from its ``column_config`` entry (None, str or dict)."""
    if isinstance(config, str):
        return config, None
    if isinstance(config, dict):
        return (config.get("label") or str(nom)), config.get("help")
    return str(nom), None


def _texte_affiche(valeur, config) -> str:
    """A cell's value roughly as the table writes it (numbers with their separators and decimals)."""
    import pandas as pd

    from atlas.formatting import format_nombre

    if valeur is None or (not isinstance(valeur, (list, tuple, dict)) and pd.isna(valeur)):
        return MANQUANT
    if isinstance(valeur, bool):
        return "✓"  # a checkbox
    if isinstance(valeur, (int, float)):
        pas = ((config or {}).get("type_config") or {}).get("step") if isinstance(config, dict) else None
        decimales = max(0, -int(math.floor(math.log10(pas)))) if pas else (1 if isinstance(valeur, float) else 0)
        return format_nombre(valeur, decimales)
    return str(valeur)


def _plafonner(largeurs: dict, minimums: dict, reductibles: set, budget: float) -> dict:
    """Narrow the widest of the ``reductibles`` columns to a common cap (none below its minimum)
    until the table fits ``budget``, or every one of them is at its minimum."""
    fixe = sum(w for n, w in largeurs.items() if n not in reductibles)

    def total(cap):
        return fixe + sum(max(minimums[n], min(largeurs[n], cap)) for n in reductibles)

    bas, haut = 0.0, max((largeurs[n] for n in reductibles), default=0.0)
    for _ in range(40):
        cap = (bas + haut) / 2
        bas, haut = (cap, haut) if total(cap) <= budget else (bas, cap)
    return {n: max(minimums[n], min(w, bas)) if n in reductibles else w for n, w in largeurs.items()}


def largeurs_colonnes(
    frame, column_config: dict | None = None, hide_index: bool | None = None, budget: int = LARGEUR_TABLEAU
):
    """Column widths that fit a table in ``budget`` pixels, and whether its long texts must wrap.

    Each column asks for the width of its header and of its longest value. When the whole table
    fits, every column gets what it asks (the table then stretches to its container). Otherwise
    the texts of several words wrap on up to three lines, in columns that share the room left by
    the others. When that is not enough, the text columns narrow to a common cap, down to 100 px;
    only then are the headers of the number columns cut (never below the column's longest
    value; the full header goes in its tooltip).

    Parameters
    ----------
    frame : DataFrame
        The table as shown.
    column_config : dict, optional
        Streamlit's column configuration (``None`` hides a column; a width given there is kept).
    hide_index : bool, optional
        As ``st.dataframe``: ``None`` shows the index unless it is a plain row number.
    budget : int
        Width available (px).

    Returns
    -------
    largeurs : dict
        Width (px) by column name (``"_index"`` for the index).
    replier : bool
        Whether a column's text is wider than the column (the rows must wrap).
    coupes : set
        Columns whose header is wider than the column.

    Examples
    --------
    >>> import pandas as pd
    >>> largeurs, replier, coupes = largeurs_colonnes(pd.DataFrame({"nom": ["Nantes"], "x": [1.5]}))
    >>> replier, coupes, sum(largeurs.values()) <= LARGEUR_TABLEAU
    (False, set(), True)
    """
    import pandas as pd

    config = column_config or {}
    colonnes = []  # (name, values, is_text)
    montrer_index = hide_index is False or (hide_index is None and not isinstance(frame.index, pd.RangeIndex))
    if montrer_index:
        colonnes.append(("_index", frame.index, not pd.api.types.is_numeric_dtype(frame.index)))
    for nom in frame.columns:
        colonnes.append((nom, frame[nom], not pd.api.types.is_numeric_dtype(frame[nom])))
    demandes, minimums, repliees, entetes, contenus, est_texte = {}, {}, {}, {}, {}, {}
    fixes = {}
    for nom, valeurs, texte in colonnes:
        cfg = config.get(nom)
        if (nom in config and cfg is None) or (isinstance(cfg, dict) and cfg.get("hidden")):
            continue  # hidden column
        if isinstance(cfg, dict) and isinstance(cfg.get("width"), int):
            fixes[nom] = cfg["width"]
            continue
        libelle, _aide = _libelle_et_aide(nom, cfg)
        # the longest values: a table of thousands of rows is sized on a sample of its distinct values
        distinctes = pd.Series(valeurs).drop_duplicates()
        if len(distinctes) > 2000:
            distinctes = distinctes.sample(2000, random_state=0)
        textes = [_texte_affiche(v, cfg) for v in distinctes]
        contenu = max((largeur_texte(t) for t in textes), default=0) + _MARGE_CELLULE
        entete = largeur_texte(libelle) * 1.03 + _MARGE_ENTETE  # headers are semi-bold
        demandes[nom] = max(contenu, entete, _LARGEUR_MIN)
        entetes[nom], contenus[nom], est_texte[nom] = entete, contenu, texte
        if texte and contenu > _LARGEUR_MIN_REPLIEE:
            # on three lines, a text needs a third of its width (a little more: lines break
            # between words), and never less than its longest word
            mot = max((largeur_texte(m) for t in textes for m in t.split()), default=0) + _MARGE_CELLULE
            repliees[nom] = min(demandes[nom], max(entete, mot, contenu / 2.6, 150))
        minimums[nom] = max(min(contenu, _LARGEUR_MIN_REPLIEE) if texte else contenu, _LARGEUR_MIN)
    reste = budget - sum(fixes.values())
    largeurs = dict(demandes)
    if sum(demandes.values()) > reste:
        largeurs = {n: repliees.get(n, d) for n, d in demandes.items()}
        libre = reste - sum(largeurs.values())
        if libre >= 0:
            # the room left goes to the wrapped columns, in proportion to what they lack
            manque = {n: demandes[n] - largeurs[n] for n in repliees}
            total = sum(manque.values())
            for n, m in manque.items():
                largeurs[n] += libre * m / total if total else 0
        else:
            # still too wide: the text columns narrow first (down to 100 px, their text on three
            # lines), and only then the headers of the number columns are cut
            textes = {n for n in demandes if est_texte[n]}
            largeurs = _plafonner(largeurs, minimums, textes, reste)
            if sum(largeurs.values()) > reste:
                largeurs = _plafonner(largeurs, minimums, set(largeurs), reste)
    largeurs = {n: int(w) for n, w in largeurs.items()}
    replier = any(contenus[n] > largeurs[n] + 1 for n in largeurs)
    coupes = {n for n in largeurs if entetes[n] > largeurs[n] + 1}
    return largeurs, replier, coupes


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
            libelle, aide = _libelle_et_aide(nom, cfg)
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
