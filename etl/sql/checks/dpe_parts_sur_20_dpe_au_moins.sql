-- A DPE share (etl/dpe/publishing.py) is published only on 20 DPE or more: below, it is NULL with statut
-- 'absent' and its reason in qualite_valeurs, so that no map, rank, median or class shows a
-- « 100 % » computed on one DPE. Returns the published shares on fewer than 20 DPE.
with

parts as (
    select * from (values
        ('dpe_part_passoires', 'ensemble'),
        ('dpe_part_efg', 'ensemble'),
        ('dpe_part_passoires_maisons', 'maison'),
        ('dpe_part_passoires_appartements', 'appartement')
    ) as t(indicateur, type_batiment)
),

final as (
    select v.indicateur, v.niveau, v.code, v.valeur, v.statut, coalesce(a.nb_dpe, 0) as nb_dpe
    from valeurs as v
    join parts as p on p.indicateur = v.indicateur
    left join dpe_agregats as a
      on a.niveau = v.niveau and a.code = v.code and a.type_batiment = p.type_batiment and a.periode = 'ensemble'
    where (v.statut = 'ok' or v.valeur is not null) and coalesce(a.nb_dpe, 0) < 20
)

select * from final
