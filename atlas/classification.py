"""Classification of indicator values for choropleth maps (mapclassify), with French legends.

Three methods, as analysts know them: quantiles (same number of territories per class), Jenks
natural breaks (Fisher-Jenks, exact), equal intervals. Colours come from ColorBrewer sequential
palettes, safe for colour-blind readers, oriented so that the darkest class is always the worst
situation for people (``sens`` of the indicator). A count or a population has no ``sens``: it is
drawn in a neutral blue scale (darker = more), which says nothing of better or worse.
"""

from __future__ import annotations

from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

from atlas.formatting import decimales, format_nombre

METHODES = {
    "quantiles": "Quantiles (effectifs égaux)",
    "jenks": "Seuils naturels (Jenks)",
    "egales": "Intervalles égaux",
}

# ColorBrewer's 9-class sequential palettes (colour-blind safe). Their lightest colours are
# near white: on a projector the lowest class would vanish into the background, so the classes
# start at the third colour (the fourth for blues, paler than yellows) and spread to the darkest.
_YLORRD_9 = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]
_BLUES_9 = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]


def _echelonner(palette: list[str], debut: int, k: int) -> list[str]:
    """``k`` colours of a 9-class palette, evenly spread from ``debut`` to the darkest."""
    return [palette[int(round(i))] for i in np.linspace(debut, len(palette) - 1, k)]


# YlOrRd: indicators with a direction (darkest = worst), from 3 to 7 classes.
YLORRD = {k: _echelonner(_YLORRD_9, 2, k) for k in range(3, 8)}
# Blues: counts and populations, without a direction (7 classes need the third colour).
BLUES = {k: _echelonner(_BLUES_9, 3 if k < 7 else 2, k) for k in range(3, 8)}
# Greys that no class uses: secret darker than any light class, missing between the palettes'
# lightest class and white (distance to every class checked in tests/test_legend_colours.py).
GRIS_SECRET = "#737373"
GRIS_ABSENT = "#bdbdbd"
LIBELLE_SECRET = "Secret statistique"
LIBELLE_ABSENT = "Donnée non disponible"


def jenks_bornes(y: np.ndarray, k: int, max_n: int = 2000) -> np.ndarray:
    """Fisher-Jenks natural breaks (exact optimum of the within-class sum of squares), in NumPy.

    Same result as ``mapclassify.FisherJenks`` without needing numba: the dynamic programme is
    vectorised over an ``n × n`` matrix of segment costs. Above ``max_n`` values the breaks are
    computed on ``max_n`` evenly spaced order statistics (deterministic), to bound memory.

    Parameters
    ----------
    y : ndarray
        Values (no NaN).
    k : int
        Number of classes.

    Returns
    -------
    ndarray
        Upper bounds of the ``k`` classes, ascending (the last is the maximum).
    """
    y = np.sort(np.asarray(y, dtype=float))
    if len(y) > max_n:
        y = np.quantile(y, np.linspace(0, 1, max_n))
    n = len(y)
    s1 = np.concatenate([[0.0], np.cumsum(y)])
    s2 = np.concatenate([[0.0], np.cumsum(y * y)])
    m = np.arange(n + 1)[:, None]  # segment start (exclusive prefix length)
    i = np.arange(n + 1)[None, :]  # segment end
    with np.errstate(divide="ignore", invalid="ignore"):
        ssd = (s2[i] - s2[m]) - (s1[i] - s1[m]) ** 2 / (i - m)
    ssd = np.where(i > m, np.maximum(ssd, 0.0), np.inf)
    cost = ssd[0].copy()  # one class for the first i values
    back = np.zeros((k + 1, n + 1), dtype=int)
    for j in range(2, k + 1):
        total = cost[:, None] + ssd
        back[j] = np.argmin(total, axis=0)
        cost = total[back[j], np.arange(n + 1)]
    bounds, end = [], n
    for j in range(k, 1, -1):
        start = back[j][end]
        bounds.append(y[start - 1])
        end = start
    return np.array(sorted(bounds) + [y[-1]])


