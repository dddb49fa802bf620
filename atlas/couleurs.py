"""Colour maths of the maps and legends: contrast (WCAG), perceptual distance (CIELAB), lightness, scales that start visibly, readable text on a fill."""

from __future__ import annotations

import math

import numpy as np


def _luminance(couleur: str) -> float:
    r, g, b = (int(couleur.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contraste(couleur_1: str, couleur_2: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    l1, l2 = sorted((_luminance(couleur_1), _luminance(couleur_2)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def lab(couleur: str) -> tuple[float, float, float]:
    """CIELAB (D65) coordinates of a ``#rrggbb`` or ``rgb(r, g, b)`` colour: L* (0 black, 100 white), a*, b*."""
    if couleur.startswith("rgb"):
        rgb = [float(v) / 255 for v in couleur[couleur.index("(") + 1 : -1].split(",")[:3]]
    else:
        rgb = [int(couleur.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ecart_couleurs(couleur_1: str, couleur_2: str) -> float:
    """Perceived difference of two colours (CIE76 ΔE in CIELAB): about 2 is just noticeable, 10 clear.

    Two fills of a map legend must differ by far more than a contrast ratio can tell: a grey and
    an orange of the same lightness have a contrast of 1 and are still told apart by their hue.

    Examples
    --------
    >>> round(ecart_couleurs("#ffffff", "#000000"))
    100
    """
    return math.dist(lab(couleur_1), lab(couleur_2))


#: Where a continuous scale starts (0–1): its lightest tenths are near white, and the lowest values
#: would vanish into the white background on a projector.
DEBUT_ECHELLE = 0.3


def echelle_visible(palette: str, debut: float = DEBUT_ECHELLE) -> list[list]:
    """A plotly named sequential scale without its near-white start (from ``debut`` to its end).

    Examples
    --------
    >>> echelle_visible("Blues")[0]
    [0.0, 'rgb(182, 212, 233)']
    """
    from plotly.colors import get_colorscale, sample_colorscale

    positions = np.linspace(debut, 1, 8)
    couleurs = sample_colorscale(get_colorscale(palette), positions.tolist())
    return [[round(float(i) / 7, 4), c] for i, c in enumerate(couleurs)]


def texte_lisible(fond: str) -> str:
    """Black or white, whichever contrasts more with the ``#rrggbb`` background."""
    return "#000000" if contraste(fond, "#000000") >= contraste(fond, "#ffffff") else "#ffffff"
