"""Storing the valid rows of a visit file: household identification, dedupe, inserts.

Dedupe key (``id_visite``), see :mod:`etl.visits`: with an ``id_contact``, keyed pseudonyms of the
structure (normalised) and the ``id_contact`` (:mod:`etl.pseudonymes`); without, the natural key
plus the rank of the row among identical rows of its file. The first stored row wins.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa

from etl import pseudonymes
from etl.errors import EtlError


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_NATURAL_KEY = (
    "date_contact",
    "code_commune",
    "canal",
    "bilan_realise",
    "non_recours",
    "orientation",
    "droits_ouverts",
    "profil_menage",
    "tranche_age",
)


def identify(records: dict[str, np.ndarray], cle: bytes) -> None:
    """Add ``id_visite`` and ``id_contact_hash`` to the valid rows (the dedupe key of :mod:`etl.visits`).

    Values derived from an ``id_contact`` are keyed hashes (:mod:`etl.pseudonymes`): a guessable
    pseudonym cannot be found again from the database by trying candidates. Each distinct
    household (structure, ``id_contact``) is pseudonymised once, whatever its number of rows.

    Parameters
    ----------
    records : dict
        Column -> one array entry per valid row (:func:`etl.visits_rules.validate`); needs
        ``structure_key``, ``id_contact`` and the columns of the natural key.
    cle : bytes
        The installation's key (:func:`etl.pseudonymes.cle`).
    """
    structure_key, id_contact = records["structure_key"], records["id_contact"]
    n = len(id_contact)
    with_id = id_contact != ""
    hashes = np.full(n, None, dtype=object)
    ids = np.full(n, None, dtype=object)
    rows = np.flatnonzero(with_id)
    if len(rows):
        contacts = [f"{s}\x1f{c}" for s, c in zip(structure_key[rows].tolist(), id_contact[rows].tolist(), strict=True)]
        contact_hash = pseudonymes.pseudonymiseur(cle)
        visit_id = pseudonymes.pseudonymiseur(cle, "contact\x1f")
        distinct = dict.fromkeys(contacts)
        if len(distinct) < len(contacts):  # a household on several rows: its pseudonyms once
            for contact in distinct:
                distinct[contact] = (contact_hash(contact), visit_id(contact))
            hashes[rows] = [distinct[contact][0] for contact in contacts]
            ids[rows] = [distinct[contact][1] for contact in contacts]
        else:
            hashes[rows] = [contact_hash(contact) for contact in contacts]
            ids[rows] = [visit_id(contact) for contact in contacts]
    natural_rows = np.flatnonzero(~with_id)
    if len(natural_rows):
        parts = [structure_key[natural_rows]]
        for column in _NATURAL_KEY:
            values = records[column][natural_rows]
            if column == "date_contact":  # as str(date) wrote it: 2025-02-03
                values = np.datetime_as_string(values, unit="D")
            parts.append(["" if v is None else str(v) for v in values.tolist()])
        natural = pd.Series(["\x1f".join(key) for key in zip(*parts, strict=True)], dtype=object)
        rank = natural.groupby(natural, sort=False).cumcount().to_numpy() + 1
        for i, key, r in zip(natural_rows, natural, rank, strict=True):
            ids[i] = _sha(f"naturelle\x1f{key}\x1f{r}")
    records["id_contact_hash"] = hashes
    records["id_visite"] = ids


def take(records: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """The rows ``keep`` (a boolean mask or positions) of every column of ``records``."""
    return {column: values[keep] for column, values in records.items()}


def replace_demonstration(con, demonstration: bool, log) -> int:
    """Delete the demonstration visits before a real import; refuse demonstration rows beside real ones.

    Returns
    -------
    int
        The demonstration visits deleted.

    Raises
    ------
    EtlError
        Demonstration rows imported into a database that holds real visits.
    """
    if demonstration:
        real = con.execute("select count(*) from visites where not demonstration").fetchall()[0][0]
        if real:
            raise EtlError(
                f"la base contient déjà {real} visites réelles : les données de démonstration ne sont pas importées"
            )
        return 0
    demo = con.execute("select count(*) from visites where demonstration").fetchall()[0][0]
    if demo:
        con.execute("delete from visites_droits where id_visite in (select id_visite from visites where demonstration)")
        con.execute("delete from visites where demonstration")
        log(f"  {demo} visites de démonstration supprimées : les données réelles les remplacent.")
    return demo


def new_rows(con, records: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The rows to store: the first row of each ``id_visite`` of the file, absent from ``visites``.

    The first stored row wins: a later row of the file, or a row already in the database, with
    the same key is a duplicate, never an update. One DuckDB query (hashing in C) finds both.
    """
    staged = pa.table(
        {
            "id_visite": pa.array(records["id_visite"], type=pa.string()),
            "position": pa.array(np.arange(len(records["id_visite"]), dtype=np.int64)),
        }
    )
    con.register("stg_visites_ids", staged)
    try:
        # fetchnumpy reads the whole result (DuckDB 2 refuses new work while a result is
        # unfinished) as one array, without a Python int per row
        keep = con.execute(
            """
            select s.position
            from (select id_visite, min(position) as position from stg_visites_ids group by id_visite) as s
            anti join visites as v using (id_visite)
            order by s.position
            """
        ).fetchnumpy()["position"]
    finally:
        con.unregister("stg_visites_ids")
    return take(records, np.asarray(keep, dtype=np.int64))


