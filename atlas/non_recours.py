"""Metrics of outreach visits (« aller vers »): funnel, detected non-recours rate, estimates.

Definitions (DESIGN.md, shown next to every figure):

- *Taux de non-recours détecté* = households with at least one benefit in non-recours ÷
  households with a bilan de droits. A rate among the people met, not a population rate.
- Funnel: contacts → bilans → non-recours détecté → orientations → droits ouverts.
- *Secret rule*: a count under 5 households is shown as « < 5 »; a rate whose denominator is
  under 10 is not shown. Applied here, before any figure reaches a map, a table or an export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from atlas.db import db_stamp, query
from atlas.formatting import format_nombre
from etl.potentiel import COMBINE as COMBINE_POTENTIEL
from etl.potentiel import DROITS as DROITS_POTENTIEL

SEUIL_COMPTE = 5
SEUIL_DENOMINATEUR = 10
MASQUE = "< 5"

ETAPES = {
    "contacts": "Ménages rencontrés",
    "bilans": "Bilans de droits réalisés",
    "non_recours": "Ménages en non-recours détecté",
    "orientations": "Ménages orientés",
    "droits_ouverts": "Ménages avec au moins un droit ouvert",
}
CANAUX = {
    "porte_a_porte": "Porte-à-porte",
    "permanence": "Permanence",
    "espace_public": "Espace public",
    "evenement": "Événement",
    "orientation_partenaire": "Orientation par un partenaire",
    "telephone": "Téléphone",
}
DROITS = {
    "RSA": "RSA",
    "PA": "Prime d'activité",
    "AL": "Aides au logement",
    "CHEQUE_ENERGIE": "Chèque énergie",
    "CSS": "Complémentaire santé solidaire",
    "AAH": "AAH",
    "ASPA": "ASPA (minimum vieillesse)",
    "AF": "Prestations familiales",
    "AUTRE": "Autre droit",
}
DEFINITION_TAUX = (
    "Taux de non-recours détecté = ménages ayant au moins un droit non perçu ÷ ménages ayant eu un bilan de droits. "
    "C'est un taux parmi les personnes rencontrées par les équipes d'aller vers, pas un taux de la population."
)
REGLE_SECRET = (
    "Règle du secret : un effectif de moins de 5 ménages est affiché « < 5 » ; un taux calculé sur moins de "
    "10 bilans n'est pas affiché."
)


def compte_affiche(n) -> str:
    """A household count as shown: « < 5 » under the threshold, French format otherwise."""
    if n is None or pd.isna(n):
        return "—"
    return MASQUE if int(n) < SEUIL_COMPTE else format_nombre(int(n))


def taux(numerateur, denominateur) -> float | None:
    """A rate in %, or None when the denominator is under the threshold (not shown)."""
    if denominateur is None or pd.isna(denominateur) or denominateur < SEUIL_DENOMINATEUR:
        return None
    return 100.0 * numerateur / denominateur


def taux_affiche(numerateur, denominateur, decimales: int = 0) -> str:
    """« 88 % », or « non diffusé (moins de 10 bilans) »."""
    value = taux(numerateur, denominateur)
    return "non diffusé (moins de 10 bilans)" if value is None else format_nombre(value, decimales, "%")


def masquer(frame: pd.DataFrame, comptes: list[str], taux_: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """Apply the secret rule to a table before it is shown or exported.

    Parameters
    ----------
    frame : DataFrame
        Raw counts.
    comptes : list of str
        Count columns: values under 5 become the text « < 5 » (the column becomes text).
    taux_ : dict
        ``{output column: (numerator column, denominator column)}``: rates in %, NaN when the
        denominator is under 10. Computed from the raw counts before they are masked.
    """
    out = frame.copy()
    for colonne, (num, den) in (taux_ or {}).items():
        out[colonne] = [taux(n, d) for n, d in zip(frame[num], frame[den], strict=True)]
        out[colonne] = out[colonne].astype(float)
    for colonne in comptes:
        out[colonne] = [
            MASQUE if pd.notna(v) and int(v) < SEUIL_COMPTE else (None if pd.isna(v) else int(v))
            for v in frame[colonne]
        ]
        out[colonne] = out[colonne].astype(object)
    return out


@dataclass(frozen=True)
class Filtres:
    """Selection of visits: territory, structures, canals, period."""

    niveau: str = "region"  # region | departement | epci | commune
    code: str | None = None
    structures: tuple[str, ...] = field(default_factory=tuple)
    canaux: tuple[str, ...] = field(default_factory=tuple)
    debut: dt.date | None = None
    fin: dt.date | None = None

    def where(self) -> tuple[str, list]:
        """SQL condition and parameters (fixed fragments, values as ``?``)."""
        conditions, params = ["true"], []
        if self.niveau == "departement" and self.code:
            conditions.append("code_departement = ?")
            params.append(self.code)
        elif self.niveau == "epci" and self.code:
            conditions.append("code_epci = ?")
            params.append(self.code)
        elif self.niveau == "commune" and self.code:
            conditions.append("code_commune = ?")
            params.append(self.code)
        if self.structures:
            conditions.append("list_contains(?, structure)")
            params.append(list(self.structures))
        if self.canaux:
            conditions.append("list_contains(?, canal)")
            params.append(list(self.canaux))
        if self.debut:
            conditions.append("date_contact >= ?")
            params.append(self.debut)
        if self.fin:
            conditions.append("date_contact <= ?")
            params.append(self.fin)
        return " and ".join(conditions), params


COMPTES_SQL = """
    count(*) as contacts,
    count(*) filter (where bilan_realise) as bilans,
    count(*) filter (where nb_droits_non_recours > 0) as non_recours,
    count(*) filter (where orientation is not null) as orientations,
    count(*) filter (where droits_ouverts is not null) as droits_ouverts
