"""Small charts drawn as HTML, CSS and SVG for the screen: no plotly.js to load, lay out and draw.

Vertical bars (:func:`barres_html`), horizontal bars with their value written after each bar
(:func:`barres_horizontales_html`), lines month by month (:func:`courbes_html`) and a short table
(:func:`tableau_html`). Each returns a string for ``st.html`` (the style, :data:`STYLE`, is sent once
per page by the frame): its texts are already written the
French way by the caller, every bar or month says its details on hover (``title``), and the
figure reads its values aloud (``role="img"`` and ``aria-label``). The PNG image and the slide of
the same data keep their plotly figure, built on click only (:func:`atlas.bloc_carte.figure`).

``grand=True`` draws the chart as a projector shows it (presentation mode): texts at
:data:`atlas.presentation.POLICE_GRAPHIQUE` pixels, values at :data:`atlas.presentation.POLICE_VALEURS`,
as :func:`atlas.presentation.agrandir` does for a plotly chart.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from atlas.formatting import format_nombre
from atlas.presentation import POLICE_GRAPHIQUE, POLICE_VALEURS

#: Steps tried for the value axis, times a power of ten: the first giving at most 6 intervals wins.
PAS = (1, 2, 2.5, 5)

#: The charts' style (``graphiques_html.css``), with the projector's font sizes of :mod:`atlas.presentation`.
#: Sent once per page, in the frame's one HTML block of the sidebar (:func:`atlas.chrome.bloc_de_la_barre_laterale`),
#: not with each chart: four charts carried it four times (6,5 kB each) on Non-recours.
STYLE = (
    "<style>"
    # the file's comments stay in the file: the page carries the style
    + re.sub(
        r"/\*.*?\*/\s*", "", Path(__file__).with_name("graphiques_html.css").read_text(encoding="utf-8"), flags=re.S
    )
    .replace("var(--police-graphique)", f"{POLICE_GRAPHIQUE}px")
    .replace("var(--police-valeurs)", f"{POLICE_VALEURS}px")
    + "</style>"
)


def graduations(maximum: float) -> list[float]:
    """Ticks of the value axis from 0 up to at least ``maximum``, on a round step (at most 6 intervals).

    Examples
    --------
    >>> graduations(35.8)
    [0, 10, 20, 30, 40]
    >>> graduations(0)
    [0.0, 1.0]
    """
    if not maximum or maximum <= 0 or math.isnan(maximum):
        return [0.0, 1.0]
    puissance = 10 ** math.floor(math.log10(maximum / 6))
    pas = next(p * puissance for p in (*PAS, 10) if maximum / (p * puissance) <= 6)
    n = math.ceil(maximum / pas - 1e-9)
    return [round(i * pas, 10) for i in range(n + 1)]


def _echelle(ticks: list[float], unite: str | None) -> tuple[str, str]:
    """The value axis's labels and grid lines, each at its height (% of the axis)."""
    haut = ticks[-1]
    pas = ticks[1] - ticks[0]
    chiffres = next(d for d in range(4) if abs(round(pas, d) - pas) < 1e-9 or d == 3)
    echelle = "".join(
        f"<span style='bottom: {100 * t / haut:.2f}%'>{html.escape(format_nombre(t, chiffres, unite))}</span>"
        for t in ticks
    )
    grille = "".join(f"<div class='grille' style='bottom: {100 * t / haut:.2f}%'></div>" for t in ticks[1:])
    return f"<div class='graduations axe' aria-hidden='true'>{echelle}</div>", grille


def _figure(classes: str, aria: str, grand: bool, contenu: str, style: str = "") -> str:
    """The ``<figure>`` of a chart, with its spoken reading (its style is the page's: :data:`STYLE`)."""
    taille = " grand" if grand else ""
    attribut = f" style='{style}'" if style else ""
    return (
        f"<figure class='atlas-graphique {classes}{taille}' role='img' "
        f"aria-label='{html.escape(aria, quote=True)}'{attribut}>{contenu}</figure>"
    )


def intitule_html(gras: str, suite: str = "") -> str:
    """The bold title of a chart as an HTML paragraph, to draw with the chart in one ``st.html``.

    It reads as the ``st.markdown("**…**")`` it replaces, one element fewer for the browser to
    lay out. ``suite`` follows the bold words in plain text (a note on what the chart omits).

    Examples
    --------
    >>> intitule_html("Rendement des canaux")
    "<p class='atlas-intitule'><strong>Rendement des canaux</strong></p>"
    """
    return f"<p class='atlas-intitule'><strong>{html.escape(gras)}</strong>{html.escape(suite)}</p>"


