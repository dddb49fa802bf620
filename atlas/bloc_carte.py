"""The block every thematic page repeats: a map or chart, its caption, its exports, its table and CSV.

One place for the order of the block (figure, caption, export row), for the export options
(deferred PNG, slideshow) and for the download buttons (built on click, never rerunning the page).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from atlas import queries, telechargement, ui
from atlas.composants import carte as composant
from atlas.composants import echelles
from atlas.exports import csv_fr
from atlas.maps import CONFIG_PLOTLY
from atlas.maps_continue import carte_choroplethe


def figure(
    fig,
    *,
    key: str,
    titre: str,
    source: str,
    nom_fichier: str,
    demonstration: bool = False,
    sous_titre: str | None = None,
    legende: str | None = None,
    image: Callable | None = None,
    ecran: str | None = None,
    dans=None,
    exports: bool = True,
) -> None:
    """Draw a map or chart, then its caption, then its export row (PNG image, slideshow).

    Parameters
    ----------
    fig : plotly Figure or callable
        The figure as shown on the page; with ``ecran``, the figure of the image and the slide
        only, or a function without argument that builds it (called on click only).
    key : str
        Unique key of the figure on the page (the export widgets' keys derive from it).
    titre, source, nom_fichier, demonstration, sous_titre
        Title, source and millésime, file name, demonstration flag and second title line of the
        exported image and slide (:func:`atlas.ui.exports_figure`).
    legende : str, optional
        Caption under the figure (definitions, sources, thresholds).
    image : callable, optional
        Builds the figure of the image and the slide when it differs from ``fig`` (a map with its
        bivariate legend); called on click only.
    ecran : str, optional
        HTML drawn on screen in the place of ``fig`` (simple bars, :mod:`atlas.precarite_barres`):
        the page then loads no plotly.js for it, and ``fig`` is only the image and the slide.
    dans : Streamlit container, optional
        A column or container to draw into (the page's main area by default).
    exports : bool
        Draw the export row; False leaves it out (a page that shows its export rows on request).
    """
    with dans if dans is not None else contextlib.nullcontext():
        if ecran is None:
            st.plotly_chart(fig() if callable(fig) else fig, config=CONFIG_PLOTLY, key=key)
        else:
            with st.container(key=key):
                st.html(ecran)
        if legende:
            st.caption(legende)
        if not exports:
            return
        ui.exports_figure(
            image or fig,
            titre=titre,
            sous_titre=sous_titre,
            source=source,
            demonstration=demonstration,
            nom_fichier=nom_fichier,
            key=key,
        )


def carte(
    donnees: dict,
    *,
    key: str,
    image: Callable,
    titre: str,
    source: str,
    nom_fichier: str,
    demonstration: bool = False,
    sous_titre: str | None = None,
    legende: str | None = None,
    dans=None,
    exports: bool = True,
    methode: str | None = None,
) -> str | None:
    """Draw a map with the atlas's map component, then its caption, then its export row.

    On screen the map is the atlas's canvas component (:mod:`atlas.composants.carte`, no plotly); the PNG
    image and the slide draw the plotly figure that ``image`` builds, on click only.

    Parameters
    ----------
    donnees : dict
        What the component draws (:func:`atlas.composants.carte.donnees_classes` and its kin).
    key : str
        Unique key of the map on the page (the export widgets' keys derive from it).
    image : callable
        Function without argument returning the plotly figure of the image and the slide.
    titre, source, nom_fichier, demonstration, sous_titre, legende, dans, exports
        As in :func:`figure`.
    methode : str, optional
        The method's detail, folded under the caption (« Méthode et limites »): the caption stays a
        few lines a committee reads, not a wall of text.

    Returns
    -------
    str or None
        The code of the territory just clicked on the map, None on other runs.
    """
    with dans if dans is not None else contextlib.nullcontext():
        clic = composant.afficher(donnees, key=key)
        if legende:
            st.caption(legende)
        if methode:
            with st.expander("Méthode et limites", icon=":material/info:"):
                st.caption(methode)
        if not exports:
            return clic
        ui.exports_figure(
            image,
            titre=titre,
            sous_titre=sous_titre,
            source=source,
            demonstration=demonstration,
            nom_fichier=nom_fichier,
            key=key,
        )
    return clic


def carte_continue(data: pd.DataFrame, niveau: str, *, reglages: dict, key: str, **bloc) -> str | None:
    """A map on a continuous scale: the component on screen, and for the PNG and the slide its
    plotly twin drawn with the very same settings.

    Parameters
    ----------
    data : DataFrame
        One row per territory (``code``, ``nom`` and the value column).
    niveau : str
        The level, whose layer is drawn.
    reglages : dict
        Keyword arguments shared by :func:`atlas.composants.echelles.donnees_continues` and
        :func:`atlas.maps_continue.carte_choroplethe` (``colonne``, ``libelle``, ``unite``, ``emprise``,
        ``palette``, ``fond``, ``hauteur``, ``echelle_log``, ``libelle_manquant``).
    key : str
        Unique key of the map on the page.
    **bloc
        ``titre``, ``source``, ``nom_fichier`` and the other arguments of :func:`carte`.
    """
    return carte(
        echelles.donnees_continues(data, niveau, **reglages),
        key=key,
        image=lambda: carte_choroplethe(data, queries.geojson(niveau), **reglages),
        **bloc,
    )


def nommer_gris(
    donnees: dict, *, secret: str | None = None, absent: str | None = None, estimation: str | None = None
) -> dict:
    """Give the two grey categories of a map of the component the names its page uses.

    :func:`atlas.composants.carte.donnees_classes` names them « Secret statistique » and « Donnée
    non disponible », as :func:`atlas.maps.carte_classes` does by default; a page whose greys mean
    something else (« Moins de 10 bilans », « Aucun DPE ») says so in its legend, as its image does.

    Parameters
    ----------
    donnees : dict
        The component's data (changed in place and returned).
    secret, absent : str, optional
        Legend names of the dark grey (hidden value) and light grey (no value) categories.
    estimation : str, optional
        Legend name of the black outline of the values resting on an estimate.

    Returns
    -------
    dict
        ``donnees``, renamed.
    """
    from atlas.classification import LIBELLE_ABSENT, LIBELLE_SECRET
    from atlas.maps import LIBELLE_ESTIMATION

    noms = {LIBELLE_SECRET: secret or LIBELLE_SECRET, LIBELLE_ABSENT: absent or LIBELLE_ABSENT}
    donnees["libelles"] = [noms.get(lib, lib) for lib in donnees["libelles"]]
    for entree in donnees["legende"]:
        if not entree.get("contour"):
            entree["libelle"] = noms.get(entree["libelle"], entree["libelle"])
        elif estimation and entree["libelle"] == LIBELLE_ESTIMATION:
            entree["libelle"] = estimation
    return donnees


def telechargement_csv(
    export: pd.DataFrame,
    entete: list[str],
    nom_fichier: str,
    libelle: str = "Télécharger le tableau (CSV)",
    dans=None,
) -> None:
    """« Télécharger … (CSV) »: the table in French CSV with its header lines (sources, definitions).

    The file is written on click only, and the click does not rerun the page (nor rebuild its maps).

    Parameters
    ----------
    export : DataFrame
        The table as exported (secret rule already applied).
    entete : list of str
        Comment lines written above the table: title, sources and millésimes, definitions.
    nom_fichier : str
        Name of the file, with its ``.csv`` extension.
    libelle : str
        Label of the button.
    dans : Streamlit container, optional
        A column to draw the button into.
    """
    _telechargement(
        libelle,
        lambda: csv_fr(export, entete),
        nom_fichier,
        "text/csv",
        quoi="Le fichier CSV n'a pas pu être préparé",
        conseil="Réessayez ; si l'échec revient, signalez-le à l'équipe de l'atlas.",
        dans=dans,
    )


def telechargement_geojson(
    fabrique: Callable[[], bytes], nom_fichier: str, libelle: str = "Télécharger (GeoJSON)", dans=None
) -> None:
    """« Télécharger (GeoJSON) »: the map's territories with their values, written on click only.

    A failure says in French what went wrong (:func:`atlas.telechargement.prepare`), and the click
    does not rerun the page.

    Parameters
    ----------
    fabrique : callable
        Returns the file's bytes (:func:`atlas.exports.geojson_fr`); called on click only.
    nom_fichier : str
        Name of the file, with its ``.geojson`` extension.
    libelle : str
        Label of the button.
    dans : Streamlit container, optional
        A column to draw the button into.
    """
    _telechargement(
        libelle,
        fabrique,
        nom_fichier,
        "application/geo+json",
        quoi="Le fichier GeoJSON n'a pas pu être préparé",
        conseil="Réessayez ou téléchargez le tableau (CSV) ; si l'échec revient, signalez-le à l'équipe de l'atlas.",
        dans=dans,
    )


def _telechargement(libelle, fabrique, nom_fichier, mime, *, quoi, conseil, dans) -> None:
    """A file written on click only, its failure said in French, the click rerunning nothing."""
    (dans or st).download_button(
        libelle,
        telechargement.prepare(fabrique, quoi=quoi, conseil=conseil),
        file_name=nom_fichier,
        mime=mime,
        on_click="ignore",
    )


def tableau_et_csv(
    affichage: pd.DataFrame,
    column_config: dict,
    *,
    export: pd.DataFrame,
    entete: list[str],
    nom_fichier: str,
    libelle: str = "Télécharger le tableau (CSV)",
    hide_index: bool = True,
    replie: str | None = None,
    statique_jusqua: int | None = None,
    key: str | None = None,
) -> None:
    """A data table and, under it, the button that downloads it as CSV.

    Parameters
    ----------
    affichage : DataFrame
        The table as shown.
    column_config : dict
        Column headers and formats (``st.dataframe``'s ``column_config``).
    export, entete, nom_fichier, libelle
        See :func:`telechargement_csv`.
    hide_index : bool
        Hide the frame's index (the default: an index is not data).
    replie : str, optional
        The table in a closed expander of that title, its grid built only once the reader opens
        it (:func:`atlas.ui.donnees_en_tableau`; index hidden); the CSV button stays under it.
    statique_jusqua : int, optional
        A table of at most that many rows is drawn whole as a static table (:func:`tableau_court`),
        read at a glance and with nothing to sort; a longer one keeps the sortable grid.
    key : str, optional
        Key of the static table's container (required with ``statique_jusqua``).
    """
    if statique_jusqua is not None and len(affichage) <= statique_jusqua:
        tableau_court(affichage, column_config, key=key)
    elif replie:
        ui.donnees_en_tableau(affichage, column_config, replie)
    else:
        ui.tableau(affichage, hide_index=hide_index, column_config=column_config)
    telechargement_csv(export, entete, nom_fichier, libelle)


def tableau_court(
    affichage: pd.DataFrame,
    column_config: dict,
    *,
    key: str,
    largeurs: dict[str, int] | None = None,
    grand: bool = False,
) -> None:
    """A short table drawn whole as plain HTML, with the headers, tooltips and number formats of its grid.

    A data grid (``st.dataframe``) makes the browser load and run about 1,4 MB of script (the
    grid, Arrow's formatting, moment.js) even for six rows, and ``st.table`` still loads Arrow's
    formatting (0,7 MB); an HTML table (:func:`atlas.graphiques_html.tableau_html`) costs the page
    almost nothing. Numbers are written the French way with the decimals of their column
    (« 34 564 », « 28,1 »), dates as their column's format says (« 03/2025 »), missing values
    « — », numbers right-aligned; a header's help is its tooltip, as in the grid.

    Parameters
    ----------
    affichage : DataFrame
        The table as the grid would show it.
    column_config : dict
        The grid's ``column_config``: a header (str), ``None`` (column hidden), or a column
        made by :func:`atlas.ui.colonne_nombre`, ``st.column_config.DateColumn`` or another
        ``st.column_config`` type (its label and help are used).
    key : str
        Key of the table's container.
    largeurs : dict, optional
        Share of the page's width (%) of some columns; the others share the rest.
    grand : bool
        Larger texts (presentation mode).
    """
    from atlas.formatting import MANQUANT, format_nombre
    from atlas.graphiques_html import tableau_html

    ecrit, entetes, nombres, aides = {}, {}, [], {}
    for nom in affichage.columns:
        cfg = column_config.get(nom, nom)
        if cfg is None:
            continue
        cfg = {"label": cfg} if isinstance(cfg, str) else cfg
        genre = (cfg.get("type_config") or {}).get("type")
        valeurs = affichage[nom]
        if genre == "number" or (genre is None and pd.api.types.is_numeric_dtype(valeurs)):
            pas = (cfg.get("type_config") or {}).get("step")
            decimales = len(f"{pas:f}".rstrip("0").split(".")[1]) if pas else 0
            ecrit[nom] = valeurs.map(lambda v, d=decimales: format_nombre(v, d))
            nombres.append(nom)
        elif genre == "date":
            motif = cfg["type_config"].get("format") or "DD/MM/YYYY"
            motif = motif.replace("DD", "%d").replace("MM", "%m").replace("YYYY", "%Y")
            ecrit[nom] = pd.to_datetime(valeurs).map(lambda v, m=motif: MANQUANT if pd.isna(v) else v.strftime(m))
        else:
            ecrit[nom] = valeurs.map(lambda v: MANQUANT if v is None or (isinstance(v, float) and v != v) else v)
            if cfg.get("alignment") == "right":
                nombres.append(nom)
        entetes[nom] = cfg.get("label") or nom
        if cfg.get("help"):
            aides[nom] = cfg["help"]
    # long headers wrap rather than widen their column of short numbers
    regles = [f".st-key-{key} .atlas-tableau th {{white-space: normal;}}"]
    if largeurs:
        # automatic layout: the shares are hints that give way to a header's longest word
        regles.append(f".st-key-{key} table {{table-layout: auto;}}")
        regles += [
            f".st-key-{key} tr > :nth-child({i}) {{width: {largeurs[nom]}%;}}"
            for i, nom in enumerate(entetes, start=1)
            if nom in largeurs
        ]
    tableau = tableau_html(
        pd.DataFrame(ecrit, index=affichage.index), entetes, nombres=nombres, aides=aides, grand=grand
    )
    with st.container(key=key):
        st.html(f"<style>{''.join(regles)}</style>{tableau}")


#: The chosen option of a button group (``st.segmented_control``, ``st.pills``) is written in the
#: theme's red on a pale tint of it: 4,47:1, under the 4,5:1 a reader needs; a darker red reads at 5,6:1.
CSS_BOUTONS_CHOISIS = (
    "<style>button[data-variant][data-selected='true'], button[data-variant][data-selected='true'] p "
    "{color: rgb(176, 42, 58) !important;}</style>"
)


def boutons_choisis_lisibles() -> None:
    """Give the chosen option of the page's button groups a text contrast of 5,6:1 (:data:`CSS_BOUTONS_CHOISIS`).

    A style-only block: Streamlit draws it in no box of the page.
    """
    st.html(CSS_BOUTONS_CHOISIS)
