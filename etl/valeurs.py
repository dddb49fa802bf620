"""Long-format values: from parsed wide columns to rows of ``valeurs``.

Every loader ends with :func:`melt_values` (one row per territory, indicator and millésime, with
its statut) and :func:`insert_values`. A cell is kept with its statut even when NULL, so that a
secret value is told apart from a missing one in the UI.
"""

from __future__ import annotations

import pandas as pd

VALEURS_COLUMNS = ["indicateur", "niveau", "code", "millesime", "valeur", "statut"]


def melt_values(
    codes: pd.Series,
    values: pd.DataFrame,
    mapping: dict[str, str],
    niveau: str,
    millesime: int | str,
) -> pd.DataFrame:
    """Turn parsed wide columns into ``valeurs`` rows.

    Parameters
    ----------
    codes : pandas.Series
        Territory code of each row (same index as ``values``).
    values : pandas.DataFrame
        Output of :func:`etl.insee_csv.parse_values`: ``column`` and ``column__statut``.
    mapping : dict
        Source column → indicator code.
    niveau : str
        ``commune``, ``epci``, ``iris``, ``qpv``...
    millesime : int or str
        Millésime of every value.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALEURS_COLUMNS`; statut ``ok`` rows carry a number, others NULL.
    """
    parts = []
    for column, indicator in mapping.items():
        statut = values[f"{column}__statut"].to_numpy(dtype=object)
        parts.append(
            pd.DataFrame(
                {
                    "indicateur": indicator,
                    "niveau": niveau,
                    "code": codes.to_numpy(dtype=object, na_value=None),
                    "millesime": str(millesime),
                    "valeur": values[column].where(statut == "ok").to_numpy(dtype=float),
                    "statut": statut,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=VALEURS_COLUMNS)
    return pd.concat(parts, ignore_index=True)[VALEURS_COLUMNS]


def insert_values(con, frame: pd.DataFrame) -> int:
    """Insert ``valeurs`` rows; keys already present are kept as they are.

    Two official files may carry the same figure (``NBMEN20`` is in both the DISP and the
    Pauvres EPCI files): the first file loaded wins, and the duplicate cell is not an error.

    Returns
    -------
    int
        Number of rows inserted.
    """
    if frame.empty:
        return 0
    frame = frame.astype(
        {"indicateur": object, "niveau": object, "code": object, "millesime": object, "statut": object}
    )
    con.register("stg_valeurs", frame)
    try:
        before = con.execute("select count(*) from valeurs").fetchall()[0][0]
        con.execute(
            """
            insert into valeurs
            select s.indicateur, s.niveau, s.code, s.millesime, s.valeur, s.statut
            from stg_valeurs as s
            anti join valeurs as v using (indicateur, niveau, code, millesime)
            """
        )
        return con.execute("select count(*) from valeurs").fetchall()[0][0] - before
    finally:
        con.unregister("stg_valeurs")
