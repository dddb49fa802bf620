"""Accounting of each DPE extract: rows read = loaded + rejected + duplicates + out of scope.

- out of scope (``hors_champ``): a commune outside the built region (national extracts);
- rejected, counted **per reason** (no DPE number, no commune, a code unknown in a département
  of the region, an empty or invalid label, an unreadable date, an unknown building type): one
  ``rejets`` row per reason with the count, the first line and its value — never one row per DPE;
- duplicates (``doublons``): a DPE number of an earlier extract or seen earlier in the file,
  **and** a DPE superseded by a later DPE of the same dwelling or replaced;
- loaded: the current DPE first brought by this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.dpe.aggregation import HORS_CHAMP, MOTIFS, aggregate, first_lines
from etl.dpe.constants import SOURCE, SOURCE_DEMO
from etl.dpe.reading import source_sql
from etl.errors import EtlError
from etl.report import LoadReport

NBSP = "\u00a0"


@dataclass
class DpeReport(LoadReport):
    """A load report whose rejects are counted per reason (a national extract has millions)."""

    motifs: list[tuple[str, str, int, str | None, int]] = field(default_factory=list)
    schema: str = ""

    @property
    def rejetees(self) -> int:
        return sum(m[4] for m in self.motifs)

    def save(self, con) -> None:
        """Save the report, then one ``rejets`` row per reason (count, first line, its value)."""
        super().save(con)
        if not self.motifs:  # executemany refuses an empty list
            return
        con.executemany(
            "insert into rejets values (?, ?, ?, ?, ?, ?)",
            [
                # the count read on « Données et méthodes » as its other counts: « 12 345 » (no-break space)
                (
                    self.source,
                    self.fichier,
                    ligne,
                    colonne,
                    valeur,
                    f"{motif} ({f'{n:,}'.replace(',', NBSP)} lignes ; ligne citée : la première)",
                )
                for motif, colonne, ligne, valeur, n in self.motifs
            ],
        )


def load_dpe(
    con, files: list[tuple[Path, str]], *, reported_from: int = 0, demonstration: bool = False
) -> list[DpeReport]:
    """Aggregate extracts into ``stg_dpe_communes`` and account for the files from ``reported_from``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A built database (``territoires``, ``passage_communes``).
    files : list of (Path, str)
        Every extract that counts (CSV, CSV.gz or Parquet), earliest first, with the name recorded
        in ``chargements`` and ``rejets``. A DPE number counts once, for the earliest file.
    reported_from : int
        Index of the first file to report on (the earlier ones were reported when imported).
    demonstration : bool
        Demonstration extract (report source ``ademe_dpe_demonstration``).

    Returns
    -------
    list of DpeReport
        One closed (balanced) report per reported file, not yet saved.

    Raises
    ------
    EtlError
        A wrong header or a file DuckDB cannot read (naming the reported files).
    """
    sources, reports = [], []
    for rang, (path, fichier) in enumerate(files):
        sql, params, schema = source_sql(path, fichier, rang)
        sources.append((sql, params))
        if rang >= reported_from:
            report = DpeReport(SOURCE_DEMO if demonstration else SOURCE, path, fichier)
            report.schema = schema
            reports.append(report)
    reported = list(range(reported_from, len(files)))
    try:
        aggregate(con, sources)
    except duckdb.Error as exc:
        fichiers = ", ".join(f for _, f in files[reported_from:]) or ", ".join(f for _, f in files)
        raise EtlError(f"lecture du fichier impossible ({str(exc).splitlines()[0]})", fichier=fichiers) from exc
    for report, rang in zip(reports, reported, strict=True):
        _account(con, report, rang, sources[rang])
    return reports


def _account(con, report: DpeReport, rang: int, source: tuple[str, list]) -> None:
    """Fill and close the report of the extract of rank ``rang`` from ``stg_dpe_communes``."""
    ok, chargees = con.execute(
        """
        select coalesce(sum(n) filter (where n is not null and rejet is null), 0),
               coalesce(sum(nb_logements) filter (where n is null and not remplace), 0)
        from stg_dpe_communes where rang = ?
        """,
        [rang],
    ).fetchall()[0]
    motifs = con.execute(
        "select rejet, n from stg_dpe_communes where rang = ? and n is not null and rejet is not null order by rejet",
        [rang],
    ).fetchall()
    rejets = [(m, n) for m, n in motifs if m != HORS_CHAMP]
    first = first_lines(con, *source, [m for m, _ in rejets]) if rejets else {}
    for motif, n in rejets:
        colonne, libelle = MOTIFS[motif]
        ligne, valeur = first[motif]
        report.motifs.append((libelle, colonne, ligne, valeur, n))
    report.motifs.sort(key=lambda m: (m[2] is None, m[2] or 0))
    report.hors_champ = sum(n for m, n in motifs if m == HORS_CHAMP)
    report.chargees = chargees
    report.doublons = ok - chargees
    report.lues = ok + report.rejetees + report.hors_champ
    report.close()
