"""Small-area estimate of the poverty rate of communes whose rate INSEE keeps secret: the build step.

INSEE publishes Filosofi's poverty rate (``TP60``) only for communes with enough fiscal
households; three communes in four of the region are secret. The committee still needs to see
where poverty is, so the atlas estimates those rates, apart from INSEE's figures, with the method
of :mod:`etl.estimation_method` (a model of the logit of the rate, calibrated on each EPCI's total
where that reveals no secret value, with a cross-validated 80 % interval).

Estimates are stored in ``valeurs`` with ``statut = 'estime'`` (the value INSEE keeps secret is
never known to the atlas), their interval and method in ``estimations``, the cross-validated
errors in ``estimations_validation`` (SQL: ``etl/sql/estimation/``).

Only the overall poverty rate is estimated: the EPCI file carries no rate by age or tenure (no
group total to calibrate on), and the other commune rates are secret in the same communes
without a comparable covariate.
"""

from __future__ import annotations

import pandas as pd

from etl.checks import SQL_DIR
from etl.estimation_method import (
    NIVEAU_INTERVALLE,
    PLIS,
    cross_validate,
    estimate,
    expit_pct,
    fit_model,
    interval_quantiles,
    validation_table,
)
from etl.filosofi_supra import DOSSIER_DERIVE, EPCI_TIERS_FICHIER, EPCI_TIERS_MILLESIME
from etl.insee_csv import parse_values, read_insee_csv
from etl.placement import place_communes

INDICATEUR = "taux_pauvrete"
MILLESIME = str(EPCI_TIERS_MILLESIME)


def _sql(name: str) -> str:
    """Text of a SQL file of ``etl/sql/estimation``."""
    return (SQL_DIR / "estimation" / name).read_text(encoding="utf-8")


