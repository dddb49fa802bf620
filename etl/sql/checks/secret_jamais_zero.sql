-- A secret or absent cell is NULL, never 0; an ok or estimated cell always has a number.
select indicateur, niveau, code, millesime, valeur, statut
from valeurs
where statut not in ('ok', 'secret', 'absent', 'estime')
   or (statut in ('secret', 'absent') and valeur is not null)
   or (statut in ('ok', 'estime') and valeur is null)
