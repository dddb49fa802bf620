-- A secret value becomes the atlas's estimate, labelled ``estime`` (never an INSEE figure).
update valeurs as v
set valeur = e.estimation, statut = 'estime'
from stg_estimables as e
where v.indicateur = e.indicateur and v.niveau = e.niveau and v.code = e.code
  and v.millesime = e.millesime
