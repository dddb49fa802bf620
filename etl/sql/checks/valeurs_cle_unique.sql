-- One value per indicator, level, territory and millésime.
select indicateur, niveau, code, millesime, count(*) as n
from valeurs
group by indicateur, niveau, code, millesime
having count(*) > 1
