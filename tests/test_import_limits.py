"""A visit file far outside its bounds is refused before the parser spends time or memory on it.

Issue 19, item 9: a line of 10⁶ fields stalled ``read_csv`` for minutes, a small XLSX of repeated
rows unpacked to gigabytes, Streamlit accepted 200 MB uploads. Limits: :mod:`commun.limites`.
"""

import shutil
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from commun import limites
from commun.config import ROOT
from etl import visits, visits_reading
from etl.__main__ import main
from etl.errors import EtlError

HEADER = "date_contact;structure;code_commune;canal;bilan_realise;non_recours"
ROW = "2025-02-03;Association;49007;permanence;oui;RSA"


def _csv(tmp_path: Path, lines: list[str], name: str = "visites.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx(tmp_path: Path, rows: int, name: str = "visites.xlsx") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    for _ in range(rows):
        sheet.append(ROW.split(";"))
    path = tmp_path / name
    book.save(path)
    return path


def test_a_line_of_a_million_fields_is_refused_in_well_under_a_second(tmp_path):
    path = _csv(tmp_path, [HEADER, ROW, ";" * 1_000_000])
    debut = time.perf_counter()
    with pytest.raises(EtlError) as error:
        visits_reading.read_table(path, "visites.csv")
    assert time.perf_counter() - debut < 2  # read_csv took more than 5 minutes on this line
    message = str(error.value)
    assert "fichier visites.csv, ligne 3 : ligne trop longue (1 000 000 caractères)" in message
    assert "limite : 4 000 caractères par ligne" in message


def test_a_header_of_a_million_columns_is_refused_at_line_one(tmp_path):
    path = _csv(tmp_path, [";".join(["x"] * 1_000_000), ROW])
    with pytest.raises(EtlError, match=r"ligne 1 : ligne trop longue"):
        visits_reading.read_table(path, "visites.csv")


def test_a_header_wider_than_the_limit_is_refused_before_parsing(tmp_path):
    path = _csv(tmp_path, [";".join(f"c{i}" for i in range(limites.CHAMPS_MAX + 1)), ROW])
    with pytest.raises(EtlError, match=rf"ligne 1 : en-tête trop large \(41 colonnes\).*limite : {limites.CHAMPS_MAX}"):
        visits_reading.read_table(path, "visites.csv")


def test_a_data_line_wider_than_the_header_is_refused_in_french_naming_its_line(tmp_path):
    path = _csv(tmp_path, [HEADER, ROW, ROW, ROW + ";en trop;encore"])
    with pytest.raises(EtlError, match=r"ligne 4 : ligne plus large que l'en-tête \(8 valeurs pour 6 colonnes\)"):
        visits_reading.read_table(path, "visites.csv")


def test_too_many_rows_are_refused_naming_the_first_line_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limites, "LIGNES_MAX", 3)
    path = _csv(tmp_path, [HEADER] + [ROW] * 4)
    with pytest.raises(EtlError, match=r"ligne 5 : trop de lignes \(4 lignes de données\).*limite : 3 lignes"):
        visits_reading.read_table(path, "visites.csv")


def test_a_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "enorme.csv"
    with open(path, "wb") as sortie:  # sparse: nothing written but the size
        sortie.truncate((limites.FICHIER_MAX_MO + 1) * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda _self: pytest.fail("the file was read"))
    with pytest.raises(EtlError, match=rf"fichier trop volumineux \(31.0 Mo\).*limite : {limites.FICHIER_MAX_MO} Mo"):
        visits_reading.read_table(path, "enorme.csv")


def test_an_overlong_cell_refuses_the_file_naming_its_line_and_column(tmp_path):
    path = _csv(tmp_path, [HEADER, ROW, ROW.replace("Association", "A" * 600)])
    with pytest.raises(EtlError) as error:
        visits_reading.read_table(path, "visites.csv")
    assert "ligne 3, colonne « structure » : cellule trop longue (600 caractères)" in str(error.value)


def _declare_uncompressed_size(path: Path, member: str, size: int) -> None:
    """Rewrite the central directory so that ``member`` claims ``size`` bytes once inflated."""
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + name_length].decode() == member:
            data[start + 24 : start + 28] = size.to_bytes(4, "little")
        start += 4
    path.write_bytes(bytes(data))


def test_an_xlsx_declaring_a_huge_uncompressed_size_is_refused_before_openpyxl_parses_it(tmp_path, monkeypatch):
    path = _xlsx(tmp_path, 2)
    _declare_uncompressed_size(path, "xl/worksheets/sheet1.xml", 3_000_000_000)
    assert sum(m.file_size for m in zipfile.ZipFile(path).infolist()) > 2_900_000_000
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *_a, **_k: pytest.fail("openpyxl parsed the file"))
    with pytest.raises(EtlError) as error:
        visits_reading.read_table(path, "visites.xlsx")
    assert "classeur trop volumineux une fois décompressé" in str(error.value)
    assert f"limite : {limites.XLSX_DECOMPRESSE_MAX_MO} Mo décompressés" in str(error.value)


def test_a_zip_bomb_member_is_refused_by_its_compression_ratio(tmp_path):
    path = _xlsx(tmp_path, 2)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * 4_000_000)  # about a thousand times smaller zipped
    with pytest.raises(EtlError, match=r"classeur anormalement compressé \(xl/media/zeros.bin"):
        visits_reading.read_table(path, "visites.xlsx")


def test_an_xlsx_with_too_many_rows_is_refused_at_the_first_line_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limites, "LIGNES_MAX", 3)
    with pytest.raises(EtlError, match=r"ligne 5 : trop de lignes"):
        visits_reading.read_table(_xlsx(tmp_path, 10), "visites.xlsx")


def test_reading_an_xlsx_stops_when_it_takes_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr(limites, "DUREE_MAX_S", -1)
    with pytest.raises(EtlError, match=r"ligne 1000 : lecture du classeur trop longue"):
        visits_reading.read_table(_xlsx(tmp_path, 1200), "visites.xlsx")


def test_an_xlsx_within_the_limits_still_reads_every_row(tmp_path):
    frame = visits_reading.read_table(_xlsx(tmp_path, 3), "visites.xlsx")
    assert list(frame.index) == [2, 3, 4]
    assert frame.iloc[0].tolist() == ROW.split(";")


def test_streamlit_upload_limit_is_the_one_the_import_page_states():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == limites.TELEVERSEMENT_MAX_MO
    page = (ROOT / "pages" / "importer_visites.py").read_text(encoding="utf-8")
    assert "limites.TELEVERSEMENT_MAX_MO" in page


def test_the_cli_refuses_an_oversized_file_in_french_and_leaves_the_database_unchanged(built_db, tmp_path, capsys):
    db = tmp_path / "base" / "atlas.duckdb"
    db.parent.mkdir()
    shutil.copy(built_db, db)
    before = db.read_bytes()
    path = _csv(tmp_path, [HEADER, ";" * 1_000_000])
    assert main(["import-visits", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ERREUR : fichier visites.csv, ligne 2 : ligne trop longue")
    assert db.read_bytes() == before
    assert not visits.rejects_path(path).exists()