def barres_html(
    categories: pd.Series,
    valeurs: pd.Series,
    survols: list[str],
    *,
    unite: str,
    titre_x: str,
    titre_y: str,
    decimales: int = 1,
    couleur: str = "#be64ac",
    absente: str = "non publié",
    grand: bool = False,
) -> str:
    """Vertical bars with their value written above each bar, a value axis and its grid, as HTML.

    Parameters
    ----------
    categories : Series
        The bars' labels, in the order drawn.
    valeurs : Series
        Their values; a missing value leaves its place empty and says ``absente``.
    survols : list of str
        The text shown on hovering each bar (its details).
    unite : str
        Unit of the values (``%``).
    titre_x, titre_y : str
        Titles of the category and value axes.
    decimales : int
        Digits after the decimal comma of the values written above the bars.
    couleur : str
        Colour of the bars.
    absente : str
        Text in the place of a missing bar.
    grand : bool
        Larger texts and bars (presentation mode).

    Returns
    -------
    str
        An HTML ``<figure>`` for ``st.html`` (styled by the page's :data:`STYLE`); its ``aria-label`` reads every value.
    """
    valeurs = pd.to_numeric(valeurs, errors="coerce").astype(float)
    ticks = graduations(valeurs.max(skipna=True))
    haut = ticks[-1]
    textes = [format_nombre(v, decimales, unite) for v in valeurs]
    colonnes, lecture = [], []
    for categorie, valeur, texte, survol in zip(categories, valeurs, textes, survols, strict=True):
        nom = html.escape(str(categorie))
        if math.isnan(valeur):
            colonnes.append(f"<div class='colonne'><span class='absente'>{html.escape(absente)}</span></div>")
            lecture.append(f"{nom} : {absente}")
            continue
        colonnes.append(
            f"<div class='colonne' title='{html.escape(survol, quote=True)}'>"
            f"<span class='valeur'>{html.escape(texte)}</span>"
            f"<div class='barre' style='height: {100 * valeur / haut:.2f}%'></div></div>"
        )
        lecture.append(f"{nom} : {texte}")
    echelle, grille = _echelle(ticks, unite)
    noms = "".join(f"<span>{html.escape(str(c))}</span>" for c in categories)
    return _figure(
        "atlas-barres",
        f"{titre_y} par {titre_x.lower()} : " + " ; ".join(lecture),
        grand,
        f"<div class='titre-y axe' aria-hidden='true'>{html.escape(titre_y)}</div>{echelle}"
        f"<div class='zone'>{grille}{''.join(colonnes)}</div>"
        f"<div class='categories' aria-hidden='true'>{noms}</div>"
        f"<div class='titre-x axe' aria-hidden='true'>{html.escape(titre_x)}</div>",
        style=f"--couleur: {couleur}",
    )


