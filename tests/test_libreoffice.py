"""CSV exports open correctly in French LibreOffice: converted to XLSX headless and read back.

Integration test: it needs the Debian package ``libreoffice-calc-nogui`` (installed by ``.ci/run``)
and skips with the reason when ``libreoffice`` is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from atlas import explorer, indicateurs
from atlas.exports import FILTRE_LIBREOFFICE, LIGNE_FORMAT, csv_fr


def _convertir(csv_path, tmp_path, filtre: str | None = FILTRE_LIBREOFFICE):
    libreoffice = shutil.which("libreoffice") or shutil.which("soffice")
    if libreoffice is None:
        raison = "LibreOffice absent : installer le paquet Debian « libreoffice-calc-nogui »"
        if os.environ.get("CI"):
            pytest.fail(raison + " (obligatoire en CI)")
        pytest.skip(raison)
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation=file://{tmp_path / 'profil'}",  # own profile: no clash with a running instance
            "--headless",
            *([f"--infilter={filtre}"] if filtre else []),
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return list(openpyxl.load_workbook(tmp_path / (csv_path.stem + ".xlsx")).active.iter_rows(values_only=True))


def test_the_explorer_export_reads_back_in_libreoffice_with_french_headers_codes_numbers_secrets_accents(
    app_env, tmp_path
):
    ind = indicateurs.indicateur("taux_pauvrete")
    data = indicateurs.valeurs("taux_pauvrete", "commune", "2021")
    export = explorer.tableau_export(data, ind, "2021")
    entete = ["Taux de pauvreté (%) — Communes ; millésime 2021", "Source : INSEE, Filosofi 2021"]
    chemin = tmp_path / "taux_pauvrete.csv"
    chemin.write_bytes(csv_fr(export, entete))

    lignes = _convertir(chemin, tmp_path)

    # the header lines stay whole, one cell each
    assert lignes[0][0] == "# Taux de pauvreté (%) — Communes, millésime 2021"  # « ; » → « , »
    assert set(lignes[0][1:]) == {None}
    assert lignes[2][0].startswith("# Date d'extraction : ")
    assert lignes[3][0] == "# " + LIGNE_FORMAT
    entetes = lignes[4]
    assert entetes[:5] == ("Code", "Territoire", "Taux de pauvreté (seuil à 60 %) 2021", "Statut",
                           "Rang (1 = valeur la plus élevée)")  # fmt: skip
    assert "Méthode d'estimation" in entetes
    relues = {r[0]: dict(zip(entetes, r, strict=True)) for r in lignes[5:]}
    assert len(relues) == len(export) == 1228
    assert all(isinstance(code, str) and len(code) == 5 for code in relues)  # codes are text, not numbers
    angers = relues["49007"]
    # decimal comma read as a number, not as text
    assert isinstance(angers[entetes[2]], (int, float)) and angers[entetes[2]] == pytest.approx(21.0)
    assert angers["Statut"] == "Disponible" and isinstance(angers[entetes[4]], int)
    for ligne in export.itertuples(index=False, name=None):
        ecrite = dict(zip(export.columns, ligne, strict=True))
        relue = relues[ecrite["Code"]]
        assert relue["Territoire"] == ecrite["Territoire"]  # accents and apostrophes intact (UTF-8)
        assert relue["Statut"] == ecrite["Statut"]
        if ecrite["Statut"] in ("Disponible", "Estimation de l'atlas"):
            # an estimate keeps its statut beside its number: never read as an INSEE figure
            assert relue[entetes[2]] == pytest.approx(float(ecrite[entetes[2]]))  # written rounded (Decimal)
        else:
            assert relue[entetes[2]] is None  # secret cells come back empty, never 0
    assert any(r["Statut"] == "Secret statistique" for r in relues.values())
    assert any(r["Statut"] == "Estimation de l'atlas" for r in relues.values())
    assert any("î" in r["Territoire"] or "é" in r["Territoire"] for r in relues.values())


def test_a_code_with_a_leading_zero_stays_text_in_libreoffice(tmp_path):
    chemin = tmp_path / "codes.csv"
    chemin.write_bytes(csv_fr(pd.DataFrame({"Code": ["01053", "2A004"], "Territoire": ["Bourg-en-Bresse", "Ajaccio"]})))
    lignes = _convertir(chemin, tmp_path)
    assert [r[0] for r in lignes[-2:]] == ["01053", "2A004"]


def test_without_import_options_libreoffice_reads_windows_1252_and_commas_as_the_docs_say(tmp_path):
    # docs/exports.md tells why the options are needed: this is what a plain conversion does
    chemin = tmp_path / "plain.csv"
    chemin.write_bytes(csv_fr(pd.DataFrame({"Territoire": ["Angers"], "Taux (%)": [21.5]}), ["Taux de pauvreté"]))
    lignes = _convertir(chemin, tmp_path, filtre=None)
    # the BOM and the UTF-8 « é » read as Windows-1252: « ï»¿# Taux de pauvretÃ© »
    assert lignes[0][0] == "\ufeff# Taux de pauvreté".encode("utf-8").decode("cp1252")
    assert lignes[-1][:2] == ('"Angers";21', 5)  # split on the decimal comma, quotes kept
