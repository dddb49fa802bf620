-- The note of a DPE share left unpublished on fewer than min_dpe DPE (etl/dpe/publishing.py).
-- Inputs: dpe_agregats. Parameters: indicateur, millesime, type_batiment, min_dpe.
with

parametres as (
    select ? as indicateur, ? as millesime, ? as type_batiment, ? as min_dpe
),

final as (
    select
        p.indicateur,
        a.niveau,
        a.code,
        p.millesime,
        'moins de 20 DPE (' || a.nb_dpe || ') : part non publiée, trop peu fiable' as note
    from dpe_agregats as a
    cross join parametres as p
    where a.type_batiment = p.type_batiment and a.periode = 'ensemble' and a.nb_dpe between 1 and p.min_dpe - 1
)

select * from final
