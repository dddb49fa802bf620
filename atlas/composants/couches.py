"""The map component's layers: each level's display GeoJSON as a static file, the service sites'
points sent with a map's data, and the basemaps' raster tiles.

Streamlit serves the app's ``static/`` folder (``server.enableStaticServing``): each level's layer
is written there once per database stamp and server process, under a name that changes with the
database (:mod:`atlas.composants.carte` sends only its URL). Streamlit serves it without Cache-Control,
so the browser keeps it in its Cache Storage under that name (``carte.js``): fetched once per browser
and database, never the shapes of an earlier database.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pandas as pd

from atlas import queries
from atlas.db import cache_par_base, db_stamp

#: Folder of ``static/`` where the layers are written, one file per level and database stamp.
DOSSIER_COUCHES = "couches"


def dossier_static() -> Path:
    """The ``static/`` folder served by Streamlit: beside the running app's main script."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    from commun.config import ROOT

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and getattr(ctx, "main_script_path", None):
        # a test may run a page file as the main script (pages/): only an existing static/ beside
        # the main script is served
        dossier = Path(ctx.main_script_path).resolve().parent / "static"
        if dossier.is_dir():
            return dossier
    return ROOT / "static"


def publier(chemin: Path, contenu: bytes, quoi: str, date: float | None = None) -> None:
    """Write a static file atomically (a reader never gets half of it), dated ``date`` if given.

    ``quoi`` starts the French error when ``static/`` is not writable (« couche de carte non écrite »).
    """
    cible = chemin.parent
    cible.mkdir(parents=True, exist_ok=True)
    provisoire = cible / f".{chemin.name}.{os.getpid()}.tmp"
    try:
        provisoire.write_bytes(contenu)
        if date is not None:
            os.utime(provisoire, (date, date))
        os.replace(provisoire, chemin)
    except OSError as exc:
        provisoire.unlink(missing_ok=True)
        raise OSError(
            exc.errno,
            f"{quoi} dans {cible} ({exc.strerror}) : le dossier static/ de "
            "l'application doit être accessible en écriture au serveur",
        ) from exc


def retirer_les_anciens(chemin: Path, motif: str, age) -> None:
    """Remove the files matching ``motif`` beside ``chemin`` (not it) whose ``age(stat)`` is over a day old."""
    limite = time.time() - 86_400
    for ancien in chemin.parent.glob(motif):
        if ancien != chemin and age(ancien.stat()) < limite:
            ancien.unlink(missing_ok=True)


def _ecrire(dossier: Path, prefixe: str, stamp: str, geojson: dict) -> str:
    """Write a layer once per database stamp (atomically) and return its URL; day-old layers go."""
    nom = f"{prefixe}-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.geojson"
    cible = dossier / DOSSIER_COUCHES
    cible.mkdir(parents=True, exist_ok=True)
    chemin = cible / nom
    if not chemin.exists():
        # the code as a property: the browser matches each territory's colour by it
        features = [
            {"type": "Feature", "properties": {"code": f["id"]}, "geometry": f["geometry"]} for f in geojson["features"]
        ]
        texte = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        publier(chemin, texte.encode("utf-8"), "couche de carte non écrite")
        # another server process may still serve a page of the previous database for a moment:
        # the layers of earlier databases go only after a day
        retirer_les_anciens(chemin, f"{prefixe}-*.geojson", lambda etat: etat.st_mtime)
    return f"app/static/{DOSSIER_COUCHES}/{nom}"


# once per database stamp and server process, shared by every session
@cache_par_base(partage=True, max_entries=12)
def _url_couche(niveau: str, dossier: str) -> str:
    return _ecrire(Path(dossier), niveau, db_stamp(), queries.geojson(niveau))


@cache_par_base(partage=True, max_entries=2)
def _url_qpv(dossier: str) -> str:
    return _ecrire(Path(dossier), "qpv", db_stamp(), queries.qpv_geojson()[0])


def url_couche(niveau: str) -> str:
    """URL (relative to the page) of the level's display GeoJSON, written once per database."""
    return _url_couche(niveau, str(dossier_static()))


@cache_par_base(partage=True, max_entries=64)
def _url_couche_restreinte(niveau: str, codes: tuple[str, ...], dossier: str) -> str:
    gardes = set(codes)
    geojson = {"features": [f for f in queries.geojson(niveau)["features"] if f["id"] in gardes]}
    # named by its codes: one file per set of territories (a département's communes), never two sets in one
    empreinte = hashlib.sha256(",".join(codes).encode()).hexdigest()[:12]
    return _ecrire(Path(dossier), f"{niveau}_partie_{empreinte}", db_stamp(), geojson)


def url_couche_restreinte(niveau: str, codes) -> str:
    """URL of the level's display GeoJSON restricted to ``codes``, written once per database and set of codes.

    A map that draws a few territories of a large layer (the communes of one département) loads
    only their shapes, the same as the whole layer's.

    Parameters
    ----------
    niveau : str
        Level of the layer (``commune``…).
    codes : iterable of str
        The territories kept.
    """
    return _url_couche_restreinte(niveau, tuple(sorted(codes)), str(dossier_static()))


def url_qpv() -> str:
    """URL of the quartiers prioritaires' contours, written once per database."""
    return _url_qpv(str(dossier_static()))


#: Raster tiles of the basemaps that need internet (``commun.config.FONDS_DE_CARTE``), the same
#: servers plotly's styles use; « aucun » is the plain background, drawn offline.
TUILES = {
    "carto": {
        "tuiles": [f"https://{s}.basemaps.cartocdn.com/light_all/{{z}}/{{x}}/{{y}}.png" for s in "abcd"],
        "attribution": "© OpenStreetMap contributors © CARTO",
    },
    "osm": {
        "tuiles": ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"],
        "attribution": "© OpenStreetMap contributors",
    },
}


def points_geojson(points: list[tuple[str, str, pd.DataFrame]]) -> dict:
    """The point layers as one small GeoJSON (sent with the data: a few hundred sites at most).

    The bubble's two lines are ``nom`` and ``couche``: a frame's ``titre`` and ``lieu`` when it has
    them (:func:`atlas.zones_blanches_vues.bulles_de_sites`), else the site's name and its layer's label.
    """
    features = []
    for libelle, couleur, frame in points:
        titres = frame["titre"] if "titre" in frame else frame["nom"]
        lieux = frame["lieu"] if "lieu" in frame else [libelle] * len(frame)
        for lon, lat, nom, lieu in zip(frame["longitude"], frame["latitude"], titres, lieux, strict=True):
            if pd.isna(lon) or pd.isna(lat):
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"couleur": couleur, "nom": str(nom), "couche": str(lieu)},
                    "geometry": {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]},
                }
            )
    return {"type": "FeatureCollection", "features": features}