_TEXT_COLUMNS = (
    "id_visite",
    "id_contact_hash",
    "structure",
    "code_commune",
    "code_iris",
    "code_qpv",
    "canal",
    "non_recours",
    "orientation",
    "droits_ouverts",
    "profil_menage",
    "tranche_age",
)


def insert(con, records: dict[str, np.ndarray], fichier: str, demonstration: bool) -> None:
    """Insert the rows into ``visites`` (EPCI and département of their commune) and ``visites_droits``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The open transaction of the import.
    records : dict
        Column -> one array entry per row to store (:func:`new_rows`).
    fichier : str
        Name recorded in ``visites.fichier``.
    demonstration : bool
        Mark the rows as demonstration data.
    """
    if not len(records["id_visite"]):
        return
    # One Arrow table, typed, inserted by one statement: DuckDB reads it without Python objects.
    columns = {c: pa.array(records[c], type=pa.string()) for c in _TEXT_COLUMNS}
    columns |= {
        "date_contact": pa.array(records["date_contact"], type=pa.date32()),
        "date_suivi": pa.array(records["date_suivi"], type=pa.date32()),
        "bilan_realise": pa.array(records["bilan_realise"], type=pa.bool_()),
        "nb_droits_non_recours": pa.array(records["nb_droits_non_recours"], type=pa.int32()),
    }
    con.register("stg_visites", pa.table(columns))
    try:
        con.execute(
            """
            insert into visites by name
            select
                s.id_visite, s.id_contact_hash, s.date_contact, s.structure,
                s.code_commune, t.code_epci, t.code_departement, s.code_iris, s.code_qpv, s.canal,
                s.bilan_realise, s.non_recours, s.nb_droits_non_recours, s.orientation,
                s.droits_ouverts, s.date_suivi, s.profil_menage, s.tranche_age,
                ? as fichier, ? as demonstration
            from stg_visites as s
            join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
            """,
            [fichier, demonstration],
        )
        insert_droits(con, "stg_visites")
    finally:
        con.unregister("stg_visites")


def insert_droits(con, staging: str) -> None:
    """One row per benefit of ``non_recours`` and ``droits_ouverts`` (codes joined by ``|``)."""
    con.execute(
        f"""
        insert into visites_droits
        select id_visite, unnest(string_split(non_recours, '|')), 'non_recours' from {staging}
        where non_recours is not null
        union all
        select id_visite, unnest(string_split(droits_ouverts, '|')), 'ouvert' from {staging}
        where droits_ouverts is not null
        """
    )
