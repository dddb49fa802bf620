"""Layout of a figure made into a standalone image or a slide's figure.

:func:`figure_pour_image` draws the title, the source with its millésime, the extraction date and,
for demonstration data, the label « Données de démonstration » inside the figure (once: first in
the source line, :func:`mention_source`; the other texts of the figure lose theirs), keeps the
legend, and replaces any tile basemap by the plain background (tiles cannot load offline and would
make the export depend on the network). :func:`figure_sans_cadre` fits a figure to a slide."""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import textwrap

import numpy as np
import plotly.graph_objects as go

from atlas.formatting import format_date_fr
from atlas.mesure_texte import POLICE_PNG, envelopper, largeur_lignes, largeur_texte

#: Width of exported images, in pixels (projectors and A4 reports).
LARGEUR_PNG = 1600


#: Default height of exported images, in pixels.
HAUTEUR_PNG = 1100


#: Room kept left of a chart's plot area for numbers on its y axis (« 12 500 »), in pixels.
LARGEUR_NOMBRES_AXE = 60


#: Empty margin kept along the four edges of an exported image, in pixels.
MARGE_PNG = 40


#: Gap between a chart's category names and its axis, in pixels.
ECART_NOMS_AXE = 10


#: Gap between a map and its legend or colour bar standing to its right, in pixels.
ECART_LEGENDE_PX = 30


#: Legend and colour-bar titles of an image are wrapped to this width, in pixels.
LARGEUR_TITRE_LEGENDE_PX = 300


#: Trace types drawn on a map subplot (anything else is a chart with cartesian axes).
TRACES_CARTE = {"choroplethmap", "scattermap", "densitymap", "choroplethmapbox", "scattermapbox", "densitymapbox"}


#: How the texts of a figure, a title or a source name demonstration data besides the source line:
#: « (démonstration) » (the catalogue's labels), « (données de démonstration) », « (données de
#: démonstration générées par l'atlas) », « — DONNÉES DE DÉMONSTRATION ». An image or a slide says it once, in its source line (:func:`mention_source`).
_MENTION_DEMONSTRATION = re.compile(
    r"(?:\s|<br>)*(?:\((?:données(?:\s|<br>)+de(?:\s|<br>)+)?démonstration[^()]*\)"
    r"|[—–-](?:\s|<br>)*données(?:\s|<br>)+de(?:\s|<br>)+démonstration\b)",
    re.IGNORECASE,
)


def sans_mention_demonstration(texte: str | None) -> str | None:
    """``texte`` without its mention of demonstration data (« (démonstration) »...), said elsewhere once.

    Examples
    --------
    >>> sans_mention_demonstration("Part de passoires (démonstration) (%)")
    'Part de passoires (%)'
    """
    return _MENTION_DEMONSTRATION.sub("", texte) if texte else texte


def mention_source(source: str, demonstration: bool = False, date: dt.date | None = None) -> str:
    """The line printed under an exported figure: label, source and millésime, extraction date.

    Parameters
    ----------
    source : str
        Source and millésime, e.g. « Insee, Filosofi 2021 ».
    demonstration : bool
        Starts the line with « Données de démonstration », the one mention of the image or slide
        (a mention inside ``source`` is dropped).
    date : date, optional
        Extraction date (today by default).

    Examples
    --------
    >>> mention_source("ADEME, DPE (données de démonstration)", True, dt.date(2026, 12, 2))
    'Données de démonstration — Source : ADEME, DPE — extraction du 2 décembre 2026 — Atlas du non-recours'
    """
    date = date or dt.date.today()
    if demonstration:
        source = sans_mention_demonstration(source)
    morceaux = [f"Source : {source}", f"extraction du {format_date_fr(date)}", "Atlas du non-recours"]
    if demonstration:
        morceaux.insert(0, "Données de démonstration")
    return " — ".join(morceaux)


