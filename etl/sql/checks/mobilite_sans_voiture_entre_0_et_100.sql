-- The share of households without a car lies between 0 and 100 (stored in %).
select code, millesime, valeur
from valeurs
where indicateur = 'part_menages_sans_voiture'
  and (valeur < 0 or valeur > 100)
