"""Follow-up of an experiment with the secret rule applied: progress, funnel, reference, table.

Secret rule (DESIGN.md) applied here, before any figure reaches a chart, a table or an export:

- a count under 5 households is shown « < 5 »; a rate is rounded to the unit and not shown when
  its denominator is under 10 or its numerator or denominator is masked;
- a month and the cumuls around it are tied (cumul of a month = cumul of the month before + the
  month), and the months of an experiment are public elsewhere too (the « Non-recours » page with
  its structures and territory as filters). So a month of 5 households or more is never hidden
  here, and a cumul is hidden instead whenever it would give back masked months: between two
  shown cumuls (and before the first one) the masked months add up to 0 or to at least 5
  households (:func:`protection`);
- the reference of the rest of the region is shown as rates only.

Rates go through :func:`commun.secret.taux_protege`, the rule shared by the pages. The raw counts
come from :func:`atlas.experimentations.comptes_mensuels`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.experimentations import COMPTES, OBJECTIFS, OBJECTIFS_COURTS, TAUX
from atlas.exports import POUR_TRIER
from atlas.formatting import format_mois_fr, format_nombre

# The funnel of DESIGN.md: the same steps, in the same words, as on the « Non-recours » page.
from atlas.non_recours import ETAPES
from commun.secret import MASQUE, SEUIL_COMPTE, taux_protege

# A cumul of 5 or more hidden so that it does not give back the small months it contains.
MASQUE_CUMUL = "masqué"


def protection(mensuel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Masks of the monthly counts and of their cumuls since the start.

    Parameters
    ----------
    mensuel : DataFrame
        Raw monthly counts (:func:`comptes_mensuels`), one row per month in order.

    Returns
    -------
    (DataFrame, DataFrame, DataFrame)
        The cumuls, the mask of the monthly counts, the mask of the cumuls (True = shown « < 5 »),
        all indexed like ``mensuel``. A month under 5 is masked (0 too), as on every page. A cumul
        is masked when the months masked since the last shown cumul (or since the start) add up
        to 1 to 4 households: the difference of two shown cumuls, less the shown months between
        them, is then 0 or at least 5, even for a reader who knows every month of 5 or more.
    """
    cumul = mensuel[COMPTES].cumsum()
    masque_mois = mensuel[COMPTES].lt(SEUIL_COMPTE)
    masque_cumul = cumul.lt(SEUIL_COMPTE)
    for colonne in COMPTES:
        cache = masque_cumul[colonne].to_numpy(dtype=bool).copy()
        en_attente = 0  # households of the masked months not yet covered by a shown cumul
        for i, (valeur, masque) in enumerate(zip(mensuel[colonne], masque_mois[colonne], strict=True)):
            if masque:
                en_attente += int(valeur)
            if 0 < en_attente < SEUIL_COMPTE:
                cache[i] = True
            elif not cache[i]:
                en_attente = 0
        masque_cumul[colonne] = cache
    return cumul, masque_mois, masque_cumul


def _shown(valeurs: pd.Series, masque: pd.Series) -> list:
    return [None if m else int(v) for v, m in zip(valeurs, masque, strict=True)]


def progression(mensuel: pd.DataFrame, objectifs_: pd.DataFrame) -> pd.DataFrame:
    """Progress against each objective, month by month, secret rule applied.

    Parameters
    ----------
    mensuel : DataFrame
        Raw monthly counts of the experiment (:func:`comptes_mensuels`).
    objectifs_ : DataFrame
        Its objectives (:func:`objectifs`).

    Returns
    -------
    DataFrame
        One row per (month, indicator of :data:`OBJECTIFS`): ``realise`` (NaN when masked or not
        shown), ``realise_masque``, ``objectif`` (NaN when none declared), ``cumul_realise``,
        ``cumul_masque``, ``cumul_petit`` (masked because under 5, not to protect masked months),
        ``cumul_objectif``, ``atteinte_pct`` (cumulated achieved ÷ cumulated
        objective, rounded; for the rate, the cumulated rate ÷ the mean of the objectives so far).
    """
    cumul, masque_mois, masque_cumul = protection(mensuel)
    mois = list(mensuel.index)
    cibles = objectifs_.assign(mois=[pd.Timestamp(m).date() for m in objectifs_["mois"]]).pivot_table(
        index="mois", columns="indicateur", values="valeur", aggfunc="first"
    )
    cibles = cibles.reindex(index=mois, columns=list(OBJECTIFS))
    lignes = []
    for indicateur in OBJECTIFS:
        objectif = cibles[indicateur]
        if indicateur == "taux_non_recours":
            realise = taux_protege(
                mensuel["non_recours"], mensuel["bilans"], masque_mois["non_recours"], masque_mois["bilans"]
            )
            realise_masque = realise.isna().to_numpy()
            cumul_realise = taux_protege(
                cumul["non_recours"], cumul["bilans"], masque_cumul["non_recours"], masque_cumul["bilans"]
            )
            cumul_masque = cumul_realise.isna().to_numpy()
            cumul_petit = np.zeros(len(mois), dtype=bool)
            cumul_objectif = objectif.expanding().mean().round(0).where(objectif.notna().cumsum() > 0)
        else:
            realise = pd.Series(mensuel[indicateur].to_numpy(dtype=float)).mask(masque_mois[indicateur].to_numpy())
            realise_masque = masque_mois[indicateur].to_numpy()
            cumul_realise = pd.Series(cumul[indicateur].to_numpy(dtype=float)).mask(masque_cumul[indicateur].to_numpy())
            cumul_masque = masque_cumul[indicateur].to_numpy()
            cumul_petit = cumul[indicateur].lt(SEUIL_COMPTE).to_numpy()
            cumul_objectif = objectif.fillna(0).cumsum().where(objectif.notna().cumsum() > 0)
        atteinte = (100 * cumul_realise.to_numpy() / cumul_objectif.where(cumul_objectif > 0).to_numpy()).round(0)
        lignes.append(
            pd.DataFrame(
                {
                    "mois": mois,
                    "indicateur": indicateur,
                    "realise": realise.to_numpy(),
                    "realise_masque": realise_masque,
                    "objectif": objectif.to_numpy(),
                    "cumul_realise": cumul_realise.to_numpy(),
                    "cumul_masque": cumul_masque,
                    "cumul_petit": cumul_petit,
                    "cumul_objectif": cumul_objectif.to_numpy(),
                    "atteinte_pct": atteinte,
                }
            )
        )
    return pd.concat(lignes, ignore_index=True)


