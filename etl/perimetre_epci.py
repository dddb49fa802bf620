"""EPCI values of a millésime whose member communes have changed since: « périmètre différent ».

An EPCI value of INSEE Filosofi is the value of the EPCI in the commune geography of its
millésime. When a member commune was merged or split since (a commune nouvelle, a commune
rétablie: ``passage_communes`` and ``evenements_communes``), the commune file of the same
millésime shows it: :mod:`etl.placement` carried its values to today's commune with a note in
``qualite_valeurs`` (fusion, scission). Every EPCI value of that millésime whose EPCI counts such a
commune today gets a note saying so, naming the communes: the EPCI of 2019 is not the EPCI of
today, even where the territory covered is the same (its communes are not).

Derived from the placement of the commune files, so no EPCI code is written here: Essarts-en-Bocage
(85084), split in 2024, flags its EPCI for Filosofi 2019 (commune geography of 2021).
"""

from __future__ import annotations

from etl import catalogue, placement

SOURCE = "insee_filosofi"
#: The beginnings of the notes :mod:`etl.placement` writes for a merged or split commune.
PREFIXES = [
    modele.split("{")[0]
    for modele in (
        placement.NOTE_FUSION_SOMME,
        placement.NOTE_FUSION_PARTIELLE,
        placement.NOTE_FUSION_TAUX,
        placement.NOTE_SCISSION_PARENT,
        placement.NOTE_SCISSION_ENFANT,
    )
]
NOTE = (
    "périmètre différent : valeur de l'EPCI calculée sur ses communes d'alors ; des communes membres ont été "
    "fusionnées ou rétablies depuis ({communes}), à comparer avec prudence aux communes et aux autres millésimes"
)


def flag_epci(con) -> int:
    """Add the « périmètre différent » note to the Filosofi EPCI values concerned.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being built, after the Filosofi commune and EPCI files.

    Returns
    -------
    int
        Number of notes added.
    """
    codes = [r["code"] for r in catalogue.catalogue_rows() if r["source"] == SOURCE]
    avant, modele = NOTE.split("{communes}")
    before = con.execute("select count(*) from qualite_valeurs").fetchall()[0][0]
    con.execute(
        """
        insert into qualite_valeurs
        with

        filosofi as (
            select unnest(?::varchar[]) as indicateur
        ),

        changees as (
            -- current communes that the commune file of the millésime has in an older geography
            select distinct q.millesime, q.code as commune
            from qualite_valeurs as q
            join filosofi as f using (indicateur)
            where q.niveau = 'commune'
              and exists (select 1 from unnest(?::varchar[]) as p(prefixe) where starts_with(q.note, p.prefixe))
        ),

        par_epci as (
            select t.code_epci, c.millesime,
                   string_agg(t.nom || ' (' || t.code || ')', ', ' order by t.code) as communes
            from changees as c
            join territoires as t on t.niveau = 'commune' and t.code = c.commune
            where t.code_epci is not null
            group by all
        ),

        final as (
            select v.indicateur, v.niveau, v.code, v.millesime, ? || p.communes || ?
            from valeurs as v
            join filosofi as f using (indicateur)
            join par_epci as p on p.code_epci = v.code and p.millesime = v.millesime
            where v.niveau = 'epci' and v.statut <> 'absent'
        )

        select * from final
        """,
        [codes, PREFIXES, avant, modele],
    )
    return con.execute("select count(*) from qualite_valeurs").fetchall()[0][0] - before
