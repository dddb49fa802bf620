-- Every visit is placed on a commune of the region, and a non-recours or an opened right
-- always comes with a bilan de droits; nb_droits_non_recours matches the long table, and no row
-- of visites_droits is orphaned (a demonstration visit deleted without its rights). One pass over
-- each table: the rights are counted per visit once, not per visit by a subquery.
with droits as (
    select id_visite, count(*) filter (where type = 'non_recours') as non_recours
    from visites_droits
    group by id_visite
)
select coalesce(v.id_visite, d.id_visite) as id_visite, v.code_commune, v.bilan_realise,
       v.nb_droits_non_recours, d.non_recours as droits_non_recours
from visites as v
full join droits as d on d.id_visite = v.id_visite
left join territoires as t on t.niveau = 'commune' and t.code = v.code_commune
where v.id_visite is null
   or t.code is null
   or (not v.bilan_realise and (v.non_recours is not null or v.droits_ouverts is not null))
   or v.nb_droits_non_recours <> coalesce(d.non_recours, 0)
