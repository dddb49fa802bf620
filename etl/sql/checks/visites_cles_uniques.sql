-- One row per id_visite in visites, and per (id_visite, droit, type) in visites_droits: the keys
-- the import dedupes on (etl/visits_storage.py), checked here since the tables have no primary key.
select 'visites' as table_name, id_visite, null as droit, null as type, count(*) as lignes
from visites
group by id_visite
having count(*) > 1
union all
select 'visites_droits', id_visite, droit, type, count(*)
from visites_droits
group by id_visite, droit, type
having count(*) > 1