def _sans_autre_mention(image: go.Figure) -> None:
    """Drop the mentions of demonstration data from the figure's own texts (legend and colour-bar
    titles, legend entries, axis titles, notes): the source line says it once."""
    layout = image.layout
    if layout.legend.title.text:
        layout.legend.title.text = sans_mention_demonstration(layout.legend.title.text)
    for barre in _barres_de_couleur(image):
        if barre.title.text:
            barre.title.text = sans_mention_demonstration(barre.title.text)
    for trace in image.data:
        if getattr(trace, "name", None):
            trace.name = sans_mention_demonstration(trace.name)
    for cle in layout.to_plotly_json():
        if re.fullmatch(r"[xy]axis\d*", cle) and layout[cle].title.text:
            layout[cle].title.text = sans_mention_demonstration(layout[cle].title.text)
    for note in layout.annotations or ():
        if note.text:
            note.text = sans_mention_demonstration(note.text)


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
        Whether the figure shows demonstration data: said once, at the start of the source line
        (the title's, subtitle's and legend's own mentions are dropped).
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
    if demonstration:
        titre, sous_titre = sans_mention_demonstration(titre), sans_mention_demonstration(sous_titre)
        _sans_autre_mention(image)
    texte_titre, nombre_lignes = _titre_et_sous_titre(titre, sous_titre)
    # charts (bars, lines, funnel...): tick labels and axis titles take the bottom and left margins,
    # the source line goes under them
    cartesien = any(t.type not in TRACES_CARTE for t in image.data)
    largeur_axe = _largeur_axe_vertical(image) if cartesien else 0
    # plotly draws every line of a title 1.3 em (36 px) under the previous one; the first line's
    # capitals start MARGE_PNG - 16 px from the top (their ascent fills the rest), and plotly
    # raises a title of several lines by its cap height (0.7 em) whatever its anchor: added back
    haut_titre = MARGE_PNG - 16 + (0.7 * 28 if nombre_lignes > 1 else 0)
    haut_contenu = MARGE_PNG - 16 + 36 * nombre_lignes + 30
    image.update_layout(
        title={
            "text": texte_titre,
            "x": MARGE_PNG / LARGEUR_PNG,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - haut_titre / hauteur,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 28},
        },
        font={"size": 18, "family": POLICE_PNG},
        paper_bgcolor="white",
        width=LARGEUR_PNG,
        height=hauteur,
        # the tick labels start MARGE_PNG from the left edge, as the titles do (plotly's automargin
        # alone put them against the edge)
        margin={"l": MARGE_PNG + largeur_axe, "r": MARGE_PNG, "t": haut_contenu, "b": 180 if cartesien else 100},
    )
    if cartesien:
        image.update_xaxes(automargin=True)
        image.update_yaxes(automargin=True)
    if _legende_sous_le_graphique(image.layout.legend):
        _legende_au_dessus_du_graphique(image, haut_contenu, hauteur)
    _envelopper_titres_legende(image)
    if cartesien:
        _legende_a_droite_du_graphique(image)
    mention = mention_source(source, demonstration)
    if demonstration:  # in bold: the one place the image says it
        mention = mention.replace("Données de démonstration", "<b>Données de démonstration</b>", 1)
    _ligne_source(image, mention, retrait=largeur_axe)
    _cartes_hors_ligne(image, math.log2(max(hauteur - 240, 200) / hauteur_page))
    _ajuster_carte(image)
    return image


def _titre_et_sous_titre(titre: str, sous_titre: str | None) -> tuple[str, int]:
    """The image's title text, wrapped to the image's width, and its number of lines.

    The subtitle's lines are the title's last lines, smaller: one text placed in the image's
    coordinates (an annotation is tied to the plot area, which a legend above the plot pushes
    down: the subtitle went down with it, onto the legend).
    """
    largeur_utile = LARGEUR_PNG - 2 * MARGE_PNG
    texte = envelopper(f"<b>{titre}</b>", largeur_utile, 28, gras=True)
    lignes = envelopper(sous_titre, largeur_utile, 20).split("<br>") if sous_titre else []
    nombre = texte.count("<br>") + 1 + len(lignes)
    texte += "".join(f"<br><span style='font-size:20px;color:#333333'>{ligne}</span>" for ligne in lignes)
    return texte, nombre


def _largeur_axe_vertical(image: go.Figure) -> int:
    """Room kept left of a chart's plot area, pixels: its category names (wrapped), or numbers and title."""
    # long category labels (the fiche's indicator names) wrapped, so that they do not take half the width
    largeur = _envelopper_categories(image)
    if not largeur:  # numbers on the y axis, and its title
        largeur = LARGEUR_NOMBRES_AXE + (30 if image.layout.yaxis.title.text else 0)
    return largeur


def _legende_au_dessus_du_graphique(image: go.Figure, haut_contenu: float, hauteur: int) -> None:
    """Move a legend the page lays under the plot above it, under the title.

    The source line is the image's last line: the legend would meet it. Placed in the container,
    it makes plotly push the plot down by its own height, whatever its number of lines.
    """
    image.update_layout(
        legend={
            "orientation": "h",
            "xref": "container",
            "x": MARGE_PNG / LARGEUR_PNG,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - (haut_contenu - 24) / hauteur,
            "yanchor": "top",
        }
    )


