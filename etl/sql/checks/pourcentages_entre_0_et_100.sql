-- Percentages lie between 0 and 100 (the tax share is the only negative one: impôts prélevés).
select v.indicateur, v.niveau, v.code, v.millesime, v.valeur
from valeurs as v
join indicateurs as i on i.code = v.indicateur
where i.unite = '%'
  and v.indicateur <> 'part_impots'
  and (v.valeur < 0 or v.valeur > 100)
