"""Changes of an indicator between two millésimes: which ones can be computed, in which unit, French texts.

A rate (unit ``%``) changes by a difference in percentage points; a level (€, rapport, indice...)
or a count changes by a relative change in %. A change is computed only where both ends are
values: a secret or a missing value at either millésime gives no change (statut ``secret`` or
``absent``). Values are already carried to the current communes by the ETL (a merged commune is
absent for a rate), so a change never mixes two geographies. Where either end is an estimate of
the atlas (statut ``estime``) the change is computed, labelled « évolution calculée sur une
estimation » and given a conservative interval (the difference of the two intervals' far ends).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from atlas.db import cache_par_base, query
from atlas.formatting import format_nombre
from atlas.statuts import texte_comptes, textes_valeurs

ETIQUETTE_ESTIMATION = "évolution calculée sur une estimation"
LIBELLE_ESTIMATION = "Évolution calculée sur une estimation (contour noir)"
LIBELLE_SECRET = "Secret statistique à l'un des deux millésimes"
LIBELLE_ABSENT = "Non disponible à l'un des deux millésimes"
STATUT_LIBELLES = {
    "ok": "Calculée",
    "estime": "Calculée sur une estimation",
    "secret": "Secret statistique à un millésime",
    "absent": "Non disponible à un millésime",
}
#: The indicator shown when the évolution mode opens (the poverty rate has one millésime by commune).
INDICATEUR_PAR_DEFAUT = "mediane_niveau_vie"


def unite_evolution(unite: str | None) -> str:
    """Unit of a change: ``pts`` (percentage points) for a rate in %, ``%`` (relative change) otherwise."""
    return "pts" if unite == "%" else "%"


def calculer(debut: pd.DataFrame, fin: pd.DataFrame, unite: str | None) -> pd.DataFrame:
    """The change of one indicator between two millésimes, territory by territory.

    Parameters
    ----------
    debut, fin : DataFrame
        Values at the first and the second millésime (``code``, ``valeur``, ``statut`` and,
        optionally, ``nom``, ``code_departement``, ``population``, the estimates' ``bas`` and
        ``haut``, the ``note`` of ``qualite_valeurs``), e.g. :func:`atlas.indicateurs.valeurs`.
    unite : str
        Unit of the indicator: ``%`` gives a difference in points, anything else a change in %.

    Returns
    -------
    DataFrame
        One row per territory of ``fin`` (then of ``debut``): ``valeur_debut``, ``statut_debut``,
        ``valeur_fin``, ``statut_fin`` and the change ``valeur`` with its ``statut``: ``absent``
        when either end is missing (or a relative change from 0), else ``secret`` when either is
        secret, else ``estime`` when either is an estimate (with ``bas`` / ``haut``), else ``ok``;
        ``note`` says why a value is missing or how it was computed, at either end.
    """
    cles = [c for c in ("nom", "code_departement", "population") if c in fin or c in debut]

    def _bout(frame: pd.DataFrame, suffixe: str) -> pd.DataFrame:
        out = pd.DataFrame({"code": frame["code"].astype(str)})
        for col in ("valeur", "statut", "bas", "haut", "note"):
            out[f"{col}_{suffixe}"] = frame[col].to_numpy() if col in frame else np.nan
        for col in cles:
            if col in frame:
                out[f"{col}_{suffixe}"] = frame[col].to_numpy()
        return out

    out = _bout(fin, "fin").merge(_bout(debut, "debut"), on="code", how="outer")
    for col in cles:
        # the name and département of today's territory; the other end's where it has none
        out[col] = out.get(f"{col}_fin", pd.Series(np.nan, index=out.index)).combine_first(
            out.get(f"{col}_debut", pd.Series(np.nan, index=out.index))
        )
    out = out.drop(columns=[c for c in out if c.endswith(("_fin", "_debut")) and c.split("_")[0] in cles])
    for s in ("debut", "fin"):
        out[f"statut_{s}"] = out[f"statut_{s}"].fillna("absent")
        out[f"valeur_{s}"] = pd.to_numeric(out[f"valeur_{s}"], errors="coerce")
        # an estimate's interval is its own value where the end is published
        for borne in ("bas", "haut"):
            colonne = f"{borne}_{s}"
            out[colonne] = pd.to_numeric(out[colonne], errors="coerce").where(
                out[f"statut_{s}"] == "estime", out[f"valeur_{s}"]
            )
    a, b = out["valeur_debut"], out["valeur_fin"]
    statuts = out[["statut_debut", "statut_fin"]]
    if unite == "%":
        change = b - a
        bas, haut = out["bas_fin"] - out["haut_debut"], out["haut_fin"] - out["bas_debut"]
        sans_base = pd.Series(False, index=out.index)
    else:
        base = a.where(a != 0).abs()
        change = (b - a) / base * 100
        bas = (out["bas_fin"] - out["haut_debut"]) / base * 100
        haut = (out["haut_fin"] - out["bas_debut"]) / base * 100
        sans_base = a == 0  # no relative change from zero
    publie = statuts.isin(["ok", "estime"])
    manquant = publie & pd.concat([a.isna(), b.isna()], axis=1).set_axis(statuts.columns, axis=1)
    out["statut"] = np.select(
        [
            statuts.eq("absent").any(axis=1) | manquant.any(axis=1) | sans_base,
            statuts.eq("secret").any(axis=1),
            statuts.eq("estime").any(axis=1),
        ],
        ["absent", "secret", "estime"],
        "ok",
    )
    # why a value is missing or how it was computed (qualite_valeurs), at each end
    out["note"] = [
        f"aux deux millésimes : {d}"
        if isinstance(d, str) and d and d == f
        else " ; ".join(f"{bout} : {n}" for bout, n in (("départ", d), ("arrivée", f)) if isinstance(n, str) and n)
        or None
        for d, f in zip(out["note_debut"], out["note_fin"], strict=True)
    ]
    calcule = out["statut"].isin(["ok", "estime"])
    out["valeur"] = change.where(calcule)
    out["bas"] = bas.where(out["statut"] == "estime")
    out["haut"] = haut.where(out["statut"] == "estime")
    return out.sort_values("code", ignore_index=True)


def texte_evolution(valeur: float, unite: str) -> str:
    """A signed change in French: « +1,2 pts », « −3,4 % », « 0,0 pts »."""
    if pd.isna(valeur):
        return "—"
    d = 1
    texte = format_nombre(abs(valeur), d, unite)
    if round(float(valeur), d) == 0:
        return texte
    return ("+" if valeur > 0 else "\u2212") + texte


def preparer(frame: pd.DataFrame, ind: Mapping, debut: str, fin: str) -> pd.DataFrame:
    """Add the French texts of the hover and the table to the output of :func:`calculer`.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`calculer`.
    ind : mapping
        Catalogue row of the indicator (``libelle``, ``unite``).
    debut, fin : str
        The two millésimes.
    """
    unite = ind["unite"]
    u = unite_evolution(unite)
    out = frame.copy()
    out["statut_libelle"] = out["statut"].map(STATUT_LIBELLES)
    out["evolution_texte"] = [texte_evolution(v, u) for v in out["valeur"]]
    out["intervalle"] = [
        f"{texte_evolution(b, u)} à {texte_evolution(h, u)}" if s == "estime" else None
        for s, b, h in zip(out["statut"], out["bas"], out["haut"], strict=True)
    ]
    out["debut_texte"] = textes_valeurs(out, unite, "_debut")
    out["fin_texte"] = textes_valeurs(out, unite, "_fin")
    libelle_u = "points" if u == "pts" else "%"
    out["survol_evolution"] = [
        f"Évolution {debut} → {fin} : "
        + (t if s in ("ok", "estime") else f"pas d'évolution ({STATUT_LIBELLES[s].lower()})")
        + (f" ({ETIQUETTE_ESTIMATION}, intervalle {i})" if s == "estime" else "")
        for t, s, i in zip(out["evolution_texte"], out["statut"], out["intervalle"], strict=True)
    ]
    out["survol_valeurs"] = [
        f"{ind['libelle']} : {d} en {debut}, {f} en {fin}"
        for d, f in zip(out["debut_texte"], out["fin_texte"], strict=True)
    ]
    out.attrs["unite_evolution"] = libelle_u
    return out


def note_unite(unite: str | None) -> str:
    """What the change measures, for the caption and the exports."""
    if unite == "%":
        return "Évolution en points de pourcentage (valeur d'arrivée − valeur de départ)."
    return "Évolution relative en % ((valeur d'arrivée − valeur de départ) ÷ valeur de départ × 100)."


#: What each statut means after its count, for a change between two millésimes.
COMPTES_MOTS = {
    "ok": "avec une évolution calculée",
    "estime": "calculées sur une estimation",
    "secret": "en secret statistique à l'un des millésimes",
    "absent": "sans donnée à l'un des millésimes",
}


def comptes_texte(statuts: pd.Series, libelle_niveau: str) -> str:
    """« 70 EPCI avec une évolution calculée, 1 sans donnée à l'un des millésimes (sur 71). »"""
    return texte_comptes(statuts, libelle_niveau, COMPTES_MOTS)


