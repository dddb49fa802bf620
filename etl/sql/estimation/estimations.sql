-- The interval and the method of each estimate.
insert into estimations
select indicateur, niveau, code, millesime, bas, haut, methode from stg_estimables
