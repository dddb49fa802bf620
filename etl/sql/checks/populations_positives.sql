-- Populations are positive, and a département is the sum of its communes.
with

communes_par_departement as (
    select code_departement, sum(population) as population
    from territoires
    where niveau = 'commune'
    group by code_departement
),

final as (
    select niveau, code, population, null as somme_communes
    from territoires
    where population <= 0
    union all
    select d.niveau, d.code, d.population, c.population
    from territoires as d
    join communes_par_departement as c on c.code_departement = d.code
    where d.niveau = 'departement' and d.population <> c.population
)

select * from final
