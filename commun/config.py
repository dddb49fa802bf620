"""One place for configuration, with environment overrides.

Every setting has a default that works on a fresh clone; an environment variable overrides it:

========================  ==========================================  =======================
variable                  meaning                                     default
========================  ==========================================  =======================
``ATLAS_DB``              path of the DuckDB file                      ``data/atlas.duckdb``
``ATLAS_REGION``          INSEE region code built and shown            ``52`` (Pays de la Loire)
``ATLAS_RAW_DIR``         folder of the bundled raw data               ``data/raw``
``ATLAS_FOND_DE_CARTE``   basemap: ``aucun`` (plain, offline) or       ``aucun``
                          ``osm`` / ``carto`` (tiles, needs internet)
``ATLAS_CHROMIUM``        Chromium executable drawing the PNG, PPTX    ``/usr/bin/chromium``
                          and PDF exports (name on PATH or path)
``ATLAS_SEL_PSEUDONYMES``  secret key of the visit pseudonym hashes     a random key in
                          (``etl.pseudonymes``)                        ``.sel_pseudonymes``
                                                                       beside the database
``ATLAS_APPTEST``         ``1``: the pages are run by Streamlit's      unset
                          AppTest (set by ``tests/apptest_helpers``),
                          which drives the navigation itself
========================  ==========================================  =======================

This module imports neither streamlit nor duckdb: the ETL and the app both use it (``commun/``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Metropolitan regions (code INSEE → name). ``--region`` accepts these codes.
REGIONS_METROPOLE = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

#: Basemaps offered in the UI: key → (French label, plotly map style of the PNG and the slide).
FONDS_DE_CARTE = {
    "aucun": ("Neutre (hors ligne)", "white-bg"),
    "carto": ("CARTO (internet requis)", "carto-positron"),
    "osm": ("OpenStreetMap (internet requis)", "open-street-map"),
}

#: Tolerance (degrees) of ``shapely.coverage_simplify`` for display geometries: with
#: 5-decimal rounding the commune layer of a region weighs about 0.7 MB of GeoJSON.
TOLERANCE_SIMPLIFICATION = 0.004

#: Flags of a headless Chromium driven by Playwright (browser tests, page benchmarks) that work on
#: an offline, GPU-less machine (WebGL falls back to software rendering).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. Build it with :func:`get_settings`."""

    db_path: Path
    raw_dir: Path
    region: str
    fond_de_carte: str
    chromium: str = "/usr/bin/chromium"
    sel_pseudonymes: str | None = None
    apptest: bool = False


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def get_settings() -> Settings:
    """Read the settings from the environment (each call re-reads it, so tests can override)."""
    fond = os.environ.get("ATLAS_FOND_DE_CARTE", "aucun")
    return Settings(
        db_path=_path(os.environ.get("ATLAS_DB", "data/atlas.duckdb")),
        raw_dir=_path(os.environ.get("ATLAS_RAW_DIR", "data/raw")),
        region=os.environ.get("ATLAS_REGION", "52"),
        fond_de_carte=fond if fond in FONDS_DE_CARTE else "aucun",
        chromium=os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium"),
        sel_pseudonymes=os.environ.get("ATLAS_SEL_PSEUDONYMES") or None,
        apptest=os.environ.get("ATLAS_APPTEST") == "1",
    )
