-- Exactly one region row, and it is the region being built.
select count(*) as n
from territoires
where niveau = 'region'
having count(*) <> 1 or min(code) <> getvariable('region')
