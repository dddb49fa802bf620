"""Editor-side imports from the UI: password check, templates, and the call into the ETL.

The upload page is for editors only: it is disabled unless an editor password is configured,
in Streamlit secrets (``editeur_mot_de_passe`` in ``.streamlit/secrets.toml``) or in the
environment (``ATLAS_MOT_DE_PASSE_EDITEUR``). The password is compared in constant time.
"""

from __future__ import annotations

import csv
import hmac
import io
import os
import re
import tempfile
from pathlib import Path

import streamlit as st

from atlas.config import get_settings


def mot_de_passe_editeur() -> str | None:
    """The configured editor password, or None when editing is disabled."""
    try:
        secret = st.secrets.get("editeur_mot_de_passe")
    except Exception:  # no secrets.toml at all: editing is simply not configured
        secret = None
    valeur = secret or os.environ.get("ATLAS_MOT_DE_PASSE_EDITEUR")
    return valeur or None


def verifier_mot_de_passe(saisi: str, attendu: str) -> bool:
    """Constant-time comparison (``hmac.compare_digest``): no timing leak of the password."""
    return hmac.compare_digest(saisi.encode("utf-8"), attendu.encode("utf-8"))


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def modele_vide() -> bytes:
    """The import format as an empty CSV (header only), ready for a spreadsheet."""
    from etl.visits_format import COLUMNS

    return _csv([list(COLUMNS)])


def exemple_rempli(lignes: int = 40) -> bytes:
    """A filled example (fictitious demonstration structures), valid for the import."""
    from etl.demo_visits import HEADER, generate_rows

    return _csv([HEADER, *generate_rows(lignes)])


def importer_visites(nom: str, contenu: bytes, log):
    """Import an uploaded visits file into the database (atomic; see ``etl.visits``).

    Parameters
    ----------
    nom : str
        The uploaded file's name (kept in reports; sanitised for the disk).
    contenu : bytes
        Its content.
    log : callable
        Receives the progress lines.

    Returns
    -------
    (etl.visits.ImportResult, bytes or None)
        The result and the rejected rows file, when there are any.
    """
    from etl.errors import from_os_error
    from etl.visits import import_visits

    propre = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(nom).name) or "visites.csv"
    try:
        with tempfile.TemporaryDirectory() as dossier:
            chemin = Path(dossier) / propre
            chemin.write_bytes(contenu)
            # the ETL's writer lock: another import or a build at work gives « import en cours, réessayez »
            resultat = import_visits(get_settings().db_path, chemin, log=log)
            rejets = (
                resultat.rejets_path.read_bytes() if resultat.rejets_path and resultat.rejets_path.is_file() else None
            )
    except OSError as exc:  # a full disk: the page shows one French sentence, as for a refused file
        raise from_os_error(exc) from exc
    st.cache_data.clear()  # every page reads the new visits
    return resultat, rejets


def importer_services(nom: str, contenu: bytes, couche: str | None):
    """Import an uploaded service layer (CSV: nom, type, latitude/longitude or code_commune).

    Returns
    -------
    (etl.report.LoadReport, bytes or None)
        The load report and the rejected rows file, when there are any.
    """
    from etl.errors import from_os_error
    from etl.services_import import import_services

    propre = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(nom).name) or "services.csv"
    try:
        with tempfile.TemporaryDirectory() as dossier:
            chemin = Path(dossier) / propre
            chemin.write_bytes(contenu)
            rapport = import_services(chemin, get_settings().db_path, couche or None)
            rejets_path = chemin.with_name(chemin.name + ".rejets.csv")
            rejets = rejets_path.read_bytes() if rejets_path.is_file() else None
    except OSError as exc:
        raise from_os_error(exc) from exc
    st.cache_data.clear()
    return rapport, rejets


def zone_editeur(cle: str) -> bool:
    """Password gate for editor-only widgets: True once the editor is signed in this session."""
    attendu = mot_de_passe_editeur()
    if attendu is None:
        st.caption(
            "Réservé aux éditeurs : aucun mot de passe d'éditeur n'est configuré (`editeur_mot_de_passe` dans "
            "`.streamlit/secrets.toml` ou `ATLAS_MOT_DE_PASSE_EDITEUR`)."
        )
        return False
    if st.session_state.get("editeur"):
        return True
    saisi = st.text_input("Mot de passe d'éditeur", type="password", key=f"{cle}_mot_de_passe")
    if st.button("Se connecter", key=f"{cle}_connexion"):
        if verifier_mot_de_passe(saisi, attendu):
            st.session_state["editeur"] = True
            st.rerun()
        st.error("Mot de passe incorrect.")
    return False
