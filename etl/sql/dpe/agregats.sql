-- dpe_agregats: the current DPE per commune, EPCI, département and region × building type ×
-- construction period (etl/dpe/publishing.py). Inputs: stg_dpe_communes (aggregation.sql),
-- territoires. Parameter: demonstration (true when computed on the demonstration extract).
with

courants as (
    -- the current DPE of each cell: not a count row, not replaced by another DPE
    select s.type_batiment, s.periode, t.code as commune, t.code_epci, t.code_departement,
           s.nb_logements as nb, s.nb_fg, s.nb_efg
    from stg_dpe_communes as s
    join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
    where s.n is null and not s.remplace
),

niveaux as (
    select 'commune' as niveau, commune as code, * exclude (commune, code_epci, code_departement)
    from courants
    union all
    select 'epci', code_epci, * exclude (commune, code_epci, code_departement)
    from courants where code_epci is not null
    union all
    select 'departement', code_departement, * exclude (commune, code_epci, code_departement)
    from courants
    union all
    select 'region', (select code from territoires where niveau = 'region'),
           * exclude (commune, code_epci, code_departement)
    from courants
),

sommes as (
    -- every territory, then per building type, then per period (NULL: all of them)
    select niveau, code, type_batiment, periode, sum(nb) as nb_dpe, sum(nb_fg) as nb_fg, sum(nb_efg) as nb_efg
    from niveaux
    group by grouping sets ((niveau, code), (niveau, code, type_batiment), (niveau, code, periode))
),

final as (
    select
        niveau,
        code,
        coalesce(type_batiment, 'ensemble') as type_batiment,
        coalesce(periode, 'ensemble') as periode,
        nb_dpe,
        nb_fg,
        nb_efg,
        ? as demonstration
    from sommes
)

select * from final
