"""CSV exports open correctly in French LibreOffice: converted to XLSX headless and read back.

Integration test: it needs the Debian package ``libreoffice-calc-nogui`` (installed by ``.ci/run``)
and skips with the reason when ``libreoffice`` is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import openpyxl
import pytest

from atlas import indicateurs
from atlas.exports import csv_fr

# CSV import options of a French LibreOffice: separator « ; » (59), text delimiter « " » (34),
# UTF-8 (76), data from line 1, default column types, locale fr-FR (1036).
FILTRE_CSV_FR = "CSV:59,34,76,1,,1036"


def _convertir(csv_path, tmp_path):
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
            f"--infilter={FILTRE_CSV_FR}",
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


def test_poverty_export_reads_back_in_libreoffice_with_numbers_secrets_and_accents(app_env, tmp_path):
    data = indicateurs.valeurs("taux_pauvrete", "commune", "2021")
    # a column with decimals (shares of passoires) besides the whole-number poverty rates
    passoires = indicateurs.valeurs("dpe_part_passoires", "commune", "2025").set_index("code")["valeur"]
    export = data[["code", "nom", "valeur", "statut", "rang"]].assign(passoires=data["code"].map(passoires))
    entete = ["Taux de pauvreté (%) — Communes ; millésime 2021", "Source : INSEE, Filosofi 2021"]
    chemin = tmp_path / "taux_pauvrete.csv"
    chemin.write_bytes(csv_fr(export, entete))

    lignes = _convertir(chemin, tmp_path)

    # the header lines stay whole, one cell each
    assert lignes[0][0] == "# Taux de pauvreté (%) — Communes , millésime 2021"
    assert lignes[0][1:] == (None,) * 5
    assert lignes[2][0].startswith("# Date d'extraction : ")
    assert lignes[3] == ("code", "nom", "valeur", "statut", "rang", "passoires")
    relues = {str(r[0]): r for r in lignes[4:]}
    assert len(relues) == len(export) == 1228
    angers = relues["49007"]
    # decimal comma read as a number, not as text
    assert isinstance(angers[2], (int, float)) and angers[2] == pytest.approx(21.0)
    for ligne in export.itertuples():
        relue = relues[ligne.code]
        assert relue[5] is None if ligne.passoires != ligne.passoires else relue[5] == pytest.approx(ligne.passoires)
        assert relue[1] == ligne.nom  # accents and apostrophes intact (UTF-8 with BOM)
        if ligne.statut in ("ok", "estime"):
            # an estimate keeps its statut beside its number: never read as an INSEE figure
            assert relue[2] == pytest.approx(ligne.valeur)
            assert relue[3] == ligne.statut
        else:
            assert relue[2] is None  # secret cells come back empty, never 0
            assert relue[3] == ligne.statut
