"""Import of ADEME DPE extracts (``python -m etl import-dpe FILE``): passoires per territory.

Input: an extract of the DPE of existing dwellings, CSV (plain or ``.gz``, ``,`` or ``;``) or
Parquet, in either official layout, recognised from its header:

- ``dpe03existant`` (current, snake_case: ``numero_dpe``, ``etiquette_dpe``, ``code_insee_ban``...);
- ``dpe-v2-logements-existants`` (legacy: ``N°DPE``, ``Etiquette_DPE``, ``Code_INSEE_(BAN)``...).

A header missing a required column refuses the file whole (French message naming the file and
the columns), before anything is stored.

Everything runs **in DuckDB, streaming** (``read_csv(all_varchar)`` / ``read_parquet``): the file
is never held in pandas, so a national extract of ten million rows fits in a small memory.

Accounting (rows read = loaded + rejected + duplicates + out of scope):

- out of scope (``hors_champ``): a commune outside the built region (national extracts);
- rejected, counted **per reason** (no DPE number, no commune, a code unknown in a département
  of the region, an empty or invalid label, an unreadable date, an unknown building type): one
  ``rejets`` row per reason with the count, the first line and its value — never one row per DPE;
- duplicates (``doublons``): a DPE number already stored (re-import, overlapping extracts) or
  seen earlier in the file, **and** a DPE superseded by a later DPE of the same dwelling;
- loaded: the DPE that count (the current DPE of their dwelling).

Latest DPE per dwelling. A dwelling is identified by ``identifiant_ban`` (BAN address) +
``type_batiment`` + ``complement_adresse_logement`` (flat, floor) + the surface rounded to the
m² (flats of one building share the address); without ``identifiant_ban`` the DPE is its own
dwelling. Of a dwelling's DPE only the latest (``date_etablissement_dpe``, then the DPE number)
counts, and a DPE named in another's ``numero_dpe_remplace`` never counts (view
``dpe_courants``). Superseded DPE stay in ``dpe_diagnostics``: a later extract may bring a newer
DPE of a dwelling of an earlier file (its report then counted it as loaded; the log says how
many were superseded).

Publication: ``dpe_agregats`` (per commune, EPCI, département, region × building type ×
construction period) and the indicators ``dpe_nb``, ``dpe_part_passoires`` (F+G), ``dpe_part_efg``,
``dpe_part_passoires_maisons``, ``dpe_part_passoires_appartements`` in ``valeurs``. A share
computed on fewer than :data:`MIN_DPE` DPE is stored (statut ``ok``) and flagged in
``qualite_valeurs`` (« moins de 20 DPE ») so that the read side can grey it; a share on no DPE
is NULL with statut ``absent``. An EPCI crossing the regional border is flagged too: only the
DPE of its communes in the region are counted.

Demonstration: a real import deletes the demonstration DPE; ``etl build`` replays the kept real
extracts (``<database folder>/imports/dpe/``) or, without any, generates a demonstration extract
(:mod:`etl.dpe_demo`) and labels every figure « démonstration ».
"""

from __future__ import annotations

import gzip
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import catalogue, dpe_demo
from etl.errors import EtlError
from etl.report import LoadReport, sha256_of

