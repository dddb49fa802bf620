"""The ETL's errors: :class:`commun.erreurs.EtlError` (shared with the app, which catches it) and DuckDB's I/O errors."""

from __future__ import annotations

from commun.erreurs import EtlError, from_os_error  # noqa: F401 (every etl module imports them from here)


def from_duckdb_io_error(exc: Exception) -> EtlError:
    """One French sentence for a DuckDB input-output error (a full disk while writing the base)."""
    text = str(exc)
    if "No space left" in text or "disk is full" in text.lower():
        return EtlError(
            "écriture de la base impossible (disque plein) : libérer de la place sur le disque puis relancer"
        )
    return EtlError(f"lecture ou écriture de la base impossible (DuckDB : {text.splitlines()[0] if text else '?'})")
