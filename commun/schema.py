"""The contract between the write side and the read side: schema version and the visit file format.

The ETL writes ``metadonnees.schema_version``; the app rebuilds a database whose version differs
from :data:`SCHEMA_VERSION`. The upload page offers the columns and suffixes the import reads.
"""

from __future__ import annotations

import hashlib

from commun.config import ROOT

#: The DDL of the database (owned by the ETL, read here as a file: no import of ``etl``).
SCHEMA_SQL = ROOT / "etl" / "sql" / "schema.sql"
# Any change of schema.sql counts: the app rebuilds a database of another version.
SCHEMA_VERSION = hashlib.sha256(SCHEMA_SQL.read_bytes()).hexdigest()[:12]

#: Columns of a visit file (``etl.visits_format``): required, then optional.
VISITS_REQUIRED = ("date_contact", "structure", "code_commune", "canal", "bilan_realise", "non_recours")
VISITS_OPTIONAL = (
    "code_iris",
    "code_qpv",
    "orientation",
    "droits_ouverts",
    "date_suivi",
    "profil_menage",
    "tranche_age",
    "id_contact",
)
VISITS_COLUMNS = VISITS_REQUIRED + VISITS_OPTIONAL
#: Suffixes of a visit file: exactly those the build replays from the kept imports.
VISITS_SUFFIXES = (".csv", ".xlsx")
