"""Access to France services: distance, estimated travel time and sites within reach, per commune.

Method (stated in every indicator definition):

- origin: the reference point of the commune (``territoires.longitude/latitude``, the town hall);
- destinations: every France services site of France in ``services`` (a site across the
  regional border counts); only sites of metropolitan France are indexed, since the built regions
  are metropolitan and a DOM site can never be the nearest one;
- distance: **great-circle (haversine) distance** on a sphere of radius :data:`EARTH_RADIUS_KM`.
  Lambert-93 (EPSG:2154) coordinates only feed the spatial index (``shapely.STRtree``): it
  proposes candidates within the Lambert-93 distance plus a margin, and the haversine distance of
  the candidates decides, so the result does not depend on the projection's scale error;
- a commune hosting a site (the site's ``insee_com``, placed on current codes through
  ``passage_communes``) has distance 0 to it, even when the site's coordinates lie a few hundred
  metres from the town hall: the service is in the commune;
- travel time: see :data:`DETOUR_FACTOR` and :data:`SPEED_KMH` (an estimate without a routing
  engine, as in the design's *zone blanche* definition).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

from etl import catalogue, mobilite, services, services_import
from etl.report import LoadReport
from etl.services import BOUNDING_BOXES, COUCHE_FRANCE_SERVICES
from etl.valeurs import VALEURS_COLUMNS, insert_values

MILLESIME_FRANCE_SERVICES = "2024"
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
#: Travel time is an **estimate without a routing engine**: the crow-fly distance is lengthened by
#: a detour factor of 1.3 (road network vs straight line) and driven at a constant 60 km/h.
#: ``minutes = km × DETOUR_FACTOR / SPEED_KMH × 60`` (so minutes = km × 1.3 at 60 km/h).
DETOUR_FACTOR = 1.3
SPEED_KMH = 60.0
#: Thresholds of the "sites within N minutes" indicators.
MINUTES_THRESHOLDS = (10, 20, 30)
# Extra search radius of the Lambert-93 index around the haversine distance (metres): Lambert-93
# distorts lengths by less than 0.1 % in metropolitan France, well under this margin.
INDEX_MARGIN_M = 1000.0

_TO_LAMBERT93 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


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


def _lambert93_points(lon, lat) -> np.ndarray:
    x, y = _TO_LAMBERT93.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return shapely.points(x, y)


def commune_access(communes: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Distance to the nearest site and number of sites within each time threshold.

    Parameters
    ----------
    communes : pandas.DataFrame
        ``code``, ``longitude``, ``latitude`` (reference points).
    sites : pandas.DataFrame
        ``code_commune`` (current code, may be None), ``longitude``, ``latitude``.

    Returns
    -------
    pandas.DataFrame
        Index ``code``; columns ``distance_km``, ``minutes`` and ``sites_<N>min`` for each
        threshold. A commune hosting a site has distance 0.
    """
    codes = communes["code"].to_numpy(dtype=object)
    clon = communes["longitude"].to_numpy(dtype=float)
    clat = communes["latitude"].to_numpy(dtype=float)
    slon = sites["longitude"].to_numpy(dtype=float)
    slat = sites["latitude"].to_numpy(dtype=float)
    scode = sites["code_commune"].to_numpy(dtype=object, na_value=None)
    tree = shapely.STRtree(_lambert93_points(slon, slat))
    cpts = _lambert93_points(clon, clat)

    # Hosted pairs are added explicitly: a site geocoded far from its town hall (several km
    # happen in the list) would be missed by the index search around the town hall.
    position = {code: i for i, code in enumerate(codes)}
    hosted = np.array([(position[c], j) for j, c in enumerate(scode) if c in position], dtype=int).reshape(-1, 2)

    def pair_distances(radius_m):
        # candidate pairs from the index, then the haversine distance (0 for a hosted site)
        pairs = np.vstack([np.column_stack(tree.query(cpts, predicate="dwithin", distance=radius_m)), hosted])
        ci, si = np.unique(pairs, axis=0).T
        dist = haversine_km(clon[ci], clat[ci], slon[si], slat[si])
        dist[codes[ci] == scode[si]] = 0.0
        return ci, dist

    _, nearest_m = tree.query_nearest(cpts, return_distance=True, all_matches=False)
    ci, dist = pair_distances(nearest_m + INDEX_MARGIN_M)
    nearest = np.full(len(codes), np.inf)
    np.minimum.at(nearest, ci, dist)
    out = pd.DataFrame(
        {"distance_km": nearest, "minutes": minutes_from_km(nearest)}, index=pd.Index(codes, name="code")
    )
    for minutes in MINUTES_THRESHOLDS:
        radius_km = km_from_minutes(minutes)
        ci, dist = pair_distances(np.full(len(codes), radius_km * 1000.0 + INDEX_MARGIN_M))
        out[f"sites_{minutes}min"] = np.bincount(ci[dist <= radius_km], minlength=len(codes)).astype(float)
    return out


