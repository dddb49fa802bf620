-- No orphan row in visites_droits (a demonstration visit deleted without its rights).
select d.id_visite, d.droit, d.type
from visites_droits as d
left join visites as v using (id_visite)
where v.id_visite is null
