-- Every value names its source: each (indicator, level, millésime) of valeurs has a
-- sources_valeurs row whose source is a sources row.
select v.indicateur, v.niveau, v.millesime, s.source
from (select distinct indicateur, niveau, millesime from valeurs) as v
left join sources_valeurs as s using (indicateur, niveau, millesime)
left join sources as o on o.source = s.source
where s.source is null or o.source is null
