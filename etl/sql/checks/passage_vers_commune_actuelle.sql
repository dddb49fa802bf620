-- The passage table always leads to a current commune (one hop, no chains).
select p.code_ancien, p.code_actuel
from passage_communes as p
left join passage_communes as a on a.code_ancien = p.code_actuel and a.type_ancien = 'COM'
where a.code_ancien is null
