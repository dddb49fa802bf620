-- The estimates of values INSEE keeps secret, and only those: a published value is never touched.
-- Reads the registered estimates ``stg_estimations``.
create or replace temp table stg_estimables as
select e.*
from stg_estimations as e
join valeurs as v
  on v.indicateur = e.indicateur and v.niveau = e.niveau and v.code = e.code
 and v.millesime = e.millesime and v.statut = 'secret'
