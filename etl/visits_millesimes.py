"""Outreach visits by calendar year as millésimes of ``valeurs`` (évolutions, fiche series).

The « Non-recours » page reads the visits themselves, over any range of whole months. To map a
change between two millésimes and draw the fiche's series, the funnel's main figures are also
stored per **calendar year** in ``valeurs`` (commune, EPCI, département, region):

- ``visites_contacts``, ``visites_bilans``, ``visites_non_recours``: households met, bilans de
  droits, households with at least one benefit in non-recours (counts, no ``sens``);
- ``visites_taux_non_recours``: non_recours ÷ bilans in %, rounded to the unit (a rate among the
  people met, not a population rate).

Grain: the calendar year — the period committees report on, with every season once (visits are
seasonal: two half-years are not comparable). Only **whole years** are published: a year still
running on the build (or import) day is left out, never compared as if complete
(:func:`whole_years`); ``metadonnees.visites_annee_en_cours`` says which one.

Secret rule (DESIGN.md, :mod:`commun.secret`): the cells of a year are exactly those the page
shows for the period « January to December » of that year, with the same masks (primary,
neighbouring ranges of months, complementary suppression over communes, EPCI, départements and
region): :func:`masks_of_year` repeats the page's computation (``atlas.non_recours``) with the
pure functions of :mod:`commun.secret`, so that the two publications never choose different
complementary cells (whose combination would give a masked count back). Periods are disjoint
whole years, so a change between two millésimes is a difference of two shown figures. A masked
count is NULL with statut ``secret``, never 0; a rate is ``secret`` under 10 bilans or beside a
masked count. A territory without any visit in the year has no row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from commun import secret
from etl import catalogue

SOURCE = "visites_aller_vers"
COUNTS = ["contacts", "bilans", "non_recours", "orientations", "droits_ouverts"]
INDICATEURS = {
    "visites_contacts": "contacts",
    "visites_bilans": "bilans",
    "visites_non_recours": "non_recours",
}
TAUX = "visites_taux_non_recours"
CODES = [*INDICATEURS, TAUX]

_COUNTS_SQL = """
    count(*) as contacts,
    count(*) filter (where bilan_realise) as bilans,
    count(*) filter (where nb_droits_non_recours > 0) as non_recours,
    count(*) filter (where orientation is not null) as orientations,
    count(*) filter (where droits_ouverts is not null) as droits_ouverts
"""


def whole_years(first: dt.date, last: dt.date, today: dt.date) -> list[int]:
    """Calendar years from ``first`` to ``last`` that are over on ``today`` (the running one is partial).

    Examples
    --------
    >>> whole_years(dt.date(2024, 3, 1), dt.date(2026, 2, 1), dt.date(2026, 5, 1))
    [2024, 2025]
    """
    return [y for y in range(first.year, last.year + 1) if dt.date(y, 12, 31) < today]


def _by_commune(con, start: dt.date | None = None, end: dt.date | None = None, month: bool = False) -> pd.DataFrame:
    # the page's query (atlas.non_recours._par): counts per current commune, optionally per month
    detail = "strftime(date_trunc('month', date_contact), '%Y-%m') as detail, " if month else ""
    condition, params = "true", []
    if start is not None:
        condition, params = "date_contact >= ? and date_contact <= ?", [start, end]
    return con.execute(
        "select code_commune as cle, "
        + detail
        + _COUNTS_SQL
        + " from visites where "
        + condition
        # a fixed statement: only the dates are parameters
        + " and code_commune is not null group by all order by all",
        params,
    ).df()


def _hierarchy(frame: pd.DataFrame, communes: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    base = communes.merge(frame.rename(columns={"cle": "code"}), on="code", how="inner")
    return secret.hierarchie(base, COUNTS)


def months_by_cell(con) -> pd.DataFrame:
    """Counts of every territory (commune, EPCI, département, region) and month with visits.

    The page's month details (``atlas.non_recours._hierarchie_detaillee``: :func:`commun.secret.hierarchie`
    of each month's counts by commune), summed in one SQL pass: indexed ``"niveau:code"``
    (``"region:"`` for the region) with ``niveau``, ``code``, the counts and ``detail`` (``"YYYY-MM"``).
    """
    frame = con.execute(
        """
        with

        par_commune as (
            select t.code, t.code_epci, t.code_departement,
                   strftime(date_trunc('month', v.date_contact), '%Y-%m') as detail,
        """
        + _COUNTS_SQL
        + """
            from visites as v
            join territoires as t on t.niveau = 'commune' and t.code = v.code_commune
            group by all
        ),

        niveaux as (
            select 'commune' as niveau, code, * exclude (code, code_epci, code_departement) from par_commune
            union all
            select 'epci', code_epci, * exclude (code, code_epci, code_departement)
            from par_commune where code_epci is not null
            union all
            select 'departement', code_departement, * exclude (code, code_epci, code_departement) from par_commune
            union all
            select 'region', '', * exclude (code, code_epci, code_departement) from par_commune
        )

        select niveau, code, detail, sum(contacts) as contacts, sum(bilans) as bilans,
               sum(non_recours) as non_recours, sum(orientations) as orientations,
               sum(droits_ouverts) as droits_ouverts
        from niveaux
        group by all
        order by detail, niveau, code
        """
    ).df()
    frame[COUNTS] = frame[COUNTS].astype("int64")
    frame.index = frame["niveau"] + ":" + frame["code"].astype(str)
    return frame


def masks_of_year(
    con, year: int, communes: pd.DataFrame, months: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts and masks of every territory with visits in ``year``, as the page shows that period.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database with ``visites``.
    year : int
        A whole calendar year.
    communes : DataFrame
        ``code``, ``code_epci``, ``code_departement`` of the communes, ordered by code (the
        page's order: complementary cells are chosen by position among equal counts).
    months : DataFrame, optional
        :func:`months_by_cell` (computed once for several years).

    Returns
    -------
    (DataFrame, DataFrame)
        Cells indexed ``"niveau:code"`` (``"region:"`` for the region) with their counts, and the
        mask (True = shown « < 5 », i.e. not published).
    """
    months = months_by_cell(con) if months is None else months
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cells, constraints = _hierarchy(_by_commune(con, start, end), communes)
    mask = secret.masque_primaire(cells, COUNTS)
    # the view without the period filter: every month of every cell
    reference = months.groupby(level=0)[COUNTS].sum()
    mask |= secret.masque_differences(cells, COUNTS, reference, [], months, (f"{year}-01", f"{year}-12"))
    return cells, secret.completer(cells, mask, constraints, COUNTS)


