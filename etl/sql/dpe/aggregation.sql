-- One streaming pass over the classified DPE rows into a few thousand rows (stg_dpe_communes):
-- counts per file and reject reason, and the current DPE per cell (file that first brought them
-- × commune × building type × construction period × replaced or not). The packing of every
-- integer below is documented in etl/dpe/aggregation.py (aggregate).
-- Inputs: classe (classification.sql over the extracts), territoires.
-- Variables: dpe_periodes, dpe_types (PERIODES and TYPES of etl/dpe/aggregation.py).
with

classe_utile as (
    select
        rang, rejet,
        case when rejet is null then hash(numero_dpe) >> 1 end as numero,
        case when rejet is null and numero_dpe_remplace is not null
             then hash(numero_dpe_remplace) >> 1 end as numero_remplace,
        case when rejet is null then
            (((rang::ubigint << 48)
              | ((date_dpe - date '0001-01-01')::ubigint << 26)
              | (commune_rang::ubigint << 9)
              | ((case when annee is null then 6 when annee < 1948 then 0 when annee < 1975 then 1
                       when annee < 1989 then 2 when annee < 2006 then 3 when annee < 2013 then 4
                       else 5 end)::ubigint << 6)
              | (type_index::ubigint << 4)
              | ((ascii(etiquette) - 65)::ubigint << 1))::uhugeint << 64)
            | (case when identifiant_ban is null then hash(numero_dpe)
                    else hash(identifiant_ban, type_index, complement_adresse_logement,
                              round(coalesce(try_cast(surface_habitable_logement as double),
                                             try_cast(replace(surface_habitable_logement, ',', '.') as double))))
                    end >> 1)::uhugeint
        end as valeur
    from classe
),

lignes_numeros as (
    -- each row as its DPE number (genre 0: NULL when rejected) and, when it replaces
    -- another DPE, once more as a reference to that number (genre 1)
    select
        case genre when 0 then numero else numero_remplace end as cle,
        case when genre = 0 then valeur end as valeur,
        -- counted: the references of a number
        case when genre = 1 then true end as marque,
        rang, rejet, genre
    from (
        select unnest(case when numero_remplace is null then [0] else [0, 1] end)::utinyint as genre, *
        from classe_utile
    )
),

par_numero as (
    -- two groupings in one pass: per DPE number, and per file and reject reason (the
    -- counts, keyed 1 << 63 | rang << 16 | (rejet + 1): bit 63 keeps them apart from the
    -- 63-bit hash of a number)
    select
        case when grouping(cle) = 1
            then (1::ubigint << 63) | (rang::ubigint << 16) | coalesce(rejet::ubigint + 1, 0)
            else cle end as cle,
        -- earliest extract, then smallest values
        min(valeur) as valeur,
        -- a count: its rows; a number: replaced when another DPE refers to it (n > 0)
        case when grouping(cle) = 1 then count(*) filter (where genre = 0) else count(marque) end as n,
        grouping(cle) = 1 as est_compte
    from lignes_numeros
    group by grouping sets ((cle), (rang, rejet))
),

par_logement as (
    select
        max(
            case when est_compte
            then ((1::ubigint << 63) | (((cle >> 16) & 65535)::ubigint << 44)
                  | ((cle & 255)::ubigint << 36) | n::ubigint)::uhugeint
            else (((((valeur >> 90) & 4194303) << 41) | (cle & 2199023255551)) << 64)
                 | (valeur >> 64) | (n > 0)::uhugeint
            end
        ) as dernier
    from par_numero
    -- a number only referred to (not in the extracts) has no valeur
    where est_compte or valeur is not null
    -- a dwelling (63-bit hash) or a count (bit 63 set)
    group by case when est_compte then (1::ubigint << 63) | (((cle >> 16) & 65535)::ubigint << 44)
                                       | ((cle & 255)::ubigint << 36)
                  else (valeur & 18446744073709551615)::ubigint end
),

par_cellule as (
    select
        -- a count as it is; a DPE: rank (bits 26-41), commune, period, type, label, replaced (0-25)
        case when dernier >> 64 = 0 then (dernier & 18446744073709551615)::ubigint
             else ((((dernier >> 48) & 65535) << 26) | (dernier & 67108863))::ubigint end as cellule,
        -- the year of the DPE counted (etl/dpe_annees.py: shares by year of diagnosis)
        case when dernier >> 64 <> 0
             then year(date '0001-01-01' + ((dernier >> 26) & 4194303)::integer) end as annee,
        count(*) as nb,
        max(((dernier >> 26) & 4194303)::integer) as date_max
    from par_logement
    group by cellule, annee
),

decode as (
    select
        cellule >> 63 = 1 as est_compte,
        case when cellule >> 63 = 1 then (cellule >> 44) & 65535 else cellule >> 26 end::integer as rang,
        case when cellule >> 63 = 1 then nullif(((cellule >> 36) & 255)::integer, 0) - 1 end as rejet,
        case when cellule >> 63 = 1 then cellule & 68719476735 end::bigint as n,
        case when cellule >> 63 = 0 then (cellule >> 9) & 131071 end as commune_rang,
        case when cellule >> 63 = 0 then getvariable('dpe_periodes')[((cellule >> 6) & 7)::integer + 1] end as periode,
        case when cellule >> 63 = 0 then getvariable('dpe_types')[((cellule >> 4) & 3)::integer + 1] end as type_batiment,
        case when cellule >> 63 = 0 then (cellule >> 1) & 7 end as etiquette,
        case when cellule >> 63 = 0 then cellule & 1 = 1 end as remplace,
        annee, nb, date_max
    from par_cellule
),

-- the same ranks as classification.sql: rank of each commune code of the region
communes_rangs as (
    select code, row_number() over (order by code) as commune_rang from territoires where niveau = 'commune'
),

final as (
    select
        d.rang, d.rejet, d.n, c.code as code_commune, d.periode, d.type_batiment, d.remplace, d.annee,
        sum(d.nb) filter (where not d.est_compte) as nb_logements,
        coalesce(sum(d.nb) filter (where d.etiquette >= 5), 0) as nb_fg,
        coalesce(sum(d.nb) filter (where d.etiquette >= 4), 0) as nb_efg,
        date '0001-01-01' + max(d.date_max) filter (where not d.est_compte) as date_max
    from decode as d
    left join communes_rangs as c on c.commune_rang = d.commune_rang
    group by all
)

select * from final
