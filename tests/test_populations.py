"""Populations légales 2021 (INSEE) placed on today's communes, checked against the raw file."""

from __future__ import annotations

import csv

import pytest

from commun.config import ROOT
from tests.apptest_helpers import run_page

POPULATIONS = ROOT / "data" / "raw" / "insee_populations_legales" / "donnees_communes_PL2021.csv"


@pytest.fixture
def con(built_con):
    return built_con


@pytest.fixture(scope="module")
def pmun():
    with open(POPULATIONS, encoding="utf-8", newline="") as handle:
        return {r["COM"]: (r["REG"], int(r["PMUN"])) for r in csv.DictReader(handle, delimiter=";")}


def population(con, niveau, code):
    return con.execute("select population from territoires where niveau = ? and code = ?", [niveau, code]).fetchone()[0]


def test_region_population_is_insee_s_legal_population(con, pmun):
    assert population(con, "region", "52") == 3_853_999
    assert population(con, "region", "52") == sum(p for reg, p in pmun.values() if reg == "52")


def test_unchanged_commune_has_its_legal_population(con, pmun):
    # Le Mans, Nantes, L'Île-d'Yeu: codes unchanged since 2023
    for code in ("72181", "44109", "85113"):
        assert population(con, "commune", code) == pmun[code][1]


def test_merged_commune_has_the_sum_of_its_former_communes(con, pmun):
    # Laigné-Saint-Gervais (72155) = Laigné-en-Belin (72155) + Saint-Gervais-en-Belin (72287), 2025
    assert population(con, "commune", "72155") == pmun["72155"][1] + pmun["72287"][1]


def test_communes_retablies_are_not_counted_twice(con, pmun):
    # L'Oie and Sainte-Florence, rétablies in 2024, are inside Essarts-en-Bocage in the 2023 file
    trio = sum(population(con, "commune", c) for c in ("85084", "85165", "85212"))
    assert trio == pmun["85084"][1]
    notes = dict(
        con.execute(
            "select code, note from qualite_valeurs where indicateur = 'population' and niveau = 'commune'"
        ).fetchall()
    )
    assert set(notes) == {"85084", "85165", "85212"}
    assert "rétablie le 01/01/2024" in notes["85165"]


def test_epci_and_departement_are_sums_of_their_communes(con):
    # EPCI 200071918 (Pays de Saint-Fulgent - Les Essarts) was 2 460 inhabitants too many
    members = con.execute(
        "select sum(population) from territoires where niveau = 'commune' and code_epci = '200071918'"
    ).fetchone()[0]
    assert population(con, "epci", "200071918") == members
    vendee = con.execute(
        "select sum(population) from territoires where niveau = 'commune' and code_departement = '85'"
    ).fetchone()[0]
    assert population(con, "departement", "85") == vendee


def test_population_millesime_is_recorded(con):
    meta = dict(con.execute("select cle, valeur from metadonnees").fetchall())
    assert meta["millesime_population"] == "2021"
    millesime = con.execute("select millesime from sources where source = 'insee_populations_legales'").fetchone()[0]
    assert "2021" in millesime


def test_fiche_of_a_commune_retablie_says_where_its_population_comes_from(app_env):
    app = run_page("pages/fiche_territoire.py")
    app.selectbox(key="fiche_territoire").select("commune:85165").run()
    assert app.header[0].value == "L'Oie"
    captions = " ".join(c.value for c in app.caption)
    assert "Population : commune rétablie le 01/01/2024" in captions