def year_rows(cells: pd.DataFrame, mask: pd.DataFrame, year: int, region: str) -> pd.DataFrame:
    """``valeurs`` rows of one year: counts NULL ``secret`` where masked, the rate rounded or ``secret``."""
    codes = cells["code"].astype(str).where(cells["niveau"] != "region", region).to_numpy()
    parts = []
    for indicateur, colonne in INDICATEURS.items():
        hidden = mask[colonne].to_numpy(dtype=bool)
        values = pd.to_numeric(cells[colonne]).to_numpy(dtype=float)
        parts.append(
            pd.DataFrame(
                {
                    "indicateur": indicateur,
                    "niveau": cells["niveau"].to_numpy(),
                    "code": codes,
                    "millesime": str(year),
                    "valeur": np.where(hidden, np.nan, values),
                    "statut": np.where(hidden, "secret", "ok"),
                }
            )
        )
    rate = secret.taux_protege(cells["non_recours"], cells["bilans"], mask["non_recours"], mask["bilans"]).to_numpy()
    parts.append(
        pd.DataFrame(
            {
                "indicateur": TAUX,
                "niveau": cells["niveau"].to_numpy(),
                "code": codes,
                "millesime": str(year),
                "valeur": rate,
                "statut": np.where(np.isnan(rate), "secret", "ok"),
            }
        )
    )
    return pd.concat(parts, ignore_index=True)


def publish(con, today: dt.date | None = None) -> list[int]:
    """Replace the yearly visit values of ``valeurs`` (and their catalogue entries) from ``visites``.

    Run by ``etl build`` after the last loader and by ``import-visits`` after the import.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being written.
    today : date, optional
        The day that decides which year is still running (today by default).

    Returns
    -------
    list of int
        The years published.
    """
    today = today or dt.date.today()
    con.execute("delete from valeurs where list_contains(?, indicateur)", [CODES])
    con.execute("delete from qualite_valeurs where list_contains(?, indicateur)", [CODES])
    con.execute("delete from metadonnees where cle = 'visites_annee_en_cours'")
    first, last = con.execute("select min(date_contact), max(date_contact) from visites").fetchall()[0]
    years = whole_years(first, last, today) if first is not None else []
    if last is not None and last.year not in years:
        con.execute(
            "insert into metadonnees values ('visites_annee_en_cours', ?)",
            [f"{last.year} (année en cours le {today:%d/%m/%Y} : non publiée par année)"],
        )
    if years:
        communes = con.execute(
            "select code, code_epci, code_departement from territoires where niveau = 'commune' order by code"
        ).df()
        region = con.execute("select code from territoires where niveau = 'region'").fetchall()[0][0]
        months = months_by_cell(con)
        rows = pd.concat(
            [year_rows(*masks_of_year(con, y, communes, months), y, region) for y in years], ignore_index=True
        )
        con.register("stg_visites_annees", rows)
        try:
            con.execute(
                "insert into valeurs select indicateur, niveau, code, millesime, valeur, statut from stg_visites_annees"
            )
        finally:
            con.unregister("stg_visites_annees")
    con.execute("delete from indicateurs where list_contains(?, code)", [CODES])
    catalogue.insert_catalogue(con, codes=CODES)
    catalogue.complete_sources_valeurs(con)
    demonstration = bool(con.execute("select coalesce(bool_and(demonstration), false) from visites").fetchall()[0][0])
    libelle, millesime = catalogue.SOURCES[SOURCE][0], catalogue.SOURCES[SOURCE][2]
    if demonstration:
        libelle = "Visites d'aller vers générées par l'atlas, par année civile"
    con.execute(
        "update sources set libelle = ?, millesime = ?, demonstration = ? where source = ?",
        [libelle, millesime, demonstration, SOURCE],
    )
    return years
