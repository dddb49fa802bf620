-- A commune belongs to at most one EPCI (one column) and that EPCI is a territory row.
select c.code, c.code_epci
from territoires as c
left join territoires as e on e.niveau = 'epci' and e.code = c.code_epci
where c.niveau = 'commune' and c.code_epci is not null and e.code is null
