"""Shared fixtures: one database built by the real ETL on the real bundled files per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from commun.config import ROOT
from etl.build import build

RAW_DIR = ROOT / "data" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """Path of a database built from ``data/raw`` for region 52 (read it, never write it)."""
    path = tmp_path_factory.mktemp("atlas") / "atlas.duckdb"
    build(path, RAW_DIR, "52", log=lambda _line: None)
    return path


@pytest.fixture
def app_env(built_db, monkeypatch) -> Path:
    """Point the app at the session database (AppTest runs the scripts in this process)."""
    monkeypatch.setenv("ATLAS_DB", str(built_db))
    monkeypatch.setenv("ATLAS_REGION", "52")
    return built_db
