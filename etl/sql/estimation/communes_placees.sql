-- The EPCI of each commune of the national Filosofi file (its current commune's, through the
-- passage table) and the kind of its code (a municipal arrondissement, « ARM », is left out:
-- its commune is in the file too). Reads the registered list of codes ``stg_estimation_codes``.
select s.code, p.type_ancien, c.code_epci
from stg_estimation_codes as s
left join passage_communes as p on p.code_ancien = s.code
left join stg_communes as c on c.code = p.code_actuel
