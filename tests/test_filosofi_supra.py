"""Filosofi above the commune: EPCI 2021 (re-export), départements 2020 / 2019, region, France."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from etl.checks import SQL_DIR
from etl.filosofi_supra import weighted_rate


@pytest.fixture
def db(built_con):
    return built_con


def value(db, indicator, niveau, code, millesime):
    return db.execute(
        "select valeur, statut from valeurs where indicateur = ? and niveau = ? and code = ? and millesime = ?",
        [indicator, niveau, code, millesime],
    ).fetchone()


def test_departement_poverty_rates_2020_are_insee_published_figures(db):
    # FILO2020_DISP_PAUVRES_DEP.csv, TP6020 (PROVENANCE.md: the figures INSEE published in Oct. 2023)
    expected = {"44": 10.0, "49": 11.1, "53": 11.0, "72": 12.9, "85": 8.9}
    for code, rate in expected.items():
        assert value(db, "taux_pauvrete", "departement", code, "2020") == (rate, "ok")


def test_breakdowns_written_before_the_base_name_are_read(db):
    # the SUPRA files write AGE1TP6020 where the commune file writes TP60AGE121
    valeur, statut = value(db, "taux_pauvrete_moins_30_ans", "departement", "44", "2020")
    assert statut == "ok" and 10 < valeur < 40
    assert value(db, "taux_pauvrete_locataires", "departement", "44", "2020")[1] == "ok"


def test_medians_come_from_their_own_level_never_recomputed(db):
    assert value(db, "mediane_niveau_vie", "region", "52", "2019") == (21850.0, "ok")
    assert value(db, "mediane_niveau_vie", "france", "FM", "2019") == (21930.0, "ok")
    # no median of the region for 2020: INSEE gives none, and a median does not add up
    assert value(db, "mediane_niveau_vie", "region", "52", "2020") is None


def test_epci_values_name_the_third_party_re_export(db):
    # Nantes Métropole in filosofi_epci_2021_NTD.csv
    assert value(db, "taux_pauvrete", "epci", "244400404", "2021")[1] == "ok"
    source = db.execute(
        "select s.libelle from sources_valeurs as v join sources as s using (source) "
        "where v.indicateur = 'taux_pauvrete' and v.niveau = 'epci' and v.millesime = '2021'"
    ).fetchone()[0]
    assert "via un tiers" in source


def test_a_group_with_a_missing_part_has_no_weighted_rate():
    assert weighted_rate(pd.Series([10.0, 12.0]), pd.Series([100.0, 300.0])) == 11.5
    assert weighted_rate(pd.Series([10.0, None]), pd.Series([100.0, 300.0])) is None


def test_the_epci_check_fails_when_an_epci_rate_disagrees_with_its_published_communes(built_db, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, copy)
    check = (SQL_DIR / "checks" / "taux_pauvrete_epci_coherent_communes.sql").read_text(encoding="utf-8")
    con = duckdb.connect(str(copy))
    try:
        assert con.execute(check).fetchall() == []
        # CC 248500258: its 5 communes are all published (PROVENANCE.md: weighted mean 10,63)
        con.execute(
            "update valeurs set valeur = valeur + 2 where indicateur = 'taux_pauvrete' and niveau = 'epci' "
            "and code = '248500258'"
        )
        assert [row[0] for row in con.execute(check).fetchall()] == ["248500258"]
    finally:
        con.close()
