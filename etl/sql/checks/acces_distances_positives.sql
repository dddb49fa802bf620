-- France services access values are non-negative (distances, minutes, counts of sites).
select indicateur, niveau, code, millesime, valeur
from valeurs
where indicateur in ('fs_distance_km', 'fs_temps_min', 'fs_sites_10min', 'fs_sites_20min', 'fs_sites_30min')
  and (valeur < 0 or (statut = 'ok' and valeur is null))
