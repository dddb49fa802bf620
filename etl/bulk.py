"""Inserting many Python rows into a table in one statement instead of ``executemany``.

DuckDB's ``executemany`` runs the statement once per row: about a millisecond each, which made
the 1 228 commune typologies or a few hundred rejects cost more than reading their files.
:func:`insert_rows` turns the rows into one typed Arrow table (the target table's own column
types) and inserts it with one statement. Rows whose values do not fit those types exactly (an
int in a text column...) go through ``executemany`` as before, so the stored values are those
``executemany`` would have stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pyarrow as pa

# DuckDB column type -> the Arrow type whose values DuckDB stores unchanged, and the Python types
# (exactly: no bool for an int, no datetime for a date) that Arrow converts as DuckDB would.
_TYPES = {
    "VARCHAR": (pa.string(), {str}),
    "BIGINT": (pa.int64(), {int}),
    "INTEGER": (pa.int32(), {int}),
    "DOUBLE": (pa.float64(), {float, int}),
    "BOOLEAN": (pa.bool_(), {bool}),
    "DATE": (pa.date32(), {dt.date}),
}


def insert_rows(con, table: str, rows: Iterable[Sequence]) -> int:
    """Insert rows (values in the order of the table's columns) into ``table`` in one statement.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being written.
    table : str
        A table of the schema (a fixed name of the code, never a value).
    rows : iterable of sequences
        One value per column of ``table``, in its column order.

    Returns
    -------
    int
        The number of rows inserted.
    """
    rows = [tuple(row) for row in rows]
    if not rows:
        return 0
    # the name goes into the statements as an identifier: only a table the database has
    if not con.execute("select count(*) from duckdb_tables() where table_name = ?", [table]).fetchone()[0]:
        raise ValueError(f"table inconnue de la base : {table!r}")
    described = con.execute(f"describe {table}").fetchall()
    names = [d[0] for d in described]
    types = [_TYPES.get(d[1]) for d in described]
    statement = f"insert into {table} values ({', '.join('?' for _ in names)})"
    columns = list(zip(*rows, strict=True)) if all(len(row) == len(names) for row in rows) else None
    arrays = None
    if columns is not None and None not in types:
        try:
            arrays = [
                pa.array(values, type=arrow) if {type(v) for v in values} - {type(None)} <= python else None
                for values, (arrow, python) in zip(columns, types, strict=True)
            ]
        except (pa.ArrowInvalid, OverflowError):  # an int beyond the column's range
            arrays = None
    if arrays is None or any(array is None for array in arrays):
        con.executemany(statement, rows)  # a value of another type: DuckDB's own casts decide
        return len(rows)
    con.register("stg_insert_rows", pa.Table.from_arrays(arrays, names=names))
    try:
        con.execute(f"insert into {table} select * from stg_insert_rows")
    finally:
        con.unregister("stg_insert_rows")
    return len(rows)
