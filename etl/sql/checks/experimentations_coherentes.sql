-- Every experiment is on a territory of the built region at its niveau, names at least one
-- structure and ends after it starts.
select e.code, e.niveau, e.code_territoire, e.date_debut, e.date_fin
from experimentations as e
left join territoires as t on t.niveau = e.niveau and t.code = e.code_territoire
where t.code is null
   or e.niveau not in ('commune', 'epci', 'departement')
   or len(e.structures) = 0
   or e.date_fin < e.date_debut
