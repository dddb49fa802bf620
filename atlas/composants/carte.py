"""A light map of territories: MapLibre GL JS alone, without plotly, for the maps shown on screen.

Plotly's MapLibre map costs the browser about 3 times a page with one title before it draws a
single polygon (``docs/performance.md``). This component loads MapLibre GL JS
(``static/maplibre-gl-5.24.1/``, BSD-3-Clause, vendored from npm) and each level's GeoJSON as
static files (``server.enableStaticServing``): the browser fetches them once and keeps them in
its cache; each run sends only the colours, the hover texts and the legend. The background is
plain (no tiles), the view fits the region's extent at the map's real width, the legend is HTML
beside the map, and a click on a territory returns its code to Python.

Images and slides keep the plotly figures (:mod:`atlas.maps`, drawn by kaleido on click).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from atlas import queries
from atlas.db import cache_par_base, db_stamp
from atlas.maps import (
    CONTOUR_ESTIMATION,
    CONTOUR_SELECTION,
    LIBELLE_ESTIMATION,
    LIBELLE_SELECTION,
    POLICE_PRESENTATION,
    en_presentation,
)

#: Version of MapLibre GL JS vendored under ``static/`` (the folder's name holds it, so a new
#: version is a new URL for the browsers' caches).
VERSION_MAPLIBRE = "5.24.1"
RACINE_MAPLIBRE = f"app/static/maplibre-gl-{VERSION_MAPLIBRE}/"
#: Folder of ``static/`` where the layers are written, one file per level and database stamp.
DOSSIER_COUCHES = "couches"
COULEUR_QPV, EPAISSEUR_QPV = "#1f1f1f", 1.6
#: Height of the map (px), and in presentation mode (title, key figure and map on 1280 × 720).
HAUTEUR = 600
HAUTEUR_PRESENTATION = 330

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

_ICI = Path(__file__).parent
_COMPOSANT = st.components.v2.component(
    "atlas_carte",
    html=(
        '<div class="atlas-carte" data-etat="chargement">'
        '<div class="atlas-carte-fond-boite"><div class="atlas-carte-fond"></div>'
        '<div class="atlas-carte-bulle" role="tooltip" hidden></div></div>'
        '<div class="atlas-carte-legende"></div></div>'
    ),
    css=(_ICI / "carte.css").read_text(encoding="utf-8"),
    js=(_ICI / "carte.js").read_text(encoding="utf-8"),
    # MapLibre's stylesheet is global: the component lives in the page's own DOM
    isolate_styles=False,
)


def dossier_static() -> Path:
    """The ``static/`` folder served by Streamlit: beside the running app's main script."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    from commun.config import ROOT

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and getattr(ctx, "main_script_path", None):
        # a test may run a page file as the main script: only a folder that holds MapLibre is served
        dossier = Path(ctx.main_script_path).resolve().parent / "static"
        if (dossier / f"maplibre-gl-{VERSION_MAPLIBRE}").is_dir():
            return dossier
    return ROOT / "static"


def _ecrire(dossier: Path, prefixe: str, stamp: str, geojson: dict) -> str:
    """Write a layer once per database stamp (atomically) and return its URL; day-old layers go."""
    nom = f"{prefixe}-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.geojson"
    cible = dossier / DOSSIER_COUCHES
    cible.mkdir(parents=True, exist_ok=True)
    chemin = cible / nom
    if not chemin.exists():
        # the code as a property: MapLibre keys its feature states by it (``promoteId``)
        features = [
            {"type": "Feature", "properties": {"code": f["id"]}, "geometry": f["geometry"]} for f in geojson["features"]
        ]
        texte = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        provisoire = cible / f".{nom}.{os.getpid()}.tmp"
        try:
            provisoire.write_text(texte, encoding="utf-8")
            os.replace(provisoire, chemin)
        except OSError as exc:
            provisoire.unlink(missing_ok=True)
            raise OSError(
                exc.errno,
                f"couche de carte non écrite dans {cible} ({exc.strerror}) : le dossier static/ de "
                "l'application doit être accessible en écriture au serveur",
            ) from exc
        # another server process may still serve a page of the previous database for a moment:
        # the layers of earlier databases go only after a day
        limite = time.time() - 86_400
        for ancien in cible.glob(f"{prefixe}-*.geojson"):
            if ancien != chemin and ancien.stat().st_mtime < limite:
                ancien.unlink(missing_ok=True)
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


def libelle_qpv() -> str:
    """Legend entry of the QPV contours, with their geography (``sources.millesime``)."""
    return f"Quartiers prioritaires {queries.millesime_source('anct_qpv_contours')} (contours)"


def url_qpv() -> str:
    """URL of the quartiers prioritaires' contours, written once per database."""
    return _url_qpv(str(dossier_static()))


