-- Every geometry, full and display, is present, non-empty and valid (OGC).
select niveau, code
from territoires
where not geometrie_valide(geom) or not geometrie_valide(geom_affichage)
