-- A share of passoires by year of diagnosis (etl/dpe_annees.py) is published only on 20 DPE of
-- that year or more: below, NULL with statut 'absent' (one rule with the other DPE shares).
-- Returns the published yearly shares on fewer than 20 DPE, or without their count of DPE.
with

parts as (
    select * from valeurs where indicateur = 'dpe_part_passoires_annee'
),

nombres as (
    select niveau, code, millesime, valeur as nb_dpe from valeurs where indicateur = 'dpe_nb_annee'
),

final as (
    select p.niveau, p.code, p.millesime, p.valeur, p.statut, n.nb_dpe
    from parts as p
    left join nombres as n using (niveau, code, millesime)
    where n.nb_dpe is null or ((p.statut = 'ok' or p.valeur is not null) and n.nb_dpe < 20)
)

select * from final