def barres_horizontales_html(
    categories: Sequence[str],
    valeurs: Sequence[float | None],
    textes: Sequence[str],
    survols: Sequence[str],
    *,
    titre: str,
    couleurs: str | Sequence[str] = "#bd0026",
    note: str | None = None,
    grand: bool = False,
) -> str:
    """One horizontal bar per category, its text (count, share) written after it, as HTML.

    The bars' lengths are proportional to the values, the longest taking the whole track but the
    room of its text. A missing value (``None``: masked by the secret rule, or not shown) has no
    bar: its text alone (« < 5 ») stands in its place.

    Parameters
    ----------
    categories : sequence of str
        The bars' labels, top to bottom.
    valeurs : sequence of float or None
        Their values (None: no bar).
    textes : sequence of str
        What is written after each bar (« 1 234 · 73 % », « < 5 »).
    survols : sequence of str
        The text shown on hovering each bar (its details, in a sentence).
    titre : str
        What the chart shows, first words of its spoken reading.
    couleurs : str or sequence of str
        One colour for every bar, or one per bar.
    note : str, optional
        A line under the bars (the unit, what a share is a share of).
    grand : bool
        Larger texts (presentation mode).

    Returns
    -------
    str
        An HTML ``<figure>`` for ``st.html``.
    """
    couleurs = [couleurs] * len(categories) if isinstance(couleurs, str) else list(couleurs)
    vus = [v for v in valeurs if v is not None and not pd.isna(v)]
    haut = max(vus, default=0) or 1
    lignes, lecture = [], []
    for nom, valeur, texte, survol, couleur in zip(categories, valeurs, textes, survols, couleurs, strict=True):
        cache = valeur is None or pd.isna(valeur)
        barre = (
            ""
            if cache
            # the longest bar leaves room for its text (about 8 characters)
            else f"<span class='barre' style='width: calc((100% - 8em) * {valeur / haut:.4f}); background: {couleur}'></span>"
        )
        # the row is no box of its own (its cells sit in the grid): each cell carries the hover
        bulle = html.escape(survol, quote=True)
        lignes.append(
            f"<div class='ligne'><span class='nom' title='{bulle}'>{html.escape(nom)}</span>"
            f"<span class='piste' title='{bulle}'>{barre}<span class='{'absente' if cache else 'valeur'}'>{html.escape(texte)}</span>"
            "</span></div>"
        )
        lecture.append(f"{nom} : {texte}")
    pied = f"<div class='note axe' aria-hidden='true'>{html.escape(note)}</div>" if note else ""
    return _figure("atlas-hbarres", f"{titre} : " + " ; ".join(lecture), grand, "".join(lignes) + pied)


@dataclass(frozen=True)
class Serie:
    """One line of :func:`courbes_html`: its name, colour and values (None: no point, the line breaks)."""

    nom: str
    couleur: str
    valeurs: Sequence[float | None]
    textes: Sequence[str]


def courbes_html(
    reperes: Sequence[str],
    series: Sequence[Serie],
    *,
    etiquettes: dict[int, str],
    titre: str,
    titre_y: str,
    grand: bool = False,
) -> str:
    """Lines with their points over a row of periods (months), a value axis from zero, as HTML and SVG.

    The lines are an SVG stretched over the plotting area (their strokes keep their width), the
    points and the axes' labels HTML placed in percent, so that texts are never stretched. Each
    period is a column whose hover says every series' value, masked ones included (« < 5 »); a
    missing value breaks its line.

    Parameters
    ----------
    reperes : sequence of str
        The periods in order, as a sentence names them (« janvier 2024 »).
    series : sequence of Serie
        The lines.
    etiquettes : dict
        Index of a period → label written under the axis (« janv. 2024 »): a few of them.
    titre : str
        What the chart shows, first words of its spoken reading.
    titre_y : str
        Title of the value axis (its unit).
    grand : bool
        Larger texts (presentation mode).

    Returns
    -------
    str
        An HTML ``<figure>`` for ``st.html``.
    """
    n = len(reperes)
    vus = [v for s in series for v in s.valeurs if v is not None and not pd.isna(v)]
    # counts start at zero: a truncated axis would magnify a month-to-month change
    ticks = graduations(max(vus, default=0))
    haut = ticks[-1]

    def x(i: int) -> float:
        return 100 * (i + 0.5) / n

    traits, points = [], []
    for serie in series:
        troncon: list[str] = []
        for i, valeur in enumerate([*serie.valeurs, None]):
            if valeur is None or pd.isna(valeur):
                if len(troncon) > 1:
                    traits.append(
                        f"<polyline fill='none' stroke='{serie.couleur}' stroke-width='2.5' stroke-linejoin='round' "
                        f"vector-effect='non-scaling-stroke' points='{' '.join(troncon)}'/>"
                    )
                troncon = []
                continue
            y = 100 * valeur / haut
            troncon.append(f"{10 * x(i):.1f},{1000 - 10 * y:.1f}")
            points.append(
                f"<span class='point' style='left: {x(i):.2f}%; bottom: {y:.2f}%; --couleur: {serie.couleur}'></span>"
            )
    colonnes, lecture = [], []
    for i, repere in enumerate(reperes):
        details = ", ".join(f"{s.nom.lower()} {s.textes[i]}" for s in series)
        colonnes.append(
            f"<span class='mois' style='left: {100 * i / n:.2f}%; width: {100 / n:.2f}%' "
            f"title='{html.escape(f'{repere} : {details}', quote=True)}'></span>"
        )
        lecture.append(f"{repere} : {details}")
    echelle, grille = _echelle(ticks, None)
    legende = "".join(f"<span style='--couleur: {s.couleur}'>{html.escape(s.nom)}</span>" for s in series)
    sous_axe = "".join(
        f"<span style='left: {x(i):.2f}%'>{html.escape(texte)}</span>" for i, texte in sorted(etiquettes.items())
    )
    return _figure(
        "atlas-courbes",
        f"{titre} ({titre_y}) : " + " ; ".join(lecture),
        grand,
        f"<div class='legende' aria-hidden='true'>{legende}</div>"
        f"<div class='titre-y axe' aria-hidden='true'>{html.escape(titre_y)}</div>{echelle}"
        f"<div class='zone'>{grille}{_image_svg(''.join(traits))}{''.join(points)}{''.join(colonnes)}</div>"
        f"<div class='reperes axe' aria-hidden='true'>{sous_axe}</div>",
    )


