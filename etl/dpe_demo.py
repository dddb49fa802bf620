"""Deterministic demonstration DPE extract in the official ADEME ``dpe03existant`` layout.

The ADEME open data (DPE of existing dwellings since July 2021) cannot be downloaded offline:
this generator writes a CSV with the **real column names** and value formats of the current
export (``,`` separator, ISO dates, labels A to G), so that ``python -m etl import-dpe`` runs on
the same path as on a real extract. Every value is invented: the build labels the indicators it
yields « démonstration » everywhere (catalogue, sources, metadata, ``dpe_agregats``).

``python -m etl demo-dpe --rows N --out FILE [--gzip]``. Rows are produced and written in chunks
(:data:`CHUNK` rows): ten million rows need no more memory than one chunk. Two runs with the same
arguments give byte-identical files: everything derives from a seeded NumPy generator per chunk.

How the invented values are drawn (orders of magnitude of the ADEME observatory, not figures):

- communes weighted by population; rural communes (density grid 5 to 7) have more houses;
- construction period, then label: older housing and rural communes get worse labels; the
  latent score is calibrated so that about 16 % of the DPE are F or G nationally-like;
- about 6 % of rows are a **new DPE of a dwelling diagnosed earlier in the file** (same
  ``identifiant_ban``, ``complement_adresse_logement`` and surface, a later date, often a better
  label after works): the import must keep only the latest one;
- a few defective rows, as real extracts have: empty label (0.3 %), a commune code unknown in
  the region (0.1 %), a commune outside the region (0.1 %).
"""

from __future__ import annotations

import gzip as gzip_module
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

SEED = 20210701
CHUNK = 200_000
BUILD_ROWS = 100_000
DEFAULT_ROWS = 100_000
# First day of the new DPE method (dpe03existant) and the last day of the invented extract.
FIRST_DAY = np.datetime64("2021-07-01")
LAST_DAY = np.datetime64("2025-06-30")
LABELS = np.array(list("ABCDEFG"))
COLUMNS = [
    "numero_dpe",
    "date_etablissement_dpe",
    "date_reception_dpe",
    "date_visite_diagnostiqueur",
    "modele_dpe",
    "numero_dpe_remplace",
    "etiquette_dpe",
    "etiquette_ges",
    "type_batiment",
    "annee_construction",
    "periode_construction",
    "surface_habitable_logement",
    "complement_adresse_logement",
    "identifiant_ban",
    "adresse_ban",
    "code_insee_ban",
    "code_postal_ban",
    "nom_commune_ban",
    "code_departement_ban",
]
# ADEME periods (periode_construction) with the share of dwellings built in each and their years.
PERIODS = [
    ("avant 1948", 0.24, 1850, 1947),
    ("1948-1974", 0.22, 1948, 1974),
    ("1975-1977", 0.04, 1975, 1977),
    ("1978-1982", 0.06, 1978, 1982),
    ("1983-1988", 0.06, 1983, 1988),
    ("1989-2000", 0.12, 1989, 2000),
    ("2001-2005", 0.07, 2001, 2005),
    ("2006-2012", 0.10, 2006, 2012),
    ("2013-2021", 0.08, 2013, 2021),
    ("après 2021", 0.01, 2022, 2024),
]
# Latent energy score offset per period: older is worse (higher score = worse label).
PERIOD_SCORE = np.array([1.55, 1.25, 0.85, 0.6, 0.45, 0.1, -0.15, -0.6, -1.3, -2.0])
# Thresholds on the latent score between A|B, B|C, ..., F|G (calibrated: about 16 % F+G).
THRESHOLDS = np.array([-1.9, -1.1, -0.1, 1.0, 1.95, 2.65])
OUTSIDE_REGION = ("35238", "Rennes")  # a real commune outside Pays de la Loire: out of scope rows


