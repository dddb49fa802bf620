"""Import of ADEME DPE extracts (``python -m etl import-dpe FILE``): passoires per territory.

Input: an extract of the DPE of existing dwellings, CSV (plain or ``.gz``, ``,`` or ``;``) or
Parquet, in either official layout, recognised from its header (:mod:`etl.dpe.schema`):
``dpe03existant`` (current, snake_case) or ``dpe-v2-logements-existants`` (legacy). A header
missing a required column refuses the file whole (French message naming the file and the
columns), before anything is stored.

Everything runs **in DuckDB, streaming**, in one pass over the files, under a memory limit
(:data:`MEMORY_LIMIT`, spilled to disk beyond): the file is never held in Python, and the process
imports neither pandas nor NumPy. Storage: **only the aggregates** (``dpe_agregats``), never one
row per DPE. Several extracts add up with each DPE number counted once, and a later extract may
bring a newer DPE of a dwelling of an earlier one; both need every DPE of every extract, so every
import re-reads all the kept extracts (``<database folder>/imports/dpe/``, kept anyway for
``etl build``) plus the new one: the database stays small, and the result does not depend on the
order of the imports.

Latest DPE per dwelling. A dwelling is identified by ``identifiant_ban`` (BAN address) +
``type_batiment`` + ``complement_adresse_logement`` (flat, floor) + the surface rounded to the
m² (flats of one building share the address), hashed; without ``identifiant_ban`` the DPE is its
own dwelling. Of a dwelling's DPE only the latest (``date_etablissement_dpe``; between DPE of the
same day, a fixed choice by a hash of the number) counts, unless another DPE names it in
``numero_dpe_remplace``: then the dwelling counts no DPE.

Demonstration: a real import deletes the demonstration DPE; ``etl build`` replays the kept real
extracts or, without any, generates a demonstration extract (:mod:`etl.dpe_demo`) and labels every
figure « démonstration ».

Modules, in the order an import runs them:

- :mod:`etl.dpe.schema`: the two layouts and the header of a file;
- :mod:`etl.dpe.reading`: the SQL reading one extract (needed columns, as text);
- :mod:`etl.dpe.aggregation`: the streaming pass (``etl/sql/dpe/classification.sql``,
  ``aggregation.sql``) and the first line of each reject reason;
- :mod:`etl.dpe.accounting`: rows read = loaded + rejected + duplicates + out of scope, per file;
- :mod:`etl.dpe.publishing`: ``dpe_agregats``, the indicators in ``valeurs`` and their notes;
- :mod:`etl.dpe.importing`: ``import-dpe`` and the build step, keeping the extract
  (:mod:`etl.kept_files`);
- :mod:`etl.dpe.constants`: sources, folders, the 20-DPE threshold, the memory limit.
"""

from etl.dpe.accounting import DpeReport, load_dpe
from etl.dpe.aggregation import HORS_CHAMP, MOTIFS, PERIODES, TYPES
from etl.dpe.constants import DEMO_FILE, IMPORTS_SUBDIR, MEMORY_LIMIT, MIN_DPE, SOURCE, SOURCE_DEMO
from etl.dpe.importing import ImportResult, import_dpe, kept_extracts, load_for_build, verify_kept
from etl.dpe.publishing import INDICATEURS, publish
from etl.dpe.reading import TRIMMED
from etl.dpe.schema import FIELDS, REQUIRED, SCHEMAS, detect_schema

__all__ = [
    "DEMO_FILE",
    "FIELDS",
    "HORS_CHAMP",
    "IMPORTS_SUBDIR",
    "INDICATEURS",
    "MEMORY_LIMIT",
    "MIN_DPE",
    "MOTIFS",
    "PERIODES",
    "REQUIRED",
    "SCHEMAS",
    "SOURCE",
    "SOURCE_DEMO",
    "TRIMMED",
    "TYPES",
    "DpeReport",
    "ImportResult",
    "detect_schema",
    "import_dpe",
    "kept_extracts",
    "load_dpe",
    "load_for_build",
    "publish",
    "verify_kept",
]