def read_inputs(
    con, raw_dir, fichier: str = "insee_filosofi/cc_filosofi_2021_COM.csv"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Communes (national, file geography) and EPCI inputs of the estimate, from the build connection.

    Communes are those of the national Filosofi 2021 file, municipal arrondissements left out
    (their commune is in the file too), each with the EPCI of its current commune
    (``stg_communes`` of the geography step, through ``passage_communes``). EPCI rates and
    persons are the 2021 values loaded in ``valeurs``; EPCI outside the built region come from
    the same re-export, read again here (``valeurs`` keeps the region's only).
    """
    table = read_insee_csv(raw_dir / fichier, fichier)
    frame = table.frame
    suffix = MILLESIME[2:]
    columns = {f"TP60{suffix}": "taux", f"MED{suffix}": "mediane", f"NBPERSMENFISC{suffix}": "personnes"}
    values, _ = parse_values(frame, list(columns))
    communes = pd.DataFrame({"code": frame[table.id_column].to_numpy(dtype=object)})
    for column, name in columns.items():
        communes[name] = values[column].where(values[f"{column}__statut"] == "ok").to_numpy()
    con.register("stg_estimation_codes", communes[["code"]])
    try:
        placed = con.execute(_sql("communes_placees.sql")).df()
    finally:
        con.unregister("stg_estimation_codes")
    placed = placed.drop_duplicates("code").set_index("code")
    communes["code_epci"] = communes["code"].map(placed["code_epci"])
    communes = communes[communes["code"].map(placed["type_ancien"]).fillna("") != "ARM"].reset_index(drop=True)

    tiers = read_insee_csv(raw_dir / DOSSIER_DERIVE / EPCI_TIERS_FICHIER, EPCI_TIERS_FICHIER, id_columns=("codgeo",))
    epci_values, _ = parse_values(tiers.frame, ["taux_pauvrete", "nb_personnes"])
    epci = pd.DataFrame(
        {
            "taux": epci_values["taux_pauvrete"].where(epci_values["taux_pauvrete__statut"] == "ok").to_numpy(),
            "personnes": epci_values["nb_personnes"].where(epci_values["nb_personnes__statut"] == "ok").to_numpy(),
        },
        index=tiers.frame[tiers.id_column].to_numpy(dtype=object),
    )
    return communes, epci


def load_estimations(con, raw_dir, region_departements: set[str]) -> pd.DataFrame:
    """Estimate the secret poverty rates of the region's communes and store them.

    Updates the region's ``valeurs`` rows of ``taux_pauvrete`` 2021 that are ``secret`` to
    ``estime`` with the estimate, inserts their interval and method into ``estimations`` and the
    cross-validated errors into ``estimations_validation``. A commune nouvelle whose parts the
    file gives separately (``absent``) gets no estimate.

    Returns
    -------
    pandas.DataFrame
        The validation table (see :func:`validation_table`).
    """
    communes, epci = read_inputs(con, raw_dir)
    coef = fit_model(communes[communes["taux"].notna()])
    estimates = estimate(communes, epci, communes["taux"].notna().to_numpy(), coef).frame
    residuals = cross_validate(communes, epci)
    in_region = communes["code"].str[:2].isin(region_departements)
    validation = validation_table(residuals, in_region.reindex(residuals.index).fillna(False).astype(bool))
    quantiles = interval_quantiles(residuals)

    estimates = estimates.join(communes[["code"]])
    estimates = estimates[estimates["code"].str[:2].isin(region_departements)]
    placement = place_communes(con, estimates["code"])
    estimates = estimates[placement["issue"].to_numpy() == "ok"].assign(
        code_actuel=placement.loc[placement["issue"] == "ok", "code_actuel"].to_numpy()
    )
    estimates["bas"] = expit_pct(estimates["z"] + estimates["methode"].map({m: q[0] for m, q in quantiles.items()}))
    estimates["haut"] = expit_pct(estimates["z"] + estimates["methode"].map({m: q[1] for m, q in quantiles.items()}))
    rows = pd.DataFrame(
        {
            "indicateur": INDICATEUR,
            "niveau": "commune",
            "code": estimates["code_actuel"].astype(object).to_numpy(),
            "millesime": MILLESIME,
            "estimation": estimates["estimation"].round(1).to_numpy(),
            "bas": estimates["bas"].round(1).to_numpy(),
            "haut": estimates["haut"].round(1).to_numpy(),
            "methode": estimates["methode"].astype(object).to_numpy(),
        }
    )
    con.register("stg_estimations", rows)
    try:
        # only values INSEE keeps secret become estimates: a published value is never touched
        for name in ("estimables.sql", "valeurs_estimees.sql", "estimations.sql"):
            con.execute(_sql(name))
    finally:
        con.unregister("stg_estimations")
        con.execute("drop table if exists stg_estimables")
    level = int(round(NIVEAU_INTERVALLE * 100))
    stored = validation.assign(indicateur=INDICATEUR, millesime=MILLESIME, niveau_intervalle=NIVEAU_INTERVALLE)
    con.register("stg_validation", stored)
    try:
        con.execute("insert into estimations_validation by name select * from stg_validation")
    finally:
        con.unregister("stg_validation")
    con.execute(
        "insert into metadonnees values (?, ?)",
        [
            "estimation_taux_pauvrete_modele",
            "logit(taux) = "
            + _formula_fr(coef, ["1", "ln(médiane)", "ln(médiane)²", "ln(personnes)"])
            + f" ; intervalle à {level} % : quantiles des résidus de validation croisée ({PLIS} plis)",
        ],
    )
    return validation


def _formula_fr(coefficients, termes: list[str]) -> str:
    """A linear formula as the page shows it, in French: ``415,5 − 79,96·ln(médiane)``.

    Decimal comma and the minus sign (U+2212), so that « + -79.96 » never reaches a reader; the
    constant term is its number alone (« 415,5·1 » was on « Données et méthodes »).
    """
    morceaux = []
    for i, (c, terme) in enumerate(zip(coefficients, termes, strict=True)):
        texte = f"{abs(float(c)):.4g}".replace(".", ",").replace("e-", "e\u2212") + (
            "" if terme == "1" else f"·{terme}"
        )
        signe = "\u2212" if c < 0 else "+"
        morceaux.append(("\u2212" if c < 0 else "") + texte if i == 0 else f" {signe} {texte}")
    return "".join(morceaux)
