"""Exports that open cleanly in French spreadsheet software.

CSV: UTF-8 with BOM (Excel detects the encoding), ``;`` separator, decimal comma, and a header
of comment lines (``# ...``) naming the source, the millésime and the extraction date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def csv_fr(frame: pd.DataFrame, entete: list[str] | None = None) -> bytes:
    """Serialise a table as a French CSV.

    Parameters
    ----------
    frame : DataFrame
        The table; its column names are written as they are.
    entete : list of str, optional
        Lines written first, each prefixed by ``# `` (source, millésime...). The extraction
        date is always added.

    Returns
    -------
    bytes
        UTF-8 with BOM.
    """
    lignes = [*(entete or []), f"Date d'extraction : {dt.date.today().isoformat()}"]
    head = "".join(f"# {ligne}\r\n" for ligne in lignes)
    body = frame.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + head + body).encode("utf-8")
