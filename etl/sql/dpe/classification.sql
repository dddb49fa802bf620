-- Classification of the rows of one or more DPE extracts (etl/dpe/aggregation.py): the current
-- commune (passage table), the label, the date, the building type, the construction year, and
-- rejet: NULL for a usable DPE of the region, else the index of its reason in MOTIFS
-- (0 = a commune outside the region).
-- Inputs: lignes (rang + the canonical fields as text, etl/dpe/reading.py), territoires,
-- passage_communes. Variable: dpe_departements (the region's département codes as « ,44,49,… »).
with

normalise as (
    select
        *,
        -- a code that lost its leading zero (spreadsheets): 4 characters
        case when length(code_insee_ban) = 4 then '0' || code_insee_ban else upper(code_insee_ban) end as code,
        upper(etiquette_dpe) as etiquette,
        -- coalesce is lazy: the slower parses run only on the rows the first one misses
        coalesce(
            try_cast(date_etablissement_dpe as date),
            try_cast(left(date_etablissement_dpe, 10) as date),
            try_strptime(date_etablissement_dpe, '%d/%m/%Y')::date
        ) as date_dpe,
        -- index in TYPES (the exact official values first: lower() copies every value)
        case type_batiment when 'maison' then 0 when 'appartement' then 1 when 'immeuble' then 2 else
            case lower(type_batiment) when 'maison' then 0 when 'appartement' then 1 when 'immeuble' then 2 end
        end as type_index,
        case
            when try_cast(annee_construction as integer) between 1000 and 2100
                then try_cast(annee_construction as integer)
            when periode_construction ilike 'avant%' then 1900
            when periode_construction ilike 'apr%'
                then try_cast(regexp_extract(periode_construction, '\d{4}') as integer) + 1
            -- ADEME periods start with their first year (« 1978-1982 »): no regular expression
            else coalesce(
                try_cast(left(periode_construction, 4) as integer),
                try_cast(regexp_extract(periode_construction, '\d{4}') as integer)
            )
        end as annee
    from lignes
),

communes_rangs as (
    select code, row_number() over (order by code) as commune_rang from territoires where niveau = 'commune'
),

-- old and current codes with the rank of the current commune in the region (NULL outside it)
passage as (
    select p.code_ancien, p.code_actuel, c.commune_rang
    from passage_communes as p
    left join communes_rangs as c on c.code = p.code_actuel
),

classe as (
    select
        n.*,
        p.code_actuel,
        p.commune_rang,
        case
            when n.numero_dpe is null then 1
            when n.code is null then 2
            -- a search in a constant text, evaluated only on the rows that reach it (an IN list
            -- would be planned as a join over every row)
            when p.code_actuel is null and contains(getvariable('dpe_departements'), ',' || left(n.code, 2) || ',') then 3
            when p.commune_rang is null then 0
            when n.etiquette is null then 4
            when length(n.etiquette) <> 1 or n.etiquette not between 'A' and 'G' then 5
            when n.date_dpe is null then 6
            when n.type_index is null then 7
        end::utinyint as rejet
    from normalise as n
    left join passage as p on p.code_ancien = n.code
),

final as (
    select * from classe
)

select * from final
