"""Lint and format are part of the suite, so CI catches them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from commun.config import ROOT


def _ruff() -> list[str]:
    # ruff installed in the same environment as the running Python, else on the PATH
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff absent (pip install -r requirements-dev.txt)")
    return [exe]


def test_ruff_finds_no_lint_error():
    result = subprocess.run([*_ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_code_is_formatted_with_ruff():
    result = subprocess.run([*_ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