def _image_svg(contenu: str) -> str:
    """SVG lines stretched over the plotting area, as an image: ``st.html`` removes inline SVG.

    The drawing is 1000 × 1000 units stretched to the area (``preserveAspectRatio='none'``);
    ``non-scaling-stroke`` keeps each line's width in pixels.
    """
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1000 1000' preserveAspectRatio='none' "
        f"width='100%' height='100%'>{contenu}</svg>"
    )
    return f"<img class='traits' alt='' aria-hidden='true' src='data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}'>"


# a number and the unit after it (« 60 % », « 20 min »), written with a plain space in labels
_NOMBRE_ET_UNITE = re.compile(r"(\d+(?:[,.]\d+)?) (%|‰|€|min|km|ans?)(?![\w])")


def _texte_de_cellule(texte: str) -> str:
    """A cell's text, escaped, a number kept on the line of its unit (« seuil à 60 / % » in a narrow column).

    A span that does not wrap rather than a no-break space: the text read (and copied) is unchanged.
    """
    return _NOMBRE_ET_UNITE.sub(r"<span class='insecable'>\1 \2</span>", html.escape(texte))


def tableau_html(
    frame: pd.DataFrame,
    entetes: dict[str, str],
    *,
    nombres: Sequence[str] = (),
    aides: dict[str, str] | None = None,
    grand: bool = False,
    large: bool = False,
    notes: Sequence[str] = (),
) -> str:
    """A short table (a few rows) as a plain HTML table: read whole, nothing to load nor scroll.

    Parameters
    ----------
    frame : DataFrame
        The cells, already written as shown (« 1 234 », « < 5 », « — »).
    entetes : dict
        Column → header, in the order shown.
    nombres : sequence of str
        Columns of numbers: right-aligned, units under units.
    aides : dict, optional
        Column → the header's tooltip (a definition).
    grand : bool
        Larger texts (presentation mode).
    large : bool
        A table of many columns (a territory's profile): its first column keeps a fifth of the
        width, the cells' texts wrap between words (their numbers carry no-break spaces:
        :func:`atlas.formatting.pour_cellule_etroite`) and, on a narrow screen, the table scrolls
        sideways rather than runs past the page's edge.
    notes : sequence of str
        Lines written under the table, as a caption (its sources, its remarks).
    """
    aides = aides or {}
    classe = {c: " class='nombre'" if c in nombres else "" for c in entetes}
    tete = "".join(
        f"<th scope='col'{classe[c]}"
        + (f" title='{html.escape(aides[c], quote=True)}'" if c in aides else "")
        + f">{_texte_de_cellule(t)}</th>"
        for c, t in entetes.items()
    )
    corps = "".join(
        "<tr>" + "".join(f"<td{classe[c]}>{_texte_de_cellule(str(ligne[c]))}</td>" for c in entetes) + "</tr>"
        for _, ligne in frame.iterrows()
    )
    classes = "atlas-tableau" + (" grand" if grand else "") + (" large" if large else "")
    table = f"<table class='{classes}'><thead><tr>{tete}</tr></thead><tbody>{corps}</tbody></table>"
    if large:  # on a narrow screen it scrolls sideways rather than runs past the page's edge
        table = f"<div class='atlas-tableau-large'>{table}</div>"
    pied = "".join(f"<p class='atlas-note'>{html.escape(note)}</p>" for note in notes)
    return table + pied
