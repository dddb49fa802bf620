"""Publishing the aggregated DPE: ``dpe_agregats``, the DPE indicators in ``valeurs``, their notes.

``dpe_agregats`` holds the current DPE per commune, EPCI, département and region × building type ×
construction period; the indicators of :data:`INDICATEURS` go to ``valeurs``. A share on fewer
than :data:`~etl.dpe.constants.MIN_DPE` DPE is not published: NULL with statut ``absent`` and the
reason in ``qualite_valeurs`` (« moins de 20 DPE (n) »), so that no map, rank, median or class of
the read side ever sees it (one rule everywhere; the « Précarité énergétique » page reads the
counts of ``dpe_agregats`` to flag them); ``dpe_nb``, the count itself, is always published. A
share on no DPE is NULL with statut ``absent``. An EPCI crossing the regional border is flagged
too: only the DPE of its communes in the region are counted.
"""

from __future__ import annotations

from etl import catalogue, dpe_annees
from etl.dpe.aggregation import sql_file
from etl.dpe.constants import MIN_DPE, SOURCE

INDICATEURS = {
    # code: (type_batiment, measure)
    "dpe_nb": ("ensemble", "nb"),
    "dpe_part_passoires": ("ensemble", "fg"),
    "dpe_part_efg": ("ensemble", "efg"),
    "dpe_part_passoires_maisons": ("maison", "fg"),
    "dpe_part_passoires_appartements": ("appartement", "fg"),
}


def publish(con, demonstration: bool) -> None:
    """Replace ``dpe_agregats`` from ``stg_dpe_communes``, the DPE ``valeurs`` and notes, the catalogue.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database holding ``stg_dpe_communes`` (:func:`etl.dpe.accounting.load_dpe`).
    demonstration : bool
        The aggregates come from the demonstration extract (labelled so everywhere).
    """
    con.execute("delete from dpe_agregats")
    con.execute("insert into dpe_agregats by name " + sql_file("agregats.sql"), [demonstration])
    codes = list(INDICATEURS)
    con.execute("delete from valeurs where list_contains(?, indicateur)", [codes])
    con.execute("delete from qualite_valeurs where list_contains(?, indicateur)", [codes])
    dpe_annees.publish(con, MIN_DPE)  # shares by year of diagnosis, from stg_dpe_communes
    millesime = con.execute(
        "select cast(year(max(date_max)) as varchar) from stg_dpe_communes where n is null and not remplace"
    ).fetchone()[0]
    if millesime is None:
        refresh_catalogue(con, demonstration)
        return
    for code, (type_batiment, measure) in INDICATEURS.items():
        con.execute(
            "insert into valeurs by name " + sql_file("valeurs.sql"), [code, millesime, measure, type_batiment, MIN_DPE]
        )
        if measure != "nb":
            con.execute(
                "insert into qualite_valeurs by name " + sql_file("qualite_peu_de_dpe.sql"),
                [code, millesime, type_batiment, MIN_DPE],
            )
    con.execute("insert into qualite_valeurs by name " + sql_file("qualite_epci_interregional.sql"), [codes])
    refresh_catalogue(con, demonstration)


def refresh_catalogue(con, demonstration: bool) -> None:
    """Rewrite the indicator catalogue and the DPE source, labelled « démonstration » when it is."""
    con.execute("delete from indicateurs")
    catalogue.insert_catalogue(con)
    catalogue.complete_sources_valeurs(con)
    if demonstration:
        con.execute(
            """
            update indicateurs
            set libelle = libelle || ' (démonstration)', demonstration = true
            where source = ?
            """,
            [SOURCE],
        )
    libelle = catalogue.SOURCES[SOURCE][0]
    millesime = catalogue.SOURCES[SOURCE][2]
    if demonstration:
        # what the data is; that it is demonstration data is the column, said once by each reader
        libelle = "DPE des logements existants générés par l'atlas au format officiel dpe03existant de l'ADEME"
    con.execute(
        "update sources set libelle = ?, millesime = ?, demonstration = ? where source = ?",
        [libelle, millesime, demonstration, SOURCE],
    )
    con.execute("delete from metadonnees where cle = 'dpe_donnees'")
    con.execute(
        "insert into metadonnees values ('dpe_donnees', ?)",
        ["démonstration" if demonstration else "extraits ADEME importés"],
    )
