-- A count or a population (households, persons, foyers, rights, DPE) is neither favourable nor
-- unfavourable: its sens is NULL, so that no map or caption calls its small values worse.
-- Returns the counts that carry a sens.
select code, unite, sens
from indicateurs
where unite in ('ménages', 'personnes', 'foyers', 'droits', 'DPE')
  and sens is not null
