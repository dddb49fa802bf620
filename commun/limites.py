"""Limits of a visit file, checked before or while it is parsed (one place for all of them).

A visit file comes from a spreadsheet of one structure: a few hundred rows a month, fourteen
columns, short cells. A file far outside these bounds is a mistake or an attack (a line of a
million fields stalls ``read_csv`` for minutes, a small XLSX of repeated rows unpacks to gigabytes):
it is refused whole, with a French message naming the file, the line and the limit, before the
parser spends time or memory on it.

=================================  ==========  ==================================================
limit                              value       checked
=================================  ==========  ==================================================
``TELEVERSEMENT_MAX_MO``           20 Mo       by Streamlit (``server.maxUploadSize``)
``FICHIER_MAX_MO``                 30 Mo       file size, before reading it
``LIGNES_MAX``                     200 000     rows (CSV lines before parsing; XLSX while reading)
``CHAMPS_MAX``                     40          fields of any line (header width included)
``LIGNE_MAX_CARACTERES``           4 000       characters of one CSV line, before parsing
``CELLULE_MAX_CARACTERES``         500         characters of one cell
``XLSX_DECOMPRESSE_MAX_MO``        150 Mo      declared uncompressed size of the XLSX (zip)
``XLSX_RATIO_MAX``                 200         compression ratio of one zip member (zip bomb)
``DUREE_MAX_S``                    120 s       reading an XLSX (a time limit on its parsing)
``TEXTE_LIBRE_MAX_CARACTERES``     80          one value (longer: the row is rejected)
=================================  ==========  ==================================================

200 000 rows of the import format weigh about 29 Mo as CSV: the file size limit lets a file of a
whole year of a large structure through; the upload limit (20 Mo, about 140 000 rows) is stated on
the import page. ``.streamlit/config.toml`` must keep ``server.maxUploadSize`` equal to
``TELEVERSEMENT_MAX_MO`` (a test checks it).
"""

from __future__ import annotations

TELEVERSEMENT_MAX_MO = 20
FICHIER_MAX_MO = 30
LIGNES_MAX = 200_000
CHAMPS_MAX = 40
LIGNE_MAX_CARACTERES = 4_000
CELLULE_MAX_CARACTERES = 500
XLSX_DECOMPRESSE_MAX_MO = 150
XLSX_RATIO_MAX = 200
DUREE_MAX_S = 120
TEXTE_LIBRE_MAX_CARACTERES = 80


def nombre(n: int) -> str:
    """An integer written the French way (``200 000``) for the messages."""
    return f"{n:,}".replace(",", " ")
