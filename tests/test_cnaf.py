"""CNAF allocataires: IRIS values, and commune sums only where every IRIS is published."""

from __future__ import annotations

import pytest


@pytest.fixture
def db(built_con):
    return built_con


def test_partial_iris_coverage_is_flagged_not_invented(db):
    # Angers has IRIS withheld by the CNAF (NOTE <> 0): no commune total is made up.
    motif = db.execute(
        "select motif from rejets where source = 'cnaf_allocataires_2020_communes' and valeur = '49007'"
    ).fetchone()[0]
    assert motif.startswith("couverture IRIS partielle : ")
    rows = db.execute(
        "select distinct valeur, statut from valeurs where niveau = 'commune' and code = '49007' and millesime = '2020' "
        "and indicateur like '%allocataires%'"
    ).fetchall()
    assert rows == [(None, "absent")]


def test_complete_commune_is_the_sum_of_its_iris(db):
    commune, total = db.execute(
        """
        select v.code, v.valeur from valeurs as v
        where v.indicateur = 'foyers_allocataires' and v.niveau = 'commune' and v.millesime = '2020' and v.statut = 'ok'
        order by v.valeur desc limit 1
        """
    ).fetchone()
    iris_sum = db.execute(
        "select sum(valeur) from valeurs where indicateur = 'foyers_allocataires' and niveau = 'iris' "
        "and millesime = '2020' and code like ? || '%'",
        [commune],
    ).fetchone()[0]
    assert total == iris_sum


def test_withheld_iris_are_secret_not_zero(db):
    # 440260106 (zone d'activité de Carquefou) has NOTE = 3 and every figure empty.
    assert db.execute(
        "select distinct statut from valeurs where niveau = 'iris' and code = '440260106' and millesime = '2020' "
        "and indicateur = 'allocataires_rsa'"
    ).fetchall() == [("secret",)]


def test_space_thousands_separator_of_2016_is_read(db):
    # Bouguenais IRIS 440200101: PERCOU « 1 672 » in 2016.
    assert (
        db.execute(
            "select valeur from valeurs where indicateur = 'personnes_couvertes_caf' and niveau = 'iris' "
            "and code = '440200101' and millesime = '2016'"
        ).fetchone()[0]
        == 1672
    )


def test_every_cnaf_millesime_is_loaded(db):
    years = db.execute(
        "select list(distinct millesime order by millesime) from valeurs where indicateur = 'allocataires_rsa'"
    ).fetchone()[0]
    assert years == ["2016", "2017", "2018", "2019", "2020"]


def test_shares_are_percentages_of_foyers_allocataires(db):
    bad = db.execute(
        """
        select count(*) from valeurs as p
        join valeurs as r on r.indicateur = 'allocataires_rsa' and (r.niveau, r.code, r.millesime) = (p.niveau, p.code, p.millesime)
        join valeurs as a on a.indicateur = 'foyers_allocataires' and (a.niveau, a.code, a.millesime) = (p.niveau, p.code, p.millesime)
        where p.indicateur = 'part_allocataires_rsa' and p.statut = 'ok' and abs(p.valeur - 100 * r.valeur / a.valeur) > 1e-9
        """
    ).fetchone()[0]
    assert bad == 0
