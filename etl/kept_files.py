"""Kept copies of the imports (visits, services, experiments, DPE extracts under ``imports/``), safely.

``etl build`` replays the imported files kept beside the database. A kept file is the user's data:
a truncated one (the import killed while copying, a full disk) replayed without a word would load
15 000 visits of 100 000. So, for every import (visits, services, experiments, DPE):

- the kept name carries the file's SHA-256: ``<rank>_<12 hex>_<name>`` (:func:`final_name`), the
  rank giving the replay order (first imported first);
- a file is first copied (:func:`stage_copy`, fsynced) or linked (:func:`stage_link`, the DPE
  extracts: no second exemplar of gigabytes) under a hidden temporary name ``.partiel-…``, and
  given its kept name only **after** the database swap (:func:`keep_after_swap`): a run killed
  before the swap leaves only a temporary, which the build never replays, and the next writer
  removes (:func:`remove_stale`);
- every reuse (a re-import of the same content) and every replay checks the content against the
  name (:func:`verify`), and refuses a mismatch with a French message naming the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from etl.errors import EtlError
from etl.report import remember_sha256, sha256_of

KEPT_NAME = re.compile(r"(\d{4})_([0-9a-f]{12})_(.+)")
PART_PREFIX = ".partiel-"
# Where an extract hidden by a killed ``import-dpe --deplacer`` of an earlier version is put back.
RECOVERED_SUBDIR = Path("imports") / "recuperes"
_OLD_DPE_PART = re.compile(r"\.[0-9a-f]{8}_(.+)")


def expected_digest(path: Path) -> str | None:
    """The 12 hex digits of SHA-256 in a kept name, or None for a name this module did not write."""
    match = KEPT_NAME.fullmatch(Path(path).name)
    return match[2] if match else None


def original_name(path: Path) -> str:
    """The imported file's own name, without the rank and digest of its kept name."""
    match = KEPT_NAME.fullmatch(Path(path).name)
    return match[3] if match else Path(path).name


def verify(path: Path, conseil: str | None = None) -> None:
    """Refuse a kept file whose content no longer matches the SHA-256 of its name.

    Parameters
    ----------
    path : Path
        A kept file (a name without a digest is not checked: an older installation's).
    conseil : str, optional
        What to do, in French (default: delete the kept file and import the original again).

    Raises
    ------
    EtlError
        Naming the file, the expected and the found digests.
    """
    expected = expected_digest(path)
    if expected is None:
        return
    found = sha256_of(path)[:12]
    if found != expected:
        raise EtlError(
            f"fichier conservé modifié depuis son import (SHA-256 {found}… au lieu de {expected}…, celui de son "
            "nom) : copie tronquée par un arrêt ou un disque plein, ou fichier modifié. "
            + (conseil or "Supprimer ce fichier conservé puis réimporter le fichier d'origine"),
            fichier=str(path),
        )


def kept_files(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """The kept files of a folder in replay order: visible, with a kept name, of the given suffixes.

    A rejects file (``….rejets.csv``) is never a kept file: older builds wrote one beside each kept
    visit file, and replaying it as visits failed every build after.
    """
    if not folder.is_dir():
        return []
    paths = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file() or path.name.endswith(".rejets.csv"):
            continue
        if suffixes is not None and path.suffix.lower() not in suffixes:
            continue
        paths.append(path)
    return paths


def find_kept(folder: Path, digest: str) -> Path | None:
    """The file already kept with this content (same 12 first hex digits of SHA-256), if any."""
    for path in kept_files(folder):
        if expected_digest(path) == digest[:12]:
            return path
    return None


def final_name(folder: Path, digest: str, name: str) -> Path:
    """The next kept name in ``folder``: rank after the last kept file, digest, original name."""
    ranks = [int(m[1]) for p in kept_files(folder) if (m := KEPT_NAME.fullmatch(p.name))]
    rank = max(ranks, default=len(kept_files(folder))) + 1
    return folder / f"{rank:04d}_{digest[:12]}_{name}"


def part_path(folder: Path, name: str) -> Path:
    """A hidden temporary name in ``folder`` that ends like ``name`` (readers recognise .gz, .parquet)."""
    return folder / f"{PART_PREFIX}{uuid.uuid4().hex[:8]}_{name}"


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename survives a power cut)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage_copy(source: Path, folder: Path) -> tuple[Path, str]:
    """Copy ``source`` to a hidden temporary in ``folder``, hashing it on the way, fsynced.

    Returns
    -------
    (Path, str)
        The temporary and the SHA-256 of what was written.

    Raises
    ------
    OSError
        A full disk or another write error; the temporary is removed first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    part = part_path(folder, source.name)
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as src, open(part, "xb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    remember_sha256(part, digest.hexdigest())
    return part, digest.hexdigest()


def stage_link(source: Path, folder: Path) -> tuple[Path, str, bool]:
    """Stage ``source`` in ``folder`` by a hard link (no copy), or by :func:`stage_copy` where none can be made.

    A hard link is a second name of the same file on disk: no copy time, no second exemplar of a
    national DPE extract. Deleting or renaming the user's file leaves the kept one intact; editing
    it **in place** changes the kept one too, which :func:`verify` detects at the next replay.

    Returns
    -------
    (Path, str, bool)
        The temporary, the SHA-256 of its content and whether it is a link (False: a copy).

    Raises
    ------
    OSError
        A full disk or another write error while copying; the temporary is removed first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    part = part_path(folder, source.name)
    try:
        os.link(source, part)
    except OSError:
        # another filesystem (EXDEV), or one without hard links (FAT, some network shares:
        # EPERM, ENOTSUP...): copied instead
        part, digest = stage_copy(source, folder)
        return part, digest, False
    try:
        digest = sha256_of(part)
    except BaseException:
        part.unlink(missing_ok=True)  # only this name goes: the user's file stays
        raise
    return part, digest, True


