-- The EPCI poverty rate (Filosofi 2021, third-party re-export) agrees with its communes: where
-- every commune of an EPCI is published, the person-weighted mean of their rates (INSEE rounds
-- them to the unit, hence the 0,5 point tolerance) equals the EPCI's rate (one decimal).
with communes as (
    select
        t.code_epci,
        count(*) as communes,
        count(*) filter (where r.statut = 'ok' and p.statut = 'ok') as publiees,
        sum(r.valeur * p.valeur) / sum(p.valeur) as taux_moyen,
        sum(p.valeur) as personnes
    from territoires as t
    left join valeurs as r
      on r.indicateur = 'taux_pauvrete' and r.niveau = 'commune' and r.code = t.code and r.millesime = '2021'
    left join valeurs as p
      on p.indicateur = 'nb_personnes_menages_fiscaux' and p.niveau = 'commune' and p.code = t.code
     and p.millesime = '2021'
    where t.niveau = 'commune' and t.code_epci is not null
    group by t.code_epci
),

epci as (
    select v.code, v.valeur as taux, p.valeur as personnes
    from valeurs as v
    join valeurs as p
      on p.indicateur = 'nb_personnes_menages_fiscaux' and p.niveau = 'epci' and p.code = v.code
     and p.millesime = v.millesime
    where v.indicateur = 'taux_pauvrete' and v.niveau = 'epci' and v.millesime = '2021' and v.statut = 'ok'
),

final as (
    select e.code, e.taux, c.taux_moyen
    from epci as e
    join communes as c on c.code_epci = e.code
    -- every commune published, and all of them in the region (an EPCI across the border has
    -- communes outside territoires: its persons would not add up)
    where c.publiees = c.communes
      and abs(c.personnes - e.personnes) <= 0.005 * e.personnes
      and abs(c.taux_moyen - e.taux) > 0.5 + 0.05
)

select * from final
