"""Static images (PNG) of the maps and charts, drawn by kaleido with Debian's Chromium.

An exported image stands alone: :func:`figure_pour_image` draws the title, the source with its
millésime, the extraction date and, for demonstration data, the label « Données de
démonstration » inside the figure, keeps the legend, and replaces any tile basemap by the plain
background (tiles cannot load offline and would make the export depend on the network).

Chromium is a system program, not a Python package: :func:`chromium` says where it is (setting
``ATLAS_CHROMIUM``, default ``/usr/bin/chromium``) and :data:`MESSAGE_SANS_CHROMIUM` what to do
when it is missing, so that the page can say so instead of failing.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import shutil
import textwrap
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from atlas.formatting import format_date_fr
from commun.config import get_settings

#: Width of exported images, in pixels (projectors and A4 reports).
LARGEUR_PNG = 1600
#: Default height of exported images, in pixels.
HAUTEUR_PNG = 1100

#: Mean width of a character of the 18 px font of exported charts, in pixels (measured on a PNG).
PIXELS_PAR_CARACTERE = 8

#: Width kept right of a full-width map in an image for its colour bar or legend, in pixels.
LEGENDE_A_DROITE_PX = 330

#: Trace types drawn on a map subplot (anything else is a chart with cartesian axes).
TRACES_CARTE = {"choroplethmap", "scattermap", "densitymap", "choroplethmapbox", "scattermapbox", "densitymapbox"}

MESSAGE_SANS_CHROMIUM = (
    "Export d'image indisponible : Chromium est introuvable sur ce serveur. "
    "Installez-le (Debian : `apt-get install chromium`) ou indiquez son chemin dans la variable "
    "d'environnement `ATLAS_CHROMIUM`, puis relancez le tableau de bord."
)

# One Chromium at a time: kaleido's synchronous server is process-wide and Streamlit runs the
# sessions (and deferred downloads) in threads.
_VERROU = threading.Lock()


class ImageIndisponible(RuntimeError):
    """Raised when an image cannot be drawn (Chromium missing or failing); the message is French."""


def chromium() -> Path | None:
    """Path of the Chromium executable used for images, or ``None`` when it is not installed."""
    chemin = get_settings().chromium
    if Path(chemin).is_file():
        return Path(chemin)
    trouve = shutil.which(chemin)
    return Path(trouve) if trouve else None


def mention_source(source: str, demonstration: bool = False, date: dt.date | None = None) -> str:
    """The line printed under an exported figure: source and millésime, extraction date, label.

    Parameters
    ----------
    source : str
        Source and millésime, e.g. « Insee, Filosofi 2021 ».
    demonstration : bool
        Adds « Données de démonstration » in capitals.
    date : date, optional
        Extraction date (today by default).
    """
    date = date or dt.date.today()
    morceaux = [f"Source : {source}", f"extraction du {format_date_fr(date)}", "Atlas du non-recours"]
    if demonstration:
        morceaux.insert(0, "DONNÉES DE DÉMONSTRATION")
    return " — ".join(morceaux)


def figure_pour_image(
    fig: go.Figure,
    *,
    titre: str,
    source: str,
    demonstration: bool = False,
    sous_titre: str | None = None,
    hauteur: int = HAUTEUR_PNG,
) -> go.Figure:
    """A copy of ``fig`` laid out for a standalone image.

    Parameters
    ----------
    fig : Figure
        The figure shown on the page (left unchanged).
    titre : str
        Title drawn at the top.
    source : str
        Source and millésime, drawn at the bottom with the extraction date.
    demonstration : bool
        Whether the figure shows demonstration data (label drawn in the title and the source line).
    sous_titre : str, optional
        Second title line (territory level, classification...).
    hauteur : int
        Height in pixels; the width is :data:`LARGEUR_PNG`.

    Returns
    -------
    Figure
        Title, source line and legend inside the figure; maps on the plain background.
    """
    image = go.Figure(copy.deepcopy(fig.to_dict()))
    hauteur_page = fig.layout.height or 450
    texte_titre = f"<b>{titre}</b>"
    if demonstration:
        texte_titre += "  <span style='color:#b00020'>(données de démonstration)</span>"
    lignes = textwrap.wrap(sous_titre, 125) if sous_titre else []
    for ligne in lignes:
        texte_titre += f"<br><span style='font-size:20px'>{ligne}</span>"
    # charts (bars, lines, funnel...): tick labels and axis titles take the bottom and left margins,
    # the source line goes under them
    cartesien = any(t.type not in TRACES_CARTE for t in image.data)
    # long category labels (the fiche's indicator names) wrapped, so that they do not take half the width
    largeur_axe = _envelopper_categories(image) if cartesien else 0
    image.update_layout(
        title={
            "text": texte_titre,
            "x": 0.02,
            "xanchor": "left",
            "y": 1 - 24 / hauteur,
            "yanchor": "top",
            "font": {"size": 28},
        },
        font={"size": 18},
        paper_bgcolor="white",
        width=LARGEUR_PNG,
        height=hauteur,
        margin={"l": 40, "r": 40, "t": 100 + 34 * len(lignes), "b": 180 if cartesien else 100},
    )
    if cartesien:
        image.update_xaxes(automargin=True)
        image.update_yaxes(automargin=True)
    if _legende_sous_le_graphique(image.layout.legend):
        # the source line is the image's last line: a legend the page lays under the plot would meet
        # it, so it goes above the plot, under the title; placed in the container, it makes plotly
        # push the plot down by its own height, whatever its number of lines
        image.update_layout(
            legend={
                "orientation": "h",
                "xref": "container",
                "x": 0.02,
                "xanchor": "left",
                "yref": "container",
                "y": 1 - (70 + 34 * len(lignes)) / hauteur,
                "yanchor": "top",
            }
        )
    image.add_annotation(
        text="<br>".join(textwrap.wrap(mention_source(source, demonstration), 150)),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        # "paper" starts at the plot area, right of the tick labels: the line goes back under the title
        xshift=-max(largeur_axe - 0.02 * LARGEUR_PNG, 0),
        yshift=-165 if cartesien else -85,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": 16, "color": "#333333"},
    )
    _cartes_hors_ligne(image, math.log2(max(hauteur - 240, 200) / hauteur_page))
    _ajuster_carte(image)
    return image


def _envelopper_categories(image: go.Figure, largeur: int = 40) -> int:
    """Wrap the category labels of the y axis at ``largeur`` characters; return the axis' width.

    The width (pixels, estimated from the longest line at the image's 18 px font, plus the axis
    title) is where plotly's automargin puts the plot area, which the source line must not follow.
    0 without category labels: numbers (« 12k ») leave the plot area near the edge.
    """
    plus_longue = 0
    for trace in image.data:
        valeurs = getattr(trace, "y", None)
        if isinstance(valeurs, np.ndarray) and valeurs.dtype.kind in "OUS":  # a column of names
            valeurs = valeurs.tolist()
        # numbers may come as plotly's typed array ({"dtype", "bdata"}): only text is wrapped
        if not isinstance(valeurs, (list, tuple)) or not any(isinstance(v, str) for v in valeurs):
            continue
        lignes = [textwrap.wrap(v, largeur) or [""] if isinstance(v, str) else [str(v)] for v in valeurs]
        trace.y = ["<br>".join(morceaux) for morceaux in lignes]
        plus_longue = max(plus_longue, *(len(ligne) for morceaux in lignes for ligne in morceaux))
    if not plus_longue:
        return 0
    titre_axe = 30 if image.layout.yaxis.title.text else 0
    return PIXELS_PAR_CARACTERE * plus_longue + 24 + titre_axe


def _legende_sous_le_graphique(legende) -> bool:
    """Whether a legend stands under the plot area (plotly puts a horizontal one there by default)."""
    if legende.yref == "container":
        return False
    y = legende.y if legende.y is not None else (-0.1 if legende.orientation == "h" else 1)
    return y < 0 or (y <= 0 and legende.yanchor == "top")


def figure_sans_cadre(fig: go.Figure, largeur: int, hauteur: int) -> go.Figure:
    """A copy of ``fig`` at a given pixel size, without title or source line.

    For slides, which print the title and source themselves. Maps are on the plain background
    and the region fitted to the new size, as in :func:`figure_pour_image`.
    """
    image = go.Figure(copy.deepcopy(fig.to_dict()))
    hauteur_page = fig.layout.height or 450
    image.update_layout(
        title=None, font={"size": 22}, paper_bgcolor="white", width=largeur, height=hauteur,
        margin={"l": 20, "r": 20, "t": 20, "b": 20},
    )  # fmt: skip
    _cartes_hors_ligne(image, math.log2(max(hauteur - 40, 200) / hauteur_page))
    _ajuster_carte(image)
    return image


def _ajuster_carte(image: go.Figure) -> None:
    """Fit the region to the map area of the image, when the figure says its extent.

    The page fitted the region to its own map (a half-width column is narrow: the zoom was set
    by the width there, and the taller image's height gain left the region small in the middle of
    a wide image). The image's map area: its width less the margins and, for a full-width map,
    the colour bar or legend standing to its right; its height less the title, the source line
    and a legend above the map.
    """
    meta = image.layout.meta
    emprise = meta.get("emprise") if isinstance(meta, dict) else None
    if not emprise or image.layout.map.zoom is None:
        return
    from atlas.maps import vue_carte

    marge = image.layout.margin
    domaine = image.layout.map.domain.x or (0, 1)
    largeur = (image.layout.width - marge.l - marge.r) * (domaine[1] - domaine[0])
    if domaine[1] - domaine[0] == 1:
        largeur -= LEGENDE_A_DROITE_PX
    hauteur = image.layout.height - marge.t - marge.b
    if image.layout.legend.yref == "container" or _legende_sous_le_graphique(image.layout.legend):
        hauteur -= 60  # a legend line above the map (images) or under it (slides)
    centre, zoom = vue_carte(emprise, largeur_px=max(largeur, 200), hauteur_px=max(hauteur, 200))
    image.layout.map.center = centre
    image.layout.map.zoom = zoom


def _cartes_hors_ligne(image: go.Figure, gain_zoom: float) -> None:
    # every map subplot (map, map2...) on the plain background (tiles need the network), zoomed
    # in as much as the taller image allows (the page fitted the region in its own height)
    for cle in list(image.layout.to_plotly_json()):
        if cle.startswith("map"):
            image.layout[cle].style = "white-bg"
            if image.layout[cle].zoom is not None:
                image.layout[cle].zoom = round(image.layout[cle].zoom + gain_zoom, 2)
            image.layout[cle].layers = [c for c in (image.layout[cle].layers or []) if c.sourcetype != "raster"]


def pngs(figures: Iterable[go.Figure]) -> list[bytes]:
    """Draw figures as PNG with one Chromium for the batch.

    Parameters
    ----------
    figures : iterable of Figure
        Figures already laid out (their ``layout.width`` / ``height`` give the pixel size).

    Returns
    -------
    list of bytes
        One PNG per figure.

    Raises
    ------
    ImageIndisponible
        Chromium is missing or failed; the message says what to do.
    """
    import kaleido

    navigateur = chromium()
    if navigateur is None:
        raise ImageIndisponible(MESSAGE_SANS_CHROMIUM)
    figures = list(figures)
    with _VERROU:
        os.environ["BROWSER_PATH"] = str(navigateur)
        try:
            kaleido.start_sync_server(silence_warnings=True)
            try:
                return [
                    kaleido.calc_fig_sync(
                        f,
                        opts={
                            "format": "png",
                            "width": f.layout.width or LARGEUR_PNG,
                            "height": f.layout.height or HAUTEUR_PNG,
                        },
                    )
                    for f in figures
                ]
            finally:
                kaleido.stop_sync_server(silence_warnings=True)
        except ImageIndisponible:
            raise
        except Exception as exc:  # kaleido / choreographer raise many kinds; the user needs one message
            raise ImageIndisponible(f"Chromium n'a pas pu dessiner l'image ({navigateur}) : {exc}") from exc


def png(fig: go.Figure, **mise_en_page) -> bytes:
    """One standalone PNG of ``fig``: :func:`figure_pour_image` (same arguments) then :func:`pngs`."""
    return pngs([figure_pour_image(fig, **mise_en_page)])[0]
