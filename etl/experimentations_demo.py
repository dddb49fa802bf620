"""The demonstration experiments the build declares when no real declaration is kept.

The three Territoires zéro non-recours of the region named in the Pacte des solidarités
(conference of 7 November 2023), on the structures and territories of the demonstration visits
(:mod:`etl.demo_visits`), so that their follow-up has visits to count. Written as a file of the
import format (:mod:`etl.experimentations_format`) and imported like a real one, labelled
``demonstration``.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from etl.experimentations_format import INDICATEURS

DEMO_FILE = Path("demo") / "experimentations_demonstration.csv"

# (code, nom, structure of the demonstration visits, territory, start, end, monthly contacts objective);
# names without « (démonstration) » (the structures' neither): the experiment's ``demonstration`` column
# says it, and the page once
DEMO_EXPERIMENTATIONS = [
    (
        "tznr_chemille_en_anjou",
        "Territoire zéro non-recours Chemillé-en-Anjou",
        "Territoire zéro non-recours Chemillé-en-Anjou",
        "49092",  # commune
        date(2024, 3, 1),
        None,
        24,
    ),
    (
        "tznr_pays_de_la_chataigneraie",
        "Territoire zéro non-recours Pays de la Châtaigneraie",
        "Territoire zéro non-recours Pays de la Châtaigneraie",
        "248500415",  # EPCI: CC du Pays de la Châtaigneraie
        date(2024, 1, 1),
        date(2026, 12, 31),  # three years of experiment
        32,
    ),
    (
        "tznr_redon_agglomeration",
        "Territoire zéro non-recours Redon Agglomération",
        "Territoire zéro non-recours Redon Agglomération 44",
        "243500741",  # EPCI: Redon Agglomération (its Loire-Atlantique communes are in the region)
        date(2024, 6, 1),
        None,
        26,
    ),
]
# Objectives are declared up to the last month of the demonstration visits.
DEMO_DERNIER_MOIS = date(2025, 12, 1)
DEMO_HEADER = ["code", "nom", "structures", "territoire", "date_debut", "date_fin", "mois", *INDICATEURS]


def demo_rows(territoires: set[str] | None = None) -> list[list[str]]:
    """Rows of the demonstration experiment file (header :data:`DEMO_HEADER` not included).

    Deterministic: the monthly contacts objective ramps up from half over the first six months,
    bilans aim at 45 % of contacts, opened rights at 20 %, the detected rate at 80 %.

    Parameters
    ----------
    territoires : set of str, optional
        Codes of the built region's territories: experiments elsewhere are left out (a build of
        another region has no demonstration experiment rather than rejected rows).
    """
    rows = []
    for code, nom, structure, territoire, debut, fin, contacts in DEMO_EXPERIMENTATIONS:
        if territoires is not None and territoire not in territoires:
            continue
        mois, rang = debut.replace(day=1), 0
        while mois <= DEMO_DERNIER_MOIS:
            objectif = round(contacts * min(1.0, 0.5 + rang / 12))
            rows.append(
                [
                    code,
                    nom,
                    structure,
                    territoire,
                    debut.isoformat(),
                    fin.isoformat() if fin else "",
                    f"{mois:%Y-%m}",
                    str(objectif),
                    str(round(0.45 * objectif)),
                    str(round(0.20 * objectif)),
                    "80",
                ]
            )
            mois = date(mois.year + mois.month // 12, mois.month % 12 + 1, 1)
            rang += 1
    return rows


def write_demo(path: Path, territoires: set[str] | None = None) -> Path:
    """Write the demonstration experiment file (UTF-8 with BOM, ``;``), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(DEMO_HEADER)
        writer.writerows(demo_rows(territoires))
    return path
