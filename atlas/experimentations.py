"""Follow-up of the « aller vers » experiments: progress against objectives, funnel, reference.

An experiment (table ``experimentations``) is the visits of its structures on its territory, in
whole months from the month of its start date to the month of its end date (or the last month of
the visits imported). For each month this module counts contacts, bilans, non-recours détecté,
orientations and droits ouverts, sets them against the objectives (``objectifs_experimentations``),
and computes the same rates for the rest of the region (the visits outside the experiment's
territory) as a reference.

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

Rates go through :func:`commun.secret.taux_protege`, the rule shared by the pages.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from atlas.db import cache_par_base, query
from atlas.formatting import format_mois_fr, format_nombre
from commun.secret import SEUIL_COMPTE, taux_protege

MASQUE = "< 5"
# A cumul of 5 or more hidden so that it does not give back the small months it contains.
MASQUE_CUMUL = "masqué"

ETAPES = {
    "contacts": "Ménages rencontrés",
    "bilans": "Bilans de droits réalisés",
    "non_recours": "Ménages en non-recours détecté",
    "orientations": "Ménages orientés",
    "droits_ouverts": "Ménages avec au moins un droit ouvert",
}
#: Objective indicators (as in ``objectifs_experimentations.indicateur``) and their labels.
OBJECTIFS = {
    "contacts": "Ménages rencontrés",
    "bilans": "Bilans de droits réalisés",
    "droits_ouverts": "Ménages avec au moins un droit ouvert",
    "taux_non_recours": "Taux de non-recours détecté",
}
#: Short labels of the objectives, for the key figures (a narrow column).
OBJECTIFS_COURTS = {
    "contacts": "Ménages rencontrés",
    "bilans": "Bilans réalisés",
    "droits_ouverts": "Droits ouverts",
    "taux_non_recours": "Taux de non-recours",
}
UNITES = {"contacts": "ménages", "bilans": "bilans", "droits_ouverts": "ménages", "taux_non_recours": "%"}
#: Rates of the funnel: numerator, denominator, label, definition.
TAUX = {
    "taux_bilan": ("bilans", "contacts", "Taux de bilan", "bilans de droits réalisés ÷ ménages rencontrés"),
    "taux_non_recours": (
        "non_recours",
        "bilans",
        "Taux de non-recours détecté",
        "ménages ayant au moins un droit non perçu ÷ ménages ayant eu un bilan de droits",
    ),
    "taux_orientation": (
        "nr_orientes",
        "non_recours",
        "Taux d'orientation",
        "ménages en non-recours détecté orientés vers un organisme ÷ ménages en non-recours détecté",
    ),
    "taux_ouverture": (
        "nr_ouverts",
        "non_recours",
        "Taux d'ouverture de droits",
        "ménages en non-recours détecté ayant ouvert au moins un droit ÷ ménages en non-recours détecté",
    ),
}
COMPTES = ["contacts", "bilans", "non_recours", "orientations", "droits_ouverts", "nr_orientes", "nr_ouverts"]
REGLE_SECRET = (
    "Règle du secret : un effectif de moins de 5 ménages est affiché « < 5 » ; un taux calculé sur moins de "
    "10 ménages, ou dont le numérateur est masqué, n'est pas affiché ; un cumul qui redonnerait par différence "
    "des mois masqués est lui aussi masqué (« masqué ») jusqu'à ce que les mois masqués comptent au moins 5 ménages."
)
DEFINITION_TAUX = (
    "Taux de non-recours détecté = ménages ayant au moins un droit non perçu ÷ ménages ayant eu un bilan de droits : "
    "un taux parmi les personnes rencontrées par l'expérimentation, pas un taux de la population."
)

_COMPTES_SQL = """
    count(*) as contacts,
    count(*) filter (where v.bilan_realise) as bilans,
    count(*) filter (where v.nb_droits_non_recours > 0) as non_recours,
    count(*) filter (where v.orientation is not null) as orientations,
    count(*) filter (where v.droits_ouverts is not null) as droits_ouverts,
    count(*) filter (where v.nb_droits_non_recours > 0 and v.orientation is not null) as nr_orientes,
    count(*) filter (where v.nb_droits_non_recours > 0 and v.droits_ouverts is not null) as nr_ouverts
