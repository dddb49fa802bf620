"""Indicator descriptions never type a fact the next data update would make wrong.

A method constant (detour factor, speed, DPE threshold) or a national non-recours rate and its
publication is named in braces in ``etl/indicateurs.csv`` and written at build time from the value
the ETL computes with, so that the definition a reader sees cannot disagree with the figure.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from commun.config import ROOT
from commun.geometrie import km_from_minutes
from commun.methode import DETOUR_FACTOR, SEUIL_DPE
from etl.catalogue import CATALOGUE_CSV, catalogue_rows, filled_descriptions
from etl.errors import EtlError
from tests.test_no_typed_millesimes import LITTERAL

#: (indicator, text) allowed, each with why it is not a fact of the data.
PERMIS = {
    ("dpe_nb", "méthode 2021"): "the name of the DPE method",
    ("dpe_nb_annee", "méthode 2021"): "the name of the DPE method",
    ("dpe_part_passoires_annee", "méthode 2021"): "the name of the DPE method",
    ("dpe_nb_annee", "2021 : DPE"): "the method's first year, fixed (etl.dpe_annees.DEBUT_METHODE)",
    ("dpe_part_passoires_annee", "2021 : à partir"): "the method's first year, fixed",
    ("dpe_part_efg", "location en 2034"): "a date set by law",
    **{
        (code, "réforme de 2019"): "a past reform the published rate precedes"
        for code in (
            "nr_potentiel_prime_activite",
            "nr_potentiel_rsa_pa",
            "taux_nr_potentiel_prime_activite",
            "taux_nr_potentiel_rsa_pa",
        )
    },
}


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute((ROOT / "etl" / "sql" / "schema.sql").read_text(encoding="utf-8"))
    yield con
    con.close()


def test_no_description_types_a_year_a_date_or_a_method_constant():
    trouves = []
    with open(CATALOGUE_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            for m in LITTERAL.finditer(row["description"]):
                contexte = row["description"][max(0, m.start() - 20) : m.end() + 20]
                if not any(code == row["code"] and texte in contexte for code, texte in PERMIS):
                    trouves.append((row["code"], contexte))
    assert not trouves, trouves


def test_a_description_states_the_national_rate_and_the_constants_the_build_computes_with(con):
    con.execute(
        "update taux_non_recours_national set taux = 0.41, publication = 'DREES, étude suivante', annee = 2023 "
        "where droit = 'RSA'"
    )
    descriptions = {row["code"]: row["description"] for row in filled_descriptions(catalogue_rows(), con)}
    assert "r = 41 % des foyers éligibles (DREES, étude suivante ; données 2023)" in descriptions["nr_potentiel_rsa"]
    assert "34 %" not in descriptions["nr_potentiel_rsa"]
    km = f"{km_from_minutes(10):.1f}".replace(".", ",")
    assert f"× {str(DETOUR_FACTOR).replace('.', ',')} à " in descriptions["fs_sites_10min"]
    assert f"soit {km} km à vol d'oiseau" in descriptions["fs_sites_10min"]
    assert f"sous {SEUIL_DPE} DPE" in descriptions["dpe_part_efg"]
    assert not [code for code, texte in descriptions.items() if "{" in texte or "}" in texte]


def test_an_unknown_fact_in_braces_is_refused_with_its_line(tmp_path):
    fichier = tmp_path / "indicateurs.csv"
    lignes = CATALOGUE_CSV.read_text(encoding="utf-8").splitlines()
    lignes[2] = lignes[2] + " ({taux_inconnu})"
    fichier.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    with pytest.raises(
        EtlError, match=r"ligne 3, colonne « description », valeur « {taux_inconnu} » : fait inconnu entre accolades"
    ):
        catalogue_rows(fichier)


def test_a_description_holding_a_semicolon_is_read_whole_or_refused_with_its_line(tmp_path):
    # « … un site ; pour un EPCI … » unquoted used to end the description at « site »
    assert {row["code"]: row for row in catalogue_rows()}["fs_temps_min"]["description"].endswith(
        "moyenne des communes pondérée par la population."
    )
    fichier = tmp_path / "indicateurs.csv"
    lignes = CATALOGUE_CSV.read_text(encoding="utf-8").splitlines()
    lignes[2] = lignes[2] + ";suite coupée"
    fichier.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    with pytest.raises(EtlError, match=r"ligne 3, colonne « description », valeur « suite coupée » : champ de trop"):
        catalogue_rows(fichier)
