"""Import of ADEME DPE extracts (``python -m etl import-dpe FILE``): passoires per territory.

Input: an extract of the DPE of existing dwellings, CSV (plain or ``.gz``, ``,`` or ``;``) or
Parquet, in either official layout, recognised from its header:

- ``dpe03existant`` (current, snake_case: ``numero_dpe``, ``etiquette_dpe``, ``code_insee_ban``...);
- ``dpe-v2-logements-existants`` (legacy: ``N°DPE``, ``Etiquette_DPE``, ``Code_INSEE_(BAN)``...).

A header missing a required column refuses the file whole (French message naming the file and
the columns), before anything is stored.

Everything runs **in DuckDB, streaming**, in one pass over the files (``read_csv(all_varchar)``
of the needed columns only / ``read_parquet`` with projection pushdown), under a memory limit
(:data:`MEMORY_LIMIT`, spilled to disk beyond): the file is never held in Python, and the process
imports neither pandas nor NumPy.

Storage: **only the aggregates** (``dpe_agregats``), never one row per DPE. Several extracts add
up with each DPE number counted once, and a later extract may bring a newer DPE of a dwelling of
an earlier one; both need every DPE of every extract. Rather than storing the raw rows (or their
numbers, which would not settle the latest DPE per dwelling), every import **re-reads all the
kept extracts** (``<database folder>/imports/dpe/``, kept anyway for ``etl build``) plus the new
one in the same single DuckDB query: the database stays small, the result does not depend on the
order of the imports, and an import costs one pass over all kept extracts (see the benchmark in
the README). The new extract is kept in that folder by a hard link to the user's file (no copy,
no second exemplar of a national extract on disk), or copied (``--copier``, or where no link can be
made), or moved there (``--deplacer``); see :class:`_Keeping`. Every replay checks that a kept
extract still has the content its name's SHA-256 says (:func:`_verify_kept`).

Accounting (rows read = loaded + rejected + duplicates + out of scope), for the new file:

- out of scope (``hors_champ``): a commune outside the built region (national extracts);
- rejected, counted **per reason** (no DPE number, no commune, a code unknown in a département
  of the region, an empty or invalid label, an unreadable date, an unknown building type): one
  ``rejets`` row per reason with the count, the first line and its value — never one row per DPE;
- duplicates (``doublons``): a DPE number of an earlier extract or seen earlier in the file,
  **and** a DPE superseded by a later DPE of the same dwelling or replaced;
- loaded: the current DPE first brought by this file.

Latest DPE per dwelling. A dwelling is identified by ``identifiant_ban`` (BAN address) +
``type_batiment`` + ``complement_adresse_logement`` (flat, floor) + the surface rounded to the
m² (flats of one building share the address), hashed; without ``identifiant_ban`` the DPE is its
own dwelling. Of a dwelling's DPE only the latest (``date_etablissement_dpe``; between DPE of the
same day, a fixed choice by a hash of the number) counts, unless another DPE names it in
``numero_dpe_remplace``: then the dwelling counts no DPE.

Publication: ``dpe_agregats`` (per commune, EPCI, département, region × building type ×
construction period) and the indicators ``dpe_nb``, ``dpe_part_passoires`` (F+G), ``dpe_part_efg``,
``dpe_part_passoires_maisons``, ``dpe_part_passoires_appartements`` in ``valeurs``. A share
on fewer than :data:`MIN_DPE` DPE is not published: NULL with statut ``absent`` and the reason in
``qualite_valeurs`` (« moins de 20 DPE (n) »), so that no map, rank, median or class of the read
side ever sees it (one rule everywhere; the « Précarité énergétique » page reads the counts of
``dpe_agregats`` to flag them); ``dpe_nb``, the count itself, is always published. A share on no
DPE is NULL with statut ``absent``. An EPCI crossing the regional border is flagged too: only the
DPE of its communes in the region are counted.

Demonstration: a real import deletes the demonstration DPE; ``etl build`` replays the kept real
extracts (``<database folder>/imports/dpe/``) or, without any, generates a demonstration extract
(:mod:`etl.dpe_demo`) and labels every figure « démonstration ».
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import catalogue, dpe_annees, kept_files
from etl.errors import EtlError
from etl.report import LoadReport, remember_sha256, sha256_of
from etl.writer_lock import writer_lock

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
        if not self.motifs:  # executemany refuses an empty list
            return
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


# Fields whose stray spaces would change a classification; the others are compared with each
# other only or parsed leniently (a scan of millions of rows pays for every function call).
TRIMMED = ("numero_dpe", "code_insee_ban", "etiquette_dpe", "type_batiment", "date_etablissement_dpe")


def _clean(field_name: str, column: str) -> str:
    value = f"cast({column} as varchar)"
    if field_name not in TRIMMED:
        return value
    # trim() costs a copy of every value; the test keeps the value as it is when no edge is blank
    return f"(case when {value} like ' %' or {value} like '% ' then trim({value}) else {value} end)"


def _source(path: Path, fichier: str, rang: int) -> tuple[str, list, str]:
    """SQL reading one extract (only the needed columns, as text), its parameters and its layout."""
    columns, sep = _header(path, fichier)
    schema, found = detect_schema(columns, fichier)
    if sep is None:
        reader, params = "read_parquet(?)", [str(path)]
    else:
        # all_varchar: a malformed value is a counted reject, never a failed cast
        reader = "read_csv(?, delim = ?, header = true, quote = '\"', escape = '\"', all_varchar = true)"
        params = [str(path), sep]
    select = ", ".join(
        f"nullif({_clean(f, _quote(found[f]))}, '') as {f}" if f in found else f"null::varchar as {f}" for f in FIELDS
    )
    return f"select {rang} as rang, {select} from {reader}", params, schema


# Reasons a row is not counted, as small integers (cheap to carry through the aggregation):
# index -> (column, French reason). 0 is a commune outside the region (counted, not a reject).
MOTIFS = [
    ("code_insee_ban", "hors_champ"),
    ("numero_dpe", "numéro de DPE vide"),
    ("code_insee_ban", "code commune vide"),
    ("code_insee_ban", "code commune inconnu de la table de passage"),
    ("etiquette_dpe", "étiquette DPE vide"),
    ("etiquette_dpe", "étiquette DPE invalide (attendu A à G)"),
    ("date_etablissement_dpe", "date d'établissement illisible"),
    ("type_batiment", "type de bâtiment inconnu (attendu maison, appartement ou immeuble)"),
]
HORS_CHAMP = 0

# Classification of the rows of ``lignes`` (rang + the canonical FIELDS as text): the current
# commune (passage table), the label, the date, the building type, the construction year, and
# ``rejet``: NULL for a usable DPE of the region, else the index of its reason in MOTIFS
# (0 = a commune outside the region).
CLASSIFY = """
normalise as (
    select
        *,
        -- a code that lost its leading zero (spreadsheets): 4 characters
        case when length(code_insee_ban) = 4 then '0' || code_insee_ban else upper(code_insee_ban) end as code,
        upper(etiquette_dpe) as etiquette,
        -- coalesce is lazy: the slower parses run only on the rows the first one misses
        coalesce(
            try_cast(date_etablissement_dpe as date),
            try_cast(left(date_etablissement_dpe, 10) as date),
            try_strptime(date_etablissement_dpe, '%d/%m/%Y')::date
        ) as date_dpe,
        -- index in TYPES (the exact official values first: lower() copies every value)
        case type_batiment when 'maison' then 0 when 'appartement' then 1 when 'immeuble' then 2 else
            case lower(type_batiment) when 'maison' then 0 when 'appartement' then 1 when 'immeuble' then 2 end
        end as type_index,
        case
            when try_cast(annee_construction as integer) between 1000 and 2100
                then try_cast(annee_construction as integer)
            when periode_construction ilike 'avant%' then 1900
            when periode_construction ilike 'apr%'
                then try_cast(regexp_extract(periode_construction, '\\d{4}') as integer) + 1
            -- ADEME periods start with their first year (« 1978-1982 »): no regular expression
            else coalesce(
                try_cast(left(periode_construction, 4) as integer),
                try_cast(regexp_extract(periode_construction, '\\d{4}') as integer)
            )
        end as annee
    from lignes
),

