"""Indicator queries: the catalogue, the values of one indicator on a level, comparisons.

The catalogue (table ``indicateurs``) drives the UI: no page lists indicators by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.db import cache_par_base, query
from atlas.formatting import decimales, format_nombre

#: Levels that can be mapped (they have geometries in ``territoires``), in display order.
NIVEAUX_CARTE = {"commune": "Communes", "epci": "EPCI", "departement": "Départements"}
#: Plural in running text (« 296 communes avec une valeur »).
NIVEAUX_PLURIEL = {"commune": "communes", "epci": "EPCI", "departement": "départements"}
STATUTS = {
    "ok": "Disponible",
    "estime": "Estimation de l'atlas",
    "secret": "Secret statistique",
    "absent": "Non disponible",
}


def texte_valeur(valeur: float, statut: str, bas: float, haut: float, unite: str) -> str:
    """A value in French words: the figure, « estimation de l'atlas » with its interval, or the statut.

    An estimate reads « 9,6 % (estimation de l’atlas, intervalle 7,5 à 12,0 %) »: never an INSEE
    figure without saying so.
    """
    d = decimales(unite)
    if statut == "ok":
        return format_nombre(valeur, d, unite)
    if statut == "estime":
        return (
            f"{format_nombre(valeur, d, unite)} (estimation de l’atlas, intervalle "
            f"{format_nombre(bas, d)} à {format_nombre(haut, d, unite)})"
        )
    return STATUTS.get(statut, STATUTS["absent"])


@cache_par_base
def catalogue() -> pd.DataFrame:
    """Every indicator with its label, unit, source, millésime, direction and mapped levels.

    ``sens`` is ``+`` (higher is worse), ``-`` (lower is worse) or None for a count or a population
    (no direction); ``demonstration`` is true for an indicator computed from demonstration data.
    """
    return query(
        """
        with niveaux as (
            select indicateur, list(distinct niveau order by niveau) as niveaux_disponibles
            from valeurs
            where statut = 'ok'
            group by indicateur
        ),

        final as (
            select
                i.code, i.libelle, i.unite, i.source, i.millesime, i.sens, i.description, i.theme, i.demonstration,
                -- the description says what the data is; the flag says it is demonstration data
                coalesce(s.libelle || case when s.demonstration then ' — données de démonstration' else '' end,
                         i.source) as source_libelle,
                coalesce(s.producteur, '') as producteur,
                n.niveaux_disponibles
            from indicateurs as i
            left join sources as s on s.source = i.source
            left join niveaux as n on n.indicateur = i.code
        )

        select * from final order by theme, libelle
        """
    )


def indicateur(code: str) -> dict:
    """One catalogue row as a dict (KeyError when unknown)."""
    cat = catalogue()
    row = cat[cat["code"] == code]
    if row.empty:
        raise KeyError(code)
    return row.iloc[0].to_dict()


def niveaux_carte(code: str) -> list[str]:
    """Mappable levels where the indicator has at least one value."""
    dispo = indicateur(code)["niveaux_disponibles"]
    dispo = [] if dispo is None else list(dispo)
    return [n for n in NIVEAUX_CARTE if n in dispo]


@cache_par_base
def millesimes(code: str, niveau: str) -> list[str]:
    """Millésimes available for an indicator on a level, latest first."""
    frame = query(
        "select distinct millesime from valeurs where indicateur = ? and niveau = ? order by millesime desc",
        [code, niveau],
    )
    return frame["millesime"].tolist()


@cache_par_base
def _valeurs(code: str, niveau: str, millesime: str) -> pd.DataFrame:
    return query(
        """
        with territoires_niveau as (
            select code, nom, code_departement, population
            from territoires
            where niveau = ?
        ),

        notes as (
            -- why a value is missing or how it was computed (qualite_valeurs), one line per value
            select code, string_agg(distinct note, ' ; ' order by note) as note
            from qualite_valeurs
            where indicateur = ? and niveau = ? and millesime = ?
            group by code
        ),

        valeurs_niveau as (
            select v.code, v.valeur, v.statut, e.bas, e.haut, e.methode, n.note
            from valeurs as v
            left join estimations as e using (indicateur, niveau, code, millesime)
            left join notes as n on n.code = v.code
            where v.indicateur = ? and v.niveau = ? and v.millesime = ?
        ),

        -- a reference level keeps its own millésime: the latest one not after the shown one
        -- (commune 2021 beside département 2020), else the earliest after it
        millesimes_reference as (
            select niveau, millesime,
                   row_number() over (
                       partition by niveau
                       order by (millesime <= ?) desc,
                                case when millesime <= ? then millesime end desc,
                                millesime
                   ) as rang
            from (
                select distinct niveau, millesime
                from valeurs
                where indicateur = ? and niveau in ('departement', 'region') and statut = 'ok'
            )
        ),

        references_departement as (
            select v.code as code_departement, v.valeur as valeur_departement,
                   v.millesime as millesime_departement
            from valeurs as v
            join millesimes_reference as m on m.niveau = v.niveau and m.millesime = v.millesime and m.rang = 1
            where v.indicateur = ? and v.niveau = 'departement' and v.statut = 'ok'
        ),

        reference_region as (
            select max(v.valeur) as valeur_region, max(v.millesime) as millesime_region
            from valeurs as v
            join millesimes_reference as m on m.niveau = v.niveau and m.millesime = v.millesime and m.rang = 1
            where v.indicateur = ? and v.niveau = 'region' and v.statut = 'ok'
        ),

        final as (
            select
                t.code,
                t.nom,
                t.code_departement,
                t.population,
                v.valeur,
                coalesce(v.statut, 'absent') as statut,
                v.bas,
                v.haut,
                v.methode,
                v.note,
                -- rank in the region among published values: 1 = highest (an estimate has none)
                case when v.statut = 'ok'
                    then rank() over (partition by v.statut = 'ok' order by v.valeur desc)
                end as rang,
                count(v.valeur) filter (where v.statut = 'ok') over () as nb_valeurs,
                d.valeur_departement,
                d.millesime_departement,
                r.valeur_region,
                r.millesime_region
            from territoires_niveau as t
            left join valeurs_niveau as v on v.code = t.code
            left join references_departement as d on d.code_departement = t.code_departement
            cross join reference_region as r
        )

        select * from final order by code
        """,
        [niveau, code, niveau, millesime, code, niveau, millesime, millesime, millesime, code, code, code],
    )


def valeurs(code: str, niveau: str, millesime: str, estimations: bool = True) -> pd.DataFrame:
    """Every territory of a level with the indicator's value, statut, rank and reference values.

    Territories without a row in ``valeurs`` come back with statut ``absent``: a map shows them
    grey instead of leaving holes. ``rang`` is the rank by decreasing value among the published
    values (an estimate has none); ``valeur_departement`` / ``valeur_region`` are the published
    values of the enclosing département and region (never recomputed), at their own millésime
    (``millesime_departement``, ``millesime_region``: the latest one not after ``millesime``).
    An estimate of the atlas (statut ``estime``) carries its interval (``bas``, ``haut``) and
    ``methode``; with ``estimations=False`` it is shown as what INSEE publishes: a secret.
    """
    if niveau not in NIVEAUX_CARTE:
        raise ValueError(f"niveau non cartographiable : {niveau}")
    frame = _valeurs(code, niveau, millesime)
    if not estimations:
        frame = sans_estimations(frame)
    return frame


def sans_estimations(frame: pd.DataFrame) -> pd.DataFrame:
    """The same values with every estimate of the atlas back to INSEE's secret (NULL, no interval)."""
    estime = frame["statut"] == "estime"
    if not estime.any():
        return frame
    out = frame.copy()
    out.loc[estime, "statut"] = "secret"
    out.loc[estime, ["valeur", "bas", "haut"]] = np.nan
    out.loc[estime, "methode"] = None
    return out


