"""The secret rule for visit data, as pure functions on DataFrames (no Streamlit, no database).

Visit data are about vulnerable households: no figure the atlas shows, alone or combined with
another shown figure, may give back a count of 1 to 4 households. Four parts (DESIGN.md):

- *Primary*: a count under 5 is masked (« < 5 »); a rate whose denominator is under 10 is not
  shown; a rate is rounded and hidden when its numerator or denominator is masked.
- *Complementary*: a shown total minus its shown parts must not give a masked part back. For each
  constraint « parent = sum of children » (EPCI = its communes, département = its communes, region
  = its départements = its EPCI + the communes outside any EPCI, a total = its canals or months),
  a single hidden cell gets a second one (the smallest shown child), and hidden children whose sum
  is under 5 get one more. Masks only grow, so the loop ends.
- *Filters*: a view with a filter (structures, canals, period) is compared with the view without
  it: a cell is masked when the difference is 1 to 4 households (« toutes structures » minus « toutes
  sauf une »), and when one value of a filtered dimension (one structure, one canal) counts 1 to 4
  households in it, since adding or removing that value from the filter would give it back; for
  the period, a range of months, when the months taken off or added at either end sum to 1 to 4.
- *Periods* are whole months (the page offers no day-level choice).

Not covered: differences between two views that change several filters at once in non-nested
ways, and differences between columns of one row (bilans minus non-recours).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEUIL_COMPTE = 5
SEUIL_DENOMINATEUR = 10
MASQUE = "< 5"


def petit(valeurs) -> np.ndarray:
    """True where a count is 1 to 4 households (0 reveals no one; NaN is no figure).

    Examples
    --------
    >>> petit(pd.Series([0, 1, 4, 5, None])).tolist()
    [False, True, True, False, False]
    """
    v = pd.to_numeric(pd.Series(valeurs), errors="coerce").to_numpy(dtype=float)
    return (v > 0) & (v < SEUIL_COMPTE)


def masque_primaire(frame: pd.DataFrame, comptes: list[str]) -> pd.DataFrame:
    """True where a count is under 5 (0 included: « < 5 » whatever the value), False where NaN.

    Examples
    --------
    >>> masque_primaire(pd.DataFrame({"n": [0, 3, 5, None]}), ["n"])["n"].tolist()
    [True, True, False, False]
    """
    return pd.DataFrame(
        {c: pd.to_numeric(frame[c], errors="coerce").lt(SEUIL_COMPTE).to_numpy() for c in comptes}, index=frame.index
    )


def masque_differences(
    frame: pd.DataFrame,
    comptes: list[str],
    reference: pd.DataFrame | None = None,
    details: list[pd.DataFrame] = (),
    mois: pd.DataFrame | None = None,
    periode: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """True where a filtered view's cell, compared with other views, would give 1 to 4 households back.

    Parameters
    ----------
    frame : DataFrame
        The filtered view, indexed by its cells' keys.
    comptes : list of str
        Count columns.
    reference : DataFrame, optional
        The same cells without any filter (indexed like ``frame``; a missing key counts 0). A
        cell is masked when reference − view is 1 to 4.
    details : list of DataFrame
        For each filtered dimension, one row per (cell key, value of the dimension) — the index
        repeats the cell key — with that value's counts, the other filters applied. A cell is
        masked when any value counts 1 to 4 households in it.
    mois : DataFrame, optional
        With a period: one row per (cell key, month) — column ``detail`` = ``"YYYY-MM"`` — with
        that month's counts, the other filters applied. Periods are ranges of months, so a view
        is compared with every range that contains it or that it contains: a cell is masked when
        removing months from either end of the period, or adding months beyond either end, changes
        it by 1 to 4 households.
    periode : (str, str), optional
        First and last month of the view (``"YYYY-MM"``).
    """
    masque = pd.DataFrame(False, index=frame.index, columns=comptes)
    for colonne in comptes:
        if reference is not None:
            ecart = reference[colonne].reindex(frame.index).fillna(0) - frame[colonne].fillna(0)
            masque[colonne] |= petit(ecart)
        for detail in details:
            if detail.empty:
                continue
            touches = detail.index[petit(detail[colonne])].unique()
            masque[colonne] |= frame.index.isin(touches)
        if mois is not None and periode is not None and not mois.empty:
            masque[colonne] |= _bords_petits(frame.index, mois, colonne, periode)
    return masque


def _bords_petits(index: pd.Index, mois: pd.DataFrame, colonne: str, periode: tuple[str, str]) -> np.ndarray:
    """True for the cells where months taken off or added at an end of the period sum to 1 to 4."""
    grille = mois.pivot_table(index=mois.index, columns="detail", values=colonne, aggfunc="sum", fill_value=0)
    tous = sorted(set(grille.columns) | set(periode))
    grille = grille.reindex(index=index, columns=tous, fill_value=0).fillna(0).to_numpy(dtype=float)
    debut, fin = tous.index(periode[0]), tous.index(periode[1])
    dedans = grille[:, debut : fin + 1]
    sommes = [
        np.cumsum(dedans, axis=1),  # months taken off at the start
        np.cumsum(dedans[:, ::-1], axis=1),  # ... at the end
        np.cumsum(grille[:, :debut][:, ::-1], axis=1),  # months added before the start
        np.cumsum(grille[:, fin + 1 :], axis=1),  # ... after the end
    ]
    out = np.zeros(len(index), dtype=bool)
    for s in sommes:
        if s.size:
            out |= ((s > 0) & (s < SEUIL_COMPTE)).any(axis=1)
    return out


def completer(
    frame: pd.DataFrame,
    masque: pd.DataFrame,
    contraintes: list[tuple[object, list]],
    comptes: list[str],
    parents_fixes: bool = False,
) -> pd.DataFrame:
    """Complementary suppression: mask more cells until no constraint gives a masked cell back.

    Parameters
    ----------
    frame : DataFrame
        Every cell (parents and children) as one row, indexed by a unique key.
    masque : DataFrame
        The cells already masked (same index, ``comptes`` columns).
    contraintes : list of (parent key, list of child keys)
        « parent = sum of the children », both shown. A parent of ``None`` is a sum nobody sees.
    comptes : list of str
        Count columns (each is protected on its own).
    parents_fixes : bool
        Parents are shown elsewhere with a mask decided there: never mask them here (a parent
        masked there counts as hidden here).

    Returns
    -------
    DataFrame
        The grown mask.
    """
    out = masque.copy()
    position = {cle: i for i, cle in enumerate(frame.index)}
    groupes = [
        (None if p is None else position[p], np.array([position[e] for e in enfants], dtype=int))
        for p, enfants in contraintes
        if len(enfants)
    ]
    for colonne in comptes:
        valeurs = pd.to_numeric(frame[colonne], errors="coerce").to_numpy(dtype=float)
        cache = out[colonne].to_numpy(dtype=bool).copy()
        change = True
        while change:
            change = False
            for parent, enfants in groupes:
                caches = cache[enfants]
                n_caches = int(caches.sum())
                parent_cache = parent is None or bool(cache[parent])
                if parent_cache:
                    # the sum is not shown: one hidden child is enough unless the parent is itself
                    # hidden and all its children are shown (their sum would give it back)
                    besoin = parent is not None and n_caches == 0
                else:
                    somme = np.nansum(valeurs[enfants][caches])
                    besoin = n_caches == 1 or (n_caches > 1 and 0 < somme < SEUIL_COMPTE)
                if not besoin:
                    continue
                candidats = enfants[~caches & ~np.isnan(valeurs[enfants])]
                if len(candidats):
                    cache[candidats[np.argmin(valeurs[candidats])]] = True
                    change = True
                elif not parent_cache and not parents_fixes:
                    cache[parent] = True
                    change = True
        out[colonne] = cache
    return out


def hierarchie(communes: pd.DataFrame, comptes: list[str]) -> tuple[pd.DataFrame, list[tuple[object, list]]]:
    """Cells of every level (commune, EPCI, département, region) and their sum constraints.

    Parameters
    ----------
    communes : DataFrame
        One row per commune with ``code``, ``code_epci`` (NaN outside any EPCI),
        ``code_departement`` and the counts.
    comptes : list of str
        Count columns.

    Returns
    -------
    (DataFrame, list)
        Cells indexed by ``"niveau:code"`` (``"region:"`` for the region) with ``niveau``, ``code``
        and the counts; the constraints for :func:`completer`.
    """
    communes = communes.reset_index(drop=True)
    parties = [
        communes.assign(niveau="commune")[["niveau", "code", *comptes]],
        communes.dropna(subset=["code_epci"])
        .groupby("code_epci", as_index=False)[comptes]
        .sum()
        .rename(columns={"code_epci": "code"})
        .assign(niveau="epci"),
        communes.groupby("code_departement", as_index=False)[comptes]
        .sum()
        .rename(columns={"code_departement": "code"})
        .assign(niveau="departement"),
        pd.DataFrame([{"niveau": "region", "code": "", **communes[comptes].sum().to_dict()}]),
    ]
    cellules = pd.concat(parties, ignore_index=True)[["niveau", "code", *comptes]]
    cellules.index = cellules["niveau"] + ":" + cellules["code"].astype(str)
    cle_commune = "commune:" + communes["code"].astype(str)
    contraintes = []
    for epci, membres in cle_commune.groupby(communes["code_epci"]):
        contraintes.append((f"epci:{epci}", membres.tolist()))
    for dep, membres in cle_commune.groupby(communes["code_departement"]):
        contraintes.append((f"departement:{dep}", membres.tolist()))
    contraintes.append(("region:", [k for k in cellules.index if k.startswith("departement:")]))
    hors_epci = communes["code_epci"].isna()
    contraintes.append(
        ("region:", [k for k in cellules.index if k.startswith("epci:")] + cle_commune[hors_epci].tolist())
    )
    # a département whose EPCI all lie inside it is also the sum of its EPCI and of its communes
    # outside any EPCI (L'Île-d'Yeu = Vendée minus its EPCI)
    departements_par_epci = communes.dropna(subset=["code_epci"]).groupby("code_epci")["code_departement"].nunique()
    for dep, membres in communes.groupby("code_departement"):
        epcis = membres["code_epci"].dropna().unique()
        if all(departements_par_epci[e] == 1 for e in epcis):
            seuls = cle_commune[membres.index[membres["code_epci"].isna()]].tolist()
            contraintes.append((f"departement:{dep}", [f"epci:{e}" for e in epcis] + seuls))
    return cellules, contraintes


def taux_protege(
    numerateur: pd.Series,
    denominateur: pd.Series,
    masque_numerateur: pd.Series,
    masque_denominateur: pd.Series,
    decimales: int = 0,
) -> pd.Series:
    """A rate in %, rounded, or NaN: denominator under 10, numerator or denominator masked.

    An unrounded rate with a shown denominator gives its numerator back (12 bilans and
    16,666666666666668 % are 2 households); a rate beside a masked numerator would too.

    Examples
    --------
    >>> taux_protege(pd.Series([2, 79, 8]), pd.Series([12, 90, 9]), pd.Series([True, False, False]),
    ...              pd.Series([False, False, False])).tolist()
    [nan, 88.0, nan]
    """
    num = pd.to_numeric(numerateur, errors="coerce").astype(float)
    den = pd.to_numeric(denominateur, errors="coerce").astype(float)
    valeur = (100.0 * num / den.where(den > 0)).round(decimales)
    cache = (
        (den < SEUIL_DENOMINATEUR)
        | np.asarray(masque_numerateur, dtype=bool)
        | np.asarray(masque_denominateur, dtype=bool)
    )
    return valeur.mask(cache | den.isna())


def pour_export(frame: pd.DataFrame, masque: pd.DataFrame, comptes: list[str]) -> pd.DataFrame:
    """Counts as whole numbers, « < 5 » where masked (a CSV, where a cell's type does not matter)."""
    out = frame.copy()
    for colonne in comptes:
        valeurs = pd.to_numeric(frame[colonne], errors="coerce")
        out[colonne] = [
            MASQUE if m else (None if pd.isna(v) else int(v))
            for v, m in zip(valeurs, masque[colonne].to_numpy(), strict=True)
        ]
        out[colonne] = out[colonne].astype(object)
    return out


def pour_affichage(frame: pd.DataFrame, masque: pd.DataFrame, comptes: list[str], ecrire) -> pd.DataFrame:
    """Counts as one text column each (« 1 234 », « < 5 »): a column mixing numbers and text
    makes Arrow fail to convert it (and Streamlit log a traceback on every render).

    Parameters
    ----------
    ecrire : callable
        Writes a shown count (French format).
    """
    out = frame.copy()
    for colonne in comptes:
        valeurs = pd.to_numeric(frame[colonne], errors="coerce")
        out[colonne] = pd.array(
            [
                MASQUE if m else (None if pd.isna(v) else ecrire(int(v)))
                for v, m in zip(valeurs, masque[colonne].to_numpy(), strict=True)
            ],
            dtype="string",
        )
    return out
