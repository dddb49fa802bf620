-- Visits by calendar year (etl/visits_millesimes.py) follow the secret rule: a published count is
-- 5 households or more, a published rate rests on 10 bilans or more, both of them published, and
-- no year is published while it is still running (metadonnees.visites_annee_en_cours).
with

annuelles as (
    select * from valeurs
    where indicateur in ('visites_contacts', 'visites_bilans', 'visites_non_recours', 'visites_taux_non_recours')
),

bilans as (
    select niveau, code, millesime, valeur as bilans, statut as statut_bilans
    from annuelles where indicateur = 'visites_bilans'
),

non_recours as (
    select niveau, code, millesime, statut as statut_non_recours
    from annuelles where indicateur = 'visites_non_recours'
),

final as (
    select a.indicateur, a.niveau, a.code, a.millesime, a.valeur, a.statut
    from annuelles as a
    left join bilans as b using (niveau, code, millesime)
    left join non_recours as n using (niveau, code, millesime)
    where (a.indicateur <> 'visites_taux_non_recours' and a.statut = 'ok' and a.valeur < 5)
       or (a.indicateur = 'visites_taux_non_recours' and a.statut = 'ok'
           and (b.bilans is null or b.bilans < 10 or b.statut_bilans <> 'ok' or n.statut_non_recours <> 'ok'))
       or a.statut not in ('ok', 'secret')
       or cast(a.millesime as integer) >= year(current_date)
)

select * from final
