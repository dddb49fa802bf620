"""Simple vertical bars drawn as HTML and CSS, for the screen: no plotly.js to load, lay out and draw.

The page shows these bars; the PNG image and the slide keep the plotly figure of the same data
(:func:`atlas.precarite_vues.periodes`), built on click only.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from atlas import precarite
from atlas.formatting import format_nombre

#: Steps tried for the value axis, times a power of ten: the first giving at most 6 intervals wins.
PAS = (1, 2, 2.5, 5)

STYLE = """<style>
.atlas-barres {margin: 1.3rem 0 0.5rem; font-size: 0.8rem; color: #31333f; display: grid;
  grid-template-columns: auto 3.4rem 1fr; column-gap: 0.4rem;}
.atlas-barres .titre-y {grid-row: 1; writing-mode: vertical-rl; transform: rotate(180deg); text-align: center;
  color: #595959;}
.atlas-barres .graduations {grid-row: 1; position: relative;}
.atlas-barres .graduations span {position: absolute; right: 0; transform: translateY(50%); white-space: nowrap;
  color: #595959;}
.atlas-barres .zone {grid-row: 1; grid-column: 3; position: relative; height: 14rem; display: flex;
  align-items: flex-end; border-bottom: 1px solid #8c8c8c;}
.atlas-barres .grille {position: absolute; left: 0; right: 0; border-top: 1px solid #e6e6e6;}
.atlas-barres .colonne {position: relative; flex: 1; height: 100%; display: flex; flex-direction: column;
  justify-content: flex-end; align-items: center;}
.atlas-barres .barre {flex: none; width: 62%; background: var(--couleur); min-height: 1px;}
.atlas-barres .valeur {flex: none; white-space: nowrap; margin-bottom: 0.15rem; font-weight: 600;}
.atlas-barres .absente {text-align: center; color: #595959; font-style: italic;}
.atlas-barres .categories {grid-row: 2; grid-column: 3; display: flex;}
.atlas-barres .categories span {flex: 1; text-align: center; padding-top: 0.2rem;}
.atlas-barres .titre-x {grid-row: 3; grid-column: 3; text-align: center; color: #595959; margin-top: 0.2rem;}
</style>"""


def graduations(maximum: float) -> list[float]:
    """Ticks of the value axis from 0 up to at least ``maximum``, on a round step (at most 6 intervals).

    Examples
    --------
    >>> graduations(35.8)
    [0.0, 10.0, 20.0, 30.0, 40.0]
    >>> graduations(0)
    [0.0, 1.0]
    """
    if not maximum or maximum <= 0 or math.isnan(maximum):
        return [0.0, 1.0]
    puissance = 10 ** math.floor(math.log10(maximum / 6))
    pas = next(p * puissance for p in (*PAS, 10) if maximum / (p * puissance) <= 6)
    n = math.ceil(maximum / pas - 1e-9)
    return [round(i * pas, 10) for i in range(n + 1)]


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

    Returns
    -------
    str
        An HTML ``<figure>`` (with its style), for ``st.html``; its ``aria-label`` reads every value.
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
    grille = "".join(f"<div class='grille' style='bottom: {100 * t / haut:.2f}%'></div>" for t in ticks[1:])
    pas = ticks[1] - ticks[0]
    chiffres = next(d for d in range(4) if abs(round(pas, d) - pas) < 1e-9 or d == 3)
    echelle = "".join(
        f"<span style='bottom: {100 * t / haut:.2f}%'>{html.escape(format_nombre(t, chiffres, unite))}</span>"
        for t in ticks
    )
    noms = "".join(f"<span>{html.escape(str(c))}</span>" for c in categories)
    aria = html.escape(f"{titre_y} par {titre_x.lower()} : " + " ; ".join(lecture), quote=True)
    return (
        f"{STYLE}<figure class='atlas-barres' role='img' aria-label='{aria}' style='--couleur: {couleur}'>"
        f"<div class='titre-y'>{html.escape(titre_y)}</div>"
        f"<div class='graduations'>{echelle}</div>"
        f"<div class='zone'>{grille}{''.join(colonnes)}</div>"
        f"<div class='categories' aria-hidden='true'>{noms}</div>"
        f"<div class='titre-x' aria-hidden='true'>{html.escape(titre_x)}</div></figure>"
    )


def barres_periodes(periodes: pd.DataFrame) -> str:
    """The chart of :func:`atlas.precarite_vues.periodes` as light HTML bars for the screen (same values, hover and axis titles).

    Parameters
    ----------
    periodes : DataFrame
        The table of :func:`atlas.precarite_vues.periodes` (``periode``, ``nb_dpe``, ``part_passoires``).

    Returns
    -------
    str
        HTML for ``st.html`` (:func:`barres_html`).
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
    )
