"""Benchmark of ``python -m etl import-dpe`` on a large extract, against plain pandas.

``python -m benchmarks.dpe [--rows 10000000]``: generates N demonstration DPE in the official
``dpe03existant`` layout (in a temporary folder, deleted afterwards), builds a database, then
measures each contender **in its own fresh process**, in the same run: ``import-dpe`` with its
extract kept by a hard link (the default), copied (``--copier``) and moved (``--deplacer``), each
time into a fresh copy of the built database, and the bare pandas run, alternately
``--repetitions`` times (3; the median time is kept, and the highest peak memory), then pandas
with the same rules once (five times slower: the machine's noise does not matter there):

- ``import-dpe``: DuckDB streaming import (classification, dedupe, latest DPE per dwelling,
  aggregates, indicators, data checks, atomic swap of the database), the extract kept beside the
  database for the rebuilds by a hard link (the extract and the database on one filesystem, as in
  this benchmark) and hashed (SHA-256);
- ``import-dpe --copier``: the same, the extract copied (what the default does when the extract
  lies on another filesystem than the database);
- ``import-dpe --deplacer``: the same, the extract moved (renamed), then moved back for the next
  measure;
- the straightforward pandas equivalent: ``read_csv`` of the three needed columns (commune,
  building type, label) + ``groupby`` commune × building type counting the DPE, the F+G and the
  E+F+G (no placement, no dedupe, no latest DPE per dwelling: a lower bound of the pandas work);
- pandas with the same counting rules (each DPE number once, latest DPE per dwelling, replaced
  DPE left out, then the groupby): the equivalent whose counts match the import's.

Peak memory is the peak resident set (``ru_maxrss``, DuckDB's native allocations included) of
the measured process. Each contender is started by a tiny launcher process (a bare Python that
forks and execs it, then reads ``os.wait4``): on Linux the peak RSS of a child counts the memory
of the process it was forked from (the high-water mark of the image replaced by ``exec``), so
forking from this benchmark, which holds the generator's NumPy/pandas/pyarrow, would inflate both
measures alike. Prints a Markdown table, a row per contender, with the ratios to the bare pandas run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PANDAS_CODE = """
import sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], usecols=["code_insee_ban", "type_batiment", "etiquette_dpe"], dtype=str)
frame["fg"] = frame["etiquette_dpe"].isin(["F", "G"])
frame["efg"] = frame["etiquette_dpe"].isin(["E", "F", "G"])
result = frame.groupby(["code_insee_ban", "type_batiment"]).agg(
    nb_dpe=("etiquette_dpe", "size"), nb_fg=("fg", "sum"), nb_efg=("efg", "sum")
)
print(len(result), "groupes commune x type")
"""

# The same counting rules as import-dpe, in pandas (still without placement, rejects by reason,
# several extracts or indicators): each DPE number once, the latest DPE of each dwelling (BAN
# address + building type + address complement + surface), replaced DPE left out, then the
# groupby. This is the "equivalent" whose result matches the import's counts.
PANDAS_REGLES_CODE = """
import sys
import pandas as pd
colonnes = ["numero_dpe", "date_etablissement_dpe", "etiquette_dpe", "type_batiment", "code_insee_ban",
            "identifiant_ban", "complement_adresse_logement", "surface_habitable_logement", "numero_dpe_remplace"]
frame = pd.read_csv(sys.argv[1], usecols=colonnes, dtype=str)
frame = frame.dropna(subset=["numero_dpe", "etiquette_dpe", "code_insee_ban"])
frame = frame.drop_duplicates("numero_dpe")
remplaces = set(frame["numero_dpe_remplace"].dropna())
logement = (frame["identifiant_ban"].fillna(frame["numero_dpe"]) + "|" + frame["type_batiment"].fillna("")
            + "|" + frame["complement_adresse_logement"].fillna("") + "|" + frame["surface_habitable_logement"].fillna(""))
frame["logement"] = logement
frame = frame.sort_values(["date_etablissement_dpe", "numero_dpe"]).drop_duplicates("logement", keep="last")
frame = frame[~frame["numero_dpe"].isin(remplaces)]
frame["fg"] = frame["etiquette_dpe"].isin(["F", "G"])
frame["efg"] = frame["etiquette_dpe"].isin(["E", "F", "G"])
result = frame.groupby(["code_insee_ban", "type_batiment"]).agg(
    nb_dpe=("etiquette_dpe", "size"), nb_fg=("fg", "sum"), nb_efg=("efg", "sum")
)
print(len(result), "groupes commune x type")
"""

# Runs argv[2:] as a child and writes {"s": seconds, "mb": peak RSS of that child} to argv[1].
LAUNCHER = """
import json, os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - t0
with open(sys.argv[1], "w") as out:
    json.dump({"s": seconds, "mb": usage.ru_maxrss / 1024, "rc": os.waitstatus_to_exitcode(status)}, out)
