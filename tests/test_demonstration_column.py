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


def test_source_descriptions_say_what_the_data_is_and_the_column_says_demonstration(db):
    # the home footer and « Données et méthodes » read « DÉMONSTRATION : extrait DPE… » in capitals
    rows = db.execute("select source, libelle from sources where demonstration order by source").fetchall()
    assert [source for source, _ in rows] == ["ademe_dpe", "visites_aller_vers"]
    assert [libelle for _, libelle in rows if "DÉMONSTRATION" in libelle.upper()] == []
    assert all("générés par l'atlas" in libelle or "générées par l'atlas" in libelle for _, libelle in rows)


def test_a_source_named_beside_a_figure_still_says_demonstration(app_env):
    from atlas import indicateurs

    millesime = indicateurs.millesimes("dpe_part_passoires", "commune")[0]
    dpe = indicateurs.source_niveau("dpe_part_passoires", "commune", millesime)["libelle"]
    assert dpe.endswith(" — données de démonstration")
    profil = fiche.profil("commune", "44184")
    assert set(profil.loc[profil["indicateur"] == "dpe_part_passoires", "source_libelle"]) == {
        indicateurs.indicateur("dpe_part_passoires")["source_libelle"]
    }
    assert indicateurs.indicateur("dpe_part_passoires")["source_libelle"].endswith(" — données de démonstration")
    insee = indicateurs.indicateur("taux_pauvrete")["source_libelle"]
    assert "démonstration" not in insee


def test_the_footer_names_the_demonstration_sources_in_one_sentence(app_env):
    # it read « Extrait DPE… ; Visites d'aller vers… »: a capital after a semicolon
    from tests.apptest_helpers import run_page

    pieds = [c.value for c in run_page("dashboard.py").caption if c.value.startswith("**Données de démonstration**")]
    assert len(pieds) == 1
    phrase = pieds[0].replace("\xa0", " ").split("\n")[0]  # French no-break spaces before « : » and « ; »
    suites = [morceau.strip() for morceau in phrase.split(" : ", 1)[1].split(" ; ")[1:]]
    assert suites and all(m[0].islower() or m[1:2].isupper() for m in suites)
