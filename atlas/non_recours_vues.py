"""What the « Non-recours » page shows, ready to draw: choices, map layers, tables and captions.

The counts come from :mod:`atlas.non_recours` with the secret rule applied there; this module
only shapes them for the page (which then reads as a description of its widgets and figures).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from atlas import non_recours as nr
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
        :attr:`atlas.non_recours.Protege.affichage` of :func:`atlas.non_recours.tableau_protege`.

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


def tableau_canaux(filtres: nr.Filtres, entonnoir: nr.Protege) -> pd.DataFrame:
    """Yield of each canal as shown: counts (« < 5 »), bilans ÷ contacts and the detected rate.

    Parameters
    ----------
    filtres : Filtres
        The selection.
    entonnoir : Protege
        The funnel of the selection (:func:`atlas.non_recours.entonnoir_protege`): the canals add
        up to it, so the secret rule masks a second canal when needed.
    """
    canaux = nr.groupe_protege("canal", filtres, entonnoir)
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

    The commune cells of :func:`atlas.non_recours.vue_territoires` for that view, so a commune
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
    vue = nr.vue_territoires(nr.Filtres(debut=filtres.debut, fin=filtres.fin))
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
        + (" — DONNÉES DE DÉMONSTRATION" if demonstration else ""),
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