def publish(part: Path, target: Path, digest: str) -> Path:
    """Give a staged temporary its kept name (after the database swap), durably."""
    os.replace(part, target)
    fsync_dir(target.parent)
    remember_sha256(target, digest)
    return target


def keep_after_swap(part: Path, folder: Path, digest: str, name: str, log: Callable[[str], None]) -> Path:
    """Publish a staged copy, or reuse the file already kept with that content.

    A kept file with the same digest in its name is reused once its content is checked; a damaged
    one (truncated by an earlier crash) is replaced by the staged copy, which is the same file.
    """
    existing = find_kept(folder, digest)
    if existing is not None:
        try:
            verify(existing)
        except EtlError:
            publish(part, existing, digest)
            log(f"Fichier conservé endommagé remplacé par la copie de ce nouvel import : {existing}")
            return existing
        part.unlink(missing_ok=True)
        return existing
    return publish(part, final_name(folder, digest, name), digest)


def _size(path: Path) -> str:
    try:
        total = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*"))
    except OSError:
        return "?"
    return f"{total / 1e6:.1f} Mo".replace(".", ",")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _committed_digests(db_path: Path) -> set[str]:
    """SHA-256 of every file the database records as loaded (``chargements``)."""
    import duckdb

    if not db_path.is_file():
        return set()
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return {
                d for (d,) in con.execute("select distinct sha256 from chargements where sha256 is not null").fetchall()
            }
    except duckdb.Error:  # an unreadable or foreign file: nothing to finish
        return set()


def remove_stale(db_path: Path, log: Callable[[str], None] = print) -> None:
    """Remove what killed runs left beside ``db_path``; call it only while holding the writer lock.

    - ``.<database>.*.tmp`` (and its ``.wal`` and DuckDB spill folder): a build's or an import's
      working copy;
    - ``imports/*/.partiel-*``: a kept file not yet renamed (a link or a copy: the user's own file
      is still where it was). Removed, unless the base records its SHA-256 as loaded (the run was
      killed between the swap and the rename): then it is given its kept name;
    - ``imports/visites/*.rejets.csv`` beside a kept file: written by older builds;
    - ``imports/dpe/.<8 hex>_<name>`` of older versions, which ``--deplacer`` renamed the user's
      extract to: that one may be the only exemplar, so it is put back in sight in
      ``imports/recuperes/`` (never deleted), with a line saying so.
    """
    folder = Path(db_path).parent
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f".{Path(db_path).name}.*.tmp*")):
        log(f"  fichier temporaire d'une écriture interrompue supprimé : {path.name} ({_size(path)})")
        _remove(path)
    imports = folder / "imports"
    if not imports.is_dir():
        return
    parts = sorted(imports.rglob(f"{PART_PREFIX}*"))
    committed = _committed_digests(Path(db_path)) if parts else set()
    for path in parts:
        digest = sha256_of(path) if path.is_file() else None
        if digest in committed:
            # killed between the swap and the rename: the base holds this import, so the file is
            # kept (else the next build would drop the import without a word)
            name = path.name[len(PART_PREFIX) + 9 :]
            kept = keep_after_swap(path, path.parent, digest, name, log)
            log(f"  import interrompu après son enregistrement dans la base : fichier conservé achevé ({kept})")
            continue
        log(f"  copie partielle d'un import interrompu supprimée : {path.relative_to(folder)} ({_size(path)})")
        _remove(path)
    visites = imports / "visites"
    if visites.is_dir():
        for path in sorted(visites.glob("*.rejets.csv")):
            if path.with_name(path.name.removesuffix(".rejets.csv")).is_file():
                log(f"  fichier de rejets écrit par une ancienne construction supprimé : {path.relative_to(folder)}")
                path.unlink()
    dpe = imports / "dpe"
    if dpe.is_dir():
        for path in sorted(dpe.iterdir()):
            match = _OLD_DPE_PART.fullmatch(path.name)
            if not match or not path.is_file():
                continue
            if path.stat().st_nlink > 1:  # a link: the user's file is still in its folder
                path.unlink()
                continue
            target_dir = folder / RECOVERED_SUBDIR
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / match[1]
            if target.exists():
                target = target_dir / f"{uuid.uuid4().hex[:8]}_{match[1]}"
            os.replace(path, target)
            log(
                f"  extrait DPE caché par un import interrompu (--deplacer) remis en vue : {target} ; "
                "le réimporter avec « python -m etl import-dpe » s'il doit compter"
            )
