-- Demonstration experiments never sit beside real ones: a real declaration replaces them all.
select code, demonstration
from experimentations
where demonstration
  and exists (select 1 from experimentations where not demonstration)
