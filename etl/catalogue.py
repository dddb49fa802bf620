"""The indicator catalogue (``indicateurs``) and the data sources (``sources``).

The static part of each indicator (label, unit, source, sens, theme, one-sentence definition)
lives in ``etl/indicateurs.csv`` so that analysts can review it without reading Python. The
dynamic part is computed from ``valeurs`` after every loader ran, so it never lies:

- ``millesime``: the **latest** millésime loaded for the indicator (the default one to show);
  all millésimes stay in ``valeurs`` (``select distinct millesime from valeurs where
  indicateur = ?``);
- ``niveaux``: the comma-separated levels where the indicator has at least one row, in the order
  commune, epci, iris, qpv;
- ``ordre``: the rank of the indicator in the CSV (a territory's profile lists them in it).

Only indicators with at least one row in ``valeurs`` are inserted (a catalogue entry without
data would be an empty choice in the UI).

``sens`` is ``+`` when a higher value is worse for people (poverty rate, share of RSA), ``-``
when a lower value is worse (median income), and empty (NULL) for counts and populations
(households, foyers allocataires, beneficiaries, DPE, estimated non-recourants): a count is
neither favourable nor unfavourable, it grows with the size of the territory.

``demonstration`` (``indicateurs`` and ``sources``) is true for figures computed from generated
demonstration data (DPE without an imported ADEME extract, :mod:`etl.dpe`); the description stays
a plain definition.

A description never types a fact that the next data update would make wrong (a method constant,
a national rate and its publication): it names it in braces (``{detour}``, ``{taux_RSA}``), and
:func:`filled_descriptions` writes the value the build computes with (:data:`FACTS`).
"""

from __future__ import annotations

import csv
import string
from pathlib import Path

from commun import methode
from etl.bulk import insert_rows
from etl.errors import EtlError

CATALOGUE_CSV = Path(__file__).with_name("indicateurs.csv")
REQUIRED = ["code", "libelle", "unite", "source", "sens", "theme", "description"]
NIVEAUX_ORDER = ["commune", "epci", "departement", "region", "france", "iris", "qpv"]

