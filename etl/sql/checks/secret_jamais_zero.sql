-- A secret or absent cell is NULL, never 0; an ok cell always has a number.
select indicateur, niveau, code, millesime, valeur, statut
from valeurs
where statut not in ('ok', 'secret', 'absent')
   or (statut <> 'ok' and valeur is not null)
   or (statut = 'ok' and valeur is null)
