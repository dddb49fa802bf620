"""Follow-up of the « aller vers » experiments: what is declared and the raw monthly counts.

An experiment (table ``experimentations``) is the visits of its structures on its territory, in
whole months from the month of its start date to the month of its end date (or the last month of
the visits imported). For each month this module counts contacts, bilans, non-recours détecté,
orientations and droits ouverts, for the experiment and for the rest of the region (the visits
outside the experiment's territory), and reads the objectives (``objectifs_experimentations``).

These counts are raw: :mod:`atlas.experimentations_suivi` applies the secret rule and sets them
against the objectives; :mod:`atlas.experimentations_figures` draws them;
:mod:`atlas.experimentations_declaration` writes and imports the editors' declarations.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from atlas.db import cache_par_base, query
from atlas.formatting import format_mois_fr

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
        visits count 0. Raw counts: apply :func:`atlas.experimentations_suivi.protection` before showing them.
    """
    mois = mois_suivis(experimentation)
    brut = _comptes(experimentation["code"], reste)
    brut.index = [pd.Timestamp(m).date() for m in brut["mois"]]
    return brut[COMPTES].reindex(mois, fill_value=0).astype(int).rename_axis("mois")


def libelle_mois(mois: dt.date, court: bool = False) -> str:
    """``2024-03-01`` → « mars 2024 »."""
    return format_mois_fr(f"{mois:%Y-%m}", court)


def sous_titre_taux(cle: str) -> str:
    """Second title line of a rate's chart: its definition with a capital, then « ; par mois, en % ».

    « Bilans de droits réalisés ÷ ménages rencontrés ; par mois, en % » (the definition in
    :data:`TAUX` is lowercase, to follow « Taux de bilan = » in a caption).
    """
    definition = TAUX[cle][3]
    return f"{definition[:1].upper()}{definition[1:]} ; par mois, en %"


def source(experimentation: dict, mois: list[dt.date]) -> str:
    """Source and period of the figures of an experiment (for the page, images and slides).

    Who declared the experiment and who made the visits, without the word « démonstration »:
    the page's notice, an image's title and a slide say it, once.
    """
    declaration = "déclarée par l'atlas" if experimentation["demonstration"] else "déclarée par l'éditeur"
    visites = "générées par l'atlas" if visites_demonstration() else "importées par les structures"
    periode = f"{libelle_mois(mois[0])} – {libelle_mois(mois[-1])}" if mois else "aucun mois"
    return f"Visites d'aller vers {visites}, expérimentation {declaration}, mois entiers de {periode}"
