"""Editor-side imports from the UI: password check, templates, and the call into the ETL (:mod:`etl.facade`).

The upload page is for editors only: it is disabled unless an editor password is configured,
in Streamlit secrets (``editeur_mot_de_passe`` in ``.streamlit/secrets.toml``) or in the
environment (``ATLAS_MOT_DE_PASSE_EDITEUR``). The password is compared in constant time, and
guessing is slowed down (:func:`connexion_editeur`): after ``ECHECS_AVANT_BLOCAGE`` wrong
passwords in a session, or ``ECHECS_GLOBAUX_AVANT_BLOCAGE`` across all sessions of the server
(a new browser session does not start afresh), every attempt is refused, even the right
password, for ``BLOCAGE_S`` seconds, doubled at each further failure up to ``BLOCAGE_MAX_S``.
"""

from __future__ import annotations

import csv
import hmac
import io
import os
import threading
import time
from collections.abc import MutableMapping

import pandas as pd
import streamlit as st

from atlas.formatting import format_nombre
from commun.schema import VISITS_COLUMNS
from etl import facade


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


ECHECS_AVANT_BLOCAGE = 5
ECHECS_GLOBAUX_AVANT_BLOCAGE = 20
BLOCAGE_S = 60
BLOCAGE_MAX_S = 15 * 60
CLE_SESSION = "tentatives_editeur"

# The clock of the throttle (monotonic: a change of the system time neither lifts nor extends a
# lockout); tests replace it.
horloge = time.monotonic

# Failures of every session of this server process: a guesser opening new sessions is slowed too.
_global = {"echecs": 0, "jusqu_a": 0.0}
_verrou = threading.Lock()


def _duree_blocage(echecs: int, seuil: int) -> float:
    return min(BLOCAGE_S * 2 ** (echecs - seuil), BLOCAGE_MAX_S)


def _attente(secondes: float) -> str:
    secondes = max(1, round(secondes))
    if secondes < 90:
        return f"{secondes} s"
    return f"{round(secondes / 60)} min"


def connexion_editeur(saisi: str, attendu: str, etat: MutableMapping) -> tuple[bool, str | None]:
    """Check an editor password, refusing every attempt for a while after repeated failures.

    Parameters
    ----------
    saisi, attendu : str
        The password typed and the configured one.
    etat : MutableMapping
        Where this session's failures are counted (``st.session_state``).

    Returns
    -------
    (bool, str or None)
        Whether the editor is signed in, and otherwise the French message to show (wrong
        password, or how long to wait before the next attempt).
    """
    maintenant = horloge()
    session = etat.setdefault(CLE_SESSION, {"echecs": 0, "jusqu_a": 0.0})
    with _verrou:
        jusqu_a = max(session["jusqu_a"], _global["jusqu_a"])
        if maintenant < jusqu_a:
            # refused without comparing: during a lockout even the right password is no signal
            return False, (
                f"Trop d'essais de mot de passe incorrects : réessayez dans {_attente(jusqu_a - maintenant)}."
            )
        if verifier_mot_de_passe(saisi, attendu):
            session.update(echecs=0, jusqu_a=0.0)
            _global.update(echecs=0, jusqu_a=0.0)
            return True, None
        session["echecs"] += 1
        _global["echecs"] += 1
        if session["echecs"] >= ECHECS_AVANT_BLOCAGE:
            session["jusqu_a"] = maintenant + _duree_blocage(session["echecs"], ECHECS_AVANT_BLOCAGE)
        if _global["echecs"] >= ECHECS_GLOBAUX_AVANT_BLOCAGE:
            _global["jusqu_a"] = maintenant + _duree_blocage(_global["echecs"], ECHECS_GLOBAUX_AVANT_BLOCAGE)
        jusqu_a = max(session["jusqu_a"], _global["jusqu_a"])
    if maintenant < jusqu_a:
        return False, (
            f"Mot de passe incorrect. Trop d'essais : prochain essai possible dans {_attente(jusqu_a - maintenant)}."
        )
    return False, "Mot de passe incorrect."


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def modele_vide() -> bytes:
    """The import format as an empty CSV (header only), ready for a spreadsheet."""
    return _csv([list(VISITS_COLUMNS)])


