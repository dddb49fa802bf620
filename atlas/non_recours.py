"""Metrics of outreach visits (« aller vers »): funnel, detected non-recours rate, estimates.

Definitions (DESIGN.md, shown next to every figure):

- *Taux de non-recours détecté* = households with at least one benefit in non-recours ÷
  households with a bilan de droits. A rate among the people met, not a population rate.
- Funnel: contacts → bilans → non-recours détecté → orientations → droits ouverts.
- *Secret rule* (:mod:`commun.secret`): a count under 5 households is shown as « < 5 »; a rate
  whose denominator is under 10 is not shown, a rate is rounded and hidden with its numerator;
  complementary suppression so that no difference of shown figures (EPCI minus its communes, all
  structures minus one, two periods) gives a small count back; periods are whole months.
  Applied by :mod:`atlas.non_recours_secret`, before any figure reaches a map, a table or an
  export: pages only draw.

This module holds the definitions, the selection of visits (:class:`Filtres`) and the raw counts
read from the database; raw counts are never shown as they are.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from atlas.db import cache_par_base, query
from atlas.formatting import format_nombre
from commun import secret
from commun.methode import COMBINE_POTENTIEL, DROITS_POTENTIEL

SEUIL_COMPTE = secret.SEUIL_COMPTE
SEUIL_DENOMINATEUR = secret.SEUIL_DENOMINATEUR
MASQUE = secret.MASQUE

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
    "10 bilans n'est pas affiché, un taux est arrondi et masqué avec son numérateur ; un second effectif est "
    "masqué quand un total affiché le redonnerait, et, avec un filtre (structure, canal, période), tout effectif "
    "qui, comparé à la vue sans filtre ou à un filtre voisin, redonnerait moins de 5 ménages."
)
#: The secret rule in one sentence, beside the key figure; :data:`REGLE_SECRET` in full comes with the
#: source of the detailed charts, lower on the page, and in every CSV
REGLE_SECRET_COURTE = (
    "Règle du secret : un effectif de moins de 5 ménages est affiché « < 5 », un taux sur moins de 10 bilans "
    "n'est pas affiché et d'autres effectifs sont masqués pour qu'aucune différence n'en redonne un (règle "
    "complète sous « Par droit, par canal, par mois »)."
)


def compte_affiche(n) -> str:
    """A household count as shown: « < 5 » under the threshold, French format otherwise."""
    if n is None or pd.isna(n):
        return "—"
    return MASQUE if int(n) < SEUIL_COMPTE else format_nombre(int(n))


def taux(numerateur, denominateur) -> float | None:
    """A rate in %, or None when the denominator is under the threshold (not shown).

    Unrounded: only for a figure written with :func:`taux_affiche`; a table or an export takes
    :func:`commun.secret.taux_protege` (rounded, hidden with its numerator).
    """
    if denominateur is None or pd.isna(denominateur) or denominateur < SEUIL_DENOMINATEUR:
        return None
    return 100.0 * numerateur / denominateur


def taux_affiche(numerateur, denominateur, decimales: int = 0) -> str:
    """« 88 % », or « non diffusé (moins de 10 bilans) »."""
    value = taux(numerateur, denominateur)
    return "non diffusé (moins de 10 bilans)" if value is None else format_nombre(value, decimales, "%")


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

    def dimensions_filtrees(self) -> list[str]:
        """The filtered dimensions among ``structure``, ``canal``, ``mois`` (keys of :data:`DETAILS`)."""
        return [
            d
            for d, actif in (("structure", self.structures), ("canal", self.canaux), ("mois", self.debut or self.fin))
            if actif
        ]

    def sans(self, dimension: str) -> Filtres:
        """The same selection without the filter on one dimension."""
        if dimension == "structure":
            return replace(self, structures=())
        if dimension == "canal":
            return replace(self, canaux=())
        return replace(self, debut=None, fin=None)

    def reference(self) -> Filtres:
        """The same territory without any filter: the view every filtered figure is compared with."""
        return Filtres(self.niveau, self.code)

    def region(self) -> Filtres:
        """The same filters over the whole region."""
        return replace(self, niveau="region", code=None)


def periode_mois(debut: str, fin: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period of whole months (``"2025-01"``, ``"2025-03"``)."""
    a = dt.date(int(debut[:4]), int(debut[5:7]), 1)
    annee, mois = int(fin[:4]), int(fin[5:7])
    return a, dt.date(annee, mois, calendar.monthrange(annee, mois)[1])