SOURCE = "ademe_dpe"
SOURCE_DEMO = "ademe_dpe_demonstration"
IMPORTS_SUBDIR = Path("imports") / "dpe"
DEMO_FILE = Path("demo") / "dpe_demonstration.csv"
MIN_DPE = 20
# Memory of the DuckDB import: the sort / hash steps spill to disk beyond it.
MEMORY_LIMIT = os.environ.get("ATLAS_DPE_MEMORY", "1GB")
FIELDS = (
    "numero_dpe",
    "date_etablissement_dpe",
    "etiquette_dpe",
    "type_batiment",
    "code_insee_ban",
    "identifiant_ban",
    "complement_adresse_logement",
    "surface_habitable_logement",
    "annee_construction",
    "periode_construction",
    "numero_dpe_remplace",
)
REQUIRED = FIELDS[:5]
# Canonical field -> column name of each official layout (legacy: dpe-v2-logements-existants).
SCHEMAS = {
    "dpe03existant": {f: f for f in FIELDS},
    "dpe-v2-logements-existants": {
        "numero_dpe": "N°DPE",
        "date_etablissement_dpe": "Date_établissement_DPE",
        "etiquette_dpe": "Etiquette_DPE",
        "type_batiment": "Type_bâtiment",
        "code_insee_ban": "Code_INSEE_(BAN)",
        "identifiant_ban": "Identifiant__BAN",
        "complement_adresse_logement": "Complément_d'adresse_logement",
        "surface_habitable_logement": "Surface_habitable_logement",
        "annee_construction": "Année_construction",
        "periode_construction": "Période_construction",
        "numero_dpe_remplace": "N°_DPE_remplacé",
    },
}
INDICATEURS = {
    # code: (type_batiment, measure)
    "dpe_nb": ("ensemble", "nb"),
    "dpe_part_passoires": ("ensemble", "fg"),
    "dpe_part_efg": ("ensemble", "efg"),
    "dpe_part_passoires_maisons": ("maison", "fg"),
    "dpe_part_passoires_appartements": ("appartement", "fg"),
}


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
        con.executemany(
            "insert into rejets values (?, ?, ?, ?, ?, ?)",
            [
                (self.source, self.fichier, ligne, colonne, valeur, f"{motif} ({n} lignes ; ligne citée : la première)")
                for motif, colonne, ligne, valeur, n in self.motifs
            ],
        )


@dataclass
class ImportResult:
    """What ``import-dpe`` did (rows read = chargees + rejetees + doublons + hors_champ)."""

    fichier: str
    schema: str
    lues: int
    chargees: int
    rejetees: int
    doublons: int
    hors_champ: int
    copie: Path | None


def _header(path: Path, fichier: str) -> tuple[list[str], str | None]:
    """Column names of the file, read without loading it, and the CSV separator."""
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            rows = duckdb.execute("select name from parquet_schema(?) where num_children is null", [str(path)])
            return [r[0] for r in rows.fetchall()], None
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            line = handle.readline()
    except (OSError, UnicodeDecodeError, duckdb.Error) as exc:
        raise EtlError(f"fichier illisible ({exc})", fichier=fichier) from exc
    sep = max([",", ";", "\t"], key=line.count)
    return [c.strip().strip('"') for c in line.rstrip("\r\n").split(sep)], sep


def detect_schema(columns: list[str], fichier: str) -> tuple[str, dict[str, str]]:
    """Recognise the layout of a header.

    Returns
    -------
    tuple
        The layout name and, for every canonical field present, its column name.

    Raises
    ------
    EtlError
        When neither layout has all its required columns (naming the missing ones).
    """
    present = {c.casefold() for c in columns}
    best = None
    for name, mapping in SCHEMAS.items():
        found = {f: col for f, col in mapping.items() if col.casefold() in present}
        missing = [mapping[f] for f in REQUIRED if f not in found]
        if not missing:
            return name, found
        if best is None or len(missing) < len(best[1]):
            best = (name, missing)
    raise EtlError(
        f"en-tête non reconnu comme un extrait DPE de l'ADEME : colonnes manquantes pour le format "
        f"{best[0]} : {', '.join(best[1])} (formats admis : dpe03existant, dpe-v2-logements-existants)",
        fichier=fichier,
    )


def _quote(column: str) -> str:
    # Only column names of SCHEMAS reach SQL (never a name read from the file).
    return '"' + column.replace('"', '""') + '"'


