"""Benchmark: importing 100,000 visit rows (time and peak memory), against a pandas baseline.

Run ``python -m benchmarks.visites [--rows N]``. Both measures run in child processes on the same
generated file (the deterministic demonstration generator, official import format): the import
(``python -m etl import-visits``, validation + dedupe + atomic swap) and, as the baseline, merely
reading the file with ``pandas.read_csv``. The table prints both and their ratios.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.run import child


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "atlas.duckdb"
    child(f"from etl.__main__ import main; main(['build', '--db', {str(db)!r}])")
    source = tmp / "visites_bench.csv"
    child(
        f"from etl.demo_visits import write_demo; from pathlib import Path; write_demo(Path({str(source)!r}), {args.rows})"
    )
    work = tmp / "work.duckdb"
    shutil.copy(db, work)
    import_s, import_mb = child(
        f"from etl.visits import import_visits; from pathlib import Path; "
        f"import_visits(Path({str(work)!r}), Path({str(source)!r}), log=lambda _l: None)"
    )
    read_s, read_mb = child(f"import pandas as pd; pd.read_csv({str(source)!r}, sep=None, engine='python', dtype=str)")
    size = source.stat().st_size / 1e6
    print(f"\nImport de {args.rows} lignes de visites ({size:.1f} Mo, format officiel d'import)\n")
    print("| mesure | import-visits | référence : lecture pandas | ratio |")
    print("|---|---|---|---|")
    print(f"| durée | {import_s:.1f} s | {read_s:.1f} s | {import_s / read_s:.1f} |")
    print(f"| mémoire maximale | {import_mb:.0f} Mo | {read_mb:.0f} Mo | {import_mb / read_mb:.1f} |")
    print(f"| débit | {args.rows / import_s:,.0f} lignes/s | {args.rows / read_s:,.0f} lignes/s | |".replace(",", " "))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