def situation(prog: pd.DataFrame, indicateur: str) -> dict:
    """Where an objective stands: the last cumul shown, its month, its objective and the share reached.

    When the cumul of the last month is masked (it would give back small months), the last shown
    one is given with its month, rather than nothing.

    Returns
    -------
    dict
        ``valeur`` (text: « 496 », « 84 % », « < 5 », « non diffusé »), ``mois`` (the month of that
        cumul), ``dernier`` (whether it is the last month followed), ``objectif``, ``atteinte_pct``
        (NaN when unknown).
    """
    partie = prog[prog["indicateur"] == indicateur].reset_index(drop=True)
    taux = indicateur == "taux_non_recours"
    montres = partie.index[~partie["cumul_masque"].to_numpy(dtype=bool)]
    if not len(montres):
        derniere = partie.iloc[-1]
        valeur = "non diffusé" if taux or not derniere["cumul_petit"] else MASQUE
        return {"valeur": valeur, "mois": derniere["mois"], "dernier": True, "objectif": derniere["cumul_objectif"],
                "atteinte_pct": float("nan")}  # fmt: skip
    ligne = partie.iloc[montres[-1]]
    valeur = format_nombre(ligne["cumul_realise"], 0, "%" if taux else None)
    return {
        "valeur": valeur,
        "mois": ligne["mois"],
        "dernier": montres[-1] == len(partie) - 1,
        "objectif": ligne["cumul_objectif"],
        "atteinte_pct": ligne["atteinte_pct"],
    }


def entonnoir_mensuel(mensuel: pd.DataFrame) -> pd.DataFrame:
    """The funnel month by month, counts masked: one row per month, :data:`ETAPES` columns (None = « < 5 »)."""
    _cumul, masque_mois, _masque_cumul = protection(mensuel)
    out = pd.DataFrame({"mois": list(mensuel.index)})
    for etape in ETAPES:
        out[etape] = _shown(mensuel[etape], masque_mois[etape])
        out[etape] = out[etape].astype("Int64")
    return out


def taux_mensuels(mensuel: pd.DataFrame) -> pd.DataFrame:
    """Rates of :data:`TAUX` month by month (rounded, NaN when not shown), one column each."""
    masque = mensuel[COMPTES].lt(SEUIL_COMPTE)  # the months' own masks (:func:`protection`)
    out = pd.DataFrame({"mois": list(mensuel.index)})
    for cle, (num, den, _libelle, _definition) in TAUX.items():
        out[cle] = taux_protege(mensuel[num], mensuel[den], masque[num], masque[den]).to_numpy()
    return out


def reference(mensuel: pd.DataFrame, reste: pd.DataFrame) -> pd.DataFrame:
    """The experiment's monthly rates beside those of the rest of the region (rates only).

    Returns
    -------
    DataFrame
        ``mois``, then ``<taux>_experimentation`` and ``<taux>_reste`` for each rate of :data:`TAUX`.
    """
    expe = taux_mensuels(mensuel).set_index("mois").add_suffix("_experimentation")
    autre = reste[COMPTES].lt(SEUIL_COMPTE)
    ref = pd.DataFrame(index=reste.index)
    for cle, (num, den, _libelle, _definition) in TAUX.items():
        ref[f"{cle}_reste"] = taux_protege(reste[num], reste[den], autre[num], autre[den]).to_numpy()
    return expe.join(ref).reset_index()


