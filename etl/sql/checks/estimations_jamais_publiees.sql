-- An estimate is never stored as an INSEE figure: every estimations row has an 'estime' value
-- inside its interval, and every 'estime' value has its estimations row.
with jointes as (
    select
        coalesce(v.indicateur, e.indicateur) as indicateur,
        coalesce(v.niveau, e.niveau) as niveau,
        coalesce(v.code, e.code) as code,
        coalesce(v.millesime, e.millesime) as millesime,
        v.statut,
        v.valeur,
        e.bas,
        e.haut
    from (select * from valeurs where statut = 'estime') as v
    full outer join estimations as e
      on e.indicateur = v.indicateur and e.niveau = v.niveau and e.code = v.code and e.millesime = v.millesime
),

final as (
    select * from jointes
    where statut is null
       or bas is null
       or not (bas <= valeur and valeur <= haut)
)

select * from final
