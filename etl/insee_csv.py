"""Tolerant reader for official INSEE-style CSV files (Filosofi, CNAF by IRIS, ANCT QPV...).

Every loader of statistical tables goes through :func:`read_insee_csv` then
:func:`parse_values`, so that the same conventions apply everywhere:

- encoding: UTF-8 with or without BOM, else cp1252 (a superset of latin-1 for printable
  characters); CRLF or LF line endings; separator ``;`` or ``,`` (sniffed on the header line);
- everything is read as text, then numbers are converted explicitly: decimal comma (``17,0``),
  space, no-break space or narrow no-break space as thousands separator (``1 672``);
- ``s`` (and ``ns``, non significatif, in IRIS files) is an INSEE secret cell: NULL with statut
  ``secret`` (never 0); ``nd``, ``ND``, ``so`` (sans objet) and empty cells are NULL with statut
  ``absent``; anything else that is not a number is reported as a
  rejected cell with a French reason, never coerced to 0;
- an empty cell means what its file says: ``absent`` by default, ``secret`` in the files that
  write INSEE's secret as an empty cell instead of ``s`` (:data:`BLANK_IS_SECRET`, the Filosofi
  2019 commune file), passed to :func:`parse_values` as ``blank``;
- column names suffixed with a two-digit year (``TP6021``, ``MED21``, ``Q219``, ``DEC_TP6021``)
  are split into (base, millésime) by :func:`split_millesime`, so that a 2019 and a 2021 file are
  read by the same code;
- empty trailing header columns (``;;;`` at the end of the QPV files) are dropped;
- the producer's reliability flags of a row (Filosofi IRIS: ``DEC_INCERT21 = 2``, ``DEC_NOTE21 =
  1``) become one note per published value in ``qualite_valeurs`` (:func:`insert_reliability_notes`).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.errors import EtlError

# « s » secret statistique; « ns » (IRIS files) non significatif: the figure exists but is not
# disseminated, which is a secret for the user. « so » sans objet and « nd » non disponible: no
# figure exists.
SECRET_TOKENS = {"s", "ns"}
ABSENT_TOKENS = {"", "nd", "ND", "n.d.", "NA", "so"}
# Spaces used as thousands separators by INSEE and spreadsheet exports.
THOUSANDS = re.compile(r"[ \u00a0\u202f]")
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
# A two-digit year at the end of a column name. Not after "_" (``ENF_18_24`` is an age band)
# and only plausible years (``TP60`` of the QPV files is not "TP, 2060", ``APRES100`` not 2000).
YEAR_SUFFIX = re.compile(r"^(?P<base>.*[A-Za-z].*)(?P<yy>\d{2})$")
PLAUSIBLE_YEARS = range(2005, 2040)
#: Files (name patterns, :meth:`pathlib.PurePath.match`) whose empty cells are INSEE's secret: the
#: Filosofi 2019 commune file writes no « s », its secret cells are left empty.
BLANK_IS_SECRET = ("FILO2019_DISP_COM*.csv",)


def blank_statut(path: Path) -> str:
    """What an empty cell of a file means: ``secret`` for :data:`BLANK_IS_SECRET` files, else ``absent``."""
    return "secret" if any(Path(path).match(pattern) for pattern in BLANK_IS_SECRET) else "absent"


@dataclass
class InseeTable:
    """A CSV file read as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per data line, every column as text (missing = ``NA``), plus ``ligne``: the line
        number as an editor shows it (header = 1).
    fichier : str
        Name of the file in messages.
    id_column : str
        The identifying column found (``CODGEO``, ``IRIS``...).
    encoding, separator : str
        What was detected.
    """

    frame: pd.DataFrame
    fichier: str
    id_column: str
    encoding: str
    separator: str


def _decode(raw: bytes, fichier: str) -> tuple[str, str]:
    if b"\x00" in raw[:4096]:
        raise EtlError("le fichier n'est pas un fichier texte CSV (contenu binaire)", fichier=fichier)
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 decodes any byte.
        return raw.decode("latin-1"), "latin-1"


def read_insee_csv(path: Path, fichier: str | None = None, id_columns: tuple[str, ...] = ("CODGEO",)) -> InseeTable:
    """Read an INSEE-style CSV file as text, detecting encoding and separator.

    A file read again with the same content (the national Filosofi commune file feeds both the
    values and the estimate) is parsed once per process: the table is kept, keyed by the SHA-256
    of the bytes, and each call gets its own copy of the frame.

    Parameters
    ----------
    path : Path
        The CSV file.
    fichier : str, optional
        How the file is named in messages (default: the file name).
    id_columns : tuple of str
        Accepted names of the identifying column, first found wins (``("CODGEO", "IRIS")``).

    Returns
    -------
    InseeTable

    Raises
    ------
    EtlError
        When the file is missing, is not text, has no header, or lacks the identifying column;
        the message names the file, the line and the column.
    """
    fichier = fichier or path.name
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=fichier)
    raw = path.read_bytes()
    key = hashlib.sha256(raw).digest()
    with _PARSED_LOCK:
        parsed = _PARSED.get(key)
        if parsed is not None:
            _PARSED.move_to_end(key)
    if parsed is None:
        parsed = _parse(raw, fichier)
        with _PARSED_LOCK:
            _PARSED[key] = parsed
            while len(_PARSED) > _PARSED_MAX:
                _PARSED.popitem(last=False)
    frame, header, encoding, separator = parsed
    id_column = next((c for c in id_columns if c in header), None)
    if id_column is None:
        raise EtlError(
            f"colonne d'identifiant absente de l'en-tête (attendue : {' ou '.join(id_columns)})",
            fichier=fichier,
            ligne=1,
            colonne=id_columns[0],
        )
    # the kept frame is never handed out: a caller adding a column changes its own copy only
    return InseeTable(frame.copy(), fichier, id_column, encoding, separator)


# Parsed files by the SHA-256 of their content (an edited file is parsed again): the frame, the
# header, the encoding and the separator. Enough entries for every file of a build (26 reads of
# 22 files, a few MB of text): a file is read again several steps later.
_PARSED: OrderedDict[bytes, tuple[pd.DataFrame, list[str], str, str]] = OrderedDict()
_PARSED_MAX = 32
_PARSED_LOCK = threading.Lock()
# A cell to strip: blank space at the start or end of a line, or beside a separator.
_EDGE_SPACE = {sep: re.compile(rf"(?:^|{sep})\s|\s(?:{sep}|$)") for sep in (";", ",")}


def _parse(raw: bytes, fichier: str) -> tuple[pd.DataFrame, list[str], str, str]:
    text, encoding = _decode(raw, fichier)
    lines = text.splitlines()  # handles CRLF, LF and CR
    if not lines or not lines[0].strip():
        raise EtlError("fichier vide ou sans ligne d'en-tête", fichier=fichier, ligne=1)
    header_line = lines[0]
    separator = ";" if header_line.count(";") >= header_line.count(",") else ","
    header = [name.strip().strip('"') for name in header_line.split(separator)]
    # Drop empty trailing header columns (``CODGEO;...;NOTE_CNAF;;;;``); an empty name elsewhere
    # is kept under a placeholder so that positions stay aligned.
    while header and header[-1] == "":
        header.pop()
    names = [name or f"colonne_vide_{i + 1}" for i, name in enumerate(header)]
    width = len(names)
    edge = _EDGE_SPACE[separator]
    rows = []
    numbers = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip(separator + " \t"):
            continue  # blank line (often the last one)
        fields = _split(line, separator)
        # str.strip on every cell costs more than the rest of the parse; most lines have no
        # blank space to strip (re's \s and str.strip share one definition of white space)
        if '"' in line or edge.search(line):
            fields = [field.strip() for field in fields]
        if len(fields) != width:
            fields = (fields + [""] * width)[:width]
        rows.append(fields)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names, dtype=object)
    frame = frame.astype("string")
    for position in range(width):  # an empty cell is missing (NA)
        column = frame.iloc[:, position]
        empty = (column == "").to_numpy(dtype=bool, na_value=False)
        if empty.any():
            frame.isetitem(position, column.mask(empty))
    frame["ligne"] = numbers
    return frame, header, encoding, separator


def _split(line: str, separator: str) -> list[str]:
    if '"' not in line:
        return line.split(separator)
    # Rare quoted fields (names with the separator inside): fall back on the csv module.
    import csv

    return next(csv.reader([line], delimiter=separator))


def split_millesime(column: str) -> tuple[str, int | None]:
    """Split a year-suffixed INSEE column name into its base and millésime.

    Parameters
    ----------
    column : str
        ``TP6021``, ``MED21``, ``Q219``, ``NBMENFISC21``, ``DEC_TP6021``, ``PPSOC19``...

    Returns
    -------
    tuple
        ``(base, year)`` such as ``("TP60", 2021)``; ``(column, None)`` when the name carries no
        year (``RD``, ``Q3_Q1``, ``ENF_18_24``, ``TP60`` in the QPV files).

    Examples
    --------
    >>> split_millesime("TP6021"), split_millesime("Q219"), split_millesime("RD")
    (('TP60', 2021), ('Q2', 2019), ('RD', None))
    """
    match = YEAR_SUFFIX.match(column)
    if match is None:
        return column, None
    year = 2000 + int(match["yy"])
    base = match["base"]
    # TP60 alone would read as (TP, 2060): refuse implausible years and bases that are not names.
    if year not in PLAUSIBLE_YEARS or base.endswith("_"):
        return column, None
    return base, year


INVALID_REASON = "valeur non numérique (attendu : un nombre, « s » si secret, vide ou « nd » si non disponible)"


def parse_cell(cell: str | None, blank: str = "absent") -> tuple[float, str]:
    """Convert one text cell to ``(number, statut)``.

    Parameters
    ----------
    cell : str or None
        The raw text (``"1 672"``, ``"17,0"``, ``"s"``, ``"nd"``, ``""``...).
    blank : {"absent", "secret"}
        Statut of an empty cell (see :func:`blank_statut`).

    Returns
    -------
    tuple
        ``(value, "ok")``, ``(nan, "secret")``, ``(nan, "absent")`` or ``(nan, "invalide")`` when
        the cell is not a number (the caller rejects it; it is never coerced to 0).

    Examples
    --------
    >>> parse_cell("1 672"), parse_cell("17,0"), parse_cell("s")
    ((1672.0, 'ok'), (17.0, 'ok'), (nan, 'secret'))
    """
    text = "" if cell is None else str(cell).strip()
    if text == "":
        return np.nan, blank
    if text in SECRET_TOKENS:
        return np.nan, "secret"
    if text in ABSENT_TOKENS:
        return np.nan, "absent"
    compact = THOUSANDS.sub("", text)
    if not NUMBER.match(compact):
        return np.nan, "invalide"
    return float(compact.replace(",", ".")), "ok"


def parse_values(frame: pd.DataFrame, columns: list[str], blank: str = "absent") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Convert text cells to numbers with a statut, and list the cells that are not numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Text columns as returned by :func:`read_insee_csv` (with ``ligne``).
    columns : list of str
        The value columns to convert.
    blank : {"absent", "secret"}
        Statut of an empty cell: ``secret`` for a file that writes INSEE's secret as an empty
        cell (:func:`blank_statut`).

    Returns
    -------
    values : pandas.DataFrame
        Same index as ``frame``; for each column ``c``: ``c`` (float, NaN unless ok) and
        ``c__statut`` (``ok``, ``secret``, ``absent``, or ``invalide`` for a rejected cell).
    problems : pandas.DataFrame
        One row per unparsable cell: ``ligne``, ``colonne``, ``valeur``, ``motif`` (French).
    """
    out = {}
    problems = []
    lignes = frame["ligne"].to_numpy(dtype=object)
    for column in columns:
        numbers, statuts = [], []
        for ligne, cell in zip(lignes, frame[column].to_numpy(dtype=object, na_value=None), strict=True):
            number, statut = parse_cell(cell, blank)
            numbers.append(number)
            statuts.append(statut)
            if statut == "invalide":
                problems.append({"ligne": int(ligne), "colonne": column, "valeur": str(cell), "motif": INVALID_REASON})
        out[column] = np.array(numbers, dtype=float)
        out[f"{column}__statut"] = np.array(statuts, dtype=object)
    values = pd.DataFrame(out, index=frame.index)
    return values, pd.DataFrame(problems, columns=["ligne", "colonne", "valeur", "motif"])


