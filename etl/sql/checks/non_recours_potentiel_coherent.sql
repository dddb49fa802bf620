-- Non-recours potentiel estimé of a commune (etl/potentiel.py): same statut as its CNAF count B
-- (a secret or absent count never becomes a value), and B × r / (1 − r) with the DREES rate r of
-- taux_non_recours_national. Returns the rows that break it.
with

correspondance as (
    select * from (values
        ('RSA', 'allocataires_rsa', 'nr_potentiel_rsa'),
        ('PA', 'allocataires_prime_activite', 'nr_potentiel_prime_activite')
    ) as t(droit, indicateur_source, indicateur)
),

final as (
    select p.indicateur, p.code, p.millesime, p.valeur, p.statut, b.valeur as beneficiaires, b.statut as statut_beneficiaires
    from valeurs as p
    join correspondance as c on c.indicateur = p.indicateur
    join taux_non_recours_national as n on n.droit = c.droit
    left join valeurs as b
      on b.indicateur = c.indicateur_source and b.niveau = p.niveau and b.code = p.code and b.millesime = p.millesime
    where p.niveau = 'commune'
      and (
          b.statut is null
          or p.statut <> b.statut
          or (p.statut = 'ok' and abs(p.valeur - b.valeur * n.taux / (1 - n.taux)) > 0.01)
      )
)

select * from final
