-- CAF counts: no benefit has more foyers than the foyers allocataires of the same territory.
with

foyers as (
    select niveau, code, millesime, valeur as foyers
    from valeurs
    where indicateur = 'foyers_allocataires' and statut = 'ok'
),

final as (
    select v.indicateur, v.niveau, v.code, v.millesime, v.valeur, f.foyers
    from valeurs as v
    join foyers as f using (niveau, code, millesime)
    where v.indicateur in ('allocataires_rsa', 'allocataires_prime_activite', 'allocataires_aides_logement', 'allocataires_aah')
      and v.statut = 'ok'
      and v.valeur > f.foyers
)

select * from final