INDICATORS = {
    "distance_km": "fs_distance_km",
    "minutes": "fs_temps_min",
    **{f"sites_{m}min": f"fs_sites_{m}min" for m in MINUTES_THRESHOLDS},
}


def _metropolitan_sites(con) -> pd.DataFrame:
    sites = con.execute(
        """
        select coalesce(p.code_actuel, s.code_commune) as code_commune, s.longitude, s.latitude
        from services as s
        left join passage_communes as p on p.code_ancien = s.code_commune
        where s.couche = ?
        """,
        [COUCHE_FRANCE_SERVICES],
    ).df()
    x0, y0, x1, y1 = BOUNDING_BOXES["France métropolitaine"]
    inside = sites["longitude"].between(x0, x1) & sites["latitude"].between(y0, y1)
    return sites[inside].reset_index(drop=True)


def load_france_services_access(con) -> int:
    """Compute the France services access indicators of every commune, EPCI and département.

    Commune values: :func:`commune_access`. EPCI and département: population-weighted mean of the
    commune travel times (``fs_temps_min`` only: a mean of counts of sites within reach would not
    be a count of anything). An EPCI crossing the regional border gets statut ``absent``: its
    communes outside the region are not computed, and a mean over part of it would mislead.

    Returns
    -------
    int
        Number of ``valeurs`` rows inserted.
    """
    communes = con.execute(
        "select code, longitude, latitude from territoires where niveau = 'commune' order by code"
    ).df()
    sites = _metropolitan_sites(con)
    if communes.empty or sites.empty:
        return 0
    access = commune_access(communes, sites)
    parts = []
    for column, indicator in INDICATORS.items():
        parts.append(
            pd.DataFrame(
                {
                    "indicateur": indicator,
                    "niveau": "commune",
                    "code": access.index.to_numpy(dtype=object),
                    "millesime": MILLESIME_FRANCE_SERVICES,
                    "valeur": access[column].round(3).to_numpy(dtype=float),
                    "statut": "ok",
                }
            )
        )
    inserted = insert_values(con, pd.concat(parts, ignore_index=True)[VALEURS_COLUMNS])
    return inserted + _insert_weighted_means(con)


def _insert_weighted_means(con) -> int:
    rows = con.execute(
        """
        with

        communes as (
            select t.code, t.code_epci, t.code_departement, t.population, v.valeur
            from territoires as t
            join valeurs as v
              on v.niveau = 'commune' and v.code = t.code
             and v.indicateur = 'fs_temps_min' and v.millesime = ?
            where t.niveau = 'commune'
        ),

        par_epci as (
            select 'epci' as niveau, code_epci as code,
                   sum(valeur * population) / nullif(sum(population), 0) as valeur,
                   sum(population) as population_calculee
            from communes
            where code_epci is not null
            group by code_epci
        ),

        par_departement as (
            select 'departement' as niveau, code_departement as code,
                   sum(valeur * population) / nullif(sum(population), 0) as valeur,
                   sum(population) as population_calculee
            from communes
            group by code_departement
        ),

        agregats as (
            select * from par_epci
            union all
            select * from par_departement
        ),

        final as (
            -- complete = every inhabitant of the territory lives in a computed commune
            select a.niveau, a.code,
                   case when a.population_calculee = t.population then round(a.valeur, 3) end as valeur,
                   case when a.population_calculee = t.population then 'ok' else 'absent' end as statut
            from agregats as a
            join territoires as t on t.niveau = a.niveau and t.code = a.code
        )

        select * from final
        """,
        [MILLESIME_FRANCE_SERVICES],
    ).df()
    if rows.empty:
        return 0
    rows.insert(0, "indicateur", "fs_temps_min")
    rows.insert(3, "millesime", MILLESIME_FRANCE_SERVICES)
    return insert_values(con, rows[VALEURS_COLUMNS])


def load_access(con, raw_dir: Path, region: str) -> list[LoadReport]:
    """Services and mobility step of the build, after the indicators step.

    Loads the France services list, the kept user service layers, the access indicators, the
    share of households without a car and the commune typologies, then refreshes the catalogue
    (``indicateurs`` is computed from ``valeurs``, so it is rebuilt with the new indicators).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection, after the indicators step.
    raw_dir : Path
        The raw data folder.
    region : str
        INSEE code of the built region (territories are already restricted to it).

    Returns
    -------
    list of LoadReport
        Closed reports, one per file.
    """
    reports = []
    if (raw_dir / services.FICHIER).is_file():
        reports.append(services.load_france_services(con, raw_dir))
    reports += services_import.load_imported_layers(con)
    load_france_services_access(con)
    reports += mobilite.load_mobilite(con, raw_dir)
    con.execute("delete from indicateurs")
    catalogue.insert_catalogue(con)
    return reports