def communes_from_db(db_path: Path) -> pd.DataFrame:
    """Communes of a built database: ``code``, ``nom``, ``population``, ``rural`` (bool)."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        return communes_from_connection(con)


def communes_from_connection(con) -> pd.DataFrame:
    """Communes of an open database (see :func:`communes_from_db`), sorted by code."""
    return con.execute(
        """
        select t.code, t.nom, t.population, coalesce(g.grille_densite >= 5, false) as rural
        from territoires as t
        left join typologies_communes as g on g.code_commune = t.code
        where t.niveau = 'commune'
        order by t.code
        """
    ).df()


def _chunk(rng: np.random.Generator, start: int, n: int, communes: pd.DataFrame) -> pa.Table:
    weights = communes["population"].to_numpy(dtype=float)
    idx = rng.choice(len(communes), size=n, p=weights / weights.sum())
    code = communes["code"].to_numpy(dtype=object)[idx].astype(str)
    nom = communes["nom"].to_numpy(dtype=object)[idx].astype(str)
    rural = communes["rural"].to_numpy(dtype=bool)[idx]

    shares = np.array([p[1] for p in PERIODS])
    period = rng.choice(len(PERIODS), size=n, p=shares / shares.sum())
    lo = np.array([p[2] for p in PERIODS])[period]
    hi = np.array([p[3] for p in PERIODS])[period]
    year = lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(int)
    p_flat = np.where(rural, 0.08, 0.45)
    kind = np.where(rng.random(n) < p_flat, "appartement", "maison")
    kind = np.where(rng.random(n) < 0.01, "immeuble", kind)
    surface = np.where(
        kind == "maison",
        rng.normal(105, 30, n),
        np.where(kind == "appartement", rng.normal(56, 20, n), rng.normal(850, 300, n)),
    )
    surface = np.round(np.clip(surface, 12, 5000), 1)

    # Flats lose less heat than houses; rural houses are often older and heated with oil or wood.
    score = PERIOD_SCORE[period] + np.where(rural, 0.35, 0.0) - np.where(kind == "appartement", 0.35, 0.0)
    score = score + rng.normal(0, 0.9, n)
    label = np.searchsorted(THRESHOLDS, score)
    ges = np.clip(label + rng.integers(-2, 2, n), 0, 6)

    days = int((LAST_DAY - FIRST_DAY).astype(int))
    date = FIRST_DAY + rng.integers(0, days - 400, n).astype("timedelta64[D]")
    number = np.arange(start, start + n)
    address = number.copy()  # a re-diagnosed house keeps the address of its first DPE
    building = rng.integers(1, 9999, n)
    house_no = rng.integers(1, 999, n)
    lot = np.where(kind == "appartement", rng.integers(1, 60, n), 0)

    # A new DPE of a dwelling diagnosed earlier in the chunk: same address, lot and surface.
    redo = np.flatnonzero(rng.random(n) < 0.06)
    redo = redo[redo > 0]
    source = (rng.random(redo.size) * redo).astype(int)
    for array in (code, nom, rural, period, year, kind, surface, building, house_no, lot, address):
        array[redo] = array[source]
    date[redo] = date[source] + rng.integers(30, 400, redo.size).astype("timedelta64[D]")
    label[redo] = np.clip(label[source] - rng.integers(0, 3, redo.size), 0, 6)
    ges[redo] = np.clip(label[redo] + rng.integers(-1, 1, redo.size), 0, 6)

    labels = LABELS[label].astype(object)
    labels[rng.random(n) < 0.003] = ""
    unknown = rng.random(n) < 0.001
    code = code.astype(object)
    code[unknown] = [c[:2] + "999" for c in code[unknown]]  # département of the region, no such commune
    outside = rng.random(n) < 0.001
    code[outside] = OUTSIDE_REGION[0]
    nom = nom.astype(object)
    nom[outside] = OUTSIDE_REGION[1]
    code = code.astype(str)
    dep = np.char.ljust(code, 2).astype("U2")

    yy = (date.astype("datetime64[Y]").astype(int) + 1970) % 100
    # Python ints and str (tolist): formatting numpy scalars one by one costs twice as much
    letters = [chr(65 + k) for k in range(26)]
    numero = [
        f"{y:02d}{d}E{i % 10_000_000:07d}{letters[(i // 10_000_000) % 26]}"
        for y, d, i in zip(yy.tolist(), dep.tolist(), number.tolist(), strict=True)
    ]
    # BAN address ids (commune_voie_numéro): one per house, flats share their building's address
    voie = np.where(kind == "maison", (address // 99_999) % 10_000, building)
    numero_voie = np.where(kind == "maison", address % 99_999 + 1, house_no)
    ban = [f"{c}_{v:04d}_{k:05d}" for c, v, k in zip(code.tolist(), voie.tolist(), numero_voie.tolist(), strict=True)]
    period_label = np.array([p[0] for p in PERIODS], dtype=object)[period]
    year_text = year.astype(str).astype(object)
    year_text[rng.random(n) < 0.05] = ""  # often left empty in real extracts: the period remains
    reception = date + rng.integers(0, 10, n).astype("timedelta64[D]")
    return pa.table(
        {
            "numero_dpe": numero,
            "date_etablissement_dpe": date.astype(str),
            "date_reception_dpe": reception.astype(str),
            "date_visite_diagnostiqueur": (date - rng.integers(0, 15, n).astype("timedelta64[D]")).astype(str),
            "modele_dpe": np.full(n, "DPE 3CL 2021 méthode logement"),
            "numero_dpe_remplace": np.full(n, ""),
            "etiquette_dpe": labels.astype(str),
            "etiquette_ges": LABELS[ges],
            "type_batiment": kind,
            "annee_construction": year_text.astype(str),
            "periode_construction": period_label.astype(str),
            "surface_habitable_logement": surface,
            "complement_adresse_logement": np.where(lot > 0, np.char.add("Appartement ", lot.astype(str)), ""),
            "identifiant_ban": ban,
            "adresse_ban": np.char.add(building.astype(str), " rue de la Démonstration"),
            "code_insee_ban": code,
            "code_postal_ban": np.char.add(dep, "000"),
            "nom_commune_ban": nom.astype(str),
            "code_departement_ban": dep,
        }
    )


def write_demo(out: Path, rows: int, communes: pd.DataFrame, *, gzip: bool = False) -> Path:
    """Write ``rows`` demonstration DPE to ``out`` (CSV, ``,``), chunk by chunk.

    Parameters
    ----------
    out : Path
        File written (replaced). With ``gzip`` the content is gzip-compressed (name it ``.csv.gz``).
    rows : int
        Number of DPE rows.
    communes : pandas.DataFrame
        ``code``, ``nom``, ``population``, ``rural`` (:func:`communes_from_db`).
    gzip : bool
        Compress the output.

    Returns
    -------
    Path
        ``out``.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    communes = communes.sort_values("code").reset_index(drop=True)
    # level 3: pyarrow's default gzip level is several times slower for a barely smaller file
    sink = gzip_module.open(out, "wb", compresslevel=3) if gzip else pa.OSFile(str(out), "wb")  # noqa: SIM115 (closed by the with below)
    options = pacsv.WriteOptions(quoting_style="needed")
    writer = None
    with sink:
        for chunk_no, start in enumerate(range(0, rows, CHUNK)):
            # one generator per chunk: chunk k is the same whatever the total number of rows
            rng = np.random.default_rng([SEED, chunk_no])
            table = _chunk(rng, start, min(CHUNK, rows - start), communes)
            if writer is None:
                writer = pacsv.CSVWriter(sink, table.schema, write_options=options)
            writer.write_table(table)
        if writer is None:  # zero rows: the header only
            sink.write((",".join(COLUMNS) + "\n").encode("utf-8"))
        else:
            writer.close()
    return out
