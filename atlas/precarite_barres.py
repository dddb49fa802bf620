"""The bars of the share of passoires by construction period, drawn as HTML for the screen.

The page shows these bars (:func:`atlas.graphiques_html.barres_html`: no plotly.js to load, lay
out and draw); the PNG image and the slide draw the plotly figure of the same data
(:func:`atlas.precarite_vues.figure_periodes`), built on click only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas import precarite
from atlas.formatting import format_nombre
from atlas.graphiques_html import barres_html


def figure_periodes(periodes: pd.DataFrame) -> go.Figure:
    """The same bars as a plotly figure, for the PNG image and the slide (built on click only).

    Parameters
    ----------
    periodes : DataFrame
        The table of :func:`atlas.precarite_vues.periodes` (``periode``, ``nb_dpe``, ``part_passoires``).
    """
    figure = go.Figure(
        go.Bar(
            x=periodes["periode"],
            y=periodes["part_passoires"],
            marker_color="#be64ac",
            customdata=periodes[["nb_dpe"]].to_numpy(),
            hovertemplate="%{x} : %{y:.1f} % de %{customdata[0]:,} DPE<extra></extra>",
        )
    )
    figure.update_layout(
        separators=", ",
        height=320,
        margin={"t": 10},
        xaxis_title="Période de construction",
        yaxis_title="Part de passoires F ou G (%)",
        yaxis_ticksuffix=" %",
    )
    return figure


def barres_periodes(periodes: pd.DataFrame, *, grand: bool = False) -> str:
    """The chart of :func:`atlas.precarite_vues.periodes` as light HTML bars for the screen (same values, hover and axis titles).

    Parameters
    ----------
    periodes : DataFrame
        The table of :func:`atlas.precarite_vues.periodes` (``periode``, ``nb_dpe``, ``part_passoires``).
    grand : bool
        Larger texts and bars (presentation mode).

    Returns
    -------
    str
        HTML for ``st.html`` (:func:`atlas.graphiques_html.barres_html`).
    """
    survols = [
        f"{p} : {format_nombre(v, 1, '%')} de {format_nombre(n, unite='DPE')}"
        for p, v, n in zip(periodes["periode"], periodes["part_passoires"], periodes["nb_dpe"], strict=True)
    ]
    return barres_html(
        periodes["periode"],
        periodes["part_passoires"],
        survols,
        unite="%",
        titre_x="Période de construction",
        titre_y="Part de passoires F ou G (%)",
        absente=f"moins de {precarite.SEUIL_DPE} DPE",
        grand=grand,
    )
