"""Demonstration data is a column of indicateurs and sources, never a prefix of a description."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

from atlas import fiche
from commun.config import ROOT


@pytest.fixture
def db(built_con):
    return built_con


def test_demonstration_dpe_is_flagged_by_the_column_and_descriptions_stay_definitions(db):
    rows = db.execute("select code, demonstration, description from indicateurs where source = 'ademe_dpe'").fetchall()
    assert rows and all(demo for _, demo, _ in rows)  # no ADEME extract bundled: generated DPE
    assert not [code for code, _, description in rows if "DÉMONSTRATION" in description.upper()]
    assert db.execute("select demonstration from sources where source = 'ademe_dpe'").fetchone() == (True,)
    # the generated sources only: DPE, and the visits by year (demonstration visits until a real import)
    generees = ("ademe_dpe", "visites_aller_vers")
    real = db.execute(
        "select count(*) from indicateurs where not list_contains(?, source) and demonstration", [list(generees)]
    ).fetchone()[0]
    assert real == 0
    visites = db.execute("select demonstration from indicateurs where source = 'visites_aller_vers'").fetchall()
    assert visites and all(demo for (demo,) in visites)


def test_fiche_block_is_demonstration_by_its_column_not_its_text():
    bloc = pd.DataFrame({"description": ["Part des logements F ou G."], "demonstration": [True]})
    assert fiche.demonstration_du_bloc(bloc)
    assert not fiche.demonstration_du_bloc(bloc.assign(demonstration=False))


def test_no_reader_parses_a_demonstration_prefix_back():
    found = subprocess.run(
        ["git", "grep", "-n", "-e", "PREFIXE_DEMONSTRATION", "-e", "de_demonstration", "--", "atlas", "pages", "etl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.stdout == ""
