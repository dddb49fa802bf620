"""Fitting a plotly map's view to its region (the PNG images and slides; the map component on
screen fits itself in the browser at its real size)."""

from __future__ import annotations

import math


def vue_carte(emprise: tuple[float, float, float, float], largeur_px: int = 760, hauteur_px: int = 560):
    """Centre and zoom (Web Mercator) that fit a bounding box in a map of the given size.

    Parameters
    ----------
    emprise : (west, south, east, north)
        Bounding box in degrees (EPSG:4326).
    largeur_px, hauteur_px : int
        Expected size of the map on screen.

    Returns
    -------
    dict, float
        ``{"lon": ..., "lat": ...}`` and the zoom level.
    """
    ouest, sud, est, nord = emprise

    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_lon = math.log2(360 * largeur_px / (512 * max(est - ouest, 1e-6)))
    zoom_lat = math.log2(2 * math.pi * hauteur_px / (512 * max(merc(nord) - merc(sud), 1e-9)))
    centre_lat = math.degrees(math.atan(math.sinh((merc(nord) + merc(sud)) / 2)))
    return {"lon": (ouest + est) / 2, "lat": centre_lat}, round(min(zoom_lon, zoom_lat) - 0.1, 2)
