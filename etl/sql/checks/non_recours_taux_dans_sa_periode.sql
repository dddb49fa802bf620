-- A national non-recours rate is applied only to the CNAF millésimes it may describe
-- (taux_non_recours_national.dernier_millesime_applicable: the prime d'activité rate, 2016 data,
-- predates the 2019 reform). Returns the estimates of a benefit past that millésime, and the
-- rates without a publication or a scope.
with

correspondance as (
    select * from (values
        ('RSA', 'nr_potentiel_rsa'), ('RSA', 'taux_nr_potentiel_rsa'), ('RSA', 'nr_potentiel_rsa_pa'),
        ('RSA', 'taux_nr_potentiel_rsa_pa'),
        ('PA', 'nr_potentiel_prime_activite'), ('PA', 'taux_nr_potentiel_prime_activite'),
        ('PA', 'nr_potentiel_rsa_pa'), ('PA', 'taux_nr_potentiel_rsa_pa')
    ) as t(droit, indicateur)
),

hors_periode as (
    select v.indicateur, v.niveau, v.code, v.millesime, n.droit, n.dernier_millesime_applicable
    from valeurs as v
    join correspondance as c on c.indicateur = v.indicateur
    join taux_non_recours_national as n on n.droit = c.droit
    where cast(v.millesime as integer) > n.dernier_millesime_applicable
),

sans_publication as (
    select null, null, null, null, droit, dernier_millesime_applicable
    from taux_non_recours_national
    where trim(publication) = '' or trim(mesure) = '' or trim(source) = ''
)

select * from hors_periode
union all
select * from sans_publication