"""


def measure(args: list[str], result: Path) -> tuple[float, float]:
    """Run ``args`` in a fresh process (through the launcher); return (seconds, its peak RSS in MB)."""
    subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(result), *args], check=True)
    measured = json.loads(result.read_text())
    if measured["rc"] != 0:
        raise SystemExit(f"échec de {' '.join(args)}")
    return measured["s"], measured["mb"]


def _import_once(pristine: Path, extract: Path, folder: Path, result: Path, option: list[str]) -> tuple[float, float]:
    """One ``import-dpe`` into a fresh copy of the built database (no kept extract: a first import).

    With ``--deplacer`` the extract is moved into the database's folder by the import; it is moved
    back afterwards (a rename) for the next measure.
    """
    run = folder / f"run_{uuid.uuid4().hex[:8]}"
    run.mkdir()
    try:
        shutil.copyfile(pristine, run / "atlas.duckdb")
        return measure(
            [sys.executable, "-m", "etl", "import-dpe", str(extract), "--db", str(run / "atlas.duckdb"), *option],
            result,
        )
    finally:
        if not extract.exists():
            (kept,) = (run / "imports" / "dpe").glob("[!.]*")
            os.replace(kept, extract)
        shutil.rmtree(run)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark de import-dpe (DuckDB) contre pandas")
    parser.add_argument("--rows", type=int, default=10_000_000, help="nombre de DPE (défaut : %(default)s)")
    parser.add_argument(
        "--repetitions",
        type=int,
        default=3,
        help="mesures alternées de import-dpe et de pandas read_csv + groupby, médiane retenue (défaut : %(default)s)",
    )
    parser.add_argument(
        "--extrait",
        type=Path,
        help="extrait CSV déjà écrit (par exemple par une mesure précédente) : pas de génération",
    )
    parser.add_argument(
        "--sans-regles",
        action="store_true",
        help="sans la mesure de pandas avec les mêmes règles (100 s, 5 Go)",
    )
    args = parser.parse_args(argv)
    from etl.build import build
    from etl.dpe_demo import communes_from_db, write_demo

    with tempfile.TemporaryDirectory(prefix="bench_dpe_") as folder:
        folder = Path(folder)
        db = folder / "atlas.duckdb"
        build(db, ROOT / "data" / "raw", "52", log=lambda _line: None)
        extract = args.extrait or folder / "dpe03existant.csv"
        t0 = time.perf_counter()
        if args.extrait is None:
            write_demo(extract, args.rows, communes_from_db(db))
        else:
            with open(extract, "rb") as handle:
                args.rows = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b"")) - 1
        generation = time.perf_counter() - t0
        size_mb = extract.stat().st_size / 1e6
        result = folder / "mesure.json"
        # Alternated, so that a slow spell of the machine weighs on all contenders alike.
        lien, copie, deplacer, pandas_ = [], [], [], []
        for _ in range(args.repetitions):
            lien.append(_import_once(db, extract, folder, result, []))
            copie.append(_import_once(db, extract, folder, result, ["--copier"]))
            deplacer.append(_import_once(db, extract, folder, result, ["--deplacer"]))
            pandas_.append(measure([sys.executable, "-c", PANDAS_CODE, str(extract)], result))
        regles = None if args.sans_regles else measure([sys.executable, "-c", PANDAS_REGLES_CODE, str(extract)], result)
    print(
        f"\n{args.rows:,} DPE, fichier CSV de {size_mb:,.0f} Mo "
        f"({'fourni' if args.extrait else f'généré en {generation:.1f} s'}) ; "
        f"{date.today().isoformat()}, {platform.machine()}, Python {platform.python_version()}\n"
        f"durées : médiane de {args.repetitions} mesures alternées "
        f"(import-dpe : {_runs(lien)} s ; --copier : {_runs(copie)} s ; --deplacer : {_runs(deplacer)} s ; "
        f"pandas : {_runs(pandas_)} s), "
        "pandas mêmes règles : 1 mesure ; mémoire : la plus haute des mesures ; "
        "ratios : rapport à pandas read_csv + groupby\n"
    )
    base_s, base_mb = _summary(pandas_)
    rows = [
        ("import-dpe (DuckDB ; extrait conservé par un lien, pas de copie)", _summary(lien)),
        ("import-dpe --copier (DuckDB ; extrait copié pour les reconstructions)", _summary(copie)),
        ("import-dpe --deplacer (DuckDB ; extrait déplacé, pas de copie)", _summary(deplacer)),
        ("pandas read_csv + groupby (référence ; ni dédoublonnage ni dernier DPE)", (base_s, base_mb)),
    ]
    if regles is not None:
        rows.append(("pandas, mêmes règles (dédoublonnage, dernier DPE par logement)", regles))
    print("| contender | durée (s) | ratio durée | mémoire de pointe (Mo) | ratio mémoire |")
    print("|---|---:|---:|---:|---:|")
    for label, (seconds, mb) in rows:
        print(f"| {label} | {seconds:.1f} | {seconds / base_s:.2f} | {mb:.0f} | {mb / base_mb:.2f} |")


def _runs(measures: list[tuple[float, float]]) -> str:
    return ", ".join(f"{s:.1f}" for s, _ in measures)


def _summary(measures: list[tuple[float, float]]) -> tuple[float, float]:
    """Median time, highest peak memory."""
    return statistics.median(s for s, _ in measures), max(mb for _, mb in measures)


if __name__ == "__main__":
    main()
