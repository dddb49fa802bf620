"""Editors' declarations of experiments: the file of the import format, written from the page or
from what is stored, and its import (through :mod:`etl.facade`, the read side's one door to the ETL).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import streamlit as st

from atlas import queries
from atlas.experimentations import OBJECTIFS, objectifs
from etl import facade


def importer(nom: str, contenu: bytes, log):
    """Import an experiment file from the page (atomic, writer lock, kept file; see ``etl.experimentations``).

    Returns
    -------
    (etl.visits.ImportResult, bytes or None)
        The result and the rejected rows file, when there are any.
    """
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


def telechargement_declaration(experimentation: dict) -> tuple[str, str]:
    """Label and file name of the download of an experiment's declaration (:func:`declaration_actuelle`).

    A demonstration experiment's say so, as the demonstration GeoJSON layers do: the file itself
    cannot, since it is the import format (a comment line or a ``demonstration`` column would be
    refused by the import, and it is meant to be corrected and imported again, as a real declaration).
    """
    demo = bool(experimentation.get("demonstration"))
    libelle = "Télécharger la déclaration de l'expérimentation affichée (CSV, à corriger puis réimporter)"
    if demo:
        libelle = libelle.replace("(CSV, ", "(CSV, exemple de démonstration ; ")
    return libelle, f"experimentation_{experimentation['code']}_declaration{'_demonstration' if demo else ''}.csv"


def modele() -> bytes:
    """The import format with the demonstration rows as an example (fictitious, labelled)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(facade.experimentations_example(6))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def territoires_possibles() -> dict[str, str]:
    """The territories an experiment may cover, code → « nom (échelon code) »: départements, EPCI, communes."""
    options = {}
    for niveau, libelle in (("departement", "département"), ("epci", "EPCI"), ("commune", "commune")):
        for r in queries.territoires(niveau).itertuples():
            options[r.code] = f"{r.nom} ({libelle} {r.code})"
    return options


def grille_objectifs(debut: dt.date, fin: dt.date | None) -> pd.DataFrame:
    """The form's empty objectives: one row per month (« AAAA-MM ») for a year from ``debut``, none after ``fin``."""
    mois = pd.date_range(debut.replace(day=1), periods=12, freq="MS")
    if fin is not None:
        mois = mois[mois <= pd.Timestamp(fin)]
    return pd.DataFrame(
        {
            "mois": [f"{m:%Y-%m}" for m in mois],
            **{k: pd.Series([None] * len(mois), dtype=float) for k in OBJECTIFS},
        }
    )