communes_rangs as (
    select code, row_number() over (order by code) as commune_rang from territoires where niveau = 'commune'
),

-- old and current codes with the rank of the current commune in the region (NULL outside it)
passage as (
    select p.code_ancien, p.code_actuel, c.commune_rang
    from passage_communes as p
    left join communes_rangs as c on c.code = p.code_actuel
),

classe as (
    select
        n.*,
        p.code_actuel,
        p.commune_rang,
        case
            when n.numero_dpe is null then 1
            when n.code is null then 2
            -- a search in a constant text, evaluated only on the rows that reach it (an IN list
            -- would be planned as a join over every row)
            when p.code_actuel is null and contains('@DEPARTEMENTS@', ',' || left(n.code, 2) || ',') then 3
            when p.commune_rang is null then 0
            when n.etiquette is null then 4
            when length(n.etiquette) <> 1 or n.etiquette not between 'A' and 'G' then 5
            when n.date_dpe is null then 6
            when n.type_index is null then 7
        end::utinyint as rejet
    from normalise as n
    left join passage as p on p.code_ancien = n.code
)
"""


def _classify(con) -> str:
    """:data:`CLASSIFY` with the départements of the region written in."""
    codes = [c for (c,) in con.execute("select code from territoires where niveau = 'departement'").fetchall()]
    return CLASSIFY.replace("@DEPARTEMENTS@", "," + ",".join(c.replace("'", "''") for c in codes) + ",")


# Value quoted for the first line of a reject reason (the column the reason is about).
VALEUR = """
case
    when rejet = 1 then numero_dpe when rejet in (4, 5) then etiquette_dpe
    when rejet = 6 then date_etablissement_dpe when rejet = 7 then type_batiment
    else code_insee_ban end