def tableau_export(frame: pd.DataFrame, code: str, debut: str, fin: str) -> pd.DataFrame:
    """Columns of the CSV export: both values with their statut, the change and its statut."""
    colonnes = {
        "code": "code",
        "nom": "nom",
        "valeur_debut": f"{code}_{debut}",
        "statut_debut": f"statut_{debut}",
        "valeur_fin": f"{code}_{fin}",
        "statut_fin": f"statut_{fin}",
        "valeur": f"evolution_{debut}_{fin}",
        "statut": "statut_evolution",
        "note": "remarque",
    }
    if (frame["statut"] == "estime").any():
        colonnes |= {"bas": "evolution_bas", "haut": "evolution_haut"}
    return frame[list(colonnes)].rename(columns=colonnes)


@cache_par_base
def _millesimes_evolution() -> pd.DataFrame:
    return query(
        """
        with publies as (
            -- a millésime counts when at least one territory of the level has a value there
            select indicateur, niveau, millesime
            from valeurs
            where statut in ('ok', 'estime') and niveau in ('commune', 'epci', 'departement')
            group by all
        )

        select indicateur, niveau, list(millesime order by millesime desc) as millesimes
        from publies
        group by all
        having count(*) >= 2
        """
    )


def millesimes_evolution() -> dict[str, dict[str, list[str]]]:
    """Indicator → mappable level → its millésimes (latest first), where there are two or more."""
    out: dict[str, dict[str, list[str]]] = {}
    for r in _millesimes_evolution().itertuples():
        out.setdefault(r.indicateur, {})[r.niveau] = list(r.millesimes)
    return out
