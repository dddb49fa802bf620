-- Demonstration data is the boolean column demonstration of indicateurs and sources, never a text
-- prefix of a description: a description stays a plain definition. Returns the descriptions
-- that still carry the label, and the DPE indicators whose flag disagrees with their source's.
select i.code, i.description, i.demonstration, s.demonstration as demonstration_source
from indicateurs as i
join sources as s on s.source = i.source
where upper(i.description) like '%DONNÉES DE DÉMONSTRATION%'
   or i.demonstration <> s.demonstration
