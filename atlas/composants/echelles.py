"""Colour scales of the map component beside its classes and categories: a continuous scale with its
gradient legend (:func:`donnees_continues`) and the 3 × 3 grid legend of a bivariate map
(:func:`grille_bivariee`). What the component draws is assembled by
:func:`atlas.composants.carte.assembler`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from atlas.composants.carte import HAUTEUR, assembler
from atlas.couleurs import texte_lisible
from atlas.formatting import format_nombre


def grille_bivariee(
    palette: list[list[str]],
    libelles_x: list[str],
    libelles_y: list[str],
    comptes: list[list[int]],
    *,
    titre_x: str,
    titre_y: str,
) -> dict:
    """The 3 × 3 legend of a bivariate map for :func:`donnees_categories` (``grille=``).

    The same content as :func:`atlas.maps_bivariee.legende_bivariee`: the nine colours, the class bounds
    of each axis, the number of territories in each cell and the axis titles; the greys (missing,
    secret) stay in the list under the grid.

    Parameters
    ----------
    palette, libelles_x, libelles_y, comptes, titre_x, titre_y
        As in :func:`atlas.maps_bivariee.legende_bivariee`.

    Returns
    -------
    dict
        The grid's rows from the top (highest y class) down, each cell with its colour, count
        (formatted in French) and the text a reader's screen reader says.
    """
    lignes = []
    for j in (2, 1, 0):
        lignes.append(
            [
                {
                    "couleur": palette[i][j],
                    "texte": format_nombre(comptes[i][j]),
                    "encre": texte_lisible(palette[i][j]),
                    "titre": f"{titre_x} : {libelles_x[i]} ; {titre_y} : {libelles_y[j]} — "
                    f"{format_nombre(comptes[i][j])} territoire{'s' if comptes[i][j] > 1 else ''}",
                }
                for i in range(3)
            ]
        )
    return {
        "couleurs": [list(c) for c in palette],
        "lignes": lignes,
        # a third of the legend's width per class: « plus de 12,3 % à 18,4 % » wrapped on four lines
        "libelles_x": [borne_courte(t) for t in libelles_x],
        "libelles_y": [borne_courte(t) for t in libelles_y],
        "titre_x": f"{titre_x} →",
        "titre_y": f"{titre_y} →",
        "titre": "Nombre de territoires par case",
    }


_JUSQU_A = re.compile(r"^jusqu'à\s+(.+)$")
_ENTRE = re.compile(r"^plus de\s+(.+?)\s+à\s+(.+)$")
_PLUS_DE = re.compile(r"^plus de\s+(.+)$")
_UNITE = re.compile(r"^(.*\d)(\s+\D.*)?$")


def borne_courte(libelle: str) -> str:
    """A class label of :func:`atlas.precarite.Bivariee.libelles_x` in the grid's few words.

    « jusqu'à 12,3 % » → « ≤ 12,3 % », « plus de 12,3 % à 18,4 % » → « 12,3 à 18,4 % » (the unit
    said once), « plus de 18,4 % » → « > 18,4 % »; any other label is kept as it is. Non-breaking
    spaces keep a sign with its number, so that a bound wraps on two lines at most.

    Parameters
    ----------
    libelle : str
        The class label in full (hover and screen reader keep it).

    Returns
    -------
    str
        The short label.
    """
    texte = libelle.strip()
    if m := _JUSQU_A.match(texte):
        return f"≤\u00a0{m.group(1)}"
    if m := _ENTRE.match(texte):
        bas, haut = m.groups()
        nombre_bas, unite_bas = _UNITE.match(bas).groups() if _UNITE.match(bas) else (bas, None)
        unite_haut = _UNITE.match(haut).group(2) if _UNITE.match(haut) else None
        if unite_bas and unite_bas.strip() == (unite_haut or "").strip():
            bas = nombre_bas
        return f"{bas}\u00a0à {haut}"
    if m := _PLUS_DE.match(texte):
        return f">\u00a0{m.group(1)}"
    return libelle


#: Values of the graduations of a logarithmic scale (as :func:`atlas.maps.carte_choroplethe`).
GRADUATIONS_LOG = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)


def _pas_et_degrade(
    valeurs: pd.Series, echelle: list, echelle_log: bool, decimales: int, unite: str
) -> tuple[np.ndarray, list[str], dict]:
    """Each present value's step on the scale, the 64 colours of the steps, and the gradient legend.

    ``valeurs`` holds the present values only (positive ones on a log scale).
    """
    from plotly.colors import sample_colorscale

    x = np.log10(valeurs) if echelle_log else valeurs
    bas, haut = float(x.min()), float(x.max())
    positions = ((x - bas) / (haut - bas)).clip(0, 1) if haut > bas else x * 0.0
    # 64 steps of the scale: no eye tells them apart, and the data sent stays small
    pas = np.round(positions.to_numpy() * 63).astype(int)
    couleurs = [_hex(c) for c in sample_colorscale(echelle, (np.arange(64) / 63).tolist())]
    vmin, vmax = float(valeurs.min()), float(valeurs.max())
    graduations = []
    if echelle_log and haut > bas:
        graduations = [
            {"position": (np.log10(v) - bas) / (haut - bas), "texte": format_nombre(v), "rang": _rang(v)}
            for v in GRADUATIONS_LOG
            if vmin <= v <= vmax
        ]
    degrade = {
        "couleurs": [_hex(c) for _, c in echelle],
        "min": format_nombre(vmin, decimales, unite),
        "max": format_nombre(vmax, decimales, unite),
        "graduations": graduations,
        "log": echelle_log,
    }
    return pas, couleurs, degrade


def donnees_continues(
    data: pd.DataFrame,
    niveau: str,
    *,
    colonne: str,
    libelle: str,
    unite: str,
    emprise: tuple[float, float, float, float],
    decimales: int = 0,
    palette: str = "Blues",
    echelle_log: bool = False,
    libelle_manquant: str = "Donnée manquante",
    survol: list[str] | None = None,
    selection: str | None = None,
    avec_qpv: bool = False,
    hauteur: int = HAUTEUR,
    fond: str = "aucun",
) -> dict:
    """What the component draws for a continuous scale: the colours of
    :func:`atlas.maps.carte_choroplethe` and a gradient legend with its unit and bounds.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``code``, ``nom`` and ``colonne``.
    niveau : str
        The level, whose layer is drawn.
    colonne, libelle, unite : str
        Value column, its French label and unit (legend and hover).
    emprise : (west, south, east, north)
        Extent the view fits.
    decimales : int
        Digits of the hover and of the legend's bounds.
    palette : str
        A plotly sequential scale, without its near-white start (:func:`atlas.couleurs.echelle_visible`).
    echelle_log : bool
        Colour by the decimal logarithm (very skewed values such as densities); the legend still
        shows the values themselves, with graduations at 1, 2, 5, 10…
    libelle_manquant : str
        Legend text of the grey territories without a value (listed only when there are some).
    survol : list of str, optional
        Columns holding the hover lines; by default the name, then « libelle : value unit ».
    selection, avec_qpv, hauteur, fond
        As in :func:`donnees_classes`.

    Returns
    -------
    dict
        The component's data (JSON), its legend a gradient (``degrade``) from the lowest value to
        the highest.
    """
    from atlas.couleurs import echelle_visible
    from atlas.maps import GRIS_MANQUANT

    valeurs = pd.to_numeric(data[colonne], errors="coerce").astype(float)
    present = valeurs.notna() & (valeurs > 0 if echelle_log else True)
    echelle = echelle_visible(palette)
    if survol is None:
        data = data.assign(
            _survol=[
                f"{libelle} : {format_nombre(v, decimales, unite)}" if ok else libelle_manquant
                for v, ok in zip(valeurs, present, strict=True)
            ]
        )
        survol = ["nom", "_survol"]
    indices = np.full(len(data), -1, dtype=int)
    couleurs: list[str] = []
    legende: list[dict] = []
    degrade = None
    if present.any():
        indices[present.to_numpy()], couleurs, degrade = _pas_et_degrade(
            valeurs[present], echelle, echelle_log, decimales, unite
        )
    libelles = ["" for _ in couleurs]
    manquants = ~present.to_numpy()
    if manquants.any():
        indices[manquants] = len(couleurs)
        couleurs.append(GRIS_MANQUANT)
        libelles.append(libelle_manquant)
        legende.append({"libelle": libelle_manquant, "couleur": GRIS_MANQUANT})
    donnees = assembler(
        data,
        niveau,
        indices,
        np.zeros(len(data), dtype=bool),
        couleurs=couleurs,
        libelles=libelles,
        legende=legende,
        emprise=emprise,
        survol=survol,
        titre_legende=f"{libelle} ({unite})",
        selection=selection,
        avec_qpv=avec_qpv,
        hauteur=hauteur,
        fond=fond,
    )
    donnees["degrade"] = degrade
    return donnees


def _rang(valeur: float) -> int:
    """Which graduations the legend keeps first where they would touch: 0 for a power of ten, 1 for
    5, 50…, 2 for 2, 20… (read by ``espacerGraduations`` in ``carte.js``)."""
    chiffre = round(valeur / 10 ** np.floor(np.log10(valeur)))
    return {1: 0, 5: 1}.get(chiffre, 2)


def _hex(couleur: str) -> str:
    """``#rrggbb`` of a plotly colour (``rgb(r, g, b)`` or already ``#rrggbb``)."""
    if couleur.startswith("#"):
        return couleur
    r, g, b = (round(float(v)) for v in couleur[couleur.index("(") + 1 : -1].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"