def file_millesime(columns: list[str], fichier: str) -> int | None:
    """The single millésime carried by the year-suffixed columns of a file.

    Raises
    ------
    EtlError
        When the columns carry several different years (a mixed or corrupted header).
    """
    years = {year for _, year in map(split_millesime, columns) if year is not None}
    if len(years) > 1:
        raise EtlError(f"millésimes multiples dans l'en-tête : {sorted(years)}", fichier=fichier, ligne=1)
    return years.pop() if years else None


#: Reliability flags of a row (base column name without the year → flagged value, note). INSEE's
#: Filosofi IRIS files: ``DEC_INCERT`` (indicateur d'incertitude) = 2 marks an IRIS whose figures
#: are to be read with caution (221 IRIS of the region in 2021); ``DEC_NOTE`` = 1 is Filosofi's
#: own « à interpréter avec prudence » note. ``NOTE`` of the CNAF files is not one of them: a
#: non-zero NOTE comes with every figure withheld (stored ``secret`` by etl/cnaf.py).
RELIABILITY_FLAGS = {
    "DEC_INCERT": ("2", "à interpréter avec prudence (INSEE, indicateur d'incertitude {colonne} = 2)"),
    "DEC_NOTE": ("1", "à interpréter avec prudence (INSEE, note Filosofi {colonne} = 1)"),
}


