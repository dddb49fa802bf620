"""First start of the app: build the database when it is missing or of an older schema, with visible progress."""

from __future__ import annotations

import threading

import streamlit as st

from commun.config import get_settings


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    # One first-run build per server process, even when several sessions open at once.
    return threading.Lock()


def base_a_jour() -> bool:
    """True when the DuckDB file exists and has the schema version this code expects."""
    from commun.schema import SCHEMA_VERSION

    path = get_settings().db_path
    if not path.is_file():
        return False
    from atlas.queries import metadonnees

    try:
        return metadonnees().get("schema_version") == SCHEMA_VERSION
    except Exception:  # an unreadable or foreign file: rebuild it
        return False


def assurer_base() -> None:
    """Build the database on first start (or after a schema change), with visible progress."""
    if base_a_jour():
        return
    settings = get_settings()
    with _build_lock():
        if base_a_jour():  # built by another session while we waited
            return
        from commun.erreurs import EtlError
        from etl import facade

        with st.status("Première utilisation : construction de la base de données…", expanded=True) as status:
            try:
                # under the writers' lock (imports, command-line builds): a build already running
                # is waited for, then not run twice
                facade.build_first_run(
                    settings.db_path, settings.raw_dir, settings.region, is_current=base_a_jour, log=st.text
                )
            except EtlError as exc:
                status.update(label="La construction de la base a échoué", state="error")
                st.error(f"Construction impossible : {exc}")
                st.stop()
            status.update(label="Base de données construite", state="complete", expanded=False)
        st.cache_data.clear()