@dataclass(frozen=True)
class Classes:
    """Result of a classification: bounds, a label and colour per class, the class of each value."""

    bornes: list[float]  # upper bounds, ascending; the first class starts at ``minimum``
    minimum: float
    libelles: list[str]
    couleurs: list[str]
    classe: pd.Series  # class label of each value (NaN values get no class)


def classer(valeurs: pd.Series, methode: str, k: int, unite: str = "", sens: str | None = "+") -> Classes:
    """Classify values into ``k`` classes.

    Parameters
    ----------
    valeurs : Series
        Numeric values; NaN (secret or missing) are left without a class.
    methode : {"quantiles", "jenks", "egales"}
    k : int
        Number of classes wanted (3 to 7); fewer when there are fewer distinct values.
    unite : str
        Unit used in the labels (``%`` gives one decimal).
    sens : {"+", "-", None}
        ``+`` when higher is worse for people (darker = higher), ``-`` when lower is worse (darker =
        lower), None for a count or a population: neutral blues, darker = higher, no direction.

    Returns
    -------
    Classes
    """
    if methode not in METHODES:
        raise ValueError(f"méthode inconnue : {methode}")
    y = valeurs.dropna().astype(float).to_numpy()
    distinct = np.unique(y)
    k = int(max(1, min(k, 7, len(distinct))))
    if len(distinct) == 0:
        return Classes([], float("nan"), [], [], pd.Series(np.nan, index=valeurs.index, dtype=object))
    if k < 3 or len(distinct) <= k:
        bins = distinct[-k:] if len(distinct) <= k else np.quantile(y, np.linspace(0, 1, k + 1)[1:])
    elif methode == "quantiles":
        bins = mapclassify.Quantiles(y, k=k).bins
    elif methode == "jenks":
        bins = jenks_bornes(y, k)
    else:
        bins = mapclassify.EqualInterval(y, k=k).bins
    bins = np.unique(np.asarray(bins, dtype=float))
    k = len(bins)
    d = decimales(unite)
    minimum = float(y.min())
    bas = [minimum, *bins[:-1]]
    libelles = [
        f"{format_nombre(lo, d)} à {format_nombre(hi, d, unite or None)}"
        if i == 0
        else f"plus de {format_nombre(lo, d)} à {format_nombre(hi, d, unite or None)}"
        for i, (lo, hi) in enumerate(zip(bas, bins, strict=True))
    ]
    echelle = YLORRD if sens in ("+", "-") else BLUES
    palette = echelle[max(3, k)][-k:] if k >= 3 else echelle[3][-k:]
    couleurs = palette[::-1] if sens == "-" else palette
    idx = np.searchsorted(bins, valeurs.to_numpy(dtype=float), side="left")
    classe = pd.Series(
        [
            libelles[min(i, k - 1)] if not np.isnan(v) else np.nan
            for i, v in zip(idx, valeurs.to_numpy(dtype=float), strict=True)
        ],
        index=valeurs.index,
        dtype=object,
    )
    return Classes([float(b) for b in bins], minimum, libelles, couleurs, classe)


