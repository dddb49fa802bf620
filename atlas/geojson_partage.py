"""GeoJSON layers prepared once for plotly and shared read-only by every figure and session."""

from __future__ import annotations

import threading

import numpy as np


class GeojsonPartage(dict):
    """A GeoJSON object shared read-only by every figure and session: a deep copy returns it as is.

    Plotly deep-copies every property of a trace when the trace is added to a figure and again
    when Streamlit turns the figure into a dict to serialise it: for a commune layer, some
    140 000 Python objects copied twice per map and per run, the largest server cost of a page.
    The geometries of a level never change for a given database, so the figures share them.
    Nothing may modify such an object (nor the features it holds) after it is built.
    """

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self


# FeatureCollections already prepared for plotly, and their features by code, by the identity of
# their source (kept in the entry, so that its identity cannot be reused while the entry lives).
# The layers of :func:`atlas.queries.geojson` are shared objects per database stamp: each is
# prepared once per server process, not once per map and per run.
_PREPARES: dict[int, tuple[dict, GeojsonPartage, dict]] = {}


_PREPARES_MAX = 16


_PREPARES_VERROU = threading.Lock()


def _preparer(geojson: dict) -> tuple[GeojsonPartage, dict]:
    with _PREPARES_VERROU:
        entree = _PREPARES.get(id(geojson))
    if entree is not None and entree[0] is geojson:
        return entree[1], entree[2]

    def anneaux(geometrie: dict) -> dict:
        if geometrie["type"] == "Polygon":
            return {**geometrie, "coordinates": [np.asarray(r, dtype=float) for r in geometrie["coordinates"]]}
        if geometrie["type"] == "MultiPolygon":
            polygones = [[np.asarray(r, dtype=float) for r in p] for p in geometrie["coordinates"]]
            return {**geometrie, "coordinates": polygones}
        return geometrie

    prepare = GeojsonPartage(
        {**geojson, "features": [{**f, "geometry": anneaux(f["geometry"])} for f in geojson["features"]]}
    )
    par_code = {f["id"]: f for f in prepare["features"]}
    with _PREPARES_VERROU:
        while len(_PREPARES) >= _PREPARES_MAX:
            _PREPARES.pop(next(iter(_PREPARES)))
        _PREPARES[id(geojson)] = (geojson, prepare, par_code)
    return prepare, par_code


def geojson_pour_plotly(geojson: dict) -> GeojsonPartage:
    """The same FeatureCollection with the coordinates of each ring as one NumPy array, shared.

    As arrays, plotly and the JSON encoder handle each ring in one step instead of some
    100 000 nested Python lists for the communes; the JSON sent to the browser is the same,
    number for number. The result is prepared once per source object (the cached layers of
    :mod:`atlas.queries` are shared by every session for a database stamp) and is read-only
    (:class:`GeojsonPartage`): plotly no longer copies it.
    """
    return _preparer(geojson)[0]


def collection_des_codes(par_code: dict, codes) -> GeojsonPartage:
    """The features of ``codes`` (in that order) as a shared FeatureCollection: one trace's own layer."""
    return GeojsonPartage({"type": "FeatureCollection", "features": [par_code[c] for c in codes if c in par_code]})


def features_par_code(geojson: dict) -> dict:
    """Features of the prepared layer by code (prepared once per source layer)."""
    return _preparer(geojson)[1]