# One row per data family actually loaded (``indicateurs.source`` refers to these). The file
# level detail (which file, which SHA-256, how many rows) is in ``chargements``.
SOURCES = {
    "insee_filosofi": (
        "Fichier localisé social et fiscal (Filosofi) : revenus disponibles et déclarés, pauvreté, "
        "par commune, EPCI, IRIS, département, région et France métropolitaine",
        "INSEE",
        "2019, 2020, 2021",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "insee_filosofi_epci_tiers": (
        "INSEE, Filosofi 2021 (EPCI), via un tiers : revenus disponibles et pauvreté des EPCI, "
        "valeurs de l'INSEE reprises d'un fichier diffusé par un tiers (colonnes renommées)",
        "INSEE, fichier diffusé par un tiers",
        "2021",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "calcul_filosofi_departements": (
        "Taux de pauvreté de la région et de la France métropolitaine calculé à partir des départements "
        "(INSEE, Filosofi) : moyenne des taux départementaux pondérée par le nombre de personnes, le "
        "seuil de pauvreté étant national",
        "Calcul de l'atlas (INSEE, Filosofi)",
        "2020",
        "Licence Ouverte / Open Licence Etalab 2.0 (données sources)",
    ),
    "estimation_pauvrete_communes": (
        "Estimation par l'atlas du taux de pauvreté des communes que l'INSEE garde secret : modèle "
        "ajusté sur les communes publiées (médiane du niveau de vie, nombre de personnes), calé sur "
        "le total de l'EPCI ; jamais une valeur de l'INSEE",
        "Calcul de l'atlas (INSEE, Filosofi 2021 communes et EPCI)",
        "2021",
        "Licence Ouverte / Open Licence Etalab 2.0 (données sources)",
    ),
    "cnaf_allocataires": (
        "Foyers allocataires de la CAF et prestations versées (RSA, prime d'activité, aides au "
        "logement, AAH) par IRIS, au 31 décembre",
        "CNAF, diffusion ANCT (SIG Politique de la ville)",
        "2016 à 2020",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "estimation_non_recours": (
        "Non-recours potentiel estimé par l'atlas : foyers allocataires CNAF (par IRIS, au 31 décembre) "
        "× r / (1 − r), r taux national de non-recours : RSA 34 % des foyers éligibles (DREES, Les Dossiers "
        "de la DREES n° 92, février 2022 ; données 2018), prime d'activité 27 % (« moins de 30 % », Rapport "
        "d'évaluation de la prime d'activité, 2017 ; données 2016, avant la réforme de 2019 : pas d'estimation "
        "après la CNAF 2018) ; rapporté aux ménages fiscaux INSEE Filosofi",
        "Calcul de l'atlas (CNAF, DREES, rapport d'évaluation de la prime d'activité, INSEE)",
        "CNAF 2016 à 2020 (prime d'activité : 2016 à 2018) ; taux : données 2018 (RSA), 2016 (prime d'activité)",
        "Licence Ouverte / Open Licence Etalab 2.0 (données sources)",
    ),
    "anct_onpv_qpv": (
        "Revenus et prestations des habitants des quartiers prioritaires (Filosofi, CNAF) — "
        "quartiers de la géographie 2015",
        "ANCT / Observatoire national de la politique de la ville",
        "éditions 2021 et 2022",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "anct_qpv_contours": (
        "Contours des quartiers prioritaires de la politique de la ville 2024, regroupés par commune",
        "ANCT",
        "2024",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "anct_france_services": (
        "ANCT, liste des France services au 01/08/2024 (tous les sites de France, avec coordonnées)",
        "ANCT",
        "01/08/2024",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "insee_rp_sans_voiture": (
        "Part des ménages sans voiture par IRIS, calculée par un tiers à partir du recensement INSEE "
        "2020 (base infracommunale logement) : fichier dérivé, ratios seuls",
        "INSEE (recensement de la population), calcul d'un tiers",
        "2020",
        "Licence Ouverte / Open Licence Etalab 2.0 (données sources)",
    ),
    "ademe_dpe": (
        "Diagnostics de performance énergétique (DPE) des logements existants depuis juillet 2021 "
        "(extraits importés, dernier DPE de chaque logement)",
        "ADEME (Observatoire DPE-Audit)",
        "DPE établis depuis le 1er juillet 2021",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
    "visites_aller_vers": (
        "Visites d'aller vers des structures (ménages rencontrés, bilans de droits, non-recours détecté) par "
        "année civile entière, règle du secret appliquée",
        "Structures d'aller vers (imports de l'atlas)",
        "années civiles entières",
        "Données des structures",
    ),
    "anct_grilles_communales": (
        "Grille communale de densité (INSEE, 7 niveaux), niveaux de centralité (ANCT / INRAE) et "
        "typologie des ruralités (ANCT), via l'Observatoire des territoires",
        "INSEE, ANCT, INRAE",
        "COG 2025",
        "Licence Ouverte / Open Licence Etalab 2.0",
    ),
}


def catalogue_rows(path: Path = CATALOGUE_CSV) -> list[dict[str, str]]:
    """Read and validate the static catalogue (plain ``csv``: no pandas needed).

    Returns
    -------
    list of dict
        One dict per indicator code, keys :data:`REQUIRED` (``sens`` ``""`` for a count).

    Raises
    ------
    EtlError
        On a missing field, an unknown sens or source, or a duplicated code.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        columns = reader.fieldnames or []
        rows = list(reader)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise EtlError(f"colonnes manquantes : {', '.join(missing)}", fichier=path.name, ligne=1)
    seen = set()
    for idx, row in enumerate(rows):
        ligne = idx + 2
        if None in row:  # csv puts the fields past the header there: a « ; » cut a text in two
            raise EtlError(
                "champ de trop : un texte contenant « ; » doit être entre guillemets",
                fichier=path.name,
                ligne=ligne,
                colonne=columns[-1],
                valeur=row[None][0],
            )
        for column in REQUIRED:
            if column != "sens" and not (row[column] or "").strip():
                raise EtlError("champ obligatoire vide", fichier=path.name, ligne=ligne, colonne=column)
        if row["sens"] not in ("+", "-", ""):
            raise EtlError(
                "sens attendu : « + », « - » ou vide (effectif, population)",
                fichier=path.name,
                ligne=ligne,
                colonne="sens",
                valeur=row["sens"],
            )
        if row["source"] not in SOURCES:
            raise EtlError("source inconnue", fichier=path.name, ligne=ligne, colonne="source", valeur=row["source"])
        inconnus = sorted(set(_fields(row["description"])) - set(FACTS))
        if inconnus:
            raise EtlError(
                f"fait inconnu entre accolades (connus : {', '.join(FACTS)})",
                fichier=path.name,
                ligne=ligne,
                colonne="description",
                valeur="{" + inconnus[0] + "}",
            )
    for row in rows:
        if row["code"] in seen:
            raise EtlError("code d'indicateur en double", fichier=path.name, colonne="code", valeur=row["code"])
        seen.add(row["code"])
    return [{c: row[c] for c in REQUIRED} for row in rows]


#: The facts a description may name in braces, each with what gives its value.
FACTS = {
    "detour": "commun.methode.DETOUR_FACTOR",
    "vitesse": "commun.methode.SPEED_KMH",
    "km_10min": "distance à vol d'oiseau parcourue en 10 minutes estimées",
    "km_20min": "distance à vol d'oiseau parcourue en 20 minutes estimées",
    "km_30min": "distance à vol d'oiseau parcourue en 30 minutes estimées",
    "seuil_dpe": "commun.methode.SEUIL_DPE",
    **{
        f"{kind}_{droit}": f"taux_non_recours_national ({droit})"
        for droit in methode.DROITS_POTENTIEL
        for kind in ("taux", "publie", "citation", "dernier_millesime")
    },
}


def _fields(text: str) -> list[str]:
    """The names in braces of a description."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _one_decimal(value: float) -> str:
    """« 1,3 », « 7,7 »: one decimal at most, decimal comma."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def facts(con) -> dict[str, str]:
    """The value of each fact of :data:`FACTS`, as a description prints it.

    The method constants come from :mod:`commun.methode` (what ``etl.access`` computes with), the
    national rates from ``taux_non_recours_national`` (what ``etl.potentiel`` applies).
    """
    # imported here: commun.geometrie loads shapely, which an import of visits has no other use for
    from commun.geometrie import km_from_minutes

    values = {
        "detour": _one_decimal(methode.DETOUR_FACTOR),
        "vitesse": f"{_one_decimal(methode.SPEED_KMH)} km/h",
        **{f"km_{m}min": f"{_one_decimal(km_from_minutes(m))} km" for m in (10, 20, 30)},
        "seuil_dpe": str(methode.SEUIL_DPE),
    }
    rows_ = con.execute(
        "select droit, taux, taux_publie, publication, annee, dernier_millesime_applicable "
        "from taux_non_recours_national where list_contains(?, droit)",
        [list(methode.DROITS_POTENTIEL)],
    ).fetchall()
    for droit, taux, publie, publication, annee, dernier in rows_:
        values[f"taux_{droit}"] = f"{round(100 * taux)} %"
        values[f"publie_{droit}"] = publie
        values[f"citation_{droit}"] = publication + (f" ; données {annee}" if annee is not None else "")
        values[f"dernier_millesime_{droit}"] = "" if dernier is None else str(dernier)
    return values


def filled_descriptions(rows: list[dict[str, str]], con) -> list[dict[str, str]]:
    """The catalogue rows with each fact named in braces in a description replaced by its value (:func:`facts`)."""
    values = facts(con)
    return [{**row, "description": row["description"].format_map(values)} for row in rows]


def insert_sources(con) -> None:
    """Insert the ``sources`` rows of the indicator families."""
    con.executemany(
        "insert into sources (source, libelle, producteur, millesime, licence) values (?, ?, ?, ?, ?)",
        [(code, *fields) for code, fields in SOURCES.items()],
    )


def insert_catalogue(con, codes: list[str] | None = None) -> int:
    """Insert into ``indicateurs`` every catalogued indicator that has values.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The database being written.
    codes : list of str, optional
        Insert only these indicators (the caller deleted their rows first): a loader that
        refreshes its own indicators leaves the others, and their demonstration flags, as they are.

    Returns
    -------
    int
        Number of indicators inserted.

    Raises
    ------
    EtlError
        When ``valeurs`` holds an indicator code absent from the catalogue.
    """
    catalogue = filled_descriptions(catalogue_rows(), con)
    loaded = con.execute("select distinct indicateur from valeurs").fetchall()
    unknown = sorted({code for (code,) in loaded} - {row["code"] for row in catalogue})
    if unknown:
        raise EtlError(f"indicateurs chargés mais absents du catalogue etl/indicateurs.csv : {', '.join(unknown)}")
    columns = ", ".join(c + " varchar" for c in REQUIRED)
    con.execute(f"create or replace temp table stg_catalogue ({columns}, ordre integer)")
    insert_rows(con, "stg_catalogue", [[*(row[c] for c in REQUIRED), rang] for rang, row in enumerate(catalogue)])
    con.execute(
        "create or replace temp table stg_niveaux_ordre as "
        "select unnest(?::varchar[]) as niveau, unnest(range(?)) as rang",
        [NIVEAUX_ORDER, len(NIVEAUX_ORDER)],
    )
    try:
        con.execute(
            """
            insert into indicateurs by name
            with

            niveaux as (
                select v.indicateur, v.niveau, coalesce(min(o.rang), 99) as rang
                from valeurs as v
                left join stg_niveaux_ordre as o on o.niveau = v.niveau
                group by v.indicateur, v.niveau
            ),

            par_indicateur as (
                select indicateur, string_agg(niveau, ',' order by rang, niveau) as niveaux
                from niveaux
                group by indicateur
            ),

            millesimes as (
                select indicateur, max(millesime) as millesime
                from valeurs
                group by indicateur
            ),

            final as (
                select c.code, c.libelle, c.unite, c.source, m.millesime, nullif(c.sens, '') as sens, c.description,
                       c.theme, c.ordre, n.niveaux, false as demonstration
                from stg_catalogue as c
                join par_indicateur as n on n.indicateur = c.code
                join millesimes as m on m.indicateur = c.code
                where ?::varchar[] is null or list_contains(?::varchar[], c.code)
            )

            select * from final
            """,
            [codes, codes],
        )
        # figures computed from the generated visits are demonstration data while no real visit is
        # imported (etl/visits_millesimes.py); said here so that every refresh of the catalogue keeps it
        con.execute(
            """
            update indicateurs
            set libelle = libelle || ' (démonstration)', demonstration = true
            where source = 'visites_aller_vers' and not demonstration
              and (?::varchar[] is null or list_contains(?::varchar[], code))
              and exists (select 1 from visites where demonstration)
            """,
            [codes, codes],
        )
    finally:
        con.execute("drop table if exists stg_catalogue")
        con.execute("drop table if exists stg_niveaux_ordre")
    return con.execute("select count(*) from indicateurs").fetchall()[0][0]


def complete_sources_valeurs(con) -> None:
    """Give every (indicator, level, millésime) not yet in ``sources_valeurs`` its catalogue source.

    Loaders that read a file of another source than the indicator's (a third-party re-export, a
    computation) record it themselves first; the rest is the catalogue's source. Estimated values
    are named by their own source (``estimation_pauvrete_communes``) on top of their level's.
    Rows left by values an import replaced (a DPE millésime) are removed.
    """
    con.execute(
        """
        delete from sources_valeurs as s
        where not exists (
            select 1 from valeurs as v
            where v.indicateur = s.indicateur and v.niveau = s.niveau and v.millesime = s.millesime
        )
        """
    )
    con.execute(
        """
        insert into sources_valeurs
        with manquantes as (
            select distinct indicateur, niveau, millesime from valeurs
            except
            select indicateur, niveau, millesime from sources_valeurs
        ),

        final as (
            select m.indicateur, m.niveau, m.millesime, i.source
            from manquantes as m
            join indicateurs as i on i.code = m.indicateur
        )

        select * from final
        """
    )
