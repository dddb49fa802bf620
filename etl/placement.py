"""Placing commune codes of another millésime on the current communes of the built region.

Statistical files use the commune geography of their year (COG 2019 → 2024); ``territoires``
uses the current one. Every code goes through ``passage_communes`` (code_ancien → code_actuel,
filled by the geography step) and gets one of these outcomes:

- ``ok``: the code leads to a current commune of the region and is the **only** row of the file
  leading there: its value is the value of the whole current commune. This covers the identity
  (code still current) and a pure change of code (Orée d'Anjou, 49069 → 49126, has no other
  fragment in the files);
- ``fusion``: several rows of the file lead to the same current commune (a commune nouvelle
  created after the millésime). A rate or a median of a part cannot be turned into the value of
  the whole, and summing counts would need every fragment to be non-secret: all these rows are
  rejected with « commune fusionnée depuis ce millésime : valeur non transposable », and the
  current commune gets NULL values with statut ``absent`` (never an invented figure);
- ``inconnu``: the code is absent from the passage table but its département is one of the
  region's: rejected with « code commune inconnu de la table de passage »;
- ``hors_champ``: the code leads outside the region (national files).
"""

from __future__ import annotations

import pandas as pd

MOTIF_FUSION = "commune fusionnée depuis ce millésime : valeur non transposable"
MOTIF_INCONNU = "code commune inconnu de la table de passage"


def region_departements(con) -> set[str]:
    """Codes of the départements of the built region."""
    return {code for (code,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()}


def _departement(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def place_communes(con, codes: pd.Series) -> pd.DataFrame:
    """Map commune codes of a file to current communes of the region.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database holding ``passage_communes`` and ``territoires``.
    codes : pandas.Series
        Commune codes as read (text), one per row of the file.

    Returns
    -------
    pandas.DataFrame
        Same index as ``codes``; columns ``code_actuel`` (or None) and ``issue``
        (``ok``, ``fusion``, ``inconnu``, ``hors_champ``).
    """
    raw = codes.to_numpy(dtype=object, na_value=None)
    stg = pd.DataFrame({"rang": range(len(raw)), "code": [None if c is None else str(c) for c in raw]}, dtype=object)
    con.register("stg_codes", stg)
    try:
        placed = con.execute(
            """
            select s.rang, p.code_actuel, t.code is not null as dans_region
            from stg_codes as s
            left join passage_communes as p on p.code_ancien = s.code
            left join territoires as t on t.niveau = 'commune' and t.code = p.code_actuel
            order by s.rang
            """
        ).df()
    finally:
        con.unregister("stg_codes")
    departements = region_departements(con)
    code_actuel = placed["code_actuel"].to_numpy(dtype=object, na_value=None)
    in_region = placed["dans_region"].to_numpy(dtype=bool)
    issue = []
    for code, actuel, inside in zip(stg["code"], code_actuel, in_region, strict=True):
        if actuel is None:
            issue.append("inconnu" if code and _departement(code) in departements else "hors_champ")
        else:
            issue.append("ok" if inside else "hors_champ")
    result = pd.DataFrame({"code_actuel": code_actuel, "issue": issue}, index=codes.index)
    placed_ok = result["issue"] == "ok"
    shared = result.loc[placed_ok, "code_actuel"].duplicated(keep=False)
    result.loc[shared[shared].index, "issue"] = "fusion"
    return result
