"""Cells that a spreadsheet cannot run as formulas, for every CSV either side writes.

The ETL writes rejected rows beside an uploaded file, the app writes exports: both go through
:func:`neutraliser_formules`, so « =HYPERLINK(...) » in an uploaded file never comes back out live.
"""

from __future__ import annotations

import re

import pandas as pd

# A cell starting with one of these is read as a formula (or a DDE command) by Excel and
# LibreOffice: « =HYPERLINK(...) » in an uploaded file would come back out live in an export.
_FORMULE = re.compile(r"^[=+\-@\t\r]")
# A signed number (« -3,5 », « +12 », « -1.5e3 ») is data, not a formula: left as it is.
_NOMBRE = re.compile(r"^[+-](\d[\d \u00a0\u202f]*([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutraliser_formule(valeur):
    """A cell as a spreadsheet must read it: text that would start a formula gets a leading ``'``.

    Parameters
    ----------
    valeur : object
        A cell; only strings are changed.

    Returns
    -------
    object

    Examples
    --------
    >>> neutraliser_formule('=HYPERLINK("http://x", "clic")')
    '\'=HYPERLINK("http://x", "clic")'
    >>> neutraliser_formule("-3,5")
    '-3,5'
    """
    if not isinstance(valeur, str) or not _FORMULE.match(valeur):
        return valeur
    if valeur[0] in "+-" and len(valeur) > 1 and _NOMBRE.match(valeur):
        return valeur
    return "'" + valeur


def neutraliser_formules(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as spreadsheet formulas.

    Every CSV the atlas writes (exports, rejected rows) goes through it: see
    :func:`neutraliser_formule`.
    """
    out = frame.copy()
    for colonne in out.columns:
        if out[colonne].dtype == object or pd.api.types.is_string_dtype(out[colonne]):
            out[colonne] = out[colonne].map(neutraliser_formule)
    out.columns = [neutraliser_formule(str(c)) for c in out.columns]
    return out