def mois_disponibles(debut: dt.date, fin: dt.date) -> list[str]:
    """Months ``"YYYY-MM"`` from the month of ``debut`` to that of ``fin`` (the period choices)."""
    return [m.strftime("%Y-%m") for m in pd.period_range(debut, fin, freq="M").to_timestamp()]


COMPTES_SQL = """
    count(*) as contacts,
    count(*) filter (where bilan_realise) as bilans,
    count(*) filter (where nb_droits_non_recours > 0) as non_recours,
    count(*) filter (where orientation is not null) as orientations,
    count(*) filter (where droits_ouverts is not null) as droits_ouverts
"""


@cache_par_base
def resume() -> dict:
    """Number of visits, period, structures and whether they are demonstration data."""
    frame = query(
        """
        select count(*) as n, bool_or(demonstration) as demo, bool_and(demonstration) as que_demo,
               min(date_contact) as debut, max(date_contact) as fin, list(distinct structure order by structure) as structures
        from visites
        """
    )
    return frame.iloc[0].to_dict()


@cache_par_base
def entonnoir(filtres: Filtres) -> dict:
    """Raw counts of the funnel for the selection (apply :func:`compte_affiche` before showing)."""
    condition, params = filtres.where()
    return query("select " + COMPTES_SQL + " from visites where " + condition, params).iloc[0].to_dict()


GROUPES = {
    "commune": "code_commune",
    "epci": "code_epci",
    "canal": "canal",
    "structure": "structure",
    "mois": "strftime(date_trunc('month', date_contact), '%Y-%m')",
}
# A dimension a filter acts on, counted value by value (see commun.secret.masque_differences)
DETAILS = {"structure": "structure", "canal": "canal", "mois": GROUPES["mois"]}


@cache_par_base
def _par(groupe: str, filtres: Filtres, detail: str | None = None) -> pd.DataFrame:
    condition, params = filtres.where()
    # grouping expressions come from the fixed GROUPES / DETAILS tables, never from user input
    expression = GROUPES[groupe]
    colonnes = expression + " as cle, " + (DETAILS[detail] + " as detail, " if detail else "")
    return query(
        "select "
        + colonnes
        + COMPTES_SQL
        + " from visites where "
        + condition
        + " and "
        + expression
        + " is not null group by all order by all",
        params,
    )


def par(groupe: str, filtres: Filtres, detail: str | None = None) -> pd.DataFrame:
    """Raw funnel counts grouped by commune, EPCI, canal, structure or month (and ``detail``)."""
    if groupe not in GROUPES or (detail is not None and detail not in DETAILS):
        raise ValueError(f"regroupement inconnu : {groupe}, {detail}")
    return _par(groupe, filtres, detail)


@cache_par_base
def _par_droit(filtres: Filtres, detail: str | None = None) -> pd.DataFrame:
    condition, params = filtres.where()
    # the detail expression comes from the fixed DETAILS table, never from user input
    expression = DETAILS[detail] if detail else "null"
    return query(
        """
        with selection as (select id_visite, bilan_realise, """
        + expression
        + """ as detail from visites where """
        + condition
        + """)
        select d.droit as cle, s.detail,
               count(distinct d.id_visite) filter (where d.type = 'non_recours') as non_recours,
               count(distinct d.id_visite) filter (where d.type = 'ouvert') as droits_ouverts,
               (select count(*) from selection where bilan_realise) as bilans
        from visites_droits as d
        join selection as s on s.id_visite = d.id_visite
        group by all
        order by non_recours desc, cle
        """,
        params,
    )


def par_droit(filtres: Filtres, detail: str | None = None) -> pd.DataFrame:
    """Per benefit: households in non-recours for it, households who opened it, bilans (denominator)."""
    out = _par_droit(filtres, detail)
    return out if detail else out.drop(columns="detail")


@cache_par_base
def non_recours_potentiel() -> pd.DataFrame:
    """Estimated non-recours per commune and benefit, latest CNAF millésime, as computed by the ETL.

    The estimate B × r / (1 − r) (CNAF beneficiaries B, DREES national rate r) is computed once, in
    :mod:`etl.potentiel` (catalogue indicators ``nr_potentiel_*``); this reads it. Rows with
    ``droit == "RSA+PA"`` carry the sum of both benefits (known only when both are), with no
    ``beneficiaires`` nor ``taux``.
    """
    correspondance = [
        (droit, source, indicateur) for droit, (source, indicateur, _taux) in DROITS_POTENTIEL.items()
    ] + [("RSA+PA", None, COMBINE_POTENTIEL[0])]
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
