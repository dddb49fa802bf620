-- Levels are the four of DESIGN.md and codes have the length of their level.
select niveau, code
from territoires
where niveau not in ('commune', 'epci', 'departement', 'region')
   or (niveau = 'commune' and not regexp_full_match(code, '(\d{5}|2[AB]\d{3})'))
   or (niveau = 'epci' and not regexp_full_match(code, '\d{9}'))
   or (niveau = 'departement' and not regexp_full_match(code, '(\d{2,3}|2[AB])'))
   or (niveau = 'region' and not regexp_full_match(code, '\d{2}'))
