-- Demonstration data is the boolean column demonstration of indicateurs and sources, never a text
-- label of a description: a description stays a plain definition of the data, and each reader
-- names demonstration data once from the column. Returns the descriptions that still carry the
-- label, and the DPE indicators whose flag disagrees with their source's.
select i.code, i.description, i.demonstration, s.demonstration as demonstration_source
from indicateurs as i
join sources as s on s.source = i.source
where upper(i.description) like '%DONNÉES DE DÉMONSTRATION%'
   or i.demonstration <> s.demonstration

union all

select s.source, s.libelle, s.demonstration, s.demonstration
from sources as s
where upper(s.libelle) like '%DÉMONSTRATION%'
