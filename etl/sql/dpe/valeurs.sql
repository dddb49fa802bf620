-- One DPE indicator in valeurs for every territory (etl/dpe/publishing.py): the count, or a share
-- of F+G or E+F+G published only on min_dpe DPE or more (else NULL, statut 'absent').
-- Inputs: territoires, dpe_agregats.
-- Parameters: indicateur, millesime, mesure ('nb', 'fg' or 'efg'), type_batiment, min_dpe.
with

parametres as (
    select ? as indicateur, ? as millesime, ? as mesure, ? as type_batiment, ? as min_dpe
),

agregats as (
    select * from dpe_agregats where periode = 'ensemble'
),

final as (
    select
        p.indicateur,
        t.niveau,
        t.code,
        p.millesime,
        case
            when p.mesure = 'nb' then coalesce(a.nb_dpe, 0)
            when coalesce(a.nb_dpe, 0) < p.min_dpe then null
            when p.mesure = 'fg' then round(100.0 * a.nb_fg / a.nb_dpe, 2)
            else round(100.0 * a.nb_efg / a.nb_dpe, 2)
        end as valeur,
        case when p.mesure = 'nb' or coalesce(a.nb_dpe, 0) >= p.min_dpe then 'ok' else 'absent' end as statut
    from territoires as t
    cross join parametres as p
    left join agregats as a
        on a.niveau = t.niveau and a.code = t.code and a.type_batiment = p.type_batiment
)

select * from final
