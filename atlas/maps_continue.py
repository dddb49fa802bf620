"""A plotly choropleth of one numeric column on a continuous colour scale (images and slides).

On screen the same map is the atlas's canvas map component (:func:`atlas.bloc_carte.carte_continue`
draws both from the same settings); this figure is the one drawn in PNG images and slides. The
legend positions, greys and presentation sizes it shares with the maps in classes are in
:mod:`atlas.maps`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from atlas.cadrage_carte import vue_carte
from atlas.couleurs import echelle_visible
from atlas.formatting import format_nombre
from atlas.geojson_partage import collection_des_codes, features_par_code
from atlas.maps import (
    GRIS_MANQUANT,
    HAUTEUR_LEGENDE_DESSOUS,
    HAUTEUR_PRESENTATION,
    LARGEUR_CARTE,
    LEGENDE_A_DROITE,
    LEGENDE_DESSOUS,
    adapter_a_la_presentation,
    couper_libelle,
    en_presentation,
)
from commun.config import FONDS_DE_CARTE


def carte_choroplethe(
    data: pd.DataFrame,
    geojson: dict,
    *,
    colonne: str,
    libelle: str,
    unite: str,
    emprise: tuple[float, float, float, float],
    decimales: int = 0,
    palette: str = "Blues",
    fond: str = "aucun",
    hauteur: int = 560,
    libelle_manquant: str = "Donnée manquante",
    echelle_log: bool = False,
    largeur: int = LARGEUR_CARTE,
) -> go.Figure:
    """A choropleth of one numeric column, with French hover text and a grey style for missing values.

    Parameters
    ----------
    data : DataFrame
        One row per territory with columns ``code``, ``nom`` and ``colonne``.
    geojson : dict
        FeatureCollection whose feature ids are the codes.
    colonne, libelle, unite : str
        Value column, its French label and unit (shown in the legend and the hover).
    emprise : (west, south, east, north)
        Extent to show.
    decimales : int
        Digits shown in the hover.
    palette : str
        A colour-blind-safe sequential plotly scale (ColorBrewer ``Blues``, ``YlOrRd``, ``Viridis``...).
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``.
    hauteur : int
        Height in pixels.
    libelle_manquant : str
        Legend text of the grey territories without a value.
    echelle_log : bool
        Colour by the decimal logarithm (for very skewed values such as densities); the
        legend still shows the values themselves.
    largeur : int
        Expected width in pixels of the map's area (page column minus the colour bar): the
        view is fitted to it and to the height.

    Notes
    -----
    The colour bar stands to the right of the map and the grey territories' legend under it,
    both outside the map's area.
    """
    frame = data.copy()
    frame["_texte"] = [format_nombre(v, decimales, unite) for v in frame[colonne]]
    present = frame[frame[colonne].notna()].copy()
    couleur = colonne
    if echelle_log:
        present = present[present[colonne] > 0]
        present["_log"] = np.log10(present[colonne])
        couleur = "_log"
    absent = frame[frame[colonne].isna()]
    presentation = en_presentation()
    if presentation:
        hauteur = min(hauteur, HAUTEUR_PRESENTATION)
    centre, zoom = vue_carte(
        emprise, largeur_px=largeur, hauteur_px=hauteur - (HAUTEUR_LEGENDE_DESSOUS if len(absent) else 0)
    )
    par_code = features_par_code(geojson)

    def sous_ensemble(codes):
        # each trace carries only its own features: the figure stays the size of one layer
        return collection_des_codes(par_code, codes)

    fig = px.choropleth_map(
        present,
        geojson=sous_ensemble(present["code"]),
        locations="code",
        color=couleur,
        color_continuous_scale=echelle_visible(palette),
        custom_data=["nom", "_texte"],
        map_style=FONDS_DE_CARTE.get(fond, FONDS_DE_CARTE["aucun"])[1],
        center=centre,
        zoom=zoom,
        opacity=0.85,
        height=hauteur,
    )
    fig.update_traces(
        marker_line_color="white",
        marker_line_width=0.6,
        hovertemplate="<b>%{customdata[0]}</b><br>" + libelle + " : %{customdata[1]}<extra></extra>",
    )
    if len(absent):
        fig.add_trace(_trace_manquants(absent, sous_ensemble(absent["code"]), libelle_manquant))
    _mise_en_page(fig, libelle, unite, emprise)
    if echelle_log and len(present):
        _graduations_log(fig, present[colonne])
    return adapter_a_la_presentation(fig) if presentation else fig


def _mise_en_page(fig: go.Figure, libelle: str, unite: str, emprise: tuple) -> None:
    """French separators, the colour bar to the right with its title, the grey legend under the map."""
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        separators=", ",  # decimal comma, space for thousands (French)
        coloraxis_colorbar={
            **LEGENDE_A_DROITE,
            "title": {"text": f"{couper_libelle(libelle, 24)}<br>({unite})", "side": "top"},
            "thickness": 14,
            "separatethousands": True,  # « 1 500 » (plotly groups only from 10 000 by default)
        },
        legend=LEGENDE_DESSOUS,
        paper_bgcolor="white",
        # the extent, for images to fit the region to their own size (atlas.images)
        meta={"emprise": list(emprise)},
    )


def _trace_manquants(absent: pd.DataFrame, geojson: dict, libelle_manquant: str) -> go.Choroplethmap:
    """The grey territories without a value, with their own legend entry (``libelle_manquant``)."""
    return go.Choroplethmap(
        geojson=geojson,
        locations=absent["code"],
        z=np.zeros(len(absent)),
        colorscale=[[0, GRIS_MANQUANT], [1, GRIS_MANQUANT]],
        showscale=False,
        marker_line_color="white",
        marker_line_width=0.6,
        customdata=absent[["nom"]].to_numpy(),
        hovertemplate="<b>%{customdata[0]}</b><br>" + libelle_manquant + "<extra></extra>",
        name=libelle_manquant,
        showlegend=True,
    )


def _graduations_log(fig: go.Figure, valeurs: pd.Series) -> None:
    """Label a logarithmic colour bar with round values (1, 2, 5, 10...) within the data's range."""
    ticks = [
        v
        for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
        if valeurs.min() <= v <= valeurs.max()
    ]
    fig.update_layout(
        coloraxis_colorbar={"tickvals": np.log10(ticks).tolist(), "ticktext": [format_nombre(t) for t in ticks]}
    )