@cache_par_base
def _sources_valeurs() -> pd.DataFrame:
    return query(
        """
        select v.indicateur, v.niveau, v.millesime, v.source,
               s.libelle || case when s.demonstration then ' — données de démonstration' else '' end as libelle,
               s.producteur
        from sources_valeurs as v
        join sources as s using (source)
        """
    )


@cache_par_base
def taux_non_recours() -> pd.DataFrame:
    """National non-recours rates with their exact publication, what they measure and their data year.

    Columns: droit, libelle, taux_publie (as published: a range, « < 30 % »), mesure, annee (year
    of the data, NaN when the publication does not state it), publication,
    dernier_millesime_applicable (last CNAF year the estimate uses the rate for, NaN = no limit),
    taux (the share used by the estimate).
    """
    return query(
        """
        select droit, libelle, taux_publie, mesure, annee, publication, dernier_millesime_applicable, taux
        from taux_non_recours_national
        order by droit
        """
    )


def limites_des_taux(taux: pd.DataFrame) -> str:
    """Where the estimate stops using a rate, in French, from :func:`taux_non_recours`'s rows.

    A rate measured before a reform of its benefit is applied only up to a CNAF year
    (``dernier_millesime_applicable``): « Prime d'activité : taux mesuré sur les données 2016
    (part des foyers …, avant la réforme de 2019) ; l'estimation s'arrête aux allocataires CNAF
    de 2018. » One sentence per such rate, empty when none is bounded; the years are the
    database's, so the page follows the next update of the table.
    """
    bornes = taux[taux["dernier_millesime_applicable"].notna()]
    return " ".join(
        f"{r.libelle} : taux mesuré"
        + ("" if pd.isna(r.annee) else f" sur les données {int(r.annee)}")
        + f" ({r.mesure}) ; l'estimation s'arrête aux allocataires CNAF de {int(r.dernier_millesime_applicable)}."
        for r in bornes.itertuples()
    )


