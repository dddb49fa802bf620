"""Build step of the poverty and social statistics: every statistical loader, then the catalogue and sources.

Runs after the geography step (the loaders place commune codes through ``passage_communes`` and
keep only territories of ``territoires``). Order matters only for figures carried by two files
(the first loaded wins, see :func:`etl.valeurs.insert_values`).
"""

from __future__ import annotations

from pathlib import Path

from etl import catalogue, cnaf, estimation, filosofi, filosofi_supra, perimetre_epci, potentiel, qpv
from etl.placement import region_departements
from etl.report import LoadReport


def load_social_statistics(con, raw_dir: Path, region: str) -> list[LoadReport]:
    """Load Filosofi, CNAF and QPV files into ``valeurs``, the estimates, then the catalogue.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Build connection, after the geography step.
    raw_dir : Path
        The raw data folder (``data/raw``).
    region : str
        INSEE code of the built region (territories are already restricted to it).

    Returns
    -------
    list of LoadReport
        Closed reports, one per file (plus one per CNAF year for the commune aggregation).
    """
    reports = []
    reports += filosofi.load_filosofi(con, raw_dir)
    reports += filosofi_supra.load_filosofi_supra(con, raw_dir, region)
    perimetre_epci.flag_epci(con)  # EPCI values whose member communes changed since their millésime
    reports += cnaf.load_cnaf(con, raw_dir)
    reports += qpv.load_qpv(con, raw_dir)
    potentiel.load_potentiel(con)  # from the Filosofi and CNAF values loaded above
    # after every published figure: the estimate of secret commune rates is calibrated on them
    estimation.load_estimations(con, raw_dir, region_departements(con))
    catalogue.insert_sources(con)
    catalogue.insert_catalogue(con)
    return reports