def exemple_rempli(lignes: int = 40) -> bytes:
    """A filled example (fictitious demonstration structures), valid for the import."""
    return _csv(facade.visits_example(lignes))


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
    # the ETL's writer lock: another import or a build at work gives « import en cours, réessayez »
    resultat = facade.import_upload("visites", nom, contenu, log=log)
    st.cache_data.clear()  # every page reads the new visits
    return resultat


def bilan_import(resultat, retirees: str) -> str:
    """The sentence that sums up an import: rows read = loaded + rejected + duplicates, numbers in French.

    Singular under 2, as French counts (« 1 ligne lue », « 0 doublon »): « 1 chargées » read as a glitch.

    Parameters
    ----------
    resultat : etl.visits.ImportResult
        What the import did (``lues``, ``chargees``, ``rejetees``, ``doublons``,
        ``demonstration_supprimees``).
    retirees : str
        What the demonstration rows it deleted are (« visites », « expérimentations »).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(lues=1, chargees=1, rejetees=0, doublons=0, demonstration_supprimees=0)
    >>> bilan_import(r, "visites")
    '1 ligne lue = 1 chargée + 0 rejetée + 0 doublon.'
    """

    def compte(nombre: int, singulier: str) -> str:
        return f"{format_nombre(nombre)} {singulier if abs(nombre) < 2 else singulier + 's'}"

    phrase = (
        f"{compte(resultat.lues, 'ligne')} {'lue' if resultat.lues < 2 else 'lues'} = "
        f"{compte(resultat.chargees, 'chargée')} + {compte(resultat.rejetees, 'rejetée')} + "
        f"{compte(resultat.doublons, 'doublon')}."
    )
    if resultat.demonstration_supprimees:
        phrase += (
            f" Les {format_nombre(resultat.demonstration_supprimees)} {retirees} de démonstration ont été retirées."
        )
    return phrase


#: Rejected rows shown on the page after an import (the file of rejects has them all).
REJETS_AFFICHES = 10


def premiers_rejets(rejets: bytes, n: int = REJETS_AFFICHES) -> pd.DataFrame:
    """The first ``n`` rejected rows of an import, as the page shows them: line, column, value, reason.

    Parameters
    ----------
    rejets : bytes
        The file of rejected rows the import wrote (``;``-separated, its first columns ``ligne``,
        ``colonne``, ``valeur``, ``motif``, then the row as read).
    n : int
        How many rows.

    Returns
    -------
    DataFrame
        Columns ``ligne`` (as an editor numbers the file's lines: header = 1), ``colonne``,
        ``valeur`` and ``motif``, all text (a value is shown as typed).
    """
    frame = pd.read_csv(
        io.BytesIO(rejets), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig", nrows=n,
        usecols=["ligne", "colonne", "valeur", "motif"],
    )  # fmt: skip
    # the line a number (right-aligned, as numbers are), empty for a fault of the whole file
    frame["ligne"] = pd.to_numeric(frame["ligne"], errors="coerce").astype("Int64")
    return frame[["ligne", "colonne", "valeur", "motif"]]


def importer_services(nom: str, contenu: bytes, couche: str | None):
    """Import an uploaded service layer (CSV: nom, type, latitude/longitude or code_commune).

    Returns
    -------
    (etl.report.LoadReport, bytes or None)
        The load report and the rejected rows file, when there are any.
    """
    resultat = facade.import_upload("services", nom, contenu, couche=couche)
    st.cache_data.clear()
    return resultat


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
        connecte, message = connexion_editeur(saisi, attendu, st.session_state)
        if connecte:
            st.session_state["editeur"] = True
            st.rerun()
        st.error(message)
    return False