# ColorBrewer RdBu and PuOr (diverging, colour-blind safe), 3 to 7 classes, from the low end
# (red / orange) to the high end (blue / purple); the middle of an odd palette is a near white.
RDBU = {
    3: ["#ef8a62", "#f7f7f7", "#67a9cf"],
    4: ["#ca0020", "#f4a582", "#92c5de", "#0571b0"],
    5: ["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"],
    6: ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"],
    7: ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"],
}
PUOR = {
    3: ["#f1a340", "#f7f7f7", "#998ec3"],
    4: ["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
    5: ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"],
    6: ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"],
    7: ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
}


def _signe(valeur: float, d: int, unite: str | None = None) -> str:
    """A signed French number: « +1,2 pts », « −0,8 % », « 0,0 »."""
    texte = format_nombre(abs(valeur), d, unite)
    if round(valeur, d) == 0:
        return texte
    return ("+" if valeur > 0 else "\u2212") + texte


def classer_divergent(valeurs: pd.Series, methode: str, k: int, unite: str = "", sens: str | None = "+") -> Classes:
    """Classify changes into ``k`` classes symmetric around 0, on a diverging palette.

    The bounds are computed on the absolute values (``methode`` applied to ``|valeurs|``) and
    mirrored: a class ``a à b`` above 0 has its twin ``−b à −a`` below. With an odd ``k`` the
    middle class is centred on 0 (the changes closest to none); with an even ``k``, 0 is a bound.

    Parameters
    ----------
    valeurs : Series
        Changes (points or %); NaN (no change computed) are left without a class.
    methode : {"quantiles", "jenks", "egales"}
        Applied to the absolute changes.
    k : int
        Number of classes (3 to 7).
    unite : str
        Unit of the labels (``pts`` or ``%``).
    sens : {"+", "-", None}
        ``+`` when higher is worse for people: a rise is drawn warm (red), a fall cool (blue);
        ``-``: a fall is red; None (a count): orange / purple, neither better nor worse.

    Returns
    -------
    Classes
        ``bornes`` (upper bounds, ascending) are symmetric: ``minimum == −bornes[-1]``.
    """
    if methode not in METHODES:
        raise ValueError(f"méthode inconnue : {methode}")
    k = int(min(7, max(3, k)))
    y = np.abs(valeurs.dropna().astype(float).to_numpy())
    if len(y) == 0:
        return Classes([], float("nan"), [], [], pd.Series(np.nan, index=valeurs.index, dtype=object))
    d = decimales(unite)
    pas = 10.0**-d
    demi = k // 2
    # one threshold per class of one side (the middle class of an odd k counts as one more)
    nb = demi + (k % 2)
    maximum = max(float(y.max()), pas)
    if methode == "egales" or len(np.unique(y)) <= nb:
        seuils = np.linspace(0, maximum, nb + 1)[1:]
    elif methode == "jenks":
        seuils = jenks_bornes(y, nb)
    else:
        seuils = np.quantile(y, np.linspace(0, 1, nb + 1)[1:])
    # thresholds readable at the printed precision, strictly increasing, the last one covering the maximum
    seuils = np.round(seuils, d)
    seuils[-1] = max(seuils[-1], np.ceil(maximum / pas - 1e-9) * pas)
    for i in range(len(seuils)):
        plancher = seuils[i - 1] + pas if i else pas
        seuils[i] = max(seuils[i], plancher)
    miroir = [float(-s) for s in seuils[:-1][::-1]]
    # odd k: the middle class −s0 à +s0 centred on 0; even k: 0 is a bound
    bornes = miroir + [float(s) for s in seuils] if k % 2 else miroir + [0.0] + [float(s) for s in seuils]
    minimum = -float(seuils[-1])
    bas = [minimum, *bornes[:-1]]
    libelles = [
        f"{_signe(lo, d)} à {_signe(hi, d, unite or None)}"
        if i == 0
        else f"plus de {_signe(lo, d)} à {_signe(hi, d, unite or None)}"
        for i, (lo, hi) in enumerate(zip(bas, bornes, strict=True))
    ]
    palette = (RDBU if sens in ("+", "-") else PUOR)[k]
    # RdBu runs red → blue: ascending classes must end red when a rise is the unfavourable way
    couleurs = palette[::-1] if sens == "+" else list(palette)
    x = valeurs.to_numpy(dtype=float)
    idx = np.searchsorted(np.asarray(bornes), x, side="left")
    classe = pd.Series(
        [libelles[min(i, k - 1)] if not np.isnan(v) else np.nan for i, v in zip(idx, x, strict=True)],
        index=valeurs.index,
        dtype=object,
    )
    return Classes(bornes, minimum, libelles, couleurs, classe)
