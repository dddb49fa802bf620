-- Every visit is placed on a commune of the region, and a non-recours or an opened right
-- always comes with a bilan de droits; nb_droits_non_recours matches the long table.
select v.id_visite, v.code_commune, v.bilan_realise, v.nb_droits_non_recours
from visites as v
left join territoires as t on t.niveau = 'commune' and t.code = v.code_commune
where t.code is null
   or (not v.bilan_realise and (v.non_recours is not null or v.droits_ouverts is not null))
   or v.nb_droits_non_recours <> (
       select count(*) from visites_droits as d where d.id_visite = v.id_visite and d.type = 'non_recours'
   )
