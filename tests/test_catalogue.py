"""The indicator catalogue: complete entries, known sources, and the static CSV itself."""

from __future__ import annotations

import pytest

from etl.catalogue import SOURCES, catalogue_rows


@pytest.fixture
def db(built_con):
    return built_con


def test_every_loaded_indicator_has_label_unit_source_and_description_and_a_known_sens(db):
    rows = db.execute(
        "select code, libelle, unite, source, description, theme, niveaux, millesime, sens from indicateurs"
    ).fetchall()
    assert len(rows) > 40
    for row in rows:
        assert all(field and str(field).strip() for field in row[:-1]), row
        assert row[-1] in ("+", "-", None)  # None: a count, neither better nor worse


def test_every_source_of_an_indicator_exists_in_sources(db):
    missing = db.execute("select i.code from indicateurs as i anti join sources as s on s.source = i.source").fetchall()
    assert missing == []


def test_every_value_belongs_to_a_catalogued_indicator(db):
    assert (
        db.execute(
            "select count(*) from valeurs anti join indicateurs on indicateurs.code = valeurs.indicateur"
        ).fetchone()[0]
        == 0
    )


def test_catalogue_millesime_is_the_latest_loaded(db):
    assert db.execute("select millesime from indicateurs where code = 'taux_pauvrete'").fetchone()[0] == "2021"
    assert (
        db.execute("select niveaux from indicateurs where code = 'mediane_niveau_vie'").fetchone()[0]
        == "commune,epci,departement,region,france"
    )


def test_poverty_rate_is_worse_when_higher_and_median_is_not():
    catalogue = {row["code"]: row for row in catalogue_rows()}
    assert catalogue["taux_pauvrete"]["sens"] == "+"
    assert catalogue["mediane_niveau_vie"]["sens"] == "-"
    assert {row["source"] for row in catalogue.values()} <= set(SOURCES)