def _stage(con, path: Path, fichier: str) -> str:
    """Read the file into the temporary table ``stg_dpe`` (typed, classified). Returns the layout."""
    if path.name.lower().endswith(".parquet"):
        columns, _ = _header(path, fichier)
        source = "read_parquet(?)"
        params = [str(path)]
    else:
        columns, sep = _header(path, fichier)
        source = "read_csv(?, delim = ?, header = true, quote = '\"', escape = '\"', all_varchar = true)"
        params = [str(path), sep]
    schema, found = detect_schema(columns, fichier)
    select = ", ".join(
        f"nullif(trim(cast({_quote(found[f])} as varchar)), '') as {f}" if f in found else f"null::varchar as {f}"
        for f in FIELDS
    )
    try:
        con.execute(
            f"""
            create or replace temp table stg_dpe as
            with

            brut as (
                select row_number() over () + 1 as ligne, {select}
                from {source}
            ),

            normalise as (
                select
                    *,
                    case when regexp_full_match(code_insee_ban, '\\d{{4}}') then '0' || code_insee_ban
                         else upper(code_insee_ban) end as code,
                    upper(etiquette_dpe) as etiquette,
                    coalesce(
                        try_cast(left(date_etablissement_dpe, 10) as date),
                        try_strptime(date_etablissement_dpe, '%d/%m/%Y')::date
                    ) as date_dpe,
                    case lower(type_batiment)
                        when 'maison' then 'maison' when 'appartement' then 'appartement'
                        when 'immeuble' then 'immeuble' end as type_norm,
                    coalesce(
                        case when try_cast(annee_construction as integer) between 1000 and 2100
                             then try_cast(annee_construction as integer) end,
                        case when lower(periode_construction) like 'avant%' then 1900
                             when lower(periode_construction) like 'apr%'
                                 then try_cast(regexp_extract(periode_construction, '\\d{{4}}') as integer) + 1
                             else try_cast(regexp_extract(periode_construction, '\\d{{4}}') as integer) end
                    ) as annee
                from brut
            ),

            place as (
                select
                    n.*,
                    p.code_actuel,
                    t.code is not null as dans_region,
                    left(n.code, 2) in (select code from territoires where niveau = 'departement') as dep_region
                from normalise as n
                left join passage_communes as p on p.code_ancien = n.code
                left join territoires as t on t.niveau = 'commune' and t.code = p.code_actuel
            )

            select
                ligne, numero_dpe, date_dpe, etiquette, type_norm as type_batiment, code_actuel,
                numero_dpe_remplace,
                case when annee is null then 'inconnue' when annee < 1948 then 'avant 1948'
                     when annee < 1975 then '1948-1974' when annee < 1989 then '1975-1988'
                     when annee < 2006 then '1989-2005' when annee < 2013 then '2006-2012'
                     else 'après 2012' end as periode,
                case when identifiant_ban is null then hash(numero_dpe)
                     else hash(identifiant_ban, type_norm, coalesce(complement_adresse_logement, ''),
                               round(try_cast(replace(surface_habitable_logement, ',', '.') as double)))
                     end as logement,
                case
                    when numero_dpe is null then 'numero_dpe|numéro de DPE vide'
                    when code is null then 'code_insee_ban|code commune vide'
                    when code_actuel is null and dep_region then 'code_insee_ban|code commune inconnu de la table de passage'
                    when not dans_region then null
                    when etiquette is null then 'etiquette_dpe|étiquette DPE vide'
                    when etiquette not in ('A', 'B', 'C', 'D', 'E', 'F', 'G') then 'etiquette_dpe|étiquette DPE invalide (attendu A à G)'
                    when date_dpe is null then 'date_etablissement_dpe|date d''établissement illisible'
                    when type_norm is null then 'type_batiment|type de bâtiment inconnu (attendu maison, appartement ou immeuble)'
                end as rejet,
                case when rejet is not null then 'rejet' when not dans_region then 'hors_champ' else 'ok' end as issue,
                case split_part(rejet, '|', 1)
                    when 'numero_dpe' then numero_dpe when 'etiquette_dpe' then etiquette_dpe
                    when 'date_etablissement_dpe' then date_etablissement_dpe when 'type_batiment' then type_batiment
                    else code_insee_ban end as valeur
            from place
            """,
            params,
        )
    except duckdb.Error as exc:
        raise EtlError(f"lecture du fichier impossible ({str(exc).splitlines()[0]})", fichier=fichier) from exc
    return schema


