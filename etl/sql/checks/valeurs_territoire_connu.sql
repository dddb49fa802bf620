-- Every commune / EPCI value refers to a territory of the region; IRIS and QPV codes are well
-- formed; France métropolitaine is the only 'france' code.
select v.indicateur, v.niveau, v.code, v.millesime
from valeurs as v
left join territoires as t on t.niveau = v.niveau and t.code = v.code
where (v.niveau in ('commune', 'epci', 'departement', 'region') and t.code is null)
   or (v.niveau = 'iris' and not regexp_full_match(v.code, '(\d{5}|2[AB]\d{3})\d{4}'))
   or (v.niveau = 'qpv' and not regexp_full_match(v.code, 'Q[PN]\d{6}|QN\d{5}[A-Z]'))
   or (v.niveau = 'france' and v.code <> 'FM')
   or v.niveau not in ('commune', 'epci', 'departement', 'region', 'france', 'iris', 'qpv')
