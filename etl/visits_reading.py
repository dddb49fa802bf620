"""Reading a visit file (CSV or XLSX) as text cells, within the limits of :mod:`commun.limites`.

The limits (file size, rows, fields per line, line and cell length, uncompressed size of an XLSX)
are checked before the parser runs, or while it runs for what only parsing reveals: a file over a
limit is refused whole, its message naming the line and the limit.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from commun import limites
from etl.errors import EtlError


def _decode(raw: bytes) -> tuple[str, str]:
    # UTF-8 (with or without BOM) first: cp1252 decodes almost anything, so it is the fallback.
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "cp1252"


_MO = 1024 * 1024  # Streamlit's maxUploadSize counts megabytes of 1 048 576 bytes


def _too_big(fichier: str, what: str, limit: str, ligne: int | None = None) -> EtlError:
    return EtlError(
        f"{what} : le fichier est refusé en entier, avant d'être analysé (limite : {limit}). "
        "Un fichier de visites tient en quelques milliers de lignes courtes ; découpez-le ou vérifiez son contenu.",
        fichier=fichier,
        ligne=ligne,
    )


def read_table(path: Path, fichier: str) -> pd.DataFrame:
    """Read a visit file as text cells (CSV ``;`` or ``,``, UTF-8 or cp1252; or XLSX), within limits.

    Every cell is a str ('' when empty); blank rows are dropped. The index is the line number
    as a spreadsheet shows it (header = line 1). The limits of :mod:`commun.limites` (file size, rows,
    fields per line, line and cell length, uncompressed size of an XLSX) are checked before the
    parser runs, or while it runs for what only parsing reveals.

    Raises
    ------
    EtlError
        When the file cannot be read or exceeds a limit (the message names the line and the limit).
    """
    if not path.is_file():
        raise EtlError("fichier introuvable", fichier=fichier)
    suffix = path.suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv", ".txt"}:
        raise EtlError("format non pris en charge : fournir un fichier .csv ou .xlsx", fichier=fichier)
    size = path.stat().st_size
    if size > limites.FICHIER_MAX_MO * _MO:
        raise _too_big(fichier, f"fichier trop volumineux ({size / _MO:.1f} Mo)", f"{limites.FICHIER_MAX_MO} Mo")
    try:
        frame = _read_xlsx(path, fichier) if suffix in {".xlsx", ".xlsm"} else _read_csv(path, fichier)
    except EtlError:
        raise
    except Exception as exc:  # pandas / openpyxl raise many types for a broken file
        raise EtlError(f"fichier illisible ({exc})", fichier=fichier) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:  # column-wise: far faster than a cell-wise map on big files
        frame[column] = frame[column].astype("str").fillna("").str.strip()
    _check_cells(frame, fichier)
    blank = (frame == "").all(axis=1)
    return frame.loc[~blank]


def _read_csv(path: Path, fichier: str) -> pd.DataFrame:
    raw = path.read_bytes()
    text, encoding = _decode(raw)
    lines = text.splitlines()
    if len(lines) - 1 > limites.LIGNES_MAX:
        raise _too_big(
            fichier,
            f"trop de lignes ({limites.nombre(len(lines) - 1)} lignes de données)",
            f"{limites.nombre(limites.LIGNES_MAX)} lignes",
            ligne=limites.LIGNES_MAX + 2,
        )
    longest = max(map(len, lines), default=0)
    if longest > limites.LIGNE_MAX_CARACTERES:
        ligne = next(i for i, line in enumerate(lines, start=1) if len(line) > limites.LIGNE_MAX_CARACTERES)
        raise _too_big(
            fichier,
            f"ligne trop longue ({limites.nombre(len(lines[ligne - 1]))} caractères)",
            f"{limites.nombre(limites.LIGNE_MAX_CARACTERES)} caractères par ligne",
            ligne=ligne,
        )
    first = lines[0] if lines else ""
    sep = ";" if first.count(";") >= first.count(",") else ","
    # Data lines cannot be wider than the header: the C parser refuses them (« Expected n fields »).
    if first.count(sep) + 1 > limites.CHAMPS_MAX:
        raise _too_big(
            fichier, f"en-tête trop large ({first.count(sep) + 1} colonnes)", f"{limites.CHAMPS_MAX} colonnes", ligne=1
        )
    del lines, text
    frame = _read_csv_arrow(raw, encoding, sep)
    if frame is not None:
        return frame
    try:
        # the bytes, with the encoding found above: the parser decodes them itself, faster than from a str
        frame = pd.read_csv(
            io.BytesIO(raw), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding=encoding
        )
    except pd.errors.ParserError as exc:
        wider = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if wider is None:
            raise
        attendus, ligne, vus = (int(n) for n in wider.groups())
        raise EtlError(
            f"ligne plus large que l'en-tête ({vus} valeurs pour {attendus} colonnes) : le fichier est refusé en "
            f"entier (un « {sep} » de trop dans une valeur ? mettez-la entre guillemets)",
            fichier=fichier,
            ligne=ligne,
        ) from exc
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


# Sequences that make a blank line, which pandas keeps as a row (its line number counts) and
# Arrow's reader refuses or drops.
_BLANK_LINES = (b"\n\n", b"\r\r", b"\n\r\n", b"\r\n\r\n")


def _read_csv_arrow(raw: bytes, encoding: str, sep: str) -> pd.DataFrame | None:
    """The UTF-8 CSV as pandas' C parser reads it (every cell a str), by Arrow's reader; None when unsure.

    Arrow's reader costs a third of pandas' on a large file. It is used only where both read the
    same cells: UTF-8, no blank line, every row as wide as a header without empty or repeated
    names. Anything else (a row too wide or too short, a cp1252 file...) returns None, and pandas'
    parser reads the file with its usual errors and line numbers.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if encoding != "utf-8-sig":
        return None
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if not body or body[:1] in (b"\n", b"\r") or any(blank in body for blank in _BLANK_LINES):
        return None
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(body),
            # the header is read as a row: its names are then cells, never types to infer
            read_options=pa_csv.ReadOptions(use_threads=False, autogenerate_column_names=True, block_size=1 << 26),
            parse_options=pa_csv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(limites.CHAMPS_MAX)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    header = [table.column(i)[0].as_py() for i in range(table.num_columns)] if table.num_rows else []
    if not header or "" in header or len(set(header)) < len(header):
        return None
    frame = (
        table.slice(1).rename_columns(header).to_pandas(types_mapper={pa.string(): pd.StringDtype(na_value=np.nan)}.get)
    )
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _read_xlsx(path: Path, fichier: str) -> pd.DataFrame:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise EtlError("fichier illisible (ce n'est pas un classeur .xlsx valide)", fichier=fichier) from exc
    # Declared sizes are binding: zipfile never inflates a member beyond its declared size.
    declared = sum(m.file_size for m in members)
    if declared > limites.XLSX_DECOMPRESSE_MAX_MO * _MO:
        raise _too_big(
            fichier,
            f"classeur trop volumineux une fois décompressé ({declared / _MO:,.0f} Mo)".replace(",", " "),
            f"{limites.XLSX_DECOMPRESSE_MAX_MO} Mo décompressés",
        )
    for member in members:
        if member.file_size > _MO and member.file_size > limites.XLSX_RATIO_MAX * max(member.compress_size, 1):
            raise _too_big(
                fichier,
                f"classeur anormalement compressé ({member.filename} : {member.file_size // max(member.compress_size, 1)} "
                "fois plus gros une fois décompressé)",
                f"un rapport de {limites.XLSX_RATIO_MAX}",
            )
    deadline = time.monotonic() + limites.DUREE_MAX_S
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) - 1 > limites.LIGNES_MAX:  # the sheet's declared dimension, when present
            raise _too_big(
                fichier,
                f"trop de lignes ({limites.nombre(sheet.max_row - 1)} lignes de données)",
                f"{limites.nombre(limites.LIGNES_MAX)} lignes",
                ligne=limites.LIGNES_MAX + 2,
            )
        rows = []
        for ligne, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if ligne > limites.LIGNES_MAX + 1:
                raise _too_big(fichier, "trop de lignes", f"{limites.nombre(limites.LIGNES_MAX)} lignes", ligne=ligne)
            if ligne % 1000 == 0 and time.monotonic() > deadline:
                raise EtlError(
                    f"lecture du classeur trop longue (plus de {limites.DUREE_MAX_S} s) : le fichier est refusé",
                    fichier=fichier,
                    ligne=ligne,
                )
            cells = [_cell_text(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if len(cells) > limites.CHAMPS_MAX:
                raise _too_big(
                    fichier, f"ligne trop large ({len(cells)} cellules)", f"{limites.CHAMPS_MAX} colonnes", ligne=ligne
                )
            rows.append(cells)
    finally:
        book.close()
    header = rows[0] if rows else []
    width = max(map(len, rows), default=0)
    names, seen = [], {}
    for i in range(width):
        name = header[i] if i < len(header) and header[i] else f"Unnamed: {i}"
        seen[name] = seen.get(name, -1) + 1
        names.append(name if not seen[name] else f"{name}.{seen[name]}")
    body = [cells + [""] * (width - len(cells)) for cells in rows[1:]]
    frame = pd.DataFrame(body, columns=names, dtype="str")
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # every sheet row, blank ones included
    return frame


def _check_cells(frame: pd.DataFrame, fichier: str) -> None:
    for column in frame.columns:
        lengths = frame[column].str.len().to_numpy(dtype=np.int64, na_value=0)
        if len(lengths) and lengths.max() > limites.CELLULE_MAX_CARACTERES:
            position = int(np.argmax(lengths > limites.CELLULE_MAX_CARACTERES))
            raise EtlError(
                f"cellule trop longue ({limites.nombre(int(lengths[position]))} caractères) : le fichier est refusé "
                f"en entier (limite : {limites.nombre(limites.CELLULE_MAX_CARACTERES)} caractères par cellule)",
                fichier=fichier,
                ligne=int(frame.index[position]),
                colonne=column,
            )


def _cell_text(value) -> str:
    # openpyxl gives datetimes for date cells and ints / floats for numbers.
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
