"""The secret rule applied to the counts of outreach visits, before any of them is shown.

A count under 5 households is shown « < 5 »; a rate whose denominator is under 10 is not shown, a
rate is rounded and hidden with its numerator; a second count is masked when a shown total would
give a masked one back (complementary suppression), and, with a filter (structure, canal, period),
any count that the view without that filter or a neighbouring filter would give back
(:mod:`commun.secret`). The raw counts come from :mod:`atlas.non_recours`; what leaves this module
(:class:`Protege`) carries its mask and its shown forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from atlas.db import cache_par_base
from atlas.formatting import format_nombre
from atlas.non_recours import MASQUE, SEUIL_DENOMINATEUR, Filtres, compte_affiche, par, par_droit
from commun import secret


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


def taux_proteges(protege: Protege, numerateur: str, denominateur: str) -> pd.Series:
    """A rate in % of each row as it may be shown: rounded, NaN when the secret rule hides it.

    :func:`commun.secret.taux_protege` on the table's counts and masks (denominator under 10,
    numerator or denominator masked: not shown).
    """
    return secret.taux_protege(
        protege.brut[numerateur], protege.brut[denominateur], protege.masque[numerateur], protege.masque[denominateur]
    )


def taux_texte(protege: Protege, numerateur: str, denominateur: str) -> str:
    """The rate of a one-row table as shown: « 88 % » or why it is not shown."""
    valeur = taux_proteges(protege, numerateur, denominateur).iloc[0]
    if pd.isna(valeur):
        if protege.brut[denominateur].iloc[0] < SEUIL_DENOMINATEUR:
            return "non diffusé (moins de 10 bilans)"
        return "non diffusé (secret)"
    return format_nombre(valeur, 0, "%")
