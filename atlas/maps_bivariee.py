"""The bivariate map's legend and image: a 3 × 3 grid of colours beside the plotly map.

On screen the grid is HTML beside the atlas's map component
(:func:`atlas.composants.echelles.grille_bivariee`); these plotly figures draw it in the PNG image
and the slide (:func:`carte_et_legende_bivariee`).
"""

from __future__ import annotations

import plotly.graph_objects as go

from atlas.couleurs import texte_lisible
from atlas.maps import couper_libelle


def legende_bivariee(
    palette: list[list[str]],
    libelles_x: list[str],
    libelles_y: list[str],
    comptes: list[list[int]],
    *,
    titre_x: str,
    titre_y: str,
    taille: int = 360,
) -> go.Figure:
    """The 3 × 3 legend of a bivariate map: coloured squares, class bounds and counts.

    Parameters
    ----------
    palette : 3 × 3 list of str
        ``palette[i][j]``: colour of x class ``i + 1`` and y class ``j + 1``.
    libelles_x, libelles_y : list of str
        Bounds of the three classes of each axis, from the lowest class to the highest.
    comptes : 3 × 3 list of int
        Number of territories in each cell (same indexing as ``palette``).
    titre_x, titre_y : str
        Axis titles (indicator and unit); x runs left → right, y bottom → top.
    taille : int
        Height in pixels (the width follows the container).
    """
    fig = go.Figure()
    for i in range(3):
        for j in range(3):
            fig.add_shape(
                type="rect",
                x0=i,
                x1=i + 1,
                y0=j,
                y1=j + 1,
                fillcolor=palette[i][j],
                line={"color": "white", "width": 2},
            )
            fig.add_annotation(
                x=i + 0.5,
                y=j + 0.5,
                text=f"{comptes[i][j]}",
                showarrow=False,
                font={"size": 14, "color": texte_lisible(palette[i][j])},
            )
    axe = {"range": [0, 3], "tickvals": [0.5, 1.5, 2.5], "showgrid": False, "zeroline": False, "fixedrange": True}
    fig.update_layout(
        xaxis={
            **axe,
            "ticktext": [couper_libelle(t) for t in libelles_x],
            "tickangle": 0,
            "title": {"text": titre_x + " →"},
        },
        yaxis={
            **axe,
            "ticktext": [couper_libelle(t) for t in libelles_y],
            "title": {"text": couper_libelle(titre_y + " →", 30)},
        },
        height=taille,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        title={"text": "Nombre de territoires par case", "font": {"size": 12}},
        separators=", ",
    )
    return fig


#: Axis titles of the 3 × 3 grid in an image or a slide (px), and their gap to the class bounds.
TAILLE_TITRE_AXE_BIVARIEE = 20
ECART_TITRE_AXE_PX = 14


def carte_et_legende_bivariee(carte: go.Figure, legende: go.Figure, *, part_carte: float = 0.62) -> go.Figure:
    """One figure holding a bivariate map and its 3 × 3 legend side by side (for images and slides).

    On the page the legend is a separate chart next to the map; an exported image must carry it.
    The map keeps the left part of the figure, the legend grid (squares, counts, class bounds and
    axis titles) is drawn on the right on its own axes, with its title above it.

    Parameters
    ----------
    carte : Figure
        The bivariate map (:func:`carte_categories`), left unchanged.
    legende : Figure
        Its legend (:func:`legende_bivariee`), left unchanged.
    part_carte : float
        Share of the width given to the map (0–1).

    Returns
    -------
    Figure
        The map on ``[0, part_carte]`` of the width, the legend grid on the right.
    """
    fig = go.Figure(carte)
    # the right panel: the grid at the top (room on its left for the y class bounds), the map's
    # own legend (every category, greys included) under it, so that nothing covers the map
    gauche = part_carte + (1 - part_carte) * 0.38
    # the page may leave out of the map's legend the cells that its grid names: the image lists them all
    # (once per name: a class's estimates, outlined in black, are a second trace of the same name)
    noms_vus: set[str] = set()
    for trace in fig.data:
        if trace.type == "choroplethmap":
            trace.showlegend = trace.name not in noms_vus
            noms_vus.add(trace.name)
    axe_x = legende.layout.xaxis.to_plotly_json()
    axe_y = legende.layout.yaxis.to_plotly_json()
    # plotly sets an axis title a few pixels from its class bounds, counted from the title's first
    # line: the further lines of the y title (rotated, they stack towards the grid) and a three-line
    # bound of the x axis ran into each other; an explicit size and gap keep them apart
    for axe in (axe_x, axe_y):
        lignes = (axe.get("title", {}).get("text") or "").count("<br>") + 1
        axe["title"] = {
            **axe.get("title", {}),
            "font": {"size": TAILLE_TITRE_AXE_BIVARIEE},
            "standoff": ECART_TITRE_AXE_PX + round((lignes - 1) * 1.3 * TAILLE_TITRE_AXE_BIVARIEE),
        }
    fig.update_layout(
        map_domain={"x": [0, part_carte], "y": [0, 1]},
        xaxis={**axe_x, "domain": [gauche, 0.97], "anchor": "y"},
        yaxis={**axe_y, "domain": [0.56, 0.94], "anchor": "x"},
        legend={
            "orientation": "v",
            "x": part_carte + 0.03,
            "xanchor": "left",
            "y": 0.36,
            "yanchor": "top",
            "font": {"size": 15},
            "title": {"font": {"size": 15}},  # plotly's default (1.2 × the figure's font) took two lines on slides
            "tracegroupgap": 0,  # each class is its own group: the default gap made the list run over the source line
        },
        plot_bgcolor="white",
        separators=legende.layout.separators or fig.layout.separators,
    )
    # plotly draws cartesian axes only for a cartesian trace: an invisible point creates them
    fig.add_trace(
        go.Scatter(x=[1.5], y=[1.5], mode="markers", marker={"opacity": 0}, showlegend=False, hoverinfo="skip")
    )
    for forme in legende.layout.shapes:
        fig.add_shape(forme, xref="x", yref="y")
    for note in legende.layout.annotations:
        fig.add_annotation(note, xref="x", yref="y")
    fig.add_annotation(
        text=legende.layout.title.text or "",
        xref="x domain",
        yref="y domain",
        x=0.5,
        y=1.04,
        xanchor="center",
        yanchor="bottom",
        showarrow=False,
    )
    return fig
