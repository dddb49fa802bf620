"""One cache decorator for every read: a function keeps its identity, its own cache, and reads a swapped file."""

from __future__ import annotations

import inspect
import os

import duckdb
import pandas as pd
import pytest

from atlas.db import cache_par_base, query


def _base(path, valeur: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select ? as v", [valeur])
    con.close()


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "atlas.duckdb"
    _base(path, 1)
    monkeypatch.setenv("ATLAS_DB", str(path))
    return path


def _swap(db, valeur: int) -> None:
    """Swap in a new file as the ETL does (``os.replace``), without clearing any cache."""
    new = db.with_name("new.duckdb")
    _base(new, valeur)
    os.replace(new, db)


def test_a_cached_read_keeps_its_name_docstring_and_signature():
    def valeurs(code: str, niveau: str = "commune") -> pd.DataFrame:
        """Values of one indicator."""
        return query("select ? as code, ? as niveau", [code, niveau])

    lecture = cache_par_base(valeurs)
    assert lecture.__name__ == "valeurs"
    assert lecture.__doc__ == "Values of one indicator."
    assert inspect.signature(lecture) == inspect.signature(valeurs)
    assert list(inspect.signature(lecture).parameters) == ["code", "niveau"]


def test_a_swapped_database_is_read_afresh_without_clearing_caches(db):
    appels = []

    @cache_par_base
    def lire() -> int:
        appels.append(1)
        return int(query("select v from t").iloc[0, 0])

    assert lire() == 1
    assert lire() == 1 and len(appels) == 1  # cached while the file is the same
    _swap(db, 2)
    assert lire() == 2


def test_two_cached_functions_of_the_same_shape_keep_their_own_results(db):
    @cache_par_base
    def premiere(x: int) -> int:
        return x

    @cache_par_base
    def seconde(x: int) -> int:
        return -x

    assert (premiere(3), seconde(3)) == (3, -3)


def test_an_argument_given_by_name_or_position_reads_the_same_entry(db):
    appels = []

    @cache_par_base
    def lire(niveau: str, complet: bool = False) -> str:
        appels.append(niveau)
        return niveau

    lire("epci")
    lire(niveau="epci")
    lire("epci", complet=False)
    assert appels == ["epci"]


def test_a_shared_result_is_one_object_per_database_version(db):
    @cache_par_base(partage=True, max_entries=2)
    def couche() -> dict:
        return {"v": int(query("select v from t").iloc[0, 0])}

    premiere = couche()
    assert couche() is premiere  # shared, not a copy per call
    _swap(db, 2)
    assert couche() == {"v": 2}
