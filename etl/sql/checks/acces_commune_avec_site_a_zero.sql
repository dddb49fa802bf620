-- A commune hosting a France services site (insee_com placed on current codes) has distance 0.
select v.code, v.valeur
from valeurs as v
where v.indicateur = 'fs_distance_km'
  and v.niveau = 'commune'
  and v.valeur <> 0
  and exists (
      select 1
      from services as s
      left join passage_communes as p on p.code_ancien = s.code_commune
      where s.couche = 'france_services' and coalesce(p.code_actuel, s.code_commune) = v.code
  )