def load_dpe(con, path: Path, *, fichier: str | None = None, demonstration: bool = False, log=print) -> DpeReport:
    """Stage, classify and store one extract on an open connection (no commit, no publication).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A built database (``territoires``, ``passage_communes``, ``dpe_diagnostics``).
    path : Path
        CSV, CSV.gz or Parquet extract.
    fichier : str, optional
        Name recorded in ``chargements``, ``rejets`` and ``dpe_diagnostics`` (default: file name).
    demonstration : bool
        Mark the DPE as demonstration data.
    log : callable
        Receives notes (demonstration DPE deleted, DPE of earlier extracts superseded).

    Returns
    -------
    DpeReport
        Closed (balanced), not yet saved.
    """
    fichier = fichier or path.name
    report = DpeReport(SOURCE_DEMO if demonstration else SOURCE, path, fichier)
    schema = _stage(con, path, fichier)
    report.schema = schema
    _replace_demonstration(con, demonstration, log)
    counts = dict(con.execute("select issue, count(*) from stg_dpe group by issue").fetchall())
    report.lues = sum(counts.values())
    report.hors_champ = counts.get("hors_champ", 0)
    for rejet, ligne, valeur, n in con.execute(
        "select rejet, min(ligne), arg_min(valeur, ligne), count(*) from stg_dpe "
        "where issue = 'rejet' group by rejet order by min(ligne)"
    ).fetchall():
        colonne, motif = rejet.split("|", 1)
        report.motifs.append((motif, colonne, ligne, valeur, n))
    before_current = con.execute("select count(*) from dpe_courants").fetchall()[0][0]
    con.execute(
        """
        create or replace temp table stg_dpe_nouveaux as
        select s.*
        from stg_dpe as s
        anti join dpe_diagnostics as d using (numero_dpe)
        where s.issue = 'ok'
        qualify row_number() over (partition by s.numero_dpe order by s.ligne) = 1
        """
    )
    con.execute(
        """
        insert into dpe_diagnostics
        select numero_dpe, logement, date_dpe, etiquette, type_batiment, periode, code_actuel,
               numero_dpe_remplace, ?, ?
        from stg_dpe_nouveaux
        """,
        [fichier, demonstration],
    )
    (current,) = con.execute(
        """
        select count(c.numero_dpe)
        from stg_dpe_nouveaux as s
        left join dpe_courants as c using (numero_dpe)
        """
    ).fetchall()[0]
    report.chargees = current
    report.doublons = counts.get("ok", 0) - current
    # current DPE of earlier files that a DPE of this file supersedes
    superseded = before_current + current - con.execute("select count(*) from dpe_courants").fetchall()[0][0]
    if superseded:
        log(f"  {superseded} DPE d'extraits précédents remplacés par un DPE plus récent du même logement")
    con.execute("drop table stg_dpe")
    con.execute("drop table stg_dpe_nouveaux")
    return report.close()


def _replace_demonstration(con, demonstration: bool, log) -> None:
    real = con.execute("select count(*) from dpe_diagnostics where not demonstration").fetchall()[0][0]
    if demonstration and real:
        raise EtlError(f"la base contient déjà {real} DPE réels : les données de démonstration ne sont pas importées")
    if not demonstration:
        demo = con.execute("select count(*) from dpe_diagnostics where demonstration").fetchall()[0][0]
        if demo:
            con.execute("delete from dpe_diagnostics where demonstration")
            log(f"  {demo} DPE de démonstration supprimés : les extraits réels les remplacent.")