def reliability_notes(frame: pd.DataFrame, id_column: str, long: pd.DataFrame) -> pd.DataFrame:
    """Quality notes of the published values of the rows that the producer flags as unreliable.

    Parameters
    ----------
    frame : pandas.DataFrame
        Text columns as read by :func:`read_insee_csv` (the rows loaded).
    id_column : str
        Column whose value is ``long.code``.
    long : pandas.DataFrame
        The ``valeurs`` rows of these lines (:func:`etl.valeurs.melt_values`).

    Returns
    -------
    pandas.DataFrame
        Columns ``indicateur, niveau, code, millesime, note``: one row per flag and published value.
    """
    parts = []
    for column in frame.columns:
        base, _ = split_millesime(column)
        if base not in RELIABILITY_FLAGS:
            continue
        flagged_value, note = RELIABILITY_FLAGS[base]
        flagged = set(frame.loc[frame[column] == flagged_value, id_column].dropna())
        rows = long[long["code"].isin(flagged) & (long["statut"] == "ok")]
        parts.append(rows[["indicateur", "niveau", "code", "millesime"]].assign(note=note.format(colonne=column)))
    if not parts:
        return pd.DataFrame(columns=["indicateur", "niveau", "code", "millesime", "note"])
    return pd.concat(parts, ignore_index=True)


def insert_reliability_notes(con, frame: pd.DataFrame, id_column: str, long: pd.DataFrame) -> int:
    """Insert :func:`reliability_notes` into ``qualite_valeurs``; return the number of notes."""
    notes = reliability_notes(frame, id_column, long)
    if notes.empty:
        return 0
    con.register("stg_notes_fiabilite", notes)
    try:
        con.execute("insert into qualite_valeurs by name select * from stg_notes_fiabilite")
    finally:
        con.unregister("stg_notes_fiabilite")
    return len(notes)
