-- territoires: the commune, EPCI, département and region rows of the built region.
-- Inputs: stg_communes (every current commune of France), stg_epci, stg_departements,
-- stg_regions, stg_geometries (computed in Python with shapely). Variable: region.
with

communes as (
    select * from stg_communes
),

region_communes as (
    select * from communes where code_region = getvariable('region')
),

region_epci as (
    select distinct code_epci as code from region_communes where code_epci is not null
),

epci_members as (
    -- an EPCI value covers the whole EPCI: members outside the region count too
    select communes.*
    from communes
    join region_epci on communes.code_epci = region_epci.code
),

epci_departement_population as (
    select code_epci, code_departement, sum(population) as population
    from epci_members
    group by all
),

epci_rows as (
    select
        'epci' as niveau,
        stg_epci.code,
        stg_epci.nom,
        null as code_epci,
        -- the département holding most of the EPCI's population
        arg_max(p.code_departement, p.population) as code_departement,
        getvariable('region') as code_region,
        sum(p.population) as population
    from stg_epci
    join epci_departement_population as p on p.code_epci = stg_epci.code
    group by stg_epci.code, stg_epci.nom
),

commune_rows as (
    select
        'commune' as niveau, code, nom, code_epci, code_departement, code_region, population
    from region_communes
),

departement_rows as (
    select
        'departement' as niveau,
        stg_departements.code,
        stg_departements.nom,
        null as code_epci,
        stg_departements.code as code_departement,
        getvariable('region') as code_region,
        sum(region_communes.population) as population
    from stg_departements
    join region_communes on region_communes.code_departement = stg_departements.code
    group by stg_departements.code, stg_departements.nom
),

region_rows as (
    select
        'region' as niveau,
        stg_regions.code,
        stg_regions.nom,
        null as code_epci,
        null as code_departement,
        stg_regions.code as code_region,
        (select sum(population) from region_communes) as population
    from stg_regions
    where stg_regions.code = getvariable('region')
),

all_rows as (
    select * from commune_rows
    union all by name select * from epci_rows
    union all by name select * from departement_rows
    union all by name select * from region_rows
),

final as (
    select
        all_rows.niveau,
        all_rows.code,
        all_rows.nom,
        all_rows.code_epci,
        all_rows.code_departement,
        all_rows.code_region,
        all_rows.population,
        g.superficie_km2,
        g.longitude,
        g.latitude,
        g.geom,
        g.geom_affichage
    from all_rows
    left join stg_geometries as g on g.niveau = all_rows.niveau and g.code = all_rows.code
)

select * from final
