-- Each territory appears once per level.
select niveau, code, count(*) as n
from territoires
group by niveau, code
having count(*) > 1
