-- Every objective belongs to a declared experiment, falls on a whole month of its period, and is a
-- household count (whole, not negative) or a rate between 0 and 100.
select o.code_experimentation, o.mois, o.indicateur, o.valeur
from objectifs_experimentations as o
left join experimentations as e on e.code = o.code_experimentation
where e.code is null
   or o.mois <> date_trunc('month', o.mois)
   or o.mois < date_trunc('month', e.date_debut)
   or o.mois > date_trunc('month', e.date_fin)
   or o.indicateur not in ('contacts', 'bilans', 'droits_ouverts', 'taux_non_recours')
   or o.valeur < 0
   or (o.indicateur = 'taux_non_recours' and o.valeur > 100)
   or (o.indicateur <> 'taux_non_recours' and o.valeur <> floor(o.valeur))
