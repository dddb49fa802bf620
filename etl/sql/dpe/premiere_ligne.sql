-- First line of one reject reason in one extract, and the value the reason is about
-- (etl/dpe/aggregation.py, first_lines). Inputs: classe (classification.sql over the extract,
-- its lines numbered: header = 1). Parameter: the reason (index in MOTIFS).
with

rejetees as (
    select * from classe where rejet = ?
),

final as (
    select
        ligne,
        case
            when rejet = 1 then numero_dpe
            when rejet in (4, 5) then etiquette_dpe
            when rejet = 6 then date_etablissement_dpe
            when rejet = 7 then type_batiment
            else code_insee_ban
        end as valeur
    from rejetees
    limit 1
)

select * from final
