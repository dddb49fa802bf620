"""Pure geometry of the access method: great-circle distance, estimated travel time, island of a site.

The build (``etl.access``) and the zones blanches page (``atlas.zones_blanches``, which re-applies
the estimate to service layers chosen on screen) compute with the same functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from commun.methode import DETOUR_FACTOR, EARTH_RADIUS_KM, SPEED_KMH


def minutes_from_km(km):
    """Estimated travel time in minutes for a crow-fly distance in km (no routing engine)."""
    return np.asarray(km, dtype=float) * DETOUR_FACTOR / SPEED_KMH * 60.0


def km_from_minutes(minutes: float) -> float:
    """Crow-fly radius in km reached within ``minutes`` under the same estimate."""
    return minutes * SPEED_KMH / 60.0 / DETOUR_FACTOR


def haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance in km between points given in degrees (arrays broadcast)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def island_of_sites(sites: pd.DataFrame, islands: pd.DataFrame) -> pd.Series:
    """Island of each service site, None on the mainland.

    Parameters
    ----------
    sites : pandas.DataFrame
        ``code_commune`` (current code, may be None), ``longitude``, ``latitude``.
    islands : pandas.DataFrame
        ``code_commune``, ``ile`` and ``geom`` (WKB of the commune, EPSG:4326): the communes of
        ``communes_insulaires`` with their geometry.

    Returns
    -------
    pandas.Series
        Same index as ``sites``. A site is on an island when its commune code is an island
        commune, or (for a site given by coordinates only) when its point lies in one.
    """
    out = pd.Series(None, index=sites.index, dtype=object)
    if islands.empty or sites.empty:
        return out
    by_code = dict(zip(islands["code_commune"], islands["ile"], strict=True))
    out = sites["code_commune"].map(by_code).astype(object)
    geoms = shapely.from_wkb([bytes(g) for g in islands["geom"]])
    points = shapely.points(sites["longitude"].to_numpy(dtype=float), sites["latitude"].to_numpy(dtype=float))
    for geom, ile in zip(geoms, islands["ile"], strict=True):
        inside = shapely.contains(geom, points)
        out[out.isna() & inside] = ile
    return out.where(out.notna(), None)
