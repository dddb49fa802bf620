"""The two official layouts of an ADEME DPE extract, recognised from the file's header."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

from etl.errors import EtlError

FIELDS = (
    "numero_dpe",
    "date_etablissement_dpe",
    "etiquette_dpe",
    "type_batiment",
    "code_insee_ban",
    "identifiant_ban",
    "complement_adresse_logement",
    "surface_habitable_logement",
    "annee_construction",
    "periode_construction",
    "numero_dpe_remplace",
)
REQUIRED = FIELDS[:5]
# Canonical field -> column name of each official layout (legacy: dpe-v2-logements-existants).
SCHEMAS = {
    "dpe03existant": {f: f for f in FIELDS},
    "dpe-v2-logements-existants": {
        "numero_dpe": "N°DPE",
        "date_etablissement_dpe": "Date_établissement_DPE",
        "etiquette_dpe": "Etiquette_DPE",
        "type_batiment": "Type_bâtiment",
        "code_insee_ban": "Code_INSEE_(BAN)",
        "identifiant_ban": "Identifiant__BAN",
        "complement_adresse_logement": "Complément_d'adresse_logement",
        "surface_habitable_logement": "Surface_habitable_logement",
        "annee_construction": "Année_construction",
        "periode_construction": "Période_construction",
        "numero_dpe_remplace": "N°_DPE_remplacé",
    },
}


def read_header(path: Path, fichier: str) -> tuple[list[str], str | None]:
    """Column names of the file, read without loading it, and the CSV separator.

    Parameters
    ----------
    path : Path
        CSV (plain or ``.gz``) or Parquet extract.
    fichier : str
        The file's name in messages.

    Returns
    -------
    tuple
        The column names and the separator (None for Parquet).

    Raises
    ------
    EtlError
        When the file cannot be read.
    """
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            rows = duckdb.execute("select name from parquet_schema(?) where num_children is null", [str(path)])
            return [r[0] for r in rows.fetchall()], None
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            line = handle.readline()
    except (OSError, UnicodeDecodeError, duckdb.Error) as exc:
        raise EtlError(f"fichier illisible ({exc})", fichier=fichier) from exc
    sep = max([",", ";", "\t"], key=line.count)
    return [c.strip().strip('"') for c in line.rstrip("\r\n").split(sep)], sep


def detect_schema(columns: list[str], fichier: str) -> tuple[str, dict[str, str]]:
    """Recognise the layout of a header.

    Returns
    -------
    tuple
        The layout name and, for every canonical field present, its column name.

    Raises
    ------
    EtlError
        When neither layout has all its required columns (naming the missing ones).
    """
    present = {c.casefold() for c in columns}
    best = None
    for name, mapping in SCHEMAS.items():
        found = {f: col for f, col in mapping.items() if col.casefold() in present}
        missing = [mapping[f] for f in REQUIRED if f not in found]
        if not missing:
            return name, found
        if best is None or len(missing) < len(best[1]):
            best = (name, missing)
    raise EtlError(
        f"en-tête non reconnu comme un extrait DPE de l'ADEME : colonnes manquantes pour le format "
        f"{best[0]} : {', '.join(best[1])} (formats admis : dpe03existant, dpe-v2-logements-existants)",
        fichier=fichier,
    )
