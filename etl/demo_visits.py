"""Deterministic demonstration visit outcomes (no public data of this kind exists).

``python -m etl demo-visits [--rows N] [--out FILE]`` writes a CSV in the exact import format;
``etl build`` generates ``<database folder>/demo/visites_demonstration.csv`` and imports it
(marked ``demonstration``: the structures' names carry no label, the column says it) when no
real visit file was ever imported. The file is generated,
never committed (``data/demo/*.csv`` is ignored by git): the generator is the reference.

Everything derives from a seeded NumPy generator and a fixed period (January 2024 to
December 2025): two runs give byte-identical files, whatever the day.

Rates follow published field experience (e.g. 400 people met, 90 bilans, 88 % of them in
non-recours, mostly RSA and prime d'activité): about a fifth of door-to-door contacts lead to a
bilan, two thirds of permanence visits do; most bilans find at least one benefit not claimed.
Commune codes were checked against the built ``territoires`` (CC du Pays de la Châtaigneraie,
Redon Agglomération); QPV codes come from ``data/raw/anct_qpv/REVN_2022_PDL.csv``.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20240101
DEFAULT_ROWS = 3600
MONTHS = [(2024 + m // 12, m % 12 + 1) for m in range(24)]

# (structure, communes, weight of activity, canal -> share of its contacts, QPV codes)
STRUCTURES = [
    (
        "Habitants-relais Angers Loire",
        ["49007", "49015", "49353", "49246", "49267"],
        0.30,
        {"porte_a_porte": 0.6, "espace_public": 0.25, "evenement": 0.15},
        [],
    ),
    (
        "Territoire zéro non-recours Chemillé-en-Anjou",
        ["49092"],
        0.15,
        {"permanence": 0.4, "porte_a_porte": 0.25, "orientation_partenaire": 0.2, "telephone": 0.15},
        [],
    ),
    (
        # communes of the CC du Pays de la Châtaigneraie (EPCI 248500415)
        "Territoire zéro non-recours Pays de la Châtaigneraie",
        ["85059", "85005", "85014", "85067", "85125", "85136", "85141", "85154", "85229", "85251"]
        + ["85252", "85264", "85289", "85292"],
        0.20,
        {"porte_a_porte": 0.35, "permanence": 0.3, "evenement": 0.15, "orientation_partenaire": 0.2},
        [],
    ),
    (
        # Loire-Atlantique communes of Redon Agglomération (EPCI 243500741)
        "Territoire zéro non-recours Redon Agglomération 44",
        ["44185", "44007", "44044", "44057", "44067", "44092", "44123", "44128"],
        0.15,
        {"permanence": 0.35, "porte_a_porte": 0.3, "telephone": 0.15, "orientation_partenaire": 0.2},
        [],
    ),
    (
        # Angers QPV of the 2015 geography (ANCT list, data/raw/anct_qpv)
        "Équipe quartiers prioritaires Angers",
        ["49007"],
        0.20,
        {"porte_a_porte": 0.45, "permanence": 0.3, "evenement": 0.15, "espace_public": 0.1},
        ["QP049001", "QP049002", "QP049003", "QP049005"],
    ),
]
BILAN_RATE = {
    "porte_a_porte": 0.18,
    "espace_public": 0.12,
    "evenement": 0.15,
    "permanence": 0.65,
    "orientation_partenaire": 0.75,
    "telephone": 0.45,
}
NON_RECOURS_RATE = 0.86
# Relative frequency of each benefit among households in non-recours.
DROITS = {"RSA": 0.30, "PA": 0.28, "AL": 0.12, "CSS": 0.12, "CHEQUE_ENERGIE": 0.08, "AF": 0.04, "AAH": 0.03}
DROITS |= {"ASPA": 0.02, "AUTRE": 0.01}
ORGANISME = {"RSA": "CAF", "PA": "CAF", "AL": "CAF", "AF": "CAF", "CSS": "CPAM", "AAH": "Département"}
ORGANISME |= {"CHEQUE_ENERGIE": "France Services", "ASPA": "CCAS", "AUTRE": "Autre"}
PROFILS = ["personne seule", "famille monoparentale", "couple avec enfant(s)", "couple sans enfant", "autre"]
PROFIL_P = [0.38, 0.2, 0.22, 0.15, 0.05]
TRANCHES = ["moins de 25", "25-39", "40-54", "55-64", "65+"]
TRANCHE_P = [0.1, 0.3, 0.3, 0.15, 0.15]
# Fewer contacts in August and at Christmas.
SEASON = np.array([1.0, 1.0, 1.1, 1.1, 1.1, 1.0, 0.8, 0.4, 1.1, 1.2, 1.1, 0.7])
HEADER = [
    "date_contact",
    "structure",
    "code_commune",
    "code_qpv",
    "canal",
    "bilan_realise",
    "non_recours",
    "orientation",
    "droits_ouverts",
    "date_suivi",
    "profil_menage",
    "tranche_age",
    "id_contact",
]


def generate_rows(rows: int = DEFAULT_ROWS, seed: int = SEED) -> list[list[str]]:
    """Demonstration visit rows in the import format (header not included).

    Parameters
    ----------
    rows : int
        Number of contacts to generate.
    seed : int
        Seed of the NumPy generator: same seed, same rows.

    Returns
    -------
    list of list of str
        One list per contact, in the order of :data:`HEADER`.
    """
    rng = np.random.default_rng(seed)
    # Activity grows over the first months of each project, with seasonality.
    ramp = np.minimum(1.0, 0.5 + np.arange(24) / 12)
    month_w = ramp * np.tile(SEASON, 2)
    cells = np.outer([s[2] for s in STRUCTURES], month_w).ravel()
    picks = rng.choice(cells.size, size=rows, p=cells / cells.sum())
    droits, droit_p = list(DROITS), np.array(list(DROITS.values()))
    out = []
    for n, cell in enumerate(np.sort(picks)):
        s_idx, m_idx = divmod(int(cell), 24)
        name, communes, _w, canaux, qpvs = STRUCTURES[s_idx]
        year, month = MONTHS[m_idx]
        start = date(year, month, 1)
        days = ((date(year + month // 12, month % 12 + 1, 1)) - start).days
        contact = start + timedelta(days=int(rng.integers(days)))
        canal = str(rng.choice(list(canaux), p=list(canaux.values())))
        bilan = bool(rng.random() < BILAN_RATE[canal])
        tranche = str(rng.choice(TRANCHES, p=TRANCHE_P))
        non_recours: list[str] = []
        if bilan and rng.random() < NON_RECOURS_RATE:
            k = int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1]))
            p = droit_p.copy()
            if tranche == "65+":  # ASPA concerns retired people
                p[droits.index("ASPA")] = 0.2
            non_recours = sorted(rng.choice(droits, size=k, replace=False, p=p / p.sum()).tolist())
        orientation, ouverts, suivi = "", [], ""
        if non_recours and rng.random() < 0.85:
            organisme = ORGANISME[non_recours[0]]
            if organisme == "CAF" and s_idx in (1, 2) and rng.random() < 0.2:
                organisme = "MSA"  # farming households of the rural territories
            orientation = organisme
            if rng.random() < 0.6:
                ouverts = [d for d in non_recours if rng.random() < 0.7] or non_recours[:1]
                suivi = (contact + timedelta(days=int(rng.integers(20, 120)))).isoformat()
        out.append(
            [
                contact.isoformat() if n % 3 else contact.strftime("%d/%m/%Y"),  # both accepted formats
                name,
                str(rng.choice(communes)),
                str(rng.choice(qpvs)) if qpvs else "",
                canal,
                "oui" if bilan else "non",
                "|".join(non_recours),
                orientation,
                "|".join(ouverts),
                suivi,
                str(rng.choice(PROFILS, p=PROFIL_P)),
                tranche,
                f"DEMO-{s_idx + 1}-{n + 1:06d}",
            ]
        )
    return out


def example_rows(rows: int) -> list[list[str]]:
    """Rows of the filled example offered on the import page: :func:`generate_rows`, each structure
    named « … (exemple) ».

    The build's demonstration visits are told apart by their ``demonstration`` column (their names
    carry no label, the pages say it once); an example imported as a real file loses that flag:
    its names keep saying what it is.
    """
    return [[r[0], f"{r[1]} (exemple)", *r[2:]] for r in generate_rows(rows)]


def write_demo(path: Path, rows: int = DEFAULT_ROWS, seed: int = SEED) -> Path:
    """Write the demonstration visit file (UTF-8 with BOM, ``;``), creating its folder.

    Returns
    -------
    Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(generate_rows(rows, seed))
    return path
