"""What the « Non-recours » page shows, ready to draw: choices, map layers, tables and captions.

The counts come from :mod:`atlas.non_recours` with the secret rule applied by
:mod:`atlas.non_recours_secret`; this module only shapes them for the page (which then reads as a
description of its widgets and figures). What a selection shows is the same for every visitor:
each block of the page (:func:`entonnoir`, :func:`territoires`, :func:`detail`,
:func:`potentiel_et_presence`) is computed once per database and selection, and shared by every
session (read-only: the page only draws it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from atlas import non_recours as nr
from atlas import non_recours_figures as figures
from atlas import non_recours_secret as protege
from atlas.classification import Classes, classer
from atlas.db import cache_par_base
from atlas.exports import pour_lecteur
from atlas.formatting import format_mois_fr, format_nombre

#: The map's levels, as the page names them.
ECHELONS = {"commune": "Communes", "epci": "EPCI"}


def options_territoires(departements: pd.DataFrame, epci: pd.DataFrame) -> dict[str, str]:
    """The territory choices: ``"niveau:code"`` → label, the region first, then départements and EPCI.

    Parameters
    ----------
    departements, epci : DataFrame
        ``code`` and ``nom`` of the territories of each level.

    Examples
    --------
    >>> options_territoires(pd.DataFrame({"code": ["44"], "nom": ["Loire-Atlantique"]}),
    ...                     pd.DataFrame({"code": ["244400404"], "nom": ["Nantes Métropole"]}))
    {'region:': 'Toute la région', 'departement:44': 'Loire-Atlantique (département)', 'epci:244400404': 'Nantes Métropole'}
    """
    options = {"region:": "Toute la région"}
    options.update({f"departement:{r.code}": f"{r.nom} (département)" for r in departements.itertuples()})
    options.update({f"epci:{r.code}": f"{r.nom}" for r in epci.itertuples()})
    return options


def filtres_choisis(
    choix: str, structures: list[str], canaux: list[str], periode: tuple[str, str], mois_offerts: list[str]
) -> tuple[nr.Filtres, dt.date, dt.date]:
    """The selection of visits from the page's widgets, and the first and last day of its period.

    The whole period of the visits is no period filter: a filter would compare the view with its
    neighbours (:mod:`commun.secret`) and mask more cells for nothing.

    Parameters
    ----------
    choix : str
        ``"niveau:code"`` (a key of :func:`options_territoires`).
    structures, canaux : list of str
        Chosen structures and canals (none: all).
    periode : tuple of str
        First and last month chosen (``"YYYY-MM"``).
    mois_offerts : list of str
        Every month of the slider.
    """
    debut, fin = nr.periode_mois(periode[0], periode[1])
    toute_la_periode = (periode[0], periode[1]) == (mois_offerts[0], mois_offerts[-1])
    niveau, code = choix.split(":")
    filtres = nr.Filtres(
        niveau,
        code or None,
        tuple(structures),
        tuple(canaux),
        None if toute_la_periode else debut,
        None if toute_la_periode else fin,
    )
    return filtres, debut, fin


def carte_taux(territoires: pd.DataFrame, affichage: pd.DataFrame) -> pd.DataFrame:
    """Every territory of the level with its shown rate, its map status and its hover texts.

    A territory without visits is ``absent`` (« Aucune visite »); one whose rate the secret rule
    hides is ``secret``, never a zero.

    Parameters
    ----------
    territoires : DataFrame
        ``code`` and ``nom`` of every territory of the level.
    affichage : DataFrame
        :attr:`atlas.non_recours_secret.Protege.affichage` of :func:`atlas.non_recours_secret.tableau_protege`.

    Returns
    -------
    DataFrame
        ``code``, ``nom``, ``contacts``, ``bilans``, ``taux_non_recours_pct``, ``valeur`` (the rate,
        NaN when not shown), ``statut`` (``ok`` / ``secret`` / ``absent``), ``survol_taux``,
        ``survol_comptes``.
    """
    base = territoires[["code", "nom"]].merge(
        affichage[["code", "contacts", "bilans", "taux_non_recours_pct"]], on="code", how="left"
    )
    base["valeur"] = base["taux_non_recours_pct"].astype(float)
    base["statut"] = [
        "absent" if pd.isna(c) else ("ok" if pd.notna(v) else "secret")
        for c, v in zip(base["contacts"], base["valeur"], strict=True)
    ]
    base["survol_taux"] = [
        "Aucune visite"
        if pd.isna(c)
        else "Taux de non-recours détecté : "
        + (format_nombre(v, 0, "%") if pd.notna(v) else "non diffusé (moins de 10 bilans ou secret)")
        for c, v in zip(base["contacts"], base["valeur"], strict=True)
    ]
    base["survol_comptes"] = [
        f"{c} contacts, {b} bilans" if pd.notna(c) else ""
        for c, b in zip(base["contacts"], base["bilans"], strict=True)
    ]
    return base


def tableau_canaux(filtres: nr.Filtres, entonnoir: protege.Protege) -> pd.DataFrame:
    """Yield of each canal as shown: counts (« < 5 »), bilans ÷ contacts and the detected rate.

    Parameters
    ----------
    filtres : Filtres
        The selection.
    entonnoir : Protege
        The funnel of the selection (:func:`atlas.non_recours_secret.entonnoir_protege`): the canals add
        up to it, so the secret rule masks a second canal when needed.
    """
    canaux = protege.groupe_protege("canal", filtres, entonnoir)
    canaux.taux = {"taux_bilan_pct": ("bilans", "contacts"), "taux_non_recours_pct": ("non_recours", "bilans")}
    tableau = canaux.affichage
    tableau["cle"] = tableau["cle"].map(nr.CANAUX)
    return tableau[["cle", "contacts", "bilans", "taux_bilan_pct", "non_recours", "taux_non_recours_pct"]]


def potentiel_communes(communes: pd.DataFrame, potentiel: pd.DataFrame) -> pd.DataFrame:
    """Every commune with its estimated non-recours to RSA and prime d'activité (NaN: no estimate).

    Parameters
    ----------
    communes : DataFrame
        ``code`` and ``nom`` of every commune.
    potentiel : DataFrame
        :func:`atlas.non_recours.non_recours_potentiel`.
    """
    rsa_pa = potentiel.loc[potentiel["droit"] == "RSA+PA", ["code", "potentiel"]]
    return communes[["code", "nom"]].merge(rsa_pa, on="code", how="left")


def presence_communes(communes: pd.DataFrame, filtres: nr.Filtres) -> pd.DataFrame:
    """Households met in each commune over the chosen months, all structures and canals, secret applied.

    The commune cells of :func:`atlas.non_recours_secret.vue_territoires` for that view, so a commune
    shows the same « < 5 » cells as everywhere else.

    Parameters
    ----------
    communes : DataFrame
        ``code`` and ``nom`` of every commune.
    filtres : Filtres
        The selection: only its period counts.

    Returns
    -------
    DataFrame
        ``code``, ``nom``, ``contacts_affiches`` (a number for the map, NaN where masked or without
        visits) and ``contacts`` (the text shown, « < 5 » where masked).
    """
    vue = protege.vue_territoires(nr.Filtres(debut=filtres.debut, fin=filtres.fin))
    garde = (vue.brut["niveau"] == "commune").to_numpy()
    cellules = pd.DataFrame(
        {
            "code": vue.brut.loc[garde, "code"],
            "contacts_affiches": [v for v, g in zip(vue.visibles("contacts"), garde, strict=True) if g],
            "contacts": vue.affichage.loc[garde, "contacts"],
        }
    )
    return communes[["code", "nom"]].merge(cellules, on="code", how="left")


def tableau_deux_cartes(estime: pd.DataFrame, presence: pd.DataFrame) -> pd.DataFrame:
    """The text alternative of both maps: communes with an estimate or visits, by name.

    Parameters
    ----------
    estime : DataFrame
        :func:`potentiel_communes`.
    presence : DataFrame
        :func:`presence_communes`.
    """
    return (
        estime.merge(presence[["code", "contacts"]], on="code")
        .loc[lambda f: f["potentiel"].notna() | f["contacts"].notna(), ["nom", "code", "potentiel", "contacts"]]
        .sort_values("nom")
        .round({"potentiel": 0})
    )


def methode_potentiel(potentiel: pd.DataFrame) -> str:
    """The caption of the estimated non-recours: formula, the national rates' publications, coverage.

    Parameters
    ----------
    potentiel : DataFrame
        :func:`atlas.non_recours.non_recours_potentiel` (``source``: each rate's publication).
    """
    publications = " ; ".join(
        r.source for r in potentiel[potentiel["taux"].notna()].drop_duplicates("droit").itertuples()
    )
    return (
        "Non-recours potentiel estimé = allocataires B × r / (1 − r), avec r le taux national de non-recours : "
        + publications
        + ". Source des allocataires : CNAF, fichier à l'IRIS (dernier millésime), commune calculée seulement quand "
        "tous ses IRIS sont publiés : les grandes villes n'ont donc pas d'estimation. Ordre de grandeur, pas un comptage."
    )


def entete_territoires(echelon: str, debut: dt.date, fin: dt.date, demonstration: bool) -> list[str]:
    """Header lines of the CSV of visits by territory: what, when, the rate's definition, the secret rule."""
    return [
        f"Visites d'aller vers par {'commune' if echelon == 'commune' else 'EPCI'}, {debut:%d/%m/%Y} – {fin:%d/%m/%Y}"
        + (" — données de démonstration" if demonstration else ""),
        nr.DEFINITION_TAUX,
        nr.REGLE_SECRET,
    ]


def phrase_visites(resume: dict, mois_offerts: list[str]) -> str:
    """Closing caption: where the visits come from, how many, over which months.

    Parameters
    ----------
    resume : dict
        :func:`atlas.non_recours.resume`.
    mois_offerts : list of str
        Every month with visits (``"YYYY-MM"``).
    """
    origine = "données de démonstration générées par l’atlas" if resume["demo"] else "imports des structures"
    return (
        f"Visites : {origine} ({format_nombre(resume['n'])} contacts, {format_mois_fr(mois_offerts[0])} – "
        f"{format_mois_fr(mois_offerts[-1])}). Taux nationaux : publications citées dans « Données et méthodes »."
    )


#: French headers of the CSV of visits by territory.
COLONNES_TERRITOIRES = {
    "code": "Code",
    "nom": "Territoire",
    "contacts": "Contacts",
    "bilans": "Bilans",
    "non_recours": "Non-recours détecté",
    "orientations": "Orientations",
    "droits_ouverts": "Droits ouverts",
    "taux_non_recours_pct": "Taux détecté (%)",
}


@dataclass(frozen=True)
class Entonnoir:
    """The funnel of a selection: its counts and its detected rate as shown."""

    comptes: protege.Protege
    taux: str

    def ecran(self, grand: bool = False) -> str:
        """The funnel as HTML bars, for the screen (:func:`atlas.non_recours_figures.entonnoir_html`)."""
        return figures.entonnoir_html(self.comptes, grand=grand)

    def image(self) -> go.Figure:
        """The funnel as a plotly figure, for the PNG image and the slide (built on click)."""
        return figures.figure_entonnoir(self.comptes)


@cache_par_base(partage=True, max_entries=64)
def entonnoir(filtres: nr.Filtres) -> Entonnoir:
    """The funnel block of a selection (shared by every session: read-only)."""
    comptes = protege.entonnoir_protege(filtres)
    return Entonnoir(comptes, protege.taux_texte(comptes, "non_recours", "bilans"))


@dataclass(frozen=True)
class Territoires:
    """The detected rate by territory: the table as shown and exported, the map's data and classes."""

    affichage: pd.DataFrame
    export: pd.DataFrame
    carte: pd.DataFrame
    classes: Classes


@cache_par_base(partage=True, max_entries=64)
def territoires(filtres: nr.Filtres, echelon: str) -> Territoires:
    """The block « taux de non-recours détecté par territoire » (shared by every session: read-only).

    Parameters
    ----------
    filtres : Filtres
        The selection.
    echelon : {"commune", "epci"}
        The map's and the table's level.
    """
    from atlas import queries

    territoires_echelon = queries.territoires(echelon)
    tableau = protege.tableau_protege(echelon, filtres, territoires_echelon)
    affichage = tableau.affichage
    base = carte_taux(territoires_echelon, affichage)
    return Territoires(
        affichage,
        # the secret rule rounds the rate to the unit (commun.secret.taux_protege): written « 85 », not
        # « 85,0 » (a rate's unit « % » would give it a decimal)
        pour_lecteur(tableau.export, COLONNES_TERRITOIRES, unites={"taux_non_recours_pct": None}),
        base,
        classer(base["valeur"], "quantiles", 4, "%", "+"),
    )


@dataclass(frozen=True)
class Detail:
    """By benefit, canal and month: the counts of both charts and the tables shown."""

    comptes_droits: protege.Protege
    droits: pd.DataFrame
    canaux: pd.DataFrame
    comptes_mois: protege.Protege
    mois: pd.DataFrame

    def ecran_droits(self, grand: bool = False) -> str:
        """Households in non-recours by benefit as HTML bars, for the screen."""
        return figures.droits_html(self.comptes_droits, grand=grand)

    def image_droits(self) -> go.Figure:
        """The same bars as a plotly figure, for the PNG image and the slide (built on click)."""
        return figures.figure_droits(self.comptes_droits)

    def ecran_mois(self, grand: bool = False) -> str:
        """The monthly activity as HTML and SVG lines, for the screen."""
        return figures.mois_html(self.comptes_mois, grand=grand)

    def image_mois(self) -> go.Figure:
        """The same lines as a plotly figure, for the PNG image and the slide (built on click)."""
        return figures.figure_mois(self.comptes_mois)

    def ecran_canaux(self, grand: bool = False) -> str:
        """The yield of the canals as a short HTML table."""
        return figures.canaux_html(self.canaux, grand=grand)


@cache_par_base(partage=True, max_entries=64)
def detail(filtres: nr.Filtres) -> Detail:
    """The block « par droit, par canal, par mois » (shared by every session: read-only)."""
    comptes = entonnoir(filtres).comptes
    droits = protege.droits_protege(filtres)
    mois = protege.groupe_protege("mois", filtres, comptes)
    return Detail(
        droits,
        droits.affichage.assign(libelle=droits.brut["cle"].map(nr.DROITS))[["libelle", "non_recours"]],
        tableau_canaux(filtres, comptes),
        mois,
        # the months as a reader names them (« janvier 2024 »), as on the chart
        mois.affichage.assign(cle=mois.brut["cle"].map(format_mois_fr))[["cle", "contacts", "bilans", "non_recours"]],
    )


@dataclass(frozen=True)
class Potentiel:
    """Estimated non-recours by commune and the households met: both maps' data, caption and table."""

    potentiel: pd.DataFrame
    methode: str
    source: str
    estime: pd.DataFrame
    presence: pd.DataFrame
    tableau: pd.DataFrame


@cache_par_base(partage=True, max_entries=16)
def potentiel_et_presence(debut: dt.date | None, fin: dt.date | None) -> Potentiel:
    """The block « non-recours potentiel estimé et présence de l'aller vers » (shared: read-only).

    Parameters
    ----------
    debut, fin : date or None
        The period of the households met (None: every visit); the estimate has no period.
    """
    from atlas import queries

    communes = queries.territoires("commune")
    potentiel = nr.non_recours_potentiel()
    estime = potentiel_communes(communes, potentiel)
    presence = presence_communes(communes, nr.Filtres(debut=debut, fin=fin))
    return Potentiel(
        potentiel,
        methode_potentiel(potentiel),
        nr.source_potentiel(potentiel),
        estime,
        presence,
        tableau_deux_cartes(estime, presence),
    )