def publish(con) -> None:
    """Recompute ``dpe_agregats``, the DPE ``valeurs`` and notes, and refresh the catalogue."""
    con.execute("delete from dpe_agregats")
    con.execute(
        """
        insert into dpe_agregats
        with

        courants as (
            select c.etiquette, c.type_batiment, c.periode, c.demonstration, t.code as commune,
                   t.code_epci, t.code_departement
            from dpe_courants as c
            join territoires as t on t.niveau = 'commune' and t.code = c.code_commune
        ),

        niveaux as (
            select 'commune' as niveau, commune as code, * exclude (commune, code_epci, code_departement)
            from courants
            union all
            select 'epci', code_epci, * exclude (commune, code_epci, code_departement)
            from courants where code_epci is not null
            union all
            select 'departement', code_departement, * exclude (commune, code_epci, code_departement)
            from courants
            union all
            select 'region', (select code from territoires where niveau = 'region'),
                   * exclude (commune, code_epci, code_departement)
            from courants
        )

        select niveau, code, coalesce(type_batiment, 'ensemble'), coalesce(periode, 'ensemble'),
               count(*), count(*) filter (where etiquette in ('F', 'G')),
               count(*) filter (where etiquette in ('E', 'F', 'G')), bool_or(demonstration)
        from niveaux
        group by grouping sets ((niveau, code), (niveau, code, type_batiment), (niveau, code, periode))
        """
    )
    codes = list(INDICATEURS)
    con.execute("delete from valeurs where list_contains(?, indicateur)", [codes])
    con.execute("delete from qualite_valeurs where list_contains(?, indicateur)", [codes])
    millesime = con.execute("select cast(year(max(date_etablissement)) as varchar) from dpe_courants").fetchall()[0][0]
    if millesime is None:
        _refresh_catalogue(con)
        return
    for code, (type_batiment, measure) in INDICATEURS.items():
        con.execute(
            """
            insert into valeurs
            select ?, t.niveau, t.code, ?,
                   case when ? = 'nb' then coalesce(a.nb_dpe, 0)
                        when coalesce(a.nb_dpe, 0) = 0 then null
                        when ? = 'fg' then round(100.0 * a.nb_fg / a.nb_dpe, 2)
                        else round(100.0 * a.nb_efg / a.nb_dpe, 2) end,
                   case when ? = 'nb' or coalesce(a.nb_dpe, 0) > 0 then 'ok' else 'absent' end
            from territoires as t
            left join dpe_agregats as a
                on a.niveau = t.niveau and a.code = t.code and a.type_batiment = ? and a.periode = 'ensemble'
            """,
            [code, millesime, measure, measure, measure, type_batiment],
        )
        if measure == "nb":
            continue
        con.execute(
            """
            insert into qualite_valeurs
            select ?, a.niveau, a.code, ?, 'moins de 20 DPE (' || a.nb_dpe || ') : part peu fiable'
            from dpe_agregats as a
            where a.type_batiment = ? and a.periode = 'ensemble' and a.nb_dpe between 1 and ? - 1
            """,
            [code, millesime, type_batiment, MIN_DPE],
        )
    # An EPCI across the regional border: its DPE are those of its communes in the region only.
    con.execute(
        """
        insert into qualite_valeurs
        select v.indicateur, v.niveau, v.code, v.millesime, 'DPE des seules communes de la région (EPCI interrégional)'
        from valeurs as v
        join territoires as e on e.niveau = 'epci' and e.code = v.code
        where v.niveau = 'epci' and list_contains(?, v.indicateur) and v.statut = 'ok'
          and e.population > (select sum(population) from territoires as c where c.niveau = 'commune' and c.code_epci = e.code)
        """,
        [codes],
    )
    _refresh_catalogue(con)


def _refresh_catalogue(con) -> None:
    demonstration = con.execute("select coalesce(bool_or(demonstration), false) from dpe_diagnostics").fetchall()[0][0]
    con.execute("delete from indicateurs")
    catalogue.insert_catalogue(con)
    if demonstration:
        con.execute(
            """
            update indicateurs
            set libelle = libelle || ' (démonstration)',
                description = 'DONNÉES DE DÉMONSTRATION générées (aucun extrait ADEME importé). ' || description
            where source = ?
            """,
            [SOURCE],
        )
    libelle = catalogue.SOURCES[SOURCE][0]
    millesime = catalogue.SOURCES[SOURCE][2]
    if demonstration:
        libelle = "DÉMONSTRATION : extrait DPE généré au format officiel dpe03existant (valeurs inventées)"
        millesime = "démonstration"
    con.execute("update sources set libelle = ?, millesime = ? where source = ?", [libelle, millesime, SOURCE])
    con.execute("delete from metadonnees where cle = 'dpe_donnees'")
    con.execute(
        "insert into metadonnees values ('dpe_donnees', ?)",
        ["démonstration" if demonstration else "extraits ADEME importés"],
    )


