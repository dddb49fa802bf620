"""Metrics of outreach visits (« aller vers »): funnel, detected non-recours rate, estimates.

Definitions (DESIGN.md, shown next to every figure):

- *Taux de non-recours détecté* = households with at least one benefit in non-recours ÷
  households with a bilan de droits. A rate among the people met, not a population rate.
- Funnel: contacts → bilans → non-recours détecté → orientations → droits ouverts.
- *Secret rule* (:mod:`commun.secret`): a count under 5 households is shown as « < 5 »; a rate
  whose denominator is under 10 is not shown, a rate is rounded and hidden with its numerator;
  complementary suppression so that no difference of shown figures (EPCI minus its communes, all
  structures minus one, two periods) gives a small count back; periods are whole months.
  Applied here, before any figure reaches a map, a table or an export: pages only draw.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

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


def masquer(frame: pd.DataFrame, comptes: list[str], taux_: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """Primary secret rule on a table of which no total is shown (counts « < 5 », rates rounded).

    Parameters
    ----------
    frame : DataFrame
        Raw counts.
    comptes : list of str
        Count columns: values under 5 become the text « < 5 » (for a CSV; see
        :func:`commun.secret.pour_affichage` for a table on screen).
    taux_ : dict
        ``{output column: (numerator column, denominator column)}``: rates in %, whole numbers,
        NaN when the denominator is under 10 or the numerator or denominator is masked.
    """
    masque = secret.masque_primaire(frame, comptes)
    return _avec_taux(secret.pour_export(frame, masque, comptes), frame, masque, taux_)


def _avec_taux(out, brut, masque, taux_):
    for colonne, (num, den) in (taux_ or {}).items():
        out[colonne] = secret.taux_protege(
            brut[num],
            brut[den],
            masque.get(num, False),
            masque.get(den, False),
        ).to_numpy()
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


COLONNES_COMPTES = ["contacts", "bilans", "non_recours", "orientations", "droits_ouverts"]
COMPTES_DROITS = ["non_recours", "droits_ouverts"]


@dataclass
class Protege:
    """A table with the secret rule applied: raw counts, their mask, and the shown forms.

    ``brut`` keeps the raw counts (for the pages' numeric needs, e.g. a chart's scale: never shown
    where ``masque`` is True); ``export`` writes « < 5 » in the counts (CSV); ``affichage`` has one
    text column per count (« 1 234 », « < 5 »: no column mixing numbers and text).
    """

    brut: pd.DataFrame
    masque: pd.DataFrame
    comptes: list[str]
    taux: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def export(self) -> pd.DataFrame:
        return _avec_taux(secret.pour_export(self.brut, self.masque, self.comptes), self.brut, self.masque, self.taux)

    @property
    def affichage(self) -> pd.DataFrame:
        sortie = secret.pour_affichage(self.brut, self.masque, self.comptes, format_nombre)
        return _avec_taux(sortie, self.brut, self.masque, self.taux)

    def visibles(self, colonne: str) -> list:
        """The counts of a column for a chart: None where masked."""
        return [
            None if m or pd.isna(v) else int(v) for v, m in zip(self.brut[colonne], self.masque[colonne], strict=True)
        ]

    def textes(self, colonne: str) -> list[str]:
        """The counts of a column as shown (« < 5 » where masked)."""
        return [
            MASQUE if m else compte_affiche(v) for v, m in zip(self.brut[colonne], self.masque[colonne], strict=True)
        ]


def colonne_compte(label: str, *, help: str | None = None):
    """A table column of household counts as shown (« 1 234 », « < 5 »): text, right-aligned as numbers."""
    return st.column_config.TextColumn(label, help=help, alignment="right")


def _details(groupe: str, filtres: Filtres, fonction=None) -> dict[str, pd.DataFrame]:
    """For each filtered dimension, counts per (cell, value of the dimension), that filter removed."""
    fonction = fonction or (lambda f, d: par(groupe, f, d))
    return {d: fonction(filtres.sans(d), d).set_index("cle") for d in filtres.dimensions_filtrees()}


def _masque_filtres(brut, comptes, reference, details: dict[str, pd.DataFrame], filtres: Filtres) -> pd.DataFrame:
    """:func:`commun.secret.masque_differences` with the period handled as a range of months."""
    periode = None
    if "mois" in details:
        premier = filtres.debut or min(details["mois"]["detail"], default=None)
        dernier = filtres.fin or max(details["mois"]["detail"], default=None)
        periode = tuple(m if isinstance(m, str) else m.strftime("%Y-%m") for m in (premier, dernier))
    autres = [frame for d, frame in details.items() if d != "mois"]
    return secret.masque_differences(brut, comptes, reference, autres, details.get("mois"), periode)


def _communes() -> pd.DataFrame:
    from atlas import queries

    return queries.territoires("commune")[["code", "code_epci", "code_departement"]]


def _hierarchie(frame: pd.DataFrame, communes: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    base = communes.merge(frame.rename(columns={"cle": "code"}), on="code", how="inner")
    return secret.hierarchie(base, COLONNES_COMPTES)


def _hierarchie_detaillee(frame: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    parties = [
        _hierarchie(sous.drop(columns="detail"), communes)[0].assign(detail=valeur)
        for valeur, sous in frame.groupby("detail")
    ]
    return pd.concat(parties) if parties else pd.DataFrame(columns=["niveau", "code", *COLONNES_COMPTES])


@cache_par_base
def _vue_territoires(filtres: Filtres) -> tuple[pd.DataFrame, pd.DataFrame]:
    filtres = filtres.region()
    communes = _communes()
    cellules, contraintes = _hierarchie(par("commune", filtres), communes)
    masque = secret.masque_primaire(cellules, COLONNES_COMPTES)
    if filtres.dimensions_filtrees():
        reference, _ = _hierarchie(par("commune", filtres.reference()), communes)
        details = {
            d: _hierarchie_detaillee(par("commune", filtres.sans(d), d), communes)
            for d in filtres.dimensions_filtrees()
        }
        masque |= _masque_filtres(cellules, COLONNES_COMPTES, reference, details, filtres)
    return cellules, secret.completer(cellules, masque, contraintes, COLONNES_COMPTES)


def vue_territoires(filtres: Filtres) -> Protege:
    """Counts of every commune, EPCI, département and the region with visits, secret applied.

    One computation for the whole region whatever territory is chosen, so that a commune shows
    the same « < 5 » cells in every view (two different choices of complementary cells would
    give each other away). Rows: index ``"niveau:code"``, columns ``niveau``, ``code`` and counts.
    """
    cellules, masque = _vue_territoires(filtres)
    return Protege(cellules, masque, COLONNES_COMPTES, {"taux_non_recours_pct": ("non_recours", "bilans")})


def entonnoir_protege(filtres: Filtres) -> Protege:
    """The funnel of the chosen territory: one row (its cell of :func:`vue_territoires`)."""
    vue = vue_territoires(filtres)
    cle = f"{filtres.niveau}:{filtres.code or ''}"
    if cle in vue.brut.index:
        return Protege(vue.brut.loc[[cle]], vue.masque.loc[[cle]], vue.comptes, vue.taux)
    vide = pd.DataFrame([{"niveau": filtres.niveau, "code": filtres.code or "", **dict.fromkeys(COLONNES_COMPTES, 0)}])
    return Protege(vide, secret.masque_primaire(vide, COLONNES_COMPTES), COLONNES_COMPTES, vue.taux)


def _dans(vue: Protege, echelon: str, filtres: Filtres) -> pd.Series:
    """Rows of ``vue`` at ``echelon`` inside the chosen territory."""
    niveau = vue.brut["niveau"] == echelon
    if filtres.niveau == "region" or not filtres.code:
        return niveau
    communes = _communes()
    champ = {"departement": "code_departement", "epci": "code_epci"}[filtres.niveau]
    membres = communes[communes[champ] == filtres.code]
    codes = set(membres["code"]) if echelon == "commune" else set(membres["code_epci"].dropna())
    return niveau & vue.brut["code"].isin(codes)


def tableau_protege(echelon: str, filtres: Filtres, territoires: pd.DataFrame) -> Protege:
    """The table shown under the map and exported as CSV: territories with visits, secret applied.

    Parameters
    ----------
    echelon : {"commune", "epci"}
        Rows of the table.
    filtres : Filtres
        The selection; rows are the territories of ``echelon`` in its territory (an EPCI keeps
        its whole count when it crosses a département's border).
    territoires : DataFrame
        ``code`` and ``nom`` of the level's territories.
    """
    vue = vue_territoires(filtres)
    garde = _dans(vue, echelon, filtres)
    brut = vue.brut[garde].merge(territoires[["code", "nom"]], on="code", how="inner", validate="one_to_one")
    index = vue.brut.index[garde][vue.brut.loc[garde, "code"].isin(territoires["code"]).to_numpy()]
    brut.index = index
    brut = brut.sort_values("code")
    return Protege(brut[["code", "nom", *COLONNES_COMPTES]], vue.masque.loc[brut.index], COLONNES_COMPTES, vue.taux)


def groupe_protege(groupe: str, filtres: Filtres, total: Protege) -> Protege:
    """Counts by canal or by month of the chosen selection, which add up to ``total`` (the funnel).

    A cell is masked under 5, when a filter's neighbour would give it back, and a second cell is
    masked when the funnel minus the others would give a masked one back.
    """
    if groupe not in ("canal", "mois", "structure"):
        raise ValueError(f"regroupement sans total : {groupe}")
    brut = par(groupe, filtres).set_index("cle", drop=False)
    masque = secret.masque_primaire(brut, COLONNES_COMPTES)
    if filtres.dimensions_filtrees():
        reference = par(groupe, filtres.reference()).set_index("cle")
        masque |= _masque_filtres(brut, COLONNES_COMPTES, reference, _details(groupe, filtres), filtres)
    if len(brut):
        parent = total.brut[COLONNES_COMPTES].iloc[[0]].set_axis(["__total__"])
        cellules = pd.concat([brut[COLONNES_COMPTES], parent])
        masques = pd.concat([masque, total.masque[COLONNES_COMPTES].iloc[[0]].set_axis(["__total__"])])
        masques = secret.completer(
            cellules, masques, [("__total__", list(brut.index))], COLONNES_COMPTES, parents_fixes=True
        )
        masque = masques.loc[brut.index]
    return Protege(brut.reset_index(drop=True), masque.reset_index(drop=True), COLONNES_COMPTES)


def droits_protege(filtres: Filtres) -> Protege:
    """Households in non-recours / who opened each benefit (no total shown: one household can
    have several benefits), with the primary rule and the filters' neighbours."""
    brut = par_droit(filtres).set_index("cle", drop=False)
    masque = secret.masque_primaire(brut, COMPTES_DROITS)
    if filtres.dimensions_filtrees():
        reference = par_droit(filtres.reference()).set_index("cle")
        details = _details("", filtres, lambda f, d: par_droit(f, d))
        masque |= _masque_filtres(brut, COMPTES_DROITS, reference, details, filtres)
    return Protege(brut.reset_index(drop=True), masque.reset_index(drop=True), COMPTES_DROITS)


def taux_texte(protege: Protege, numerateur: str, denominateur: str) -> str:
    """The rate of a one-row table as shown: « 88 % » or why it is not shown."""
    valeur = secret.taux_protege(
        protege.brut[numerateur], protege.brut[denominateur], protege.masque[numerateur], protege.masque[denominateur]
    ).iloc[0]
    if pd.isna(valeur):
        if protege.brut[denominateur].iloc[0] < SEUIL_DENOMINATEUR:
            return "non diffusé (moins de 10 bilans)"
        return "non diffusé (secret)"
    return format_nombre(valeur, 0, "%")


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