def _ligne_source(image: go.Figure, mention: str, *, retrait: float) -> None:
    """The source line, its last line 30 px above the image's bottom edge, starting under the title.

    ``retrait``: the room left of the plot area ("paper" starts right of the tick labels).
    """
    image.add_annotation(
        text=envelopper(mention, LARGEUR_PNG - 2 * MARGE_PNG, 16),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xshift=-retrait,
        yshift=-(image.layout.margin.b - 30),
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": 16, "color": "#333333"},
    )


def _grande(taille: float) -> int:
    """Size plotly gives a legend's or colour bar's title by default: 1.2 times the figure's font."""
    return round(1.2 * taille)


def _envelopper_titres_legende(image: go.Figure) -> None:
    """Wrap the legend's and colour bars' titles to :data:`LARGEUR_TITRE_LEGENDE_PX`."""
    taille = image.layout.font.size or 18
    legende = image.layout.legend
    # the page broke them for its own narrow column: the image's lines are cut afresh
    if legende.title.text:
        legende.title.text = legende.title.text.replace("<br>", " ")
        legende.title.text = envelopper(
            legende.title.text, LARGEUR_TITRE_LEGENDE_PX, legende.title.font.size or _grande(taille)
        )
    for barre in _barres_de_couleur(image):
        if barre.title.text:
            barre.title.text = barre.title.text.replace("<br>", " ")
            barre.title.text = envelopper(
                barre.title.text, LARGEUR_TITRE_LEGENDE_PX, barre.title.font.size or _grande(taille)
            )


def _barres_de_couleur(image: go.Figure) -> list:
    """The colour bars the figure draws (its coloraxes' and its traces' own)."""
    barres = []
    for cle in image.layout.to_plotly_json():
        dessinee = cle.startswith("coloraxis") and image.layout[cle].showscale is not False
        if dessinee and any(getattr(t, "coloraxis", None) == cle for t in image.data):
            barres.append(image.layout[cle].colorbar)
    for trace in image.data:
        if getattr(trace, "showscale", None) and getattr(trace, "coloraxis", None) is None:
            barres.append(trace.colorbar)
    return barres


def _largeur_barre(barre, taille: float) -> float:
    """Width in pixels of a colour bar: its title, or the bar and its tick labels (« 1 000 »)."""
    return max(largeur_lignes(barre.title.text, barre.title.font.size or _grande(taille)), (barre.thickness or 30) + 70)


def _largeur_a_droite(image: go.Figure) -> tuple[float, float]:
    """Widths in pixels of the colour bars and of the legend standing right of a map (0 without)."""
    taille = image.layout.font.size or 18
    barres = _barres_de_couleur(image)
    largeur_barres = sum(_largeur_barre(b, taille) for b in barres)
    legende = image.layout.legend
    noms = [
        t.name
        for t in image.data
        if t.name and (t.showlegend or (t.showlegend is None and t.type in ("scattermap", "scatter")))
    ]
    if not noms or legende.yref == "container" or legende.orientation == "h":
        return largeur_barres, 0.0
    taille_legende = legende.font.size or taille
    largeur_legende = max(
        largeur_lignes(legende.title.text, legende.title.font.size or _grande(taille)),
        40 + max(largeur_lignes(n, taille_legende) for n in noms),
    )
    return largeur_barres, largeur_legende + 10


def _legende_a_droite_du_graphique(image: go.Figure) -> None:
    """Keep a chart's legend standing right of its plot :data:`MARGE_PNG` from the image's edge.

    plotly puts it right of the plot area and widens the margin only as far as the image's edge:
    its longest name (« Non-recours détecté ») ended 18 px from it. The right margin is made as
    wide as the legend, the gap to the plot and the image's margin.
    """
    legende = image.layout.legend
    if legende.orientation == "h" or legende.yref == "container" or (legende.x is not None and legende.x < 1):
        return
    _, largeur_legende = _largeur_a_droite(image)
    if not largeur_legende:
        return
    marge = image.layout.margin
    marge.r = MARGE_PNG + ECART_LEGENDE_PX + math.ceil(largeur_legende)
    largeur_graphique = max(LARGEUR_PNG - marge.l - marge.r, 200)
    legende.update(x=1 + ECART_LEGENDE_PX / largeur_graphique, xanchor="left", xref="paper")


