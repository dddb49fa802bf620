"""A value's statut (``ok``, ``estime``, ``secret``, ``absent``) in words, row by row or counted.

Shared by the explorer's two modes, the map of one millésime (:mod:`atlas.explorer`) and the
change between two (:mod:`atlas.evolutions`): each says in its own words what a statut means
there, in sentences of the same shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from atlas.formatting import format_nombre
from atlas.indicateurs import texte_valeur


def colonnes(frame: pd.DataFrame, *noms: str) -> Iterator[tuple]:
    """Rows of the named columns; a missing column reads as NaN (values without estimates)."""
    return zip(*(frame[n] if n in frame else pd.Series(np.nan, index=frame.index) for n in noms), strict=True)


def textes_valeurs(frame: pd.DataFrame, unite: str | None, suffixe: str = "") -> list[str]:
    """Each row's value in French words (:func:`atlas.indicateurs.texte_valeur`).

    Parameters
    ----------
    frame : DataFrame
        Columns ``valeur``, ``statut`` and, for estimates, ``bas`` and ``haut``, each followed by
        ``suffixe`` (« _debut » for the first end of a change).
    unite : str
        Unit of the indicator.
    suffixe : str
        Suffix of the column names.
    """
    noms = [f"{n}{suffixe}" for n in ("valeur", "statut", "bas", "haut")]
    return [texte_valeur(v, s, b, h, unite) for v, s, b, h in colonnes(frame, *noms)]


def texte_comptes(statuts: pd.Series, libelle_niveau: str, mots: Mapping[str, str]) -> str:
    """How many territories of each statut, in one French sentence.

    Parameters
    ----------
    statuts : Series
        One statut per territory.
    libelle_niveau : str
        Plural name of the level (« communes »), said with the first count.
    mots : mapping
        Statut → what it means, after its count. A statut no territory has is left out (a
        sentence with « 0 en secret statistique » reads as a figure to look for); the total
        says that nothing is missing.

    Examples
    --------
    >>> mots = {"ok": "publiées", "estime": "estimées", "secret": "secrètes", "absent": "absentes"}
    >>> texte_comptes(pd.Series(["ok", "ok", "secret"]), "communes", mots)
    '2 communes publiées, 1 secrètes (sur 3).'
    >>> texte_comptes(pd.Series(["secret"]), "communes", mots)
    'Aucun territoire publiées, 1 secrètes (sur 1).'
    """
    comptes = statuts.value_counts()
    ok = int(comptes.get("ok", 0))
    parties = [f"{format_nombre(ok)} {libelle_niveau} {mots['ok']}" if ok else f"Aucun territoire {mots['ok']}"]
    for statut in ("estime", "secret", "absent"):
        if comptes.get(statut, 0):
            parties.append(f"{format_nombre(int(comptes[statut]))} {mots[statut]}")
    return ", ".join(parties) + f" (sur {format_nombre(len(statuts))})."