def donnees_classes(
    data: pd.DataFrame,
    niveau: str,
    classes,
    *,
    emprise: tuple[float, float, float, float],
    survol: list[str],
    titre_legende: str,
    selection: str | None = None,
    avec_qpv: bool = False,
    hauteur: int = HAUTEUR,
    fond: str = "aucun",
) -> dict:
    """What the component draws for a map in classes: the same classes, colours and greys as
    :func:`atlas.maps.carte_classes`.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``code``, ``nom``, ``statut`` (ok | estime | secret | absent)
        and the hover columns.
    niveau : str
        The level, whose layer is drawn.
    classes : atlas.classification.Classes
        Classification of ``data`` (``classes.classe`` aligned on ``data``'s index).
    emprise : (west, south, east, north)
        Extent the view fits.
    survol : list of str
        Columns holding the hover lines (formatted in French); the first is in bold.
    titre_legende : str
        Legend title.
    selection : str, optional
        Code of the territory outlined in blue and named in the legend.
    avec_qpv : bool
        Draw the 2024 quartiers prioritaires' contours.
    hauteur : int
        Height in pixels (at most :data:`HAUTEUR_PRESENTATION` in presentation mode).
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``: a plain background, or raster tiles (internet).

    Returns
    -------
    dict
        The component's data (JSON).
    """
    from atlas.classification import GRIS_ABSENT, GRIS_SECRET, LIBELLE_ABSENT, LIBELLE_SECRET

    presentation = en_presentation()
    statut = data["statut"]
    secret = (statut == "secret").to_numpy()
    absent = ((statut == "absent") | ((statut == "ok") & classes.classe.isna())).to_numpy()
    couleurs = [*classes.couleurs, GRIS_SECRET, GRIS_ABSENT]
    libelles = [*classes.libelles, LIBELLE_SECRET, LIBELLE_ABSENT]
    rang = {lib: i for i, lib in enumerate(classes.libelles)}
    indices = classes.classe.reindex(data.index).map(rang)
    indices = indices.where(~(secret | absent), -1).fillna(-1).astype(int).to_numpy().copy()
    indices[secret] = len(classes.couleurs)
    indices[absent] = len(classes.couleurs) + 1
    visible = indices >= 0
    estimes = (statut == "estime").to_numpy() & visible
    presents = set(indices[visible].tolist())
    legende = [
        {"libelle": lib, "couleur": col}
        for i, (lib, col) in enumerate(zip(libelles, couleurs, strict=True))
        if i in presents
    ]
    if estimes.any():
        legende.append(
            {"libelle": LIBELLE_ESTIMATION, "couleur": CONTOUR_ESTIMATION["trait"], "contour": True, "epaisseur": 2}
        )
    if avec_qpv:
        legende.append({"libelle": libelle_qpv(), "couleur": COULEUR_QPV, "contour": True, "epaisseur": 2})
    codes = data["code"].to_numpy()[visible].tolist()
    if selection in set(codes):
        nom = data.loc[data["code"] == selection, "nom"].iloc[0]
        legende.append(
            {
                "libelle": f"{LIBELLE_SELECTION} : {nom}",
                "couleur": CONTOUR_SELECTION["trait"],
                "contour": True,
                "epaisseur": 3,
            }
        )
    else:
        selection = None
    return {
        "racine_maplibre": RACINE_MAPLIBRE,
        "fond": TUILES.get(fond),
        "url": url_couche(niveau),
        "url_qpv": url_qpv() if avec_qpv else None,
        "emprise": [float(v) for v in emprise],
        "hauteur": min(hauteur, HAUTEUR_PRESENTATION) if presentation else hauteur,
        # larger legend text for a projector, as the plotly maps' (atlas.maps.POLICE_PRESENTATION)
        "police_legende": POLICE_PRESENTATION if presentation else None,
        "titre": titre_legende,
        "legende": legende,
        "couleurs": couleurs,
        "libelles": libelles,
        # the outlines of the plotly maps (atlas.maps), drawn the same by the component
        "styles": {
            "estimation": CONTOUR_ESTIMATION["trait"],
            "selection": {"couleur": CONTOUR_SELECTION["trait"], "epaisseur": CONTOUR_SELECTION["epaisseur"]},
            "qpv": {"couleur": COULEUR_QPV, "epaisseur": EPAISSEUR_QPV},
        },
        "codes": codes,
        "classes": indices[visible].tolist(),
        "estimes": [int(e) for e in estimes[visible]],
        "survol": data.loc[visible, survol].astype(str).to_numpy().tolist(),
        "selection": selection,
    }


def afficher(donnees: dict, *, key: str) -> str | None:
    """Draw the map; returns the code of the territory just clicked (None on other runs)."""
    resultat = _COMPOSANT(key=key, data=donnees, on_clic_change=lambda: None, height="content")
    return getattr(resultat, "clic", None)


def clic_en_attente(key: str) -> str | None:
    """The code clicked on the map ``key`` that triggered this run, read before the map is drawn."""
    valeur = st.session_state.get(key)
    if valeur is None:
        return None
    try:
        return valeur.get("clic") if hasattr(valeur, "get") else getattr(valeur, "clic", None)
    except Exception:  # a state of another shape (an old plotly selection): no click
        return None
