"""Outlines drawn over a plotly map of the images and slides: the quartiers prioritaires and the
selected territory (the atlas's map component draws the same outlines on screen, with the same
colours: :mod:`atlas.composants.carte`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas.geojson_partage import geojson_pour_plotly


def ajouter_contours_qpv(fig: go.Figure, geojson: dict, table: pd.DataFrame, millesime: str) -> go.Figure:
    """Overlay the quartiers prioritaires as dark outlines (no fill), named in the legend.

    Parameters
    ----------
    fig : Figure
        A map figure (``Choroplethmap`` traces).
    geojson : dict
        QPV contours, feature id = commune code.
    table : DataFrame
        ``code_commune``, ``nom_commune``, ``noms_qp`` for the hover.
    millesime : str
        The geography of the contours (``sources.millesime`` of ``anct_qpv_contours``).
    """
    fig.add_trace(
        go.Choroplethmap(
            geojson=geojson_pour_plotly(geojson),
            locations=table["code_commune"].tolist(),
            z=np.zeros(len(table)),
            zmin=0,
            zmax=1,
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": "#1f1f1f", "width": 1.6}},
            customdata=table[["nom_commune", "noms_qp"]].to_numpy(),
            hovertemplate=f"<b>Quartiers prioritaires ({millesime})</b><br>"
            + "%{customdata[0]} : %{customdata[1]}<extra></extra>",
            name=f"Quartiers prioritaires {millesime} (contours)",
            showlegend=True,
        )
    )
    return fig


#: Outline of the selected territory: thicker and darker than the estimates' outline, a colour no
#: fill of the palettes uses, so that it reads as « here » on every class.
CONTOUR_SELECTION = {"trait": "#2b00d4", "epaisseur": 3.5}
LIBELLE_SELECTION = "Territoire sélectionné"


def entourer_territoire(fig: go.Figure, geojson: dict, code: str | None, nom: str = "") -> go.Figure:
    """Outline the selected territory on a map (no fill), named in the legend.

    Parameters
    ----------
    fig : Figure
        A map figure (``Choroplethmap`` traces).
    geojson : dict
        FeatureCollection whose feature ids are the codes (the map's own layer).
    code : str or None
        Code of the selected territory; nothing is drawn when it is None or not in ``geojson``.
    nom : str
        Its name, for the hover and the legend.
    """
    features = [f for f in geojson["features"] if f.get("id") == code] if code else []
    if not features:
        return fig
    fig.add_trace(
        go.Choroplethmap(
            geojson=geojson_pour_plotly({"type": "FeatureCollection", "features": features}),
            locations=[code],
            z=[0],
            zmin=0,
            zmax=1,
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": CONTOUR_SELECTION["trait"], "width": CONTOUR_SELECTION["epaisseur"]}},
            hoverinfo="skip",
            name=f"{LIBELLE_SELECTION} : {nom}" if nom else LIBELLE_SELECTION,
            showlegend=True,
        )
    )
    return fig
