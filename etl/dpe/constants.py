"""Names and limits of the DPE import shared by its modules (sources, folders, threshold, memory)."""

from __future__ import annotations

import os
from pathlib import Path

from commun.methode import SEUIL_DPE

SOURCE = "ademe_dpe"
SOURCE_DEMO = "ademe_dpe_demonstration"
# The real extracts kept for the rebuilds, beside the database (etl.kept_files).
IMPORTS_SUBDIR = Path("imports") / "dpe"
DEMO_FILE = Path("demo") / "dpe_demonstration.csv"
# A share on fewer DPE is not published (NULL, statut absent, a note in qualite_valeurs); one threshold
# for both sides (commun.methode).
MIN_DPE = SEUIL_DPE
# Memory of the DuckDB import: the sort / hash steps spill to disk beyond it.
MEMORY_LIMIT = os.environ.get("ATLAS_DPE_MEMORY", "1GB")
