"""DPE by year of diagnosis as millésimes of ``valeurs`` (évolutions, fiche series).

The DPE indicators of :mod:`etl.dpe` describe the current DPE of every dwelling, at one
millésime. To follow the passoires over time, the same current DPE (the latest of each dwelling,
not replaced) are also counted by the **calendar year in which they were established**:

- ``dpe_nb_annee``: dwellings whose current DPE was established in the year (a count, always
  published, 0 included);
- ``dpe_part_passoires_annee``: the share of them labelled F or G. Like every DPE share, it is
  not published on fewer than 20 DPE: NULL with statut ``absent`` and the reason in
  ``qualite_valeurs`` (« moins de 20 DPE (n) »).

These are flows, not the stock: the dwellings diagnosed in a year (sales, lettings, works). A
year counts only when it is **whole in the extracts**: the latest DPE of the extracts is dated
31 December of that year or later; the year of the latest DPE, still running when the extract
was taken, is left out. 2021 starts on 1 July (the 2021 method; earlier DPE are not in the
extracts): its values say so in ``qualite_valeurs``.

Pure SQL on ``stg_dpe_communes`` (one row per cell of :func:`etl.dpe._aggregate`, with the
``annee`` of its DPE), run by :func:`etl.dpe.publish` at every import and build: ``import-dpe``
stays without pandas.
"""

from __future__ import annotations

CODES = ["dpe_nb_annee", "dpe_part_passoires_annee"]
#: First day of the DPE of existing dwellings under the 2021 method (the extracts' start).
DEBUT_METHODE = "2021-07-01"
NOTE_DEBUT = "DPE établis du 1er juillet au 31 décembre 2021 (début de la méthode 2021) : demi-année"


def publish(con, min_dpe: int) -> None:
    """Replace the yearly DPE values and their notes from ``stg_dpe_communes``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being written, with ``stg_dpe_communes`` and ``territoires``.
    min_dpe : int
        Under this number of DPE a share is not published (:data:`etl.dpe.MIN_DPE`).
    """
    con.execute("delete from valeurs where list_contains(?, indicateur)", [CODES])
    con.execute("delete from qualite_valeurs where list_contains(?, indicateur)", [CODES])
    _stage_years(con)
    try:
        _insert_values(con, min_dpe)
        _insert_notes(con, min_dpe)
    finally:
        con.execute("drop table if exists stg_dpe_annees")


def _stage_years(con) -> None:
    """``stg_dpe_annees``: DPE and passoires of every territory every whole year (0 for a year without)."""
    con.execute(
        """
        create or replace temp table stg_dpe_annees as
        with

        courants as (
            select s.annee, t.code as commune, t.code_epci, t.code_departement, s.nb_logements as nb, s.nb_fg
            from stg_dpe_communes as s
            join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
            where s.n is null and not s.remplace
        ),

        annees as (
            -- every year from the first DPE on (a year without any DPE counts 0), whole years only:
            -- the extracts reach 31 December of the year
            select unnest(generate_series(min(annee), max(annee))) as annee
            from courants
        ),

        entieres as (
            select annee
            from annees
            where make_date(annee, 12, 31) <= (
                select max(date_max) from stg_dpe_communes where n is null and not remplace
            )
        ),

        niveaux as (
            select 'commune' as niveau, commune as code, annee, nb, nb_fg from courants
            union all
            select 'epci', code_epci, annee, nb, nb_fg from courants where code_epci is not null
            union all
            select 'departement', code_departement, annee, nb, nb_fg from courants
            union all
            select 'region', (select code from territoires where niveau = 'region'), annee, nb, nb_fg from courants
        ),

        sommes as (
            select niveau, code, annee, sum(nb) as nb, sum(nb_fg) as nb_fg
            from niveaux
            group by all
        ),

        final as (
            -- every territory every whole year: no DPE in a year is a count of 0
            select t.niveau, t.code, a.annee, coalesce(s.nb, 0) as nb, coalesce(s.nb_fg, 0) as nb_fg
            from territoires as t
            cross join entieres as a
            left join sommes as s on s.niveau = t.niveau and s.code = t.code and s.annee = a.annee
        )

        select * from final
        """
    )


def _insert_values(con, min_dpe: int) -> None:
    """The yearly counts, and the share of passoires where the year has at least ``min_dpe`` DPE."""
    con.execute(
        """
        insert into valeurs
        select 'dpe_nb_annee', niveau, code, cast(annee as varchar), nb, 'ok' from stg_dpe_annees
        union all
        select 'dpe_part_passoires_annee', niveau, code, cast(annee as varchar),
               case when nb >= ? then round(100.0 * nb_fg / nb, 2) end,
               case when nb >= ? then 'ok' else 'absent' end
        from stg_dpe_annees
        """,
        [min_dpe, min_dpe],
    )


def _insert_notes(con, min_dpe: int) -> None:
    """Why a yearly value is missing or partial: too few DPE, the method's first year, an EPCI across the border."""
    con.execute(
        """
        insert into qualite_valeurs
        select 'dpe_part_passoires_annee', niveau, code, cast(annee as varchar),
               'moins de ' || ? || ' DPE (' || nb || ') : part non publiée, trop peu fiable'
        from stg_dpe_annees
        where nb between 1 and ? - 1
        """,
        [min_dpe, min_dpe],
    )
    con.execute(
        """
        insert into qualite_valeurs
        select indicateur, niveau, code, millesime, ?
        from valeurs
        where list_contains(?, indicateur) and millesime = cast(year(?::date) as varchar)
        """,
        [NOTE_DEBUT, CODES, DEBUT_METHODE],
    )
    # An EPCI across the regional border: its DPE are those of its communes in the region only.
    con.execute(
        """
        insert into qualite_valeurs
        select v.indicateur, v.niveau, v.code, v.millesime, 'DPE des seules communes de la région (EPCI interrégional)'
        from valeurs as v
        join territoires as e on e.niveau = 'epci' and e.code = v.code
        where v.niveau = 'epci' and list_contains(?, v.indicateur) and v.statut = 'ok'
          and e.population > (select sum(population) from territoires as c where c.niveau = 'commune' and c.code_epci = e.code)
        """,
        [CODES],
    )
