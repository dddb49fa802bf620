"""Benchmark of ``python -m etl import-dpe`` on a large extract, against plain pandas.

``python -m benchmarks.dpe [--rows 10000000]``: generates N demonstration DPE in the official
``dpe03existant`` layout, builds a database, then measures in child processes (time and peak
resident memory: ``ru_maxrss`` of the child, from ``os.wait4``):

- ``import-dpe``: DuckDB streaming import (classification, latest DPE per dwelling, aggregates,
  indicators, data checks, atomic copy of the database);
- the straightforward pandas equivalent: ``read_csv`` of the needed columns + ``groupby`` of the
  share of F+G per commune (no placement, no dedupe: a lower bound of the pandas work).

Prints a Markdown table with both and the ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PANDAS_CODE = """
import sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], usecols=["numero_dpe", "etiquette_dpe", "type_batiment", "code_insee_ban"], dtype=str)
frame["fg"] = frame["etiquette_dpe"].isin(["F", "G"])
result = frame.groupby("code_insee_ban").agg(nb_dpe=("numero_dpe", "size"), part_fg=("fg", "mean"))
print(len(result))
"""


def measure(args: list[str]) -> tuple[float, float]:
    """Run a child process; return (seconds, its peak RSS in MB)."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: replace by the command so that its own peak memory is measured
        os.execv(args[0], args)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"échec de {' '.join(args)}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark de import-dpe (DuckDB) contre pandas")
    parser.add_argument("--rows", type=int, default=10_000_000, help="nombre de DPE (défaut : %(default)s)")
    args = parser.parse_args(argv)
    from etl.build import build
    from etl.dpe_demo import communes_from_db, write_demo

    with tempfile.TemporaryDirectory(prefix="bench_dpe_") as folder:
        folder = Path(folder)
        db = folder / "atlas.duckdb"
        build(db, ROOT / "data" / "raw", "52", log=lambda _line: None)
        extract = folder / "dpe03existant.csv"
        t0 = time.perf_counter()
        write_demo(extract, args.rows, communes_from_db(db))
        generation = time.perf_counter() - t0
        size_mb = extract.stat().st_size / 1e6
        duck_s, duck_mb = measure([sys.executable, "-m", "etl", "import-dpe", str(extract), "--db", str(db)])
        pandas_s, pandas_mb = measure([sys.executable, "-c", PANDAS_CODE, str(extract)])
    print(f"\n{args.rows:,} DPE, fichier CSV de {size_mb:,.0f} Mo (généré en {generation:.1f} s)\n")
    print("| mesure | import-dpe (DuckDB) | pandas read_csv + groupby | ratio DuckDB / pandas |")
    print("|---|---:|---:|---:|")
    print(f"| durée (s) | {duck_s:.1f} | {pandas_s:.1f} | {duck_s / pandas_s:.2f} |")
    print(f"| mémoire de pointe (Mo) | {duck_mb:.0f} | {pandas_mb:.0f} | {duck_mb / pandas_mb:.2f} |")


if __name__ == "__main__":
    main()