"""
# The territory of a visit at the experiment's niveau (fixed fragment, no user input).
_TERRITOIRE_SQL = (
    "case e.niveau when 'commune' then v.code_commune when 'epci' then v.code_epci else v.code_departement end"
)


# --- Reading ---------------------------------------------------------------------------------


@cache_par_base
def experimentations() -> pd.DataFrame:
    """The declared experiments with the name of their territory (``nom_territoire``)."""
    return query(
        """
        select e.code, e.nom, e.structures, e.niveau, e.code_territoire, t.nom as nom_territoire,
               e.date_debut, e.date_fin, e.demonstration
        from experimentations as e
        left join territoires as t on t.niveau = e.niveau and t.code = e.code_territoire
        order by e.nom
        """
    )


@cache_par_base
def objectifs(code: str) -> pd.DataFrame:
    """Objectives of an experiment, long form: ``mois`` (first day), ``indicateur``, ``valeur``."""
    return query(
        "select mois, indicateur, valeur from objectifs_experimentations where code_experimentation = ? order by mois",
        [code],
    )


def objectifs_vides() -> pd.DataFrame:
    """An experiment without objectives (same columns as :func:`objectifs`)."""
    return pd.DataFrame({"mois": pd.Series(dtype=object), "indicateur": pd.Series(dtype=str), "valeur": []})


@cache_par_base
def structures_visites() -> list[str]:
    """Names of the structures of the imported visits (what an experiment's ``structures`` refer to)."""
    return query("select distinct structure from visites order by structure")["structure"].tolist()


@cache_par_base
def visites_demonstration() -> bool:
    """Whether the visits counted are demonstration data (then every figure of an experiment is)."""
    return bool(query("select coalesce(bool_or(demonstration), false) as demo from visites").iloc[0, 0])


@cache_par_base
def _dernier_mois_visites() -> dt.date | None:
    value = query("select max(date_trunc('month', date_contact)) as mois from visites").iloc[0, 0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def mois_suivis(experimentation: dict) -> list[dt.date]:
    """The whole months followed: from the start month to the end month or the last month of visits."""
    dernier = _dernier_mois_visites()
    if dernier is None:
        return []
    debut = pd.Timestamp(experimentation["date_debut"]).date().replace(day=1)
    fin = dernier
    if experimentation.get("date_fin") is not None and not pd.isna(experimentation["date_fin"]):
        fin = min(fin, pd.Timestamp(experimentation["date_fin"]).date().replace(day=1))
    return [m.date() for m in pd.date_range(debut, fin, freq="MS")]


@cache_par_base
def _comptes(code: str, reste: bool) -> pd.DataFrame:
    condition = "is distinct from" if reste else "="
    structures = "true" if reste else "list_contains(e.structures, v.structure)"
    # ``condition`` and ``structures`` are fixed fragments chosen above, never user input
    return query(
        "select date_trunc('month', v.date_contact) as mois, "
        + _COMPTES_SQL
        + " from visites as v, (select * from experimentations where code = ?) as e where "
        + structures
        + " and "
        + _TERRITOIRE_SQL
        + " "
        + condition
        + " e.code_territoire"
        " and v.date_contact >= date_trunc('month', e.date_debut)"
        " and (e.date_fin is null or v.date_contact < date_trunc('month', e.date_fin) + interval 1 month)"
        " group by 1 order by 1",
        [code],
    )


def comptes_mensuels(experimentation: dict, reste: bool = False) -> pd.DataFrame:
    """Raw monthly counts of an experiment (or of the rest of the region), every followed month.

    Parameters
    ----------
    experimentation : dict
        A row of :func:`experimentations`.
    reste : bool
        The visits of the region outside the experiment's territory (every structure) instead.

    Returns
    -------
    DataFrame
        Indexed by month (first day, ``datetime.date``), columns :data:`COMPTES`; months without
        visits count 0. Raw counts: apply :func:`protection` before showing them.
    """
    mois = mois_suivis(experimentation)
    brut = _comptes(experimentation["code"], reste)
    brut.index = [pd.Timestamp(m).date() for m in brut["mois"]]
    return brut[COMPTES].reindex(mois, fill_value=0).astype(int).rename_axis("mois")


# --- Secret rule -----------------------------------------------------------------------------


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


def compte_affiche(valeur, masque: bool) -> str:
    """A household count as shown: « < 5 » when masked, French format otherwise."""
    if masque:
        return MASQUE
    return "—" if valeur is None or pd.isna(valeur) else format_nombre(int(valeur))


def _shown(valeurs: pd.Series, masque: pd.Series) -> list:
    return [None if m else int(v) for v, m in zip(valeurs, masque, strict=True)]


# --- Figures of the page ---------------------------------------------------------------------


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


def libelle_mois(mois: dt.date, court: bool = False) -> str:
    """``2024-03-01`` → « mars 2024 »."""
    return format_mois_fr(f"{mois:%Y-%m}", court)


def source(experimentation: dict, mois: list[dt.date]) -> str:
    """Source and period of the figures of an experiment (for the page, images and slides)."""
    declaration = "déclaration de démonstration" if experimentation["demonstration"] else "déclaration de l'éditeur"
    visites = (
        "visites de démonstration générées par l'atlas"
        if visites_demonstration()
        else "visites importées par les structures"
    )
    origine = f"{declaration}, {visites}"
    periode = f"{libelle_mois(mois[0])} – {libelle_mois(mois[-1])}" if mois else "aucun mois"
    return f"Visites d'aller vers ({origine}), mois entiers de {periode}"


def importer(nom: str, contenu: bytes, log):
    """Import an experiment file from the page (atomic, writer lock, kept file; see ``etl.experimentations``).

    Returns
    -------
    (etl.visits.ImportResult, bytes or None)
        The result and the rejected rows file, when there are any.
    """
    from etl import facade

    resultat = facade.import_upload("experimentations", nom, contenu, log=log)
    st.cache_data.clear()
    return resultat


def fichier_declaration(declaration: dict, objectifs_: pd.DataFrame) -> bytes:
    """The CSV file (import format) of one experiment entered in the page's form.

    Parameters
    ----------
    declaration : dict
        ``code``, ``nom``, ``structures`` (list), ``territoire``, ``date_debut``, ``date_fin`` (date or None).
    objectifs_ : DataFrame
        One row per month: ``mois`` (``AAAA-MM``) and the columns of :data:`OBJECTIFS` (empty = none).
    """
    import csv
    import io

    from etl import facade

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(facade.experimentations_example())  # the header
    base = [
        declaration["code"],
        declaration["nom"],
        "|".join(declaration["structures"]),
        declaration["territoire"],
        declaration["date_debut"].isoformat(),
        declaration["date_fin"].isoformat() if declaration.get("date_fin") else "",
    ]
    lignes = 0
    for ligne in objectifs_.itertuples(index=False):
        valeurs = ["" if pd.isna(getattr(ligne, k)) else format(getattr(ligne, k), "g") for k in OBJECTIFS]
        if any(valeurs):
            writer.writerow([*base, ligne.mois, *valeurs])
            lignes += 1
    if not lignes:
        writer.writerow([*base, "", *[""] * len(OBJECTIFS)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def declaration_actuelle(experimentation: dict) -> bytes:
    """The stored declaration and objectives of an experiment, as a file in the import format."""
    cibles = objectifs(experimentation["code"])
    grille = cibles.assign(mois=[f"{pd.Timestamp(m):%Y-%m}" for m in cibles["mois"]]).pivot_table(
        index="mois", columns="indicateur", values="valeur", aggfunc="first"
    )
    grille = grille.reindex(columns=list(OBJECTIFS)).reset_index()
    fin = experimentation.get("date_fin")
    return fichier_declaration(
        {
            "code": experimentation["code"],
            "nom": experimentation["nom"],
            "structures": list(experimentation["structures"]),
            "territoire": experimentation["code_territoire"],
            "date_debut": pd.Timestamp(experimentation["date_debut"]).date(),
            "date_fin": None if fin is None or pd.isna(fin) else pd.Timestamp(fin).date(),
        },
        grille,
    )


def modele() -> bytes:
    """The import format with the demonstration rows as an example (fictitious, labelled)."""
    import csv
    import io

    from etl import facade

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(facade.experimentations_example(6))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