def _keep_copy(folder: Path, file: Path) -> Path:
    """Copy an imported extract into the replay folder once (same content = same copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = sha256_of(file)[:12]
    for existing in folder.glob(f"*_{digest}_*"):
        return existing
    rank = len(list(folder.iterdir())) + 1  # sortable: replayed in the order first imported
    target = folder / f"{rank:04d}_{digest}_{file.name}"
    shutil.copyfile(file, target)
    return target


def import_dpe(db_path: Path, file: Path, *, log: Callable[[str], None] = print) -> ImportResult:
    """Import a real DPE extract into an existing database, atomically.

    The database is copied beside itself, the extract is loaded and published in one
    transaction, the data checks run, then ``os.replace`` swaps the copy in: any failure leaves
    the database byte-identical.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.
    file : Path
        CSV, CSV.gz or Parquet extract in either official layout.
    log : callable
        Receives the summary lines.

    Returns
    -------
    ImportResult

    Raises
    ------
    EtlError
        Wrong header, unreadable file or failed check; the database is left unchanged.
    """
    from etl.build import connect_for_build, run_checks  # build imports this module

    db_path, file = Path(db_path), Path(file)
    if not db_path.is_file():
        raise EtlError(f"base introuvable : {db_path} (lancer d'abord « python -m etl build »)")
    if not file.is_file():
        raise EtlError("fichier introuvable", fichier=str(file))
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    shutil.copyfile(db_path, tmp)
    if db_path.with_name(db_path.name + ".wal").exists():
        shutil.copyfile(db_path.with_name(db_path.name + ".wal"), tmp.with_name(tmp.name + ".wal"))
    copy = None
    con = connect_for_build(tmp)
    try:
        con.execute("set memory_limit = ?", [MEMORY_LIMIT])
        tables = {t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()}
        if "dpe_diagnostics" not in tables:
            raise EtlError(f"la base {db_path.name} précède l'import des DPE : relancer « python -m etl build »")
        con.execute("begin transaction")
        report = load_dpe(con, file, log=log)
        publish(con)
        report.save(con)
        run_checks(con)
        con.execute("commit")
        con.execute("checkpoint")
        con.close()
        copy = _keep_copy(db_path.parent / IMPORTS_SUBDIR, file)
        os.replace(tmp, db_path)
    except BaseException:
        con.close()
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    r = report
    log(
        f"{r.fichier} ({r.schema}) : {r.lues} lignes lues = {r.chargees} chargées + {r.rejetees} rejetées "
        f"+ {r.doublons} doublons (DPE déjà vus ou remplacés) + {r.hors_champ} hors région"
    )
    for motif, colonne, ligne, valeur, n in r.motifs:
        log(
            f"  rejet « {motif} » : {n} lignes (colonne {colonne}, première : ligne {ligne}, valeur « {valeur or ''} »)"
        )
    log(f"Extrait conservé pour les reconstructions (etl build) : {copy}")
    return ImportResult(r.fichier, r.schema, r.lues, r.chargees, r.rejetees, r.doublons, r.hors_champ, copy)


def load_for_build(con, db_path: Path, log: Callable[[str], None] = print) -> list[LoadReport]:
    """Build step: replay the kept extracts, or a generated demonstration extract; then publish.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being built (geography, indicators and typologies loaded).
    db_path : Path
        The target database: kept imports and the demonstration file live in its folder.

    Returns
    -------
    list of LoadReport
        One closed report per file (not yet saved).
    """
    folder = db_path.parent / IMPORTS_SUBDIR
    imports = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    reports = []
    if imports:
        for path in imports:
            reports.append(load_dpe(con, path, fichier=path.name.split("_", 2)[-1], log=log))
    else:
        demo = db_path.parent / DEMO_FILE
        dpe_demo.write_demo(demo, dpe_demo.BUILD_ROWS, dpe_demo.communes_from_connection(con))
        log(f"  DPE : aucun extrait réel importé, extrait de démonstration généré ({demo.name})")
        reports.append(load_dpe(con, demo, demonstration=True, log=log))
    publish(con)
    return reports
