"""The streaming aggregation of DPE extracts (``etl/sql/dpe/classification.sql``, ``aggregation.sql``).

One DuckDB pass over every extract classifies each row (a reason to reject it, or a usable DPE of
the region), keeps each DPE number once and the latest DPE of each dwelling, and writes a few
thousand rows to ``stg_dpe_communes``. The first line of each reject reason is found afterwards,
by a short numbered scan per reason.
"""

from __future__ import annotations

from commun.methode import PERIODES_DPE
from etl.checks import SQL_DIR

# Reasons a row is not counted, as small integers (cheap to carry through the aggregation):
# index -> (column, French reason). 0 is a commune outside the region (counted, not a reject).
MOTIFS = [
    ("code_insee_ban", "hors_champ"),
    ("numero_dpe", "numéro de DPE vide"),
    ("code_insee_ban", "code commune vide"),
    ("code_insee_ban", "code commune inconnu de la table de passage"),
    ("etiquette_dpe", "étiquette DPE vide"),
    ("etiquette_dpe", "étiquette DPE invalide (attendu A à G)"),
    ("date_etablissement_dpe", "date d'établissement illisible"),
    ("type_batiment", "type de bâtiment inconnu (attendu maison, appartement ou immeuble)"),
]
HORS_CHAMP = 0
# Construction periods and building types by their index in the packed integers (same order as
# the bounds written in aggregation.sql and the type indexes of classification.sql).
PERIODES = list(PERIODES_DPE)
TYPES = ["maison", "appartement", "immeuble"]


def sql_file(name: str) -> str:
    """Text of a SQL file of ``etl/sql/dpe``."""
    return (SQL_DIR / "dpe" / name).read_text(encoding="utf-8")


def _set_variables(con) -> None:
    """The DuckDB variables the DPE SQL reads: the region's départements, periods and types."""
    codes = [c for (c,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()]
    # one constant text « ,44,49,… »: a search in it is evaluated only on the rows that reach it
    con.execute("set variable dpe_departements = ?", ["," + ",".join(codes) + ","])
    con.execute("set variable dpe_periodes = ?", [PERIODES])
    con.execute("set variable dpe_types = ?", [TYPES])


def _classified(lignes: str) -> str:
    """SQL defining ``lignes`` (the rows read) and ``classe`` (classified), to prefix a query."""
    return f"with\n\nlignes as (\n{lignes}\n),\n\nclasse as (\n{sql_file('classification.sql')}\n)\n\n"


def aggregate(con, sources: list[tuple[str, list]]) -> None:
    """One streaming pass over the extracts into ``stg_dpe_communes`` (a few thousand rows).

    ``sources`` are the reading SQL of each extract (:func:`etl.dpe.reading.source_sql`) and its
    parameters, read in order (their ``rang``). The result holds two kinds of rows:

    - counts (``n`` not NULL): rows of each file per reject reason (``rejet``, 0 = outside the
      region) and usable rows per file (``rejet`` NULL); the caller reads those of the files it
      reports on;
    - cells: the current DPE (latest of their dwelling) per file that first brought them ×
      commune × building type × construction period × replaced or not, with the F+G and E+F+G.

    Steps, all inside DuckDB (only steps 1 and 2 hold millions of rows, bounded by
    ``memory_limit`` and spilled to disk beyond):

    1. ``par_numero``: one row per DPE number, keeping the row of the earliest extract (then the
       smallest values), flagged when another DPE declares that it replaces it (each such row
       comes once more, as a reference keyed by the number it replaces); a second grouping set
       of the same pass counts the rows of each file and reject reason (a few groups, which
       ride along in the next steps);
    2. ``par_logement``: one row per dwelling, its latest DPE (date, then a fixed choice by the
       number's hash); the counts ride along;
    3. ``par_cellule``: the latest DPE counted per cell and label (about a hundred thousand
       groups), then rolled up per cell.

    Keys. A DPE number and a dwelling are keyed by a 63-bit hash (DuckDB's ``hash``), not by
    their text: the two tables are half the size, and fit in memory at 10 million rows. Two
    different numbers (or dwellings) sharing a key would count as one DPE: among 10 million
    numbers the chance that any pair does is about 5 in a million per import, far below the
    errors of the source itself. (A 128-bit MD5 key, exact in practice, cost 10 % of the import's
    time at 10 million rows.)

    To keep steps 1 and 2 small and fast, everything a DPE contributes is packed into integers
    (decoded at step 3). ``dpe`` (64 bits):

    ======  =====  ===================================================================
    bits    width  field
    ======  =====  ===================================================================
    48-63   16     rank of the extract (``rang``: earliest first)
    26-47   22     date of the DPE, days since 0001-01-01
    9-25    17     commune (rank of its code among the communes of the region, from 1)
    6-8     3      construction period (index in :data:`PERIODES`)
    4-5     2      building type (index in :data:`TYPES`)
    1-3     3      label (0 = A ... 6 = G)
    0       1      replaced (``numero_dpe_remplace`` of another DPE), set at step 2
    ======  =====  ===================================================================

    Step 1 keeps ``min(dpe << 64 | dwelling)`` (as an unsigned 128-bit integer); step 2 keeps
    ``max(order << 64 | dpe)`` with ``order`` = date (bits 41-62) then the low bits of the
    number's hash. A count is keyed ``1 << 63 | rang << 16 | (rejet + 1)`` at step 1, then packed
    as ``1 << 63 | rang << 44 | (rejet + 1) << 36 | n``: bit 63 keeps it apart from every number,
    dwelling and cell (their hashes are 63-bit).
    """
    lignes = "\nunion all\n".join(sql for sql, _ in sources)
    params = [p for _, ps in sources for p in ps]
    _set_variables(con)
    con.execute(
        "create or replace temp table stg_dpe_communes as\n"
        + _classified(lignes)
        + f"select * from (\n{sql_file('aggregation.sql')}\n)",
        params,
    )


def first_lines(con, sql: str, params: list, motifs: list[int]) -> dict[int, tuple[int, str | None]]:
    """First line (header = 1) and value of each reject reason (index in MOTIFS) of one extract.

    One short query per reason: the numbered scan stops at the first matching line, which real
    extracts reach within their first lines (the full scan of :func:`aggregate` does not number
    the lines: a numbered scan is an ordered, slower one).
    """
    numbered = f"select row_number() over () + 1 as ligne, * from ({sql})"
    query = _classified(numbered) + f"select * from (\n{sql_file('premiere_ligne.sql')}\n)"
    _set_variables(con)
    con.execute("set preserve_insertion_order = true")
    found = {}
    try:
        for motif in motifs:
            row = con.execute(query, [*params, motif]).fetchall()
            found[motif] = (row[0][0], row[0][1]) if row else (None, None)
    finally:
        con.execute("set preserve_insertion_order = false")
    return found
