-- Every commune lies in a département of the region.
select c.code, c.code_departement
from territoires as c
left join territoires as d on d.niveau = 'departement' and d.code = c.code_departement
where c.niveau = 'commune' and d.code is null
