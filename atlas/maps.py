"""Plotly maps in classes and categories, and what every map of the atlas shares.

The maps drawn in PNG images and slides (on screen, the canvas map component of
:mod:`atlas.composants.carte` draws the same with the same greys, outline and legend names).
Their basemap defaults to a plain background (``white-bg``): it needs no network, so maps render
offline and in exports. Users with internet may pick a tile basemap (``commun.config.FONDS_DE_CARTE``).

The map on a continuous colour scale is in :mod:`atlas.maps_continue`, the bivariate legend in
:mod:`atlas.maps_bivariee`, colour maths in :mod:`atlas.couleurs`, the fitting of a map's view in
:mod:`atlas.cadrage_carte`, the layers shared by every figure in :mod:`atlas.geojson_partage`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas.cadrage_carte import vue_carte
from atlas.geojson_partage import collection_des_codes, features_par_code
from commun.config import FONDS_DE_CARTE

GRIS_MANQUANT = "#bdbdbd"
#: Outline of a territory whose value is the atlas's estimate (never an INSEE figure).
CONTOUR_ESTIMATION = {"trait": "#1a1a1a", "epaisseur": 0.9, "legende": False}
LIBELLE_ESTIMATION = "Estimation de l'atlas (contour noir)"
CONFIG_PLOTLY = {"displaylogo": False, "scrollZoom": True, "locale": "fr"}

#: Expected width (px) of a map's own area on a wide page once its legend is beside it: the view
#: is fitted to it, so that the whole region shows even on a laptop screen.
LARGEUR_CARTE = 600
#: Height (px) of one line of a legend laid under a map (its grey territories, for instance).
HAUTEUR_LEGENDE_DESSOUS = 30

# Legends and colour bars sit outside the map's area, never over it: plotly widens the margin on
# their side to make room for them, so that no legend box hides or fades a territory, whatever the
# region. Long titles are cut into lines so that the legend stays narrow.
LEGENDE_A_DROITE = {"x": 1, "xanchor": "left", "xref": "paper", "y": 1, "yanchor": "top", "yref": "paper"}
LEGENDE_DESSOUS = {"orientation": "h", "x": 0, "xanchor": "left", "xref": "paper", "y": 0, "yanchor": "top"}


#: Height of a map in presentation mode (px): on a 1280 × 720 projector the page's title, its key
#: figure and the whole map show without scrolling.
HAUTEUR_PRESENTATION = 330
#: Legend text size in presentation mode: plotly lays the legend out with it (a size forced by CSS
#: afterwards made the legend title run over the class labels).
POLICE_PRESENTATION = 15


def en_presentation() -> bool:
    """Whether the page is shown in presentation mode (False outside a Streamlit session)."""
    try:
        from atlas import presentation

        return presentation.actif()
    except Exception:  # no Streamlit session (scripts, exports in tests)
        return False


def adapter_a_la_presentation(fig: go.Figure) -> go.Figure:
    """Bigger legend and colour bar texts for a projector, laid out by plotly itself."""
    fig.update_layout(
        legend={"font": {"size": POLICE_PRESENTATION}, "title": {"font": {"size": POLICE_PRESENTATION}}},
    )
    if fig.layout.coloraxis.colorbar is not None:
        fig.update_layout(
            coloraxis_colorbar={
                "tickfont": {"size": POLICE_PRESENTATION},
                "title": {"font": {"size": POLICE_PRESENTATION}},
            }
        )
    return fig


def carte_classes(
    data: pd.DataFrame,
    geojson: dict,
    classes,
    *,
    emprise: tuple[float, float, float, float],
    survol: list[str],
    fond: str = "aucun",
    hauteur: int = 600,
    titre_legende: str = "",
    libelle_secret: str | None = None,
    libelle_absent: str | None = None,
    libelle_estimation: str | None = None,
) -> go.Figure:
    """A choropleth in discrete classes, with secret and missing territories named in the legend.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``code``, ``statut`` (ok | estime | secret | absent) and the
        hover texts. An estimate is coloured by its class and outlined in black, with one
        legend entry for the outline.
    geojson : dict
        FeatureCollection whose feature ids are the codes.
    classes : atlas.classification.Classes
        Classification of ``data`` (``classes.classe`` aligned on ``data``'s index).
    emprise : (west, south, east, north)
        Extent to show.
    survol : list of str
        Columns of ``data`` holding the hover lines (already formatted in French); the first is
        shown in bold (the territory's name).
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``.
    hauteur : int
        Height in pixels.
    titre_legende : str
        Legend title (indicator and unit).
    libelle_secret, libelle_absent : str, optional
        Legend names of the two grey categories (default « Secret statistique » and « Donnée
        non disponible »).
    libelle_estimation : str, optional
        Legend name of the estimates' outline (default « Estimation de l'atlas (contour noir) »).

    Notes
    -----
    One trace per class keeps the legend a list of class bounds. Every trace carries the
    territory codes as ``locations`` so that a click selects a territory whatever its class.
    """
    from atlas.classification import GRIS_ABSENT, GRIS_SECRET, LIBELLE_ABSENT, LIBELLE_SECRET

    groupes = contours_estimations(
        [
            (lib, col, data.index[classes.classe == lib])
            for lib, col in zip(classes.libelles, classes.couleurs, strict=True)
        ],
        data["statut"] == "estime",
        libelle_estimation,
    )
    groupes.append((libelle_secret or LIBELLE_SECRET, GRIS_SECRET, data.index[data["statut"] == "secret"]))
    groupes.append(
        (
            libelle_absent or LIBELLE_ABSENT,
            GRIS_ABSENT,
            data.index[(data["statut"] == "absent") | ((data["statut"] == "ok") & classes.classe.isna())],
        )
    )
    fig = carte_categories(
        data, geojson, groupes, survol=survol, emprise=emprise, fond=fond, hauteur=hauteur, titre_legende=titre_legende
    )
    fig.update_layout(clickmode="event+select")
    return fig


def carte_categories(
    data: pd.DataFrame,
    geojson: dict,
    groupes: list[tuple[str, str, pd.Index]],
    *,
    survol: list[str],
    emprise: tuple[float, float, float, float],
    fond: str = "aucun",
    hauteur: int = 600,
    titre_legende: str = "",
    trait: str = "white",
    largeur: int = LARGEUR_CARTE,
    legende: str = "droite",
) -> go.Figure:
    """A map of territories in named categories, one flat colour each, listed in the legend.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``code`` and the hover columns.
    geojson : dict
        FeatureCollection whose feature ids are the codes.
    groupes : list of (label, colour, index) or (label, colour, index, style)
        The categories in legend order, each with the index of its rows in ``data``; an optional
        ``style`` dict sets its outline (``trait``, ``epaisseur``), its legend group (``groupe``)
        and whether it has its own legend entry (``legende``); ``legende_seule`` makes an entry
        of the legend only (a swatch of ``colour``, no territory).
    survol : list of str
        Columns holding the hover lines (already formatted in French); the first is in bold.
    emprise : (west, south, east, north)
        Extent to show.
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``.
    hauteur : int
        Height in pixels.
    titre_legende : str
        Legend title.
    trait : str
        Colour of the territories' outlines.
    largeur : int
        Expected width in pixels of the map's area (page column minus the legend): the view is
        fitted to it and to the height.
    legende : {"droite", "dessous"}
        Where the legend stands, outside the map's area: a list on its right (default) or, for
        a map in a narrow column, one or two lines under it (the view keeps room for two).

    Notes
    -----
    Each trace carries only its own features, so the figure weighs one layer whatever the number
    of categories; every trace keeps the territory codes as ``locations`` so that a click selects
    a territory whatever its category.
    """
    dessous = legende == "dessous"
    presentation = en_presentation()
    if presentation:
        hauteur = min(hauteur, HAUTEUR_PRESENTATION)
    centre, zoom = vue_carte(
        emprise, largeur_px=largeur, hauteur_px=hauteur - (2 * HAUTEUR_LEGENDE_DESSOUS if dessous else 0)
    )
    par_code = features_par_code(geojson)
    fig = go.Figure()
    for groupe in groupes:
        libelle, couleur, idx = groupe[:3]
        style = groupe[3] if len(groupe) > 3 else {}
        if style.get("legende_seule"):
            fig.add_trace(_trace_legende(libelle, couleur, centre))
            continue
        if len(idx) == 0:
            continue
        part = data.loc[idx]
        fig.add_trace(
            _trace_categorie(part, collection_des_codes(par_code, part["code"]), libelle, couleur, style, trait, survol)
        )
    fig.update_layout(
        map={"style": FONDS_DE_CARTE.get(fond, FONDS_DE_CARTE["aucun"])[1], "center": centre, "zoom": zoom},
        height=hauteur,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        separators=", ",
        legend={
            **(LEGENDE_DESSOUS if dessous else LEGENDE_A_DROITE),
            "title": {"text": titre_legende if dessous else couper_libelle(titre_legende, 34)},
        },
        paper_bgcolor="white",
        meta={"emprise": list(emprise)},
    )
    return adapter_a_la_presentation(fig) if presentation else fig


def _trace_categorie(
    part: pd.DataFrame, geojson: dict, libelle: str, couleur: str, style: dict, trait: str, survol: list[str]
) -> go.Choroplethmap:
    """One category of :func:`carte_categories`: its territories in one flat colour, with its legend entry."""
    template = "<b>%{customdata[0]}</b>" + "".join(f"<br>%{{customdata[{i}]}}" for i in range(1, len(survol)))
    return go.Choroplethmap(
        geojson=geojson,
        locations=part["code"].tolist(),
        z=np.zeros(len(part)),
        zmin=0,
        zmax=1,
        colorscale=[[0, couleur], [1, couleur]],
        showscale=False,
        marker={
            "line": {"color": style.get("trait", trait), "width": style.get("epaisseur", 0.5)},
            "opacity": 0.9,
        },
        customdata=part[survol].to_numpy(),
        hovertemplate=template + "<extra></extra>",
        name=libelle,
        legendgroup=style.get("groupe", libelle),
        showlegend=style.get("legende", True),
    )


def contours_estimations(groupes: list[tuple], estime: pd.Series, libelle_contour: str | None = None) -> list[tuple]:
    """Split each category of a map so that the atlas's estimates are outlined in black.

    Parameters
    ----------
    groupes : list of (label, colour, index)
        The categories of :func:`carte_categories`.
    estime : pandas.Series of bool
        Same index as the map's data: whether the territory's value is an estimate of the atlas
        (never an INSEE figure).
    libelle_contour : str, optional
        Legend name of the outline (default « Estimation de l'atlas (contour noir) »).

    Returns
    -------
    list of tuples
        Each category as its published part, then its estimated part (same colour, black outline,
        same legend group, no legend entry of its own), and, when any territory is estimated, one
        legend entry for the outline.
    """
    out = []
    for libelle, couleur, idx in groupes:
        estimes = idx[estime.reindex(idx).fillna(False).to_numpy(dtype=bool)]
        out.append((libelle, couleur, idx.difference(estimes, sort=False)))
        out.append((libelle, couleur, estimes, {**CONTOUR_ESTIMATION, "groupe": libelle}))
    if any(len(g[2]) for g in out[1::2]):
        out.append(
            (libelle_contour or LIBELLE_ESTIMATION, CONTOUR_ESTIMATION["trait"], pd.Index([]), {"legende_seule": True})
        )
    return out


def _trace_legende(libelle: str, couleur: str, centre: dict) -> go.Choroplethmap:
    """A legend entry without a territory: one polygon of zero area (it draws nothing), a swatch."""
    point = [centre["lon"], centre["lat"]]
    feature = {"type": "Feature", "id": "legende", "geometry": {"type": "Polygon", "coordinates": [[point] * 4]}}
    return go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": [feature]},
        locations=["legende"],
        z=[0],
        zmin=0,
        zmax=1,
        colorscale=[[0, couleur], [1, couleur]],
        showscale=False,
        hoverinfo="skip",
        name=libelle,
        showlegend=True,
    )


def couper_libelle(texte: str, largeur: int = 12) -> str:
    """Break a label on spaces into lines of about ``largeur`` characters (plotly ``<br>``).

    A sign standing alone (« % », « : », « ; »...) stays with the word before it, as French
    typography wants (« 60 % », never « 60 » then « % » on the next line).
    """
    mots: list[str] = []
    for mot in texte.split(" "):
        if mots and mot and not any(c.isalnum() for c in mot):
            mots[-1] += " " + mot
        else:
            mots.append(mot)
    lignes, courante = [], ""
    for mot in mots:
        if courante and len(courante) + 1 + len(mot) > largeur:
            lignes.append(courante)
            courante = mot
        else:
            courante = f"{courante} {mot}".strip()
    return "<br>".join([*lignes, courante])
