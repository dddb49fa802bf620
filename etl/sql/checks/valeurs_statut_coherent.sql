-- A value is present exactly when its statut is ok or estime (a secret cell is NULL, never 0),
-- and every value refers to a catalogued indicator.
select v.indicateur, v.niveau, v.code, v.valeur, v.statut
from valeurs as v
left join indicateurs as i on i.code = v.indicateur
where (v.statut in ('ok', 'estime')) <> (v.valeur is not null)
   or i.code is null