def tableau_export(prog: pd.DataFrame, ref: pd.DataFrame, entonnoir: pd.DataFrame) -> pd.DataFrame:
    """One row per month: progress of every objective, the funnel and the reference rates, « < 5 » where masked.

    The CSV of the page: counts are whole numbers or « < 5 », rates rounded percentages, empty when
    not shown.
    """
    out = pd.DataFrame({"mois": [f"{m:%Y-%m}" for m in entonnoir["mois"]]})
    for etape in ETAPES:
        out[etape] = [MASQUE if pd.isna(v) else int(v) for v in entonnoir[etape]]
    for indicateur in OBJECTIFS:
        part = prog[prog["indicateur"] == indicateur].reset_index(drop=True)
        taux = indicateur == "taux_non_recours"
        suffixe = "_pct" if taux else ""
        if taux:
            out[f"{indicateur}_realise_pct"] = part["realise"].to_numpy()
        out[f"objectif_{indicateur}{suffixe}"] = part["objectif"].to_numpy()
        out[f"cumul_{indicateur}{suffixe}"] = [
            (None if taux else (MASQUE if petit else MASQUE_CUMUL)) if m else (v if taux else int(v))
            for v, m, petit in zip(part["cumul_realise"], part["cumul_masque"], part["cumul_petit"], strict=True)
        ]
        out[f"cumul_objectif_{indicateur}{suffixe}"] = part["cumul_objectif"].to_numpy()
        out[f"atteinte_{indicateur}_pct"] = part["atteinte_pct"].to_numpy()
    for cle in TAUX:
        out[f"{cle}_pct"] = ref[f"{cle}_experimentation"].to_numpy()
        out[f"{cle}_reste_region_pct"] = ref[f"{cle}_reste"].to_numpy()
    return out


def libelles_colonnes(colonnes: list[str]) -> dict[str, str]:
    """French headers of the columns of :func:`tableau_export`, with their unit."""
    libelles = {"mois": "Mois", **{k: f"{v} (ménages)" for k, v in ETAPES.items()}}
    for indicateur, libelle in OBJECTIFS_COURTS.items():
        unite = "%" if indicateur == "taux_non_recours" else "ménages"
        suffixe = "_pct" if indicateur == "taux_non_recours" else ""
        libelles |= {
            f"{indicateur}_realise_pct": f"{libelle} du mois (%)",
            f"objectif_{indicateur}{suffixe}": f"{libelle} : objectif du mois ({unite})",
            f"cumul_{indicateur}{suffixe}": f"{libelle} : depuis le début ({unite})",
            f"cumul_objectif_{indicateur}{suffixe}": f"{libelle} : objectif {'moyen' if suffixe else 'cumulé'} ({unite})",
            f"atteinte_{indicateur}_pct": f"{libelle} : part de l'objectif atteinte (%)",
        }
    for cle, (_num, _den, libelle, _definition) in TAUX.items():
        libelles |= {f"{cle}_pct": f"{libelle} (%)", f"{cle}_reste_region_pct": f"{libelle}, reste de la région (%)"}
    return {c: libelles.get(c, c) for c in colonnes}


#: Header of the CSV's machine month column (``AAAA-MM``), kept beside the month in words for sorting.
MOIS_POUR_TRIER = "Mois" + POUR_TRIER


def tableau_csv(export: pd.DataFrame) -> pd.DataFrame:
    """:func:`tableau_export` for the CSV: the month in words (« mars 2024 ») as a person reads it, then
    the same month as ``AAAA-MM`` (:data:`MOIS_POUR_TRIER`), which a spreadsheet sorts in calendar
    order (« avril » before « mars » in alphabetical order); whole numbers written without decimals."""
    autres = export.drop(columns="mois")
    out = autres.convert_dtypes().rename(columns=libelles_colonnes(list(autres.columns)))
    out.insert(0, "Mois", [format_mois_fr(m) for m in export["mois"]])
    out.insert(1, MOIS_POUR_TRIER, export["mois"].to_list())
    return out


def tableau_affichage(export: pd.DataFrame) -> pd.DataFrame:
    """:func:`tableau_export` for the screen: months in French, numbers written the French way as text
    (a column mixing numbers and « < 5 » cannot be typed), headers in French."""
    out = export.copy()
    out["mois"] = [format_mois_fr(m) for m in export["mois"]]
    for colonne in out.columns[1:]:
        out[colonne] = pd.array(
            [
                v if isinstance(v, str) else (None if v is None or pd.isna(v) else format_nombre(v))
                for v in export[colonne]
            ],
            dtype="string",
        )
    return out.rename(columns=libelles_colonnes(list(out.columns)))
