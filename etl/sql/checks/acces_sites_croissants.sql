-- Sites within 10 minutes <= within 20 minutes <= within 30 minutes, and minutes = km x 1.3.
select d.code, d.valeur as km, t.valeur as minutes, s10.valeur as s10, s20.valeur as s20, s30.valeur as s30
from valeurs as d
join valeurs as t on t.niveau = d.niveau and t.code = d.code and t.millesime = d.millesime
join valeurs as s10 on s10.niveau = d.niveau and s10.code = d.code and s10.millesime = d.millesime
join valeurs as s20 on s20.niveau = d.niveau and s20.code = d.code and s20.millesime = d.millesime
join valeurs as s30 on s30.niveau = d.niveau and s30.code = d.code and s30.millesime = d.millesime
where d.niveau = 'commune'
  and d.indicateur = 'fs_distance_km'
  and t.indicateur = 'fs_temps_min'
  and s10.indicateur = 'fs_sites_10min'
  and s20.indicateur = 'fs_sites_20min'
  and s30.indicateur = 'fs_sites_30min'
  and (s10.valeur > s20.valeur or s20.valeur > s30.valeur or abs(t.valeur - d.valeur * 1.3) > 0.01)
