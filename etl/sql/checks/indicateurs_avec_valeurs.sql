-- Every catalogued indicator has at least one value, and its source is a sources row.
select i.code, i.source
from indicateurs as i
left join sources as s on s.source = i.source
where s.source is null
   or not exists (select 1 from valeurs as v where v.indicateur = i.code)
