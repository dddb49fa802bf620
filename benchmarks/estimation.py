"""Error of the small-area estimate of secret commune poverty rates (etl/estimation_method.py).

Run ``python -m benchmarks.estimation`` (about half a minute). Published communes of France are
hidden fold by fold (10-fold cross-validation) and estimated by three contenders, each measured
in the same run on the same folds, so that their errors compare:

- baseline: the commune's EPCI rate (what a map of EPCI says about a commune);
- the model alone (logit of the rate on the log median, its square and the log persons);
- the atlas's estimate: the model calibrated on the EPCI's unpublished group total, the model
  alone where fewer than 3 communes of an EPCI are unpublished (secrecy guard).

It prints, for France and for the region's communes, the mean and median absolute error in
points, their ratio to the baseline, and the coverage of the 80 % interval (nested: the interval
applied to a fold comes from the other folds).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl import estimation, estimation_method, geography  # noqa: E402
from etl.checks import SQL_DIR  # noqa: E402
from etl.placement import region_departements  # noqa: E402

REGION = "52"


def inputs() -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """Communes and EPCI inputs of the estimate, from the bundled raw files (geography step only)."""
    raw = ROOT / "data" / "raw"
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    con.execute("set variable region = ?", [REGION])  # read by the territoires mart
    geography.load_geography(con, raw, REGION)
    con.execute("insert into territoires by name " + (SQL_DIR / "marts" / "territoires.sql").read_text())
    communes, epci = estimation.read_inputs(con, raw)
    return communes, epci, region_departements(con)


def contenders(communes: pd.DataFrame, epci: pd.DataFrame) -> pd.DataFrame:
    """Cross-validated estimates of the three contenders on the same folds."""
    atlas = estimation_method.cross_validate(communes, epci)
    model_only = estimation_method.cross_validate(communes, epci, guard=np.inf)
    baseline = communes.loc[atlas.index, "code_epci"].map(epci["taux"])
    return atlas.assign(modele_seul=model_only["estimation"], taux_epci=baseline)


def table(results: pd.DataFrame, in_region: pd.Series) -> pd.DataFrame:
    """Errors of each contender, by scope, with ratios to the EPCI-rate baseline."""
    rows = []
    for scope, mask in (("France", pd.Series(True, index=results.index)), ("Région", in_region)):
        part = results[mask & results["taux_epci"].notna()]
        base = (part["taux_epci"] - part["observe"]).abs()
        for name, column in (
            ("taux de l'EPCI (référence)", "taux_epci"),
            ("modèle seul", "modele_seul"),
            ("estimation de l'atlas", "estimation"),
        ):
            errors = (part[column] - part["observe"]).abs()
            rows.append(
                {
                    "communes masquées": scope,
                    "estimateur": name,
                    "communes": len(part),
                    "erreur abs. moyenne (pts)": round(errors.mean(), 2),
                    "ratio": round(errors.mean() / base.mean(), 2),
                    "erreur abs. médiane (pts)": round(errors.median(), 2),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    t0 = time.perf_counter()
    communes, epci, departements = inputs()
    t_inputs = time.perf_counter() - t0
    t1 = time.perf_counter()
    results = contenders(communes, epci)
    t_cv = time.perf_counter() - t1
    in_region = communes.loc[results.index, "code"].str[:2].isin(departements)
    print(table(results, in_region).to_string(index=False))
    validation = estimation_method.validation_table(results, in_region)
    print()
    print(validation.to_string(index=False))
    print(
        f"\nlecture des entrées {t_inputs:.1f} s ; validation croisée des trois estimateurs {t_cv:.1f} s "
        f"({len(results)} communes publiées masquées, {estimation_method.PLIS} plis)"
    )


if __name__ == "__main__":
    main()