"""


PERIODES = ["avant 1948", "1948-1974", "1975-1988", "1989-2005", "2006-2012", "après 2012", "inconnue"]
TYPES = ["maison", "appartement", "immeuble"]


def _aggregate(con, sources: list[tuple[str, list]]) -> None:
    """One streaming pass over the extracts into ``stg_dpe_communes`` (a few thousand rows).

    ``sources`` are read in order (their ``rang``). The result holds two kinds of rows:

    - counts (``n`` not NULL): rows of each file per reject reason (``rejet``, 0 = outside the
      region) and usable rows per file (``rejet`` NULL); the caller reads those of the files it
      reports on;
    - cells: the current DPE (latest of their dwelling) per file that first brought them ×
      commune × building type × construction period × replaced or not, with the F+G and E+F+G.

    Steps, all inside DuckDB (only steps 1 and 2 hold millions of rows, bounded by
    ``memory_limit`` and spilled to disk beyond):

    1. ``par_numero``: one row per DPE number, keeping the row of the earliest extract (then the
       smallest values), flagged when another DPE declares that it replaces it (each such row
       comes once more, as a reference keyed by the number it replaces); a second grouping set
       of the same pass counts the rows of each file and reject reason (a few groups, which
       ride along in the next steps);
    2. ``par_logement``: one row per dwelling, its latest DPE (date, then a fixed choice by the
       number's hash); the counts ride along;
    3. ``par_cellule``: the latest DPE counted per cell and label (about a hundred thousand
       groups), then rolled up per cell.

    Keys. A DPE number and a dwelling are keyed by a 63-bit hash (DuckDB's ``hash``), not by
    their text: the two tables are half the size, and fit in memory at 10 million rows. Two
    different numbers (or dwellings) sharing a key would count as one DPE: among 10 million
    numbers the chance that any pair does is about 5 in a million per import, far below the
    errors of the source itself. (A 128-bit MD5 key, exact in practice, cost 10 % of the import's
    time at 10 million rows: see the README.)

    To keep steps 1 and 2 small and fast, everything a DPE contributes is packed into integers
    (decoded at step 3). ``dpe`` (64 bits):

    ======  =====  ===================================================================
    bits    width  field
    ======  =====  ===================================================================
    48-63   16     rank of the extract (``rang``: earliest first)
    26-47   22     date of the DPE, days since 0001-01-01
    9-25    17     commune (rank of its code among the communes of the region, from 1)
    6-8     3      construction period (index in :data:`PERIODES`)
    4-5     2      building type (index in :data:`TYPES`)
    1-3     3      label (0 = A ... 6 = G)
    0       1      replaced (``numero_dpe_remplace`` of another DPE), set at step 2
    ======  =====  ===================================================================

    Step 1 keeps ``min(dpe << 64 | dwelling)`` (as an unsigned 128-bit integer); step 2 keeps
    ``max(order << 64 | dpe)`` with ``order`` = date (bits 41-62) then the low bits of the
    number's hash. A count is keyed ``1 << 63 | rang << 16 | (rejet + 1)`` at step 1, then packed
    as ``1 << 63 | rang << 44 | (rejet + 1) << 36 | n``: bit 63 keeps it apart from every number,
    dwelling and cell (their hashes are 63-bit).
    """
    lignes = "\nunion all\n".join(sql for sql, _ in sources)
    params = [p for _, ps in sources for p in ps]
    con.execute(
        f"""
        create or replace temp table stg_dpe_communes as
        with

        lignes as (
            {lignes}
        ),

        {_classify(con)},

        classe_utile as (
            select
                rang, rejet,
                case when rejet is null then hash(numero_dpe) >> 1 end as numero,
                case when rejet is null and numero_dpe_remplace is not null
                     then hash(numero_dpe_remplace) >> 1 end as numero_remplace,
                case when rejet is null then
                    (((rang::ubigint << 48)
                      | ((date_dpe - date '0001-01-01')::ubigint << 26)
                      | (commune_rang::ubigint << 9)
                      | ((case when annee is null then 6 when annee < 1948 then 0 when annee < 1975 then 1
                               when annee < 1989 then 2 when annee < 2006 then 3 when annee < 2013 then 4
                               else 5 end)::ubigint << 6)
                      | (type_index::ubigint << 4)
                      | ((ascii(etiquette) - 65)::ubigint << 1))::uhugeint << 64)
                    | (case when identifiant_ban is null then hash(numero_dpe)
                            else hash(identifiant_ban, type_index, complement_adresse_logement,
                                      round(coalesce(try_cast(surface_habitable_logement as double),
                                                     try_cast(replace(surface_habitable_logement, ',', '.') as double))))
                            end >> 1)::uhugeint
                end as valeur
            from classe
        ),

        lignes_numeros as (
            -- each row as its DPE number (genre 0: NULL when rejected) and, when it replaces
            -- another DPE, once more as a reference to that number (genre 1)
            select
                case genre when 0 then numero else numero_remplace end as cle,
                case when genre = 0 then valeur end as valeur,
                -- counted: the references of a number
                case when genre = 1 then true end as marque,
                rang, rejet, genre
            from (
                select unnest(case when numero_remplace is null then [0] else [0, 1] end)::utinyint as genre, *
                from classe_utile
            )
        ),

        par_numero as (
            -- two groupings in one pass: per DPE number, and per file and reject reason (the
            -- counts, keyed 1 << 63 | rang << 16 | (rejet + 1): bit 63 keeps them apart from the
            -- 63-bit hash of a number)
            select
                case when grouping(cle) = 1
                    then (1::ubigint << 63) | (rang::ubigint << 16) | coalesce(rejet::ubigint + 1, 0)
                    else cle end as cle,
                -- earliest extract, then smallest values
                min(valeur) as valeur,
                -- a count: its rows; a number: replaced when another DPE refers to it (n > 0)
                case when grouping(cle) = 1 then count(*) filter (where genre = 0) else count(marque) end as n,
                grouping(cle) = 1 as est_compte
            from lignes_numeros
            group by grouping sets ((cle), (rang, rejet))
        ),

        par_logement as (
            select
                max(
                    case when est_compte
                    then ((1::ubigint << 63) | (((cle >> 16) & 65535)::ubigint << 44)
                          | ((cle & 255)::ubigint << 36) | n::ubigint)::uhugeint
                    else (((((valeur >> 90) & 4194303) << 41) | (cle & 2199023255551)) << 64)
                         | (valeur >> 64) | (n > 0)::uhugeint
                    end
                ) as dernier
            from par_numero
            -- a number only referred to (not in the extracts) has no valeur
            where est_compte or valeur is not null
            -- a dwelling (63-bit hash) or a count (bit 63 set)
            group by case when est_compte then (1::ubigint << 63) | (((cle >> 16) & 65535)::ubigint << 44)
                                               | ((cle & 255)::ubigint << 36)
                          else (valeur & 18446744073709551615)::ubigint end
        ),

        par_cellule as (
            select
                -- a count as it is; a DPE: rank (bits 26-41), commune, period, type, label, replaced (0-25)
                case when dernier >> 64 = 0 then (dernier & 18446744073709551615)::ubigint
                     else ((((dernier >> 48) & 65535) << 26) | (dernier & 67108863))::ubigint end as cellule,
                -- the year of the DPE counted (etl/dpe_annees.py: shares by year of diagnosis)
                case when dernier >> 64 <> 0
                     then year(date '0001-01-01' + ((dernier >> 26) & 4194303)::integer) end as annee,
                count(*) as nb,
                max(((dernier >> 26) & 4194303)::integer) as date_max
            from par_logement
            group by cellule, annee
        ),

        decode as (
            select
                cellule >> 63 = 1 as est_compte,
                case when cellule >> 63 = 1 then (cellule >> 44) & 65535 else cellule >> 26 end::integer as rang,
                case when cellule >> 63 = 1 then nullif(((cellule >> 36) & 255)::integer, 0) - 1 end as rejet,
                case when cellule >> 63 = 1 then cellule & 68719476735 end::bigint as n,
                case when cellule >> 63 = 0 then (cellule >> 9) & 131071 end as commune_rang,
                case when cellule >> 63 = 0 then {PERIODES!r}[((cellule >> 6) & 7)::integer + 1] end as periode,
                case when cellule >> 63 = 0 then {TYPES!r}[((cellule >> 4) & 3)::integer + 1] end as type_batiment,
                case when cellule >> 63 = 0 then (cellule >> 1) & 7 end as etiquette,
                case when cellule >> 63 = 0 then cellule & 1 = 1 end as remplace,
                annee, nb, date_max
            from par_cellule
        ),

        final as (
            select
                d.rang, d.rejet, d.n, c.code as code_commune, d.periode, d.type_batiment, d.remplace, d.annee,
                sum(d.nb) filter (where not d.est_compte) as nb_logements,
                coalesce(sum(d.nb) filter (where d.etiquette >= 5), 0) as nb_fg,
                coalesce(sum(d.nb) filter (where d.etiquette >= 4), 0) as nb_efg,
                date '0001-01-01' + max(d.date_max) filter (where not d.est_compte) as date_max
            from decode as d
            left join communes_rangs as c on c.commune_rang = d.commune_rang
            group by all
        )

        select * from final
        """,
        params,
    )


def _first_lines(con, sql: str, params: list, motifs: list[int]) -> dict[int, tuple[int, str | None]]:
    """First line (header = 1) and value of each reject reason (index in MOTIFS) of one extract.

    One short query per reason: the numbered scan stops at the first matching line, which real
    extracts reach within their first lines (the full scan above does not number the lines: a
    numbered scan is an ordered, slower one).
    """
    con.execute("set preserve_insertion_order = true")
    found = {}
    try:
        for motif in motifs:
            row = con.execute(
                f"""
                with
                lignes as (select row_number() over () + 1 as ligne, * from ({sql})),
                {_classify(con)}
                select ligne, {VALEUR} from classe where rejet = ? limit 1
                """,
                [*params, motif],
            ).fetchall()
            found[motif] = (row[0][0], row[0][1]) if row else (None, None)
    finally:
        con.execute("set preserve_insertion_order = false")
    return found


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
    """
    sources, reports = [], []
    for rang, (path, fichier) in enumerate(files):
        sql, params, schema = _source(path, fichier, rang)
        sources.append((sql, params))
        if rang >= reported_from:
            report = DpeReport(SOURCE_DEMO if demonstration else SOURCE, path, fichier)
            report.schema = schema
            reports.append(report)
    reported = list(range(reported_from, len(files)))
    try:
        _aggregate(con, sources)
    except duckdb.Error as exc:
        fichiers = ", ".join(f for _, f in files[reported_from:]) or ", ".join(f for _, f in files)
        raise EtlError(f"lecture du fichier impossible ({str(exc).splitlines()[0]})", fichier=fichiers) from exc
    for report, rang in zip(reports, reported, strict=True):
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
        first = _first_lines(con, *sources[rang], [m for m, _ in rejets]) if rejets else {}
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
    return reports


def publish(con, demonstration: bool) -> None:
    """Replace ``dpe_agregats`` from ``stg_dpe_communes``, the DPE ``valeurs`` and notes, the catalogue."""
    con.execute("delete from dpe_agregats")
    con.execute(
        """
        insert into dpe_agregats
        with

        courants as (
            select s.type_batiment, s.periode, t.code as commune, t.code_epci, t.code_departement,
                   s.nb_logements as nb, s.nb_fg, s.nb_efg
            from stg_dpe_communes as s
            join territoires as t on t.niveau = 'commune' and t.code = s.code_commune
            where s.n is null and not s.remplace
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
               sum(nb), sum(nb_fg), sum(nb_efg), ?
        from niveaux
        group by grouping sets ((niveau, code), (niveau, code, type_batiment), (niveau, code, periode))
        """,
        [demonstration],
    )
    codes = list(INDICATEURS)
    con.execute("delete from valeurs where list_contains(?, indicateur)", [codes])
    con.execute("delete from qualite_valeurs where list_contains(?, indicateur)", [codes])
    dpe_annees.publish(con, MIN_DPE)  # shares by year of diagnosis, from stg_dpe_communes
    millesime = con.execute(
        "select cast(year(max(date_max)) as varchar) from stg_dpe_communes where n is null and not remplace"
    ).fetchone()[0]
    if millesime is None:
        _refresh_catalogue(con, demonstration)
        return

    for code, (type_batiment, measure) in INDICATEURS.items():
        con.execute(
            """
            insert into valeurs
            select ?, t.niveau, t.code, ?,
                   case when ? = 'nb' then coalesce(a.nb_dpe, 0)
                        when coalesce(a.nb_dpe, 0) < ? then null
                        when ? = 'fg' then round(100.0 * a.nb_fg / a.nb_dpe, 2)
                        else round(100.0 * a.nb_efg / a.nb_dpe, 2) end,
                   case when ? = 'nb' or coalesce(a.nb_dpe, 0) >= ? then 'ok' else 'absent' end
            from territoires as t
            left join dpe_agregats as a
                on a.niveau = t.niveau and a.code = t.code and a.type_batiment = ? and a.periode = 'ensemble'
            """,
            [code, millesime, measure, MIN_DPE, measure, measure, MIN_DPE, type_batiment],
        )
        if measure == "nb":
            continue
        con.execute(
            """
            insert into qualite_valeurs
            select ?, a.niveau, a.code, ?, 'moins de 20 DPE (' || a.nb_dpe || ') : part non publiée, trop peu fiable'
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
    _refresh_catalogue(con, demonstration)


def _refresh_catalogue(con, demonstration: bool) -> None:
    con.execute("delete from indicateurs")
    catalogue.insert_catalogue(con)
    catalogue.complete_sources_valeurs(con)
    if demonstration:
        con.execute(
            """
            update indicateurs
            set libelle = libelle || ' (démonstration)', demonstration = true
            where source = ?
            """,
            [SOURCE],
        )
    libelle = catalogue.SOURCES[SOURCE][0]
    millesime = catalogue.SOURCES[SOURCE][2]
    if demonstration:
        libelle = "DÉMONSTRATION : extrait DPE généré au format officiel dpe03existant (valeurs inventées)"
        millesime = "démonstration"
    con.execute(
        "update sources set libelle = ?, millesime = ?, demonstration = ? where source = ?",
        [libelle, millesime, demonstration, SOURCE],
    )
    con.execute("delete from metadonnees where cle = 'dpe_donnees'")
    con.execute(
        "insert into metadonnees values ('dpe_donnees', ?)",
        ["démonstration" if demonstration else "extraits ADEME importés"],
    )


class _Keeping:
    """Keeping an extract in the replay folder (``imports/dpe/``) for the later imports and builds.

    Three ways to keep it (``mode``):

    - ``"lien"`` (the default): a hard link, i.e. a second name of the same file on disk — no
      copy, no second exemplar of a national extract, and the user's file stays where it is.
      Deleting or renaming the user's file leaves the kept one intact; editing it **in place**
      would change the kept one too, which :func:`_verify_kept` detects (the kept name carries the
      SHA-256). Where no link can be made (another filesystem, a filesystem without hard links),
      the extract is copied;
    - ``"copie"`` (``--copier``): an independent copy, always;
    - ``"deplacement"`` (``--deplacer``): linked (or copied across filesystems) like the default,
      then the user's name is removed once the import succeeded and the extract is kept — a move
      that never hides the extract: killed at any point, it is still where the user had it, or
      kept under its final name.

    Three steps around the DuckDB pass, so that DuckDB always reads a path that stays in place
    (the user's file):

    1. :meth:`start` (before DuckDB) links the extract into the folder under a hidden temporary
       name (``.partiel-…``, never replayed, removed by the next writer if the run is killed);
    2. :meth:`copy_and_hash` (in a thread, beside DuckDB): the kernel copy (``shutil.copyfile``:
       ``sendfile``, nothing through Python, then fsync) when not linked, then the SHA-256 of
       the temporary — what is kept is what the SHA-256 names; :meth:`plan` chooses the kept name
       (an extract already kept, same SHA-256, is not kept twice);
    3. :meth:`keep` (after the database swap) renames the temporary to its kept name: only an
       import whose database was swapped in is replayed by the next build. :meth:`undo` removes
       the temporary when the import fails; :meth:`finish` removes the user's name after a
       ``--deplacer`` import.
    """

    def __init__(self, folder: Path, file: Path, mode: str = "lien") -> None:
        self.folder, self.file, self.mode = folder, file, mode
        # hidden from the kept extracts; ends like the extract (DuckDB and the header reader
        # recognise .gz and .parquet by the name)
        self.part = kept_files.part_path(folder, file.name)
        self.linked = False
        self.digest: str | None = None
        self.path: Path | None = None  # the kept file, once planned
        self.new = False

    @property
    def source(self) -> Path:
        """The path DuckDB reads: the user's file (linked or copied beside, never moved away)."""
        return self.file

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.mode in ("lien", "deplacement"):
            try:
                os.link(self.file, self.part)
                self.linked = True
            except OSError:
                # another filesystem (EXDEV), or one without hard links (FAT, some network
                # shares: EPERM, ENOTSUP...): copied by copy_and_hash instead
                pass

    def copy_and_hash(self) -> None:
        if not self.linked:
            try:
                shutil.copyfile(self.file, self.part)
                kept_files.fsync_file(self.part)
            except BaseException:
                self.part.unlink(missing_ok=True)
                raise
        self.digest = sha256_of(self.part)

    def plan(self) -> Path:
        """The kept name: the extract already kept with this content (checked), or a new name."""
        existing = kept_files.find_kept(self.folder, self.digest)
        if existing is not None:
            self.path, self.new = existing, False
        else:
            self.path, self.new = kept_files.final_name(self.folder, self.digest, self.file.name), True
        return self.path

    def keep(self) -> Path:
        """After the swap: the temporary gets its kept name (or goes, when already kept)."""
        if self.new:
            kept_files.publish(self.part, self.path, self.digest)
        else:
            self.part.unlink(missing_ok=True)
        if self.file.is_file():
            remember_sha256(self.file, self.digest)
        return self.path

    def undo(self) -> None:
        self.part.unlink(missing_ok=True)  # a link: only this name goes, the user's file stays
        self.new = False

    def finish(self) -> None:
        if self.mode == "deplacement" and self.new:
            self.file.unlink(missing_ok=True)

    def describe(self) -> str:
        """How the new extract was kept, for the summary line."""
        if self.mode == "deplacement":
            return "Extrait déplacé pour les reconstructions (etl build)"
        if self.linked:
            return "Extrait conservé pour les reconstructions (etl build), par un lien vers le fichier importé (pas de copie)"
        return "Extrait copié pour les reconstructions (etl build)"


def _verify_kept(kept: list[tuple[Path, str]]) -> None:
    """Refuse a kept extract whose content no longer matches the SHA-256 in its name.

    A kept extract linked to the user's file changes if that file is edited in place; a copy could
    be edited by hand or truncated. Replaying it would silently change the published aggregates.

    Raises
    ------
    EtlError
        Naming the kept file, the expected and the found digests, and what to do.
    """
    for path, _name in kept:
        kept_files.verify(
            path,
            "Un extrait conservé par lien est le même fichier que celui importé : l'a-t-on modifié sur place ? "
            "Supprimer ce fichier conservé puis réimporter l'extrait d'origine (import-dpe), ou le réimporter avec "
            "--copier pour en garder une copie indépendante",
        )


def _kept_extracts(db_path: Path) -> list[tuple[Path, str]]:
    """The real extracts kept beside the database, in the order first imported, with their names."""
    return [(p, kept_files.original_name(p)) for p in kept_files.kept_files(db_path.parent / IMPORTS_SUBDIR)]


def _tune(con) -> None:
    """DuckDB settings of the DPE pass: bounded memory (spilled beyond), no ordering constraint."""
    con.execute("set memory_limit = ?", [MEMORY_LIMIT])
    con.execute("set preserve_insertion_order = false")
    con.execute("set enable_progress_bar = false")


def _region_total(con) -> tuple[int, bool]:
    """Current DPE of the region in ``dpe_agregats`` and whether they are demonstration data."""
    row = con.execute(
        "select nb_dpe, demonstration from dpe_agregats "
        "where niveau = 'region' and type_batiment = 'ensemble' and periode = 'ensemble'"
    ).fetchone()
    return (row[0], row[1]) if row else (0, False)


def import_dpe(
    db_path: Path,
    file: Path,
    *,
    deplacer: bool = False,
    copier: bool = False,
    log: Callable[[str], None] = print,
) -> ImportResult:
    """Import a real DPE extract into an existing database, atomically.

    The aggregates are recomputed from **every kept extract plus this one** in one streaming
    DuckDB pass (see the module docstring: no per-DPE row is stored). The database is copied
    beside itself, the aggregates are published in one transaction, the data checks run, then
    ``os.replace`` swaps the copy in: any failure leaves the database byte-identical.

    Parameters
    ----------
    db_path : Path
        A database built by ``python -m etl build``.
    file : Path
        CSV, CSV.gz or Parquet extract in either official layout.
    deplacer : bool
        Move the extract into the replay folder (``--deplacer``) instead of linking it: it leaves
        the user's folder. It goes back where it was if the import fails or if the same content
        is already kept.
    copier : bool
        Keep an independent copy (``--copier``) instead of a hard link to the user's file (the
        default, no copy time; a copy anyway where no link can be made).
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
    from etl.atomic import copie_de_travail, tables
    from etl.checks import run_checks  # light: not the whole build

    db_path, file = Path(db_path), Path(file)
    if not db_path.is_file():
        raise EtlError(f"base introuvable : {db_path} (lancer d'abord « python -m etl build »)")
    if not file.is_file():
        raise EtlError("fichier introuvable", fichier=str(file))
    if deplacer and copier:
        raise EtlError("--deplacer et --copier s'excluent : choisir l'un ou l'autre")
    detect_schema(_header(file, file.name)[0], file.name)  # a wrong header fails before any copy
    with writer_lock(db_path, log):
        kept = _kept_extracts(db_path)
        keeping = _Keeping(
            db_path.parent / IMPORTS_SUBDIR, file, "deplacement" if deplacer else "copie" if copier else "lien"
        )
        keeping.start()

        # A thread checks the kept extracts against their names' SHA-256, then copies the new extract
        # (when not linked) and hashes it, while DuckDB aggregates them: they read the same pages,
        # and the hashing (seconds on a national extract) overlaps the aggregation. A failed import
        # leaves the replay folder and the user's file as they were.
        def check_and_keep() -> None:
            _verify_kept(kept)
            keeping.copy_and_hash()

        with ThreadPoolExecutor(max_workers=1) as pool:
            copie = pool.submit(check_and_keep)
            try:
                with copie_de_travail(db_path) as con:
                    _tune(con)
                    if "dpe_agregats" not in tables(con):
                        raise EtlError(
                            f"la base {db_path.name} précède l'import des DPE : relancer « python -m etl build »"
                        )
                    before, before_demo = _region_total(con)
                    (report,) = load_dpe(con, [*kept, (keeping.source, file.name)], reported_from=len(kept))
                    copie.result()
                    copy = keeping.plan()
                    con.execute("begin transaction")
                    publish(con, demonstration=False)
                    report.save(con)
                    run_checks(con)
                    con.execute("commit")
                    after, _ = _region_total(con)
                # named only now: a run killed before the swap never has its extract replayed
                keeping.keep()
            except BaseException as failure:
                problem = copie.exception()  # waits for the copy
                keeping.undo()
                if isinstance(problem, EtlError) and problem is not failure:
                    # a kept extract changed since its import: the cause of whatever DuckDB met in it
                    raise problem from failure
                raise
        keeping.finish()
    r = report
    if before_demo and before:
        log(f"  {before} DPE de démonstration supprimés : les extraits réels les remplacent.")
    elif before + r.chargees > after:
        log(
            f"  {before + r.chargees - after} DPE d'extraits précédents remplacés par un DPE plus récent du même logement"
        )
    log(
        f"{r.fichier} ({r.schema}) : {r.lues} lignes lues = {r.chargees} chargées + {r.rejetees} rejetées "
        f"+ {r.doublons} doublons (DPE déjà vus ou remplacés) + {r.hors_champ} hors région"
    )
    for motif, colonne, ligne, valeur, n in r.motifs:
        log(
            f"  rejet « {motif} » : {n} lignes (colonne {colonne}, première : ligne {ligne}, valeur « {valeur or ''} »)"
        )
    if not keeping.new:
        log(f"Extrait déjà conservé (même contenu) : {copy}" + (" ; fichier laissé en place" if deplacer else ""))
    else:
        log(f"{keeping.describe()} : {copy}")
    return ImportResult(r.fichier, r.schema, r.lues, r.chargees, r.rejetees, r.doublons, r.hors_champ, copy)


def load_for_build(con, db_path: Path, log: Callable[[str], None] = print) -> list[LoadReport]:
    """Build step: aggregate the kept extracts, or a generated demonstration extract; then publish.

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
    files = _kept_extracts(db_path)
    _verify_kept(files)  # the digests serve chargements too (computed once)
    demonstration = not files
    if demonstration:
        from etl import dpe_demo  # NumPy / pandas / pyarrow: only to generate the demonstration

        demo = db_path.parent / DEMO_FILE
        dpe_demo.write_demo(demo, dpe_demo.BUILD_ROWS, dpe_demo.communes_from_connection(con))
        log(f"  DPE : aucun extrait réel importé, extrait de démonstration généré ({demo.name})")
        files = [(demo, demo.name)]
    _tune(con)
    reports = load_dpe(con, files, demonstration=demonstration)
    publish(con, demonstration)
    return reports