def source_niveau(code: str, niveau: str, millesime: str) -> dict:
    """The source of an indicator's values on one level and millésime (``source``, ``libelle``, ``producteur``).

    One indicator may come from INSEE for the communes, from a third-party re-export for the EPCI
    and be computed from the départements for the region: a page names the one it shows. Falls
    back on the catalogue's source.
    """
    frame = _sources_valeurs()
    row = frame[(frame["indicateur"] == code) & (frame["niveau"] == niveau) & (frame["millesime"] == millesime)]
    if row.empty:
        ind = indicateur(code)
        return {"source": ind["source"], "libelle": ind["source_libelle"], "producteur": ind["producteur"]}
    return row.iloc[0][["source", "libelle", "producteur"]].to_dict()


@cache_par_base
def notes_iris() -> pd.DataFrame:
    """The producers' reliability notes on IRIS values (``qualite_valeurs``), one row per note.

    Columns: note, nb_iris, nb_valeurs, indicateurs (labels, ``;``-separated). IRIS values are
    not mapped by the atlas: they are read in SQL, where the notes sit beside them.
    """
    return query(
        """
        select q.note, count(distinct q.code) as nb_iris, count(*) as nb_valeurs,
               string_agg(distinct i.libelle, ' ; ' order by i.libelle) as indicateurs
        from qualite_valeurs as q
        join indicateurs as i on i.code = q.indicateur
        where q.niveau = 'iris'
        group by q.note
        order by nb_iris desc
        """
    )


@cache_par_base
def validation_estimations() -> pd.DataFrame:
    """Cross-validated error of the atlas's estimates (``estimations_validation``), by scope and method."""
    return query(
        """
        select indicateur, millesime, perimetre, methode, communes, erreur_absolue_moyenne,
               erreur_absolue_mediane, couverture, niveau_intervalle
        from estimations_validation
        order by indicateur, perimetre, case methode when 'ensemble' then 0 when 'calage_epci' then 1 else 2 end
        """
    )


@cache_par_base
def resume_estimations() -> pd.DataFrame:
    """How many communes carry an estimate, by method, with the median width of their interval."""
    return query(
        """
        select e.indicateur, e.millesime, e.methode, count(*) as communes,
               median(e.haut - e.bas) as largeur_mediane
        from estimations as e
        group by all
        order by e.indicateur, e.methode
        """
    )
