-- Every commune's distance is the real distance from its reference point to the nearest France
-- services site of metropolitan France (host communes included: no « 0 if the commune hosts a
-- site » rule): it never exceeds the great-circle distance to any site of its own commune, and a
-- commune is never at 0 km unless a site stands at its reference point.
with

sites as (
    select coalesce(p.code_actuel, s.code_commune) as code_commune, s.longitude, s.latitude
    from services as s
    left join passage_communes as p on p.code_ancien = s.code_commune
    where s.couche = 'france_services' and s.longitude between -5.5 and 10 and s.latitude between 41 and 51.5
),

distances as (
    select t.code, min(
        2 * 6371.0088 * asin(sqrt(
            pow(sin(radians(s.latitude - t.latitude) / 2), 2)
            + cos(radians(t.latitude)) * cos(radians(s.latitude)) * pow(sin(radians(s.longitude - t.longitude) / 2), 2)
        ))
    ) as km_site_de_la_commune
    from territoires as t
    join sites as s on s.code_commune = t.code
    where t.niveau = 'commune'
    group by t.code
)

select v.code, v.valeur, d.km_site_de_la_commune
from valeurs as v
join distances as d on d.code = v.code
where v.indicateur = 'fs_distance_km'
  and v.niveau = 'commune'
  and (v.valeur > d.km_site_de_la_commune + 0.001 or (v.valeur = 0 and d.km_site_de_la_commune > 0.001))
