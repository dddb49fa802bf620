"""Shared fixtures: one database built by the real ETL on the real bundled files per test run.

Fixtures any test file may use (their names are kept: new tests rely on them):

``built_db`` (session)
    Path of the database built once per run (pytest-xdist's workers share it) from ``data/raw``
    for region 52, with the full 100 000-row demonstration DPE extract the app shows. Read it,
    never write it.
``built_con`` (session)
    A read-only DuckDB connection to ``built_db``, shared by every test that only reads.
``db_copy``
    A writable copy of ``built_db``, alone in ``tmp_path / "base"`` (so its own pseudonym key,
    kept imports and demonstration files): for a test that imports, rebuilds or damages a base.
``raw_copy``
    A private copy of ``data/raw`` in ``tmp_path / "raw"``, for a test that damages a raw file.
``app_env``
    ``ATLAS_DB`` and ``ATLAS_REGION`` pointing at ``built_db`` for an AppTest.
``server`` and ``browser`` (session)
    A ``streamlit run`` server on ``built_db`` and a headless Chromium, started on first use and
    shared by the browser test files of a worker (its caches warm once): ``tests/browser.py``.
``small_dpe_demo``
    Builds run by the test generate a 5 000-row demonstration DPE extract instead of 100 000:
    for tests of the build itself (atomicity, replays, locks), not of the DPE figures. A child
    process gets the same with ``tests.etl_subprocess.run(args, SMALL_DPE_DEMO_SETUP)``.

Markers (``--strict-markers``; ``pyproject.toml``): ``build`` runs at least one full build of its
own, ``chromium`` draws an image, a PDF or a slide with Chromium, ``browser`` drives the app in
headless Chromium. ``pytest -m "not browser and not build"`` is the quick loop.

Order under pytest-xdist (``--dist loadfile``): the files go to the workers slowest first (see
``pytest_collection_modifyitems``), so that no long file starts last while the other worker idles.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from commun.config import ROOT
from etl.build import build

RAW_DIR = ROOT / "data" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"
# Enough rows for every DPE step to run (duplicates, rejects, out-of-region rows), far fewer to generate.
SMALL_DPE_DEMO_ROWS = 5_000
# The same for a build in a child process (``tests.etl_subprocess`` setup code).
SMALL_DPE_DEMO_SETUP = f"from etl import dpe_demo\ndpe_demo.BUILD_ROWS = {SMALL_DPE_DEMO_ROWS}\n"


def pytest_configure(config) -> None:
    """Keep the file order set below: xdist's default sorts the files by their number of tests,
    which sends the slowest files (one build or one browser load per test) last."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def _file_rank(items: list[pytest.Item]) -> tuple[int, int]:
    """Where a test file goes in the order of a parallel run (lowest first) and its tie-breaker."""
    marks = {mark.name for item in items for mark in item.iter_markers()}
    waits = any("built_db" in item.fixturenames for item in items)
    if "build" in marks and not waits:
        # its own build runs while another worker builds the session database
        rank = 0
    elif "browser" in marks:
        rank = 1
    elif "build" in marks:
        rank = 2
    elif "chromium" in marks:
        rank = 3
    else:
        rank = 4
    return rank, -len(items)


def pytest_collection_modifyitems(config, items: list[pytest.Item]) -> None:
    """In a pytest-xdist worker, order the test files slowest first (the workers collect, the
    scheduler hands the files out in that order): own builds, browser files, builds, Chromium
    images, then the rest by number of tests. A file's tests keep their order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.path, []).append(item)
    items[:] = [item for path in sorted(files, key=lambda p: _file_rank(files[p])) for item in files[path]]


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """Path of a database built from ``data/raw`` for region 52 (read it, never write it).

    Under pytest-xdist the workers of one run share it: the first to come builds it while the
    others wait on a lock in the run's temporary folder, then they all open it read-only.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # pytest-N/, shared by the workers' popen-gwK/ folders
    path = root / "atlas_session" / "atlas.duckdb"
    with open(root / "atlas_session.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            build(path, RAW_DIR, "52", log=lambda _line: None)
    return path


@pytest.fixture(scope="session")
def built_con(built_db):
    """A read-only connection to the session database, shared by the tests that only read."""
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def db_copy(built_db, tmp_path) -> Path:
    """A writable copy of the session database, alone in its folder ``tmp_path / "base"``."""
    target = tmp_path / "base" / "atlas.duckdb"
    target.parent.mkdir()
    shutil.copyfile(built_db, target)
    return target


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A private copy of ``data/raw`` that a test may corrupt (the bundled files are read-only)."""
    copy = tmp_path / "raw"
    shutil.copytree(RAW_DIR, copy)
    for path in copy.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return copy


@pytest.fixture
def app_env(built_db, monkeypatch) -> Path:
    """Point the app at the session database (AppTest runs the scripts in this process)."""
    monkeypatch.setenv("ATLAS_DB", str(built_db))
    monkeypatch.setenv("ATLAS_REGION", "52")
    return built_db


@pytest.fixture
def small_dpe_demo(monkeypatch) -> int:
    """Builds in this test (in this process) generate a small demonstration DPE extract."""
    from etl import dpe_demo

    monkeypatch.setattr(dpe_demo, "BUILD_ROWS", SMALL_DPE_DEMO_ROWS)
    return SMALL_DPE_DEMO_ROWS


@pytest.fixture(scope="session")
def server(built_db):
    """``streamlit run dashboard.py`` on the session database, for the browser tests."""
    from tests.browser import StreamlitServer

    srv = StreamlitServer(built_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright; skipped without Chromium (failing in CI)."""
    from tests.browser import CHROMIUM_FLAGS, chromium_or_skip

    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
