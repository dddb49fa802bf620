-- The note of a published DPE figure of an EPCI across the regional border: only the DPE of its
-- communes in the region count (etl/dpe/publishing.py). Inputs: valeurs, territoires.
-- Parameter: the DPE indicator codes.
with

epci_interregionaux as (
    select e.code
    from territoires as e
    where e.niveau = 'epci'
      and e.population > (select sum(population) from territoires as c where c.niveau = 'commune' and c.code_epci = e.code)
),

final as (
    select v.indicateur, v.niveau, v.code, v.millesime, 'DPE des seules communes de la région (EPCI interrégional)' as note
    from valeurs as v
    join epci_interregionaux as e on e.code = v.code
    where v.niveau = 'epci' and list_contains(?, v.indicateur) and v.statut = 'ok'
)

select * from final
