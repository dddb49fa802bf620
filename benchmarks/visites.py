"""Benchmark: importing 100,000 visit rows (time and peak memory), against a pandas baseline.

Run ``python -m benchmarks.visites [--rows N] [--runs 3]``. Both measures run in child processes
on the same generated file (the deterministic demonstration generator, official import format):
the import (``import_visits``: reading, validation, pseudonyms, dedupe, inserts, yearly values,
data checks, atomic swap, kept copy; the child's imports included) and, as the baseline, merely
reading the file with ``pandas.read_csv`` (pandas' import included). The two alternate, each on a
fresh copy of the same built database; the table prints the medians, their ratio and the load
average of the machine before and after the runs (a busy machine makes single runs swing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from benchmarks.run import ROOT, child

_MEASURE = textwrap.dedent(
    """
    import resource, sys, time
    t0, c0 = time.perf_counter(), time.process_time()
    exec(compile(sys.stdin.read(), "<bench>", "exec"))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{wall} {cpu} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")
    """
)


def _measure(code: str) -> tuple[float, float, float]:
    """Run Python code in a fresh process: (seconds, CPU seconds of all its threads, peak RSS in MB).

    The CPU time barely depends on what else the machine runs: it backs up the durations on a
    busy machine.
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE], input=code, text=True, capture_output=True, cwd=ROOT, check=True
    )
    wall, cpu, mb = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu), float(mb)


def _print_fr(line: str) -> None:
    # French numbers: decimal comma, space between thousands
    print(line.replace(".", ",").replace("_", " "))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "atlas.duckdb"
    child(f"from etl.__main__ import main; main(['build', '--db', {str(db)!r}])")
    source = tmp / "visites_bench.csv"
    child(
        f"from etl.demo_visits import write_demo; from pathlib import Path; write_demo(Path({str(source)!r}), {args.rows})"
    )
    load_before = os.getloadavg()
    imports, reads = [], []
    for run in range(args.runs):
        work = tmp / f"run{run}" / "atlas.duckdb"
        work.parent.mkdir()
        shutil.copy(db, work)
        imports.append(
            _measure(
                f"from etl.visits import import_visits; from pathlib import Path; "
                f"import_visits(Path({str(work)!r}), Path({str(source)!r}), log=lambda _l: None)"
            )
        )
        reads.append(
            _measure(f"import pandas as pd; pd.read_csv({str(source)!r}, sep=None, engine='python', dtype=str)")
        )
    load_after = os.getloadavg()
    import_s, read_s = (statistics.median(m[0] for m in ms) for ms in (imports, reads))
    import_cpu, read_cpu = (statistics.median(m[1] for m in ms) for ms in (imports, reads))
    import_mb, read_mb = (max(m[2] for m in ms) for ms in (imports, reads))
    size = source.stat().st_size / 1e6
    _print_fr(f"\nImport de {args.rows:_} lignes de visites ({size:.1f} Mo, format officiel d'import)")
    _print_fr(f"médiane de {args.runs} mesures alternées ; mémoire : la plus haute des mesures")
    _print_fr(f"charge de la machine (moyenne sur 1 min) : {load_before[0]:.1f} avant, {load_after[0]:.1f} après\n")
    _print_fr("| mesure | import-visits | référence : lecture pandas | ratio |")
    _print_fr("|---|---|---|---|")
    _print_fr(f"| durée | {import_s:.2f} s | {read_s:.2f} s | {import_s / read_s:.2f} |")
    _print_fr(
        f"| temps CPU (tous les fils d'exécution) | {import_cpu:.2f} s | {read_cpu:.2f} s | {import_cpu / read_cpu:.2f} |"
    )
    _print_fr(f"| mémoire maximale | {import_mb:.0f} Mo | {read_mb:.0f} Mo | {import_mb / read_mb:.1f} |")
    _print_fr(f"| débit | {args.rows / import_s:_.0f} lignes/s | {args.rows / read_s:_.0f} lignes/s | |")
    for name, ms in (("import", imports), ("lecture pandas", reads)):
        _print_fr(f"{name} (s) : " + " / ".join(f"{m[0]:.2f}" for m in ms))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
