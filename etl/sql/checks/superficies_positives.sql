-- Every territory has a positive area, and the region is the sum of its communes (±1 %).
select niveau, code, superficie_km2
from territoires
where superficie_km2 <= 0
   or (
       niveau = 'region'
       and abs(superficie_km2 - (select sum(superficie_km2) from territoires where niveau = 'commune'))
           > 0.01 * superficie_km2
   )
