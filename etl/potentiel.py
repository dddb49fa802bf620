"""« Non-recours potentiel estimé »: CNAF beneficiaries × r / (1 − r), per territory and benefit.

Definition (DESIGN.md): for a benefit with a national non-recours rate ``r`` (DREES, table
``taux_non_recours_national``) and ``B`` foyers allocataires in a territory, the eligible foyers
who do not claim it are estimated at ``B × r / (1 − r)`` (eligible = B / (1 − r), of whom a share
``r`` do not claim). This module is the **only** place where the formula is computed: the read
side (``atlas.non_recours``) reads the resulting ``valeurs``.

Indicators (one row per territory and CNAF millésime):

========================================  ================================================
indicator                                 value
========================================  ================================================
``nr_potentiel_rsa``                      RSA: B × 0.34 / 0.66 (foyers)
``nr_potentiel_prime_activite``           prime d'activité: B × 0.27 / 0.73 (foyers)
``nr_potentiel_rsa_pa``                   sum of both (a foyer may count in each)
``taux_nr_potentiel_rsa`` (and the others)  the same per 100 ménages fiscaux (INSEE Filosofi)
========================================  ================================================

Rules:

- a rate is applied only to the CNAF millésimes it may describe: ``dernier_millesime_applicable``
  of ``taux_non_recours_national`` (the prime d'activité rate, 2016 data of the 2017 evaluation
  report, predates the 2019 reform: no estimate for CNAF 2019 and later, so the series stops at
  2018 instead of jumping when take-up rose); the RSA + prime d'activité sum stops with it;

- a CNAF count that is not ``ok`` gives NULL with the same statut (``secret`` stays ``secret``,
  ``absent`` stays ``absent``): an unknown count is never read as 0;
- the rate's denominator is the number of **ménages fiscaux** (Filosofi), the only household
  count available for every level; its millésime is the Filosofi one closest to the CNAF year
  (the earlier on a tie: CNAF 2020 → Filosofi 2019). Foyers allocataires and ménages fiscaux are
  not the same unit (a ménage may hold several foyers): the rate is an order of magnitude, which
  ranks small and large communes on the same footing, unlike the counts;
- EPCI and département: the sum of their communes **only** when every member commune has a
  known count. The CNAF files cover the IRIS of the "irisées" communes only, so in practice the
  EPCI and départements get NULL with statut ``absent`` and a note in ``qualite_valeurs``
  (« n communes sur m avec un effectif CNAF »). Territories without any CNAF commune row get no
  row, as their communes.
"""

from __future__ import annotations

import pandas as pd

from commun.methode import COMBINE_POTENTIEL as COMBINE
from commun.methode import DROITS_POTENTIEL as DROITS
from etl.valeurs import VALEURS_COLUMNS, insert_values

DENOMINATEUR = "nb_menages_fiscaux"


_COMMUNES_SQL = """
with

correspondance as (
    -- commun.methode.DROITS_POTENTIEL, one row per benefit
    select unnest(?::varchar[]) as droit, unnest(?::varchar[]) as indicateur_source,
           unnest(?::varchar[]) as indicateur, unnest(?::varchar[]) as indicateur_taux
),

beneficiaires as (
    -- B per commune, benefit and CNAF millésime, with r
    select v.code, v.millesime, c.droit, c.indicateur, c.indicateur_taux, v.valeur as b, v.statut, n.taux as r
    from valeurs as v
    join correspondance as c on c.indicateur_source = v.indicateur
    join taux_non_recours_national as n on n.droit = c.droit
    where v.niveau = 'commune'
      and (n.dernier_millesime_applicable is null or cast(v.millesime as integer) <= n.dernier_millesime_applicable)
),

par_droit as (
    -- the formula, in one place
    select code, millesime, indicateur, indicateur_taux, statut,
           case when statut = 'ok' then b * r / (1 - r) end as potentiel
    from beneficiaires
),

ensemble as (
    -- RSA + prime d'activité: known only when every benefit is known
    select code, millesime, ?::varchar as indicateur, ?::varchar as indicateur_taux,
           case when bool_and(statut = 'ok') and count(*) = (select count(*) from correspondance) then 'ok'
                when bool_or(statut = 'secret') then 'secret'
                else 'absent' end as statut,
           case when bool_and(statut = 'ok') and count(*) = (select count(*) from correspondance) then sum(potentiel) end as potentiel
    from par_droit
    group by code, millesime
    having count(*) = (select count(*) from correspondance)  -- a millésime without one of the rates has no sum
),

final as (
    select * from par_droit
    union all
    select * from ensemble
)

select * from final
"""


def _menages_millesime(con, millesime_cnaf: str) -> str | None:
    """The Filosofi millésime of ménages fiscaux closest to a CNAF year (earlier on a tie)."""
    rows = con.execute(
        "select distinct millesime from valeurs where indicateur = ? and niveau = 'commune'", [DENOMINATEUR]
    ).fetchall()
    years = sorted(int(m) for (m,) in rows if str(m).isdigit())
    if not years:
        return None
    cible = int(millesime_cnaf)
    return str(min(years, key=lambda y: (abs(y - cible), y)))


