"""Run ``python -m etl`` in a real child process, optionally with a fault injected first.

The crash and two-writer tests need real processes: a kill (``os._exit``) at a chosen step, two
imports at once. ``setup`` is Python code run in the child before the command, which replaces
one ETL function by a wrapper (sleep, die or fail at that step).
"""

from __future__ import annotations

import os
import subprocess
import sys

from commun.config import ROOT

_RUNNER = """
import sys
{setup}
from etl.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def start(args: list[str], setup: str = "", env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start ``python -m etl ARGS`` (with ``setup`` run first) in the worktree; text output."""
    return subprocess.Popen(
        [sys.executable, "-c", _RUNNER.format(setup=setup), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(args: list[str], setup: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m etl ARGS`` to the end (killed after 5 minutes)."""
    process = start(args, setup, env)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def die_after(target: str, attribute: str) -> str:
    """Setup code: the process dies (``os._exit(9)``, like ``kill -9``) right after ``target.attribute`` returns."""
    return f"""
import os, importlib
_module = importlib.import_module("{target}")
_original = getattr(_module, "{attribute}")
def _dying(*args, **kwargs):
    _original(*args, **kwargs)
    os._exit(9)
setattr(_module, "{attribute}", _dying)
"""


def die_before(target: str, attribute: str) -> str:
    """Setup code: the process dies (``os._exit(9)``) when ``target.attribute`` is called."""
    return f"""
import os, importlib
_module = importlib.import_module("{target}")
def _dying(*args, **kwargs):
    os._exit(9)
setattr(_module, "{attribute}", _dying)
"""
