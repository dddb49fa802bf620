"""Reading one DPE extract in DuckDB: the needed columns only, as text, under canonical names.

The extract is never held in Python: the SQL below is a ``read_csv(all_varchar)`` (plain or
``.gz``) or a ``read_parquet`` (projection pushdown) that the aggregation streams through.
"""

from __future__ import annotations

from pathlib import Path

from etl.dpe.schema import FIELDS, detect_schema, read_header

# Fields whose stray spaces would change a classification; the others are compared with each
# other only or parsed leniently (a scan of millions of rows pays for every function call).
TRIMMED = ("numero_dpe", "code_insee_ban", "etiquette_dpe", "type_batiment", "date_etablissement_dpe")

# all_varchar: a malformed value is a counted reject, never a failed cast
CSV_READER = "read_csv(?, delim = ?, header = true, quote = '\"', escape = '\"', all_varchar = true)"
PARQUET_READER = "read_parquet(?)"


def quote(column: str) -> str:
    """A column name as a SQL identifier.

    Only the column names of :data:`etl.dpe.schema.SCHEMAS` reach it (never a name read from the
    file): the two layouts name the same field differently, so the projection is built from that
    fixed list (a parameter cannot name a column).
    """
    return '"' + column.replace('"', '""') + '"'


def clean(field_name: str, column: str) -> str:
    """SQL of a column as text, trimmed for the fields of :data:`TRIMMED` (``column`` is quoted)."""
    value = f"cast({column} as varchar)"
    if field_name not in TRIMMED:
        return value
    # trim() costs a copy of every value; the test keeps the value as it is when no edge is blank
    return f"(case when {value} like ' %' or {value} like '% ' then trim({value}) else {value} end)"


def source_sql(path: Path, fichier: str, rang: int) -> tuple[str, list, str]:
    """SQL reading one extract (only the needed columns, as text), its parameters and its layout.

    Parameters
    ----------
    path : Path
        CSV, CSV.gz or Parquet extract.
    fichier : str
        The file's name in messages.
    rang : int
        Its rank among the extracts read together (earliest first), the ``rang`` column.

    Returns
    -------
    tuple
        The ``select`` (``rang`` and every field of :data:`etl.dpe.schema.FIELDS`, NULL when the
        layout lacks it or the value is empty), its ``?`` parameters in order, the layout's name.

    Raises
    ------
    EtlError
        When the file cannot be read or its header is not an ADEME layout.
    """
    columns, sep = read_header(path, fichier)
    schema, found = detect_schema(columns, fichier)
    if sep is None:
        reader, params = PARQUET_READER, [str(path)]
    else:
        reader, params = CSV_READER, [str(path), sep]
    select = ", ".join(
        f"nullif({clean(f, quote(found[f]))}, '') as {f}" if f in found else f"null::varchar as {f}" for f in FIELDS
    )
    return f"select ?::integer as rang, {select} from {reader}", [rang, *params], schema
