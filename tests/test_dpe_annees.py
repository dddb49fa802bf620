"""DPE by year of diagnosis in ``valeurs``: a change between two years, the 20-DPE rule, no partial year."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from atlas.evolutions import calculer
from etl.dpe import import_dpe

COLONNES = [
    "numero_dpe",
    "date_etablissement_dpe",
    "etiquette_dpe",
    "type_batiment",
    "code_insee_ban",
    "identifiant_ban",
]


def _extrait(path: Path) -> Path:
    """Nantes (44109): 2022, 25 DPE of which 10 F/G; 2023, 40 DPE of which 6 F/G, one of them the
    new DPE (C) of a 2022 G house, which then counts in 2023 only; 2025 (until June): 30 DPE.
    Angers (49007): 2023, 8 DPE (too few for a share)."""
    lignes, n = [], 0

    def dpe(commune, jour, etiquette, ban=None):
        nonlocal n
        n += 1
        lignes.append([f"DPE{n:06d}", jour, etiquette, "maison", commune, ban or f"{commune}_{n:05d}"])

    for i in range(26):  # one of these 26 is the house diagnosed again in 2023
        dpe(
            "44109",
            f"2022-03-{i % 28 + 1:02d}",
            "G" if i < 11 else "C",
            "44109_maison_rediagnostiquee" if i == 0 else None,
        )
    dpe("44109", "2023-02-01", "C", "44109_maison_rediagnostiquee")
    for i in range(39):
        dpe("44109", f"2023-09-{i % 28 + 1:02d}", "F" if i < 6 else "D")
    for i in range(30):
        dpe("44109", f"2025-{i % 6 + 1:02d}-10", "G")
    for i in range(8):
        dpe("49007", f"2023-04-{i + 1:02d}", "G")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLONNES)
        writer.writerows(lignes)
    return path


@pytest.fixture
def base(built_db, tmp_path) -> Path:
    path = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, path)
    import_dpe(path, _extrait(tmp_path / "dpe03existant_annees.csv"), log=lambda _line: None)
    return path


def _annee(con, indicateur, annee):
    return con.execute(
        "select code, valeur, statut from valeurs where indicateur = ? and niveau = 'commune' and millesime = ?",
        [indicateur, str(annee)],
    ).df()


def test_shares_by_year_of_diagnosis_give_a_change_in_points(base):
    with duckdb.connect(str(base), read_only=True) as con:
        nombres = dict(
            con.execute(
                "select millesime, valeur from valeurs where indicateur = 'dpe_nb_annee' and niveau = 'commune' "
                "and code = '44109'"
            ).fetchall()
        )
        assert nombres == {"2022": 25.0, "2023": 40.0, "2024": 0.0}  # the 2022 G house counts in 2023 only
        debut, fin = _annee(con, "dpe_part_passoires_annee", 2022), _annee(con, "dpe_part_passoires_annee", 2023)
    change = calculer(debut, fin, "%").set_index("code")
    assert debut.set_index("code").at["44109", "valeur"] == pytest.approx(40.0)  # 10 of 25
    assert change.at["44109", "statut"] == "ok"
    assert change.at["44109", "valeur"] == pytest.approx(6 / 40 * 100 - 40.0)  # 15 % − 40 %: −25 points


def test_a_yearly_share_on_fewer_than_20_dpe_is_absent_with_its_reason(base):
    with duckdb.connect(str(base), read_only=True) as con:
        assert con.execute(
            "select valeur, statut from valeurs where indicateur = 'dpe_part_passoires_annee' and niveau = 'commune' "
            "and code = '49007' and millesime = '2023'"
        ).fetchone() == (None, "absent")
        assert con.execute(
            "select note from qualite_valeurs where indicateur = 'dpe_part_passoires_annee' and code = '49007' "
            "and millesime = '2023'"
        ).fetchone() == ("moins de 20 DPE (8) : part non publiée, trop peu fiable",)


def test_the_year_still_running_in_the_extract_is_not_published(base):
    with duckdb.connect(str(base), read_only=True) as con:
        annees = {a for (a,) in con.execute(
            "select distinct millesime from valeurs where indicateur like 'dpe_%_annee'"
        ).fetchall()}  # fmt: skip
    assert annees == {"2022", "2023", "2024"}  # 2025 ends in June in the extract: left out
