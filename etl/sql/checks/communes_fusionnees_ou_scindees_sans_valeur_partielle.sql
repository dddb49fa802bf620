-- A value of a commune merged or split since the file's millésime is never a part's figure shown
-- as the commune's: a rate, median or share of a merged commune, any value of a split commune or
-- of a commune rétablie is absent (its reason in qualite_valeurs); a count shown for a merged
-- commune is the sum of all its parts (noted « somme des communes fusionnées »).
select v.indicateur, v.code, v.millesime, v.statut, q.note
from valeurs as v
join qualite_valeurs as q using (indicateur, niveau, code, millesime)
where v.niveau = 'commune'
  and v.statut <> 'absent'
  and (
      q.note like 'commune scindée%'
      or q.note like 'commune rétablie%'
      or q.note like 'commune fusionnée depuis ce millésime%'
  )