def load_potentiel(con) -> int:
    """Compute the estimate indicators from the CNAF counts already in ``valeurs``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection, after the Filosofi and CNAF loaders.

    Returns
    -------
    int
        Number of ``valeurs`` rows inserted.
    """
    correspondance = [[droit, *codes] for droit, codes in DROITS.items()]
    communes = con.execute(_COMMUNES_SQL, [*map(list, zip(*correspondance, strict=True)), *COMBINE]).df()
    if communes.empty:
        return 0
    menages_par_annee = {m: _menages_millesime(con, m) for m in communes["millesime"].unique()}
    con.register("stg_potentiel_communes", communes)
    con.register(
        "stg_menages_millesime",
        communes[["millesime"]]
        .drop_duplicates()
        .assign(millesime_menages=lambda f: f["millesime"].map(menages_par_annee)),
    )
    try:
        return _insert_counts_and_rates(con) + _insert_aggregates(con)
    finally:
        con.unregister("stg_potentiel_communes")
        con.unregister("stg_menages_millesime")


def _insert_counts_and_rates(con) -> int:
    frame = con.execute(
        """
        with

        communes as (
            select p.*, m.millesime_menages from stg_potentiel_communes as p
            join stg_menages_millesime as m using (millesime)
        ),

        menages as (
            select code, millesime, valeur, statut from valeurs
            where indicateur = ? and niveau = 'commune'
        ),

        comptes as (
            select indicateur, 'commune' as niveau, code, millesime,
                   round(potentiel, 3) as valeur, statut
            from communes
        ),

        taux as (
            select c.indicateur_taux as indicateur, 'commune' as niveau, c.code, c.millesime,
                   case when c.statut = 'ok' and mn.statut = 'ok' and mn.valeur > 0
                        then round(100 * c.potentiel / mn.valeur, 3) end as valeur,
                   case when c.statut = 'ok' and mn.statut = 'ok' and mn.valeur > 0 then 'ok'
                        when c.statut = 'secret' or mn.statut = 'secret' then 'secret'
                        else 'absent' end as statut
            from communes as c
            left join menages as mn on mn.code = c.code and mn.millesime = c.millesime_menages
        )

        select * from comptes
        union all
        select * from taux
        """,
        [DENOMINATEUR],
    ).df()
    return insert_values(con, frame[VALEURS_COLUMNS])


def _insert_aggregates(con) -> int:
    frame = con.execute(
        """
        with

        communes as (
            select code, code_epci, code_departement, population from territoires where niveau = 'commune'
        ),

        membres as (
            select 'epci' as niveau, code_epci as code_territoire, code as code_commune, population from communes
            where code_epci is not null
            union all
            select 'departement', code_departement, code, population from communes
        ),

        taille as (
            -- an EPCI crossing the regional border has members outside territoires: never complete
            select m.niveau, m.code_territoire, count(*) as n_communes,
                   sum(m.population) = any_value(t.population) as toutes_dans_la_region
            from membres as m
            join territoires as t on t.niveau = m.niveau and t.code = m.code_territoire
            group by all
        ),

        potentiels as (
            select m.niveau, m.code_territoire, p.indicateur, p.indicateur_taux, p.millesime, p.potentiel, p.statut,
                   pm.millesime_menages
            from membres as m
            join stg_potentiel_communes as p on p.code = m.code_commune
            join stg_menages_millesime as pm on pm.millesime = p.millesime
        ),

        sommes as (
            select p.niveau, p.code_territoire as code, p.indicateur, p.indicateur_taux, p.millesime, any_value(p.millesime_menages) as millesime_menages,
                   count(*) filter (where p.statut = 'ok') as n_connues, any_value(t.n_communes) as n_communes,
                   any_value(t.toutes_dans_la_region) as toutes_dans_la_region,
                   bool_or(p.statut = 'secret') as un_secret, sum(p.potentiel) as potentiel
            from potentiels as p
            join taille as t on t.niveau = p.niveau and t.code_territoire = p.code_territoire
            group by all
        ),

        menages as (
            select niveau, code, millesime, valeur, statut from valeurs where indicateur = ?
        ),

        final as (
            select s.*, s.n_connues = s.n_communes and s.toutes_dans_la_region as complet, mn.valeur as menages, mn.statut as statut_menages
            from sommes as s
            left join menages as mn on mn.niveau = s.niveau and mn.code = s.code and mn.millesime = s.millesime_menages
        )

        select * from final
        """,
        [DENOMINATEUR],
    ).df()
    if frame.empty:
        return 0
    statut = (
        frame["complet"].map({True: "ok", False: "absent"}).where(~(~frame["complet"] & frame["un_secret"]), "secret")
    )
    comptes = frame.assign(
        valeur=frame["potentiel"].where(frame["complet"]).round(3),
        statut=statut,
    )
    taux_ok = frame["complet"] & (frame["statut_menages"] == "ok") & (frame["menages"] > 0)
    taux = frame.assign(
        indicateur=frame["indicateur_taux"],
        valeur=(100 * frame["potentiel"] / frame["menages"]).where(taux_ok).round(3),
        statut=statut.where(~frame["complet"] | taux_ok, "absent"),
    )
    rows = pd.concat([comptes, taux], ignore_index=True).astype({"valeur": float})
    inserted = insert_values(con, rows[VALEURS_COLUMNS])
    notes = rows[~rows["complet"]].assign(
        note=lambda f: [
            (
                f"somme non calculée : effectif CNAF connu pour {n} des {m} communes de la région "
                "(fichiers à l'IRIS des seules communes irisées)"
                + ("" if dedans else " ; EPCI en partie hors de la région")
            )
            for n, m, dedans in zip(f["n_connues"], f["n_communes"], f["toutes_dans_la_region"], strict=True)
        ]
    )
    if not notes.empty:
        con.register("stg_notes_potentiel", notes[["indicateur", "niveau", "code", "millesime", "note"]])
        try:
            con.execute("insert into qualite_valeurs by name select * from stg_notes_potentiel")
        finally:
            con.unregister("stg_notes_potentiel")
    return inserted
