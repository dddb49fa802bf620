-- Every commune absorbed according to evenements_communes leads to its commune nouvelle in the
-- passage table, and every commune rétablie and its former commune are current communes.
select e.evenement, e.code_ancien, e.code_actuel, p.code_actuel as passage
from evenements_communes as e
left join passage_communes as p on p.code_ancien = e.code_ancien
where (e.evenement = 'fusion' and p.code_actuel is distinct from e.code_actuel)
   or (e.evenement = 'retablissement' and (
          e.code_actuel not in (select code_ancien from passage_communes where type_ancien = 'COM')
          or e.code_ancien not in (select code_ancien from passage_communes where type_ancien = 'COM')
      ))