"""


@st.cache_data(show_spinner=False)
def _resume(stamp: str) -> dict:
    frame = query(
        """
        select count(*) as n, bool_or(demonstration) as demo, bool_and(demonstration) as que_demo,
               min(date_contact) as debut, max(date_contact) as fin, list(distinct structure order by structure) as structures
        from visites
        """
    )
    return frame.iloc[0].to_dict()


def resume() -> dict:
    """Number of visits, period, structures and whether they are demonstration data."""
    return _resume(db_stamp())


@st.cache_data(show_spinner=False)
def _entonnoir(stamp: str, filtres: Filtres) -> dict:
    condition, params = filtres.where()
    return query("select " + COMPTES_SQL + " from visites where " + condition, params).iloc[0].to_dict()


def entonnoir(filtres: Filtres) -> dict:
    """Raw counts of the funnel for the selection (apply :func:`compte_affiche` before showing)."""
    return _entonnoir(db_stamp(), filtres)


GROUPES = {
    "commune": "code_commune",
    "epci": "code_epci",
    "canal": "canal",
    "structure": "structure",
    "mois": "strftime(date_trunc('month', date_contact), '%Y-%m')",
}


@st.cache_data(show_spinner=False)
def _par(stamp: str, groupe: str, filtres: Filtres) -> pd.DataFrame:
    condition, params = filtres.where()
    # the grouping expression comes from the fixed GROUPES table, never from user input
    expression = GROUPES[groupe]
    return query(
        "select "
        + expression
        + " as cle, "
        + COMPTES_SQL
        + " from visites where "
        + condition
        + " and "
        + expression
        + " is not null group by 1 order by 1",
        params,
    )


def par(groupe: str, filtres: Filtres) -> pd.DataFrame:
    """Raw funnel counts grouped by commune, EPCI, canal, structure or month."""
    if groupe not in GROUPES:
        raise ValueError(f"regroupement inconnu : {groupe}")
    return _par(db_stamp(), groupe, filtres)


@st.cache_data(show_spinner=False)
def _par_droit(stamp: str, filtres: Filtres) -> pd.DataFrame:
    condition, params = filtres.where()
    return query(
        """
        with selection as (select id_visite, bilan_realise from visites where """
        + condition
        + """)
        select d.droit as cle,
               count(distinct d.id_visite) filter (where d.type = 'non_recours') as non_recours,
               count(distinct d.id_visite) filter (where d.type = 'ouvert') as droits_ouverts,
               (select count(*) from selection where bilan_realise) as bilans
        from visites_droits as d
        join selection as s on s.id_visite = d.id_visite
        group by d.droit
        order by non_recours desc
        """,
        params,
    )


def par_droit(filtres: Filtres) -> pd.DataFrame:
    """Per benefit: households in non-recours for it, households who opened it, bilans (denominator)."""
    return _par_droit(db_stamp(), filtres)


@st.cache_data(show_spinner=False)
def _potentiel(stamp: str) -> pd.DataFrame:
    correspondance = [
        (droit, source, f"nr_potentiel_{suffixe}") for droit, (source, suffixe) in DROITS_POTENTIEL.items()
    ] + [("RSA+PA", None, f"nr_potentiel_{COMBINE_POTENTIEL}")]
    return query(
        """
        with

        correspondance as (
            select unnest(?) as droit, unnest(?) as indicateur_source, unnest(?) as indicateur
        ),

        dernier as (
            select max(millesime) as millesime from valeurs
            where niveau = 'commune' and statut = 'ok' and indicateur = ?
        ),

        final as (
            select v.code, c.droit, v.millesime, b.valeur as beneficiaires, n.taux, n.annee, n.source,
                   v.valeur as potentiel
            from valeurs as v
            join correspondance as c on c.indicateur = v.indicateur
            left join valeurs as b
              on b.indicateur = c.indicateur_source and b.niveau = 'commune' and b.code = v.code and b.millesime = v.millesime
            left join taux_non_recours_national as n on n.droit = c.droit
            where v.niveau = 'commune' and v.statut = 'ok' and v.millesime = (select millesime from dernier)
        )

        select * from final order by code, droit
        """,
        [*(list(colonne) for colonne in zip(*correspondance, strict=True)), correspondance[-1][2]],
    )


def non_recours_potentiel() -> pd.DataFrame:
    """Estimated non-recours per commune and benefit, latest CNAF millésime, as computed by the ETL.

    The estimate B × r / (1 − r) (CNAF beneficiaries B, DREES national rate r) is computed once, in
    :mod:`etl.potentiel` (catalogue indicators ``nr_potentiel_*``); this reads it. Rows with
    ``droit == "RSA+PA"`` carry the sum of both benefits (known only when both are), with no
    ``beneficiaires`` nor ``taux``.
    """
    return _potentiel(db_stamp())


COLONNES_COMPTES = ["contacts", "bilans", "non_recours", "orientations", "droits_ouverts"]


def tableau_territoires(par_territoire: pd.DataFrame, territoires: pd.DataFrame) -> pd.DataFrame:
    """The table shown under the map and exported as CSV: territories with visits, secret applied.

    Parameters
    ----------
    par_territoire : DataFrame
        Raw counts from :func:`par` (``cle`` = territory code).
    territoires : DataFrame
        ``code`` and ``nom`` of the level's territories.
    """
    base = territoires[["code", "nom"]].merge(par_territoire.rename(columns={"cle": "code"}), on="code", how="inner")
    return masquer(
        base[["code", "nom", *COLONNES_COMPTES]], COLONNES_COMPTES, {"taux_non_recours_pct": ("non_recours", "bilans")}
    )


def source_visites(demonstration: bool, debut: dt.date, fin: dt.date) -> str:
    """Source of the outreach figures, with their period (for exported images and slides)."""
    origine = "données de démonstration générées par l'atlas" if demonstration else "imports des structures"
    return f"Visites d'aller vers ({origine}), {debut:%d/%m/%Y} – {fin:%d/%m/%Y}"


def source_potentiel(potentiel: pd.DataFrame) -> str:
    """Source of the estimated non-recours: CNAF millésime, and each national rate with its publication.

    Parameters
    ----------
    potentiel : DataFrame
        :func:`non_recours_potentiel` (``source``: the citation of ``taux_non_recours_national``).
    """
    millesime = ", ".join(sorted(set(map(str, potentiel["millesime"].dropna()))))
    taux = " ; ".join(r.source for r in potentiel[potentiel["taux"].notna()].drop_duplicates("droit").itertuples())
    return (
        f"Estimation de l'atlas : CNAF, foyers allocataires à l'IRIS, millésime {millesime} × taux nationaux de "
        f"non-recours ({taux})"
    )