def _envelopper_categories(image: go.Figure, largeur: int = 40) -> int:
    """Wrap the category labels of the y axis at ``largeur`` characters; return the axis' width.

    The width (pixels: the longest line measured at the image's 18 px font, the gap to the axis and
    the axis title) is kept left of the plot area; the source line must not follow the plot area.
    0 without category labels.
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
        plus_longue = max(plus_longue, *(largeur_texte(ligne, 18) for morceaux in lignes for ligne in morceaux))
    if not plus_longue:
        return 0
    # a gap between the names and the axis (plotly writes them against it: « RSA| »)
    image.layout.yaxis.ticklabelstandoff = ECART_NOMS_AXE
    titre_axe = 30 if image.layout.yaxis.title.text else 0
    return math.ceil(plus_longue) + 12 + ECART_NOMS_AXE + titre_axe


def _legende_sous_le_graphique(legende) -> bool:
    """Whether a legend stands under the plot area (plotly puts a horizontal one there by default)."""
    if legende.yref == "container":
        return False
    y = legende.y if legende.y is not None else (-0.1 if legende.orientation == "h" else 1)
    return y < 0 or (y <= 0 and legende.yanchor == "top")


def figure_sans_cadre(fig: go.Figure, largeur: int, hauteur: int, demonstration: bool = False) -> go.Figure:
    """A copy of ``fig`` at a given pixel size, without title or source line.

    For slides, which print the title and source themselves. Maps are on the plain background
    and the region fitted to the new size, as in :func:`figure_pour_image`. With
    ``demonstration``, the figure's own mentions of demonstration data are dropped: the slide's
    source line says it once.
    """
    image = go.Figure(copy.deepcopy(fig.to_dict()))
    if demonstration:
        _sans_autre_mention(image)
    hauteur_page = fig.layout.height or 450
    image.update_layout(
        title=None, font={"size": 22, "family": POLICE_PNG}, paper_bgcolor="white", width=largeur, height=hauteur,
        margin={"l": 20, "r": 20, "t": 20, "b": 20},
    )  # fmt: skip
    if any(t.type not in TRACES_CARTE for t in image.data):
        # on the page, Streamlit's theme makes room for the tick labels and axis titles; drawn
        # without it, the names of the bars were cut at the slide's left edge and the axis
        # titles ran over the numbers
        _envelopper_categories(image)
        image.update_xaxes(automargin=True)
        image.update_yaxes(automargin=True)
    _envelopper_titres_legende(image)
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
    from atlas.cadrage_carte import vue_carte

    marge = image.layout.margin
    domaine = image.layout.map.domain.x or (0, 1)
    papier = image.layout.width - marge.l - marge.r
    hauteur = image.layout.height - marge.t - marge.b
    if image.layout.legend.yref == "container" or _legende_sous_le_graphique(image.layout.legend):
        hauteur -= 60  # a legend line above the map (images) or under it (slides)
    if domaine[1] - domaine[0] < 1:  # a map beside another part of the figure (a legend grid): its share
        centre, zoom = vue_carte(
            emprise, largeur_px=max(papier * (domaine[1] - domaine[0]), 200), hauteur_px=max(hauteur, 200)
        )
        image.layout.map.center, image.layout.map.zoom = centre, zoom
        return
    # a full-width map and its colour bar or legend on its right: the map area as wide as the region
    # drawn, and both centred in the image (the region does not sit left of an empty band)
    largeur_barres, largeur_legende = _largeur_a_droite(image)
    a_droite = sum(ECART_LEGENDE_PX + w for w in (largeur_barres, largeur_legende) if w)
    centre, zoom = vue_carte(emprise, largeur_px=max(papier - a_droite, 200), hauteur_px=max(hauteur, 200))
    ouest, _sud, est, _nord = emprise
    region = min(papier - a_droite, (est - ouest) / 360 * 512 * 2**zoom + 4)
    debut = max((papier - region - a_droite) / 2, 0)
    image.layout.map.center, image.layout.map.zoom = centre, zoom
    image.layout.map.domain.x = (debut / papier, (debut + region) / papier)
    x = debut + region + ECART_LEGENDE_PX
    for barre in _barres_de_couleur(image):
        barre.update(x=x / papier, xanchor="left", xref="paper")
        x += _largeur_barre(barre, image.layout.font.size or 18) + ECART_LEGENDE_PX
    if largeur_legende:
        image.layout.legend.update(x=x / papier, xanchor="left", xref="paper")


def _cartes_hors_ligne(image: go.Figure, gain_zoom: float) -> None:
    # every map subplot (map, map2...) on the plain background (tiles need the network), zoomed
    # in as much as the taller image allows (the page fitted the region in its own height)
    for cle in list(image.layout.to_plotly_json()):
        if cle.startswith("map"):
            image.layout[cle].style = "white-bg"
            if image.layout[cle].zoom is not None:
                image.layout[cle].zoom = round(image.layout[cle].zoom + gain_zoom, 2)
            image.layout[cle].layers = [c for c in (image.layout[cle].layers or []) if c.sourcetype != "raster"]
