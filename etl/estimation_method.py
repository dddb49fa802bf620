"""The method of the small-area estimate of secret commune poverty rates (statistics only).

No database and no file here: :mod:`etl.estimation` reads the inputs and stores the estimates.

1. **Model.** On every published commune of France, the logit of the rate is regressed on the log
   of the median standard of living (``MED``, published for nearly every commune), its square and
   the log of the number of persons (ordinary least squares). The fitted model gives a
   prediction for every commune with a published median.
2. **Calibration on the EPCI** (``methode = 'calage_epci'``). For each EPCI the number of poor
   persons of its unpublished communes, as a group, is known: EPCI rate × EPCI persons − Σ
   published communes' rate × persons. INSEE rounds the commune rates to the unit and the EPCI
   rate to one decimal, so the group total is only known within an interval; the predictions of
   the group are shifted together on the logit scale (one shift per EPCI) until their total
   falls inside that interval, and left as they are when it already does. Persons of communes
   without a median (no estimate) are assumed at the group's mean rate.
3. **Secrecy guard** (``methode = 'modele'``). Where the unpublished group of an EPCI holds fewer
   than :data:`GROUPE_MINIMUM` communes, the difference would reveal (or nearly) a secret value:
   the model alone is used there, never the difference.
4. **Interval and error.** Published communes are hidden in turn (:data:`PLIS`-fold
   cross-validation, the same procedure refitted and recalibrated without them). The 10th and 90th
   percentiles of the logit residuals of each method give an 80 % interval; its coverage is
   measured on folds that did not set it. The hidden communes are the *published* ones, larger
   than the secret ones: the error of a small commune may be larger than the figure measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Fewer unpublished communes than this in an EPCI: the model alone (the difference would reveal).
GROUPE_MINIMUM = 3
#: Half-width of INSEE's rounding: commune rates to the unit, EPCI rates to one decimal.
ARRONDI_COMMUNE = 0.5
ARRONDI_EPCI = 0.05
NIVEAU_INTERVALLE = 0.8
PLIS = 10
GRAINE = 2021
#: Rates used to fit the logit are kept away from 0 and 100 (a published 0 % has no logit).
BORNES_AJUSTEMENT = (0.5, 99.5)


def logit(rate_pct):
    """Logit of a rate given in percent."""
    p = np.asarray(rate_pct, dtype=float) / 100
    return np.log(p / (1 - p))


def expit_pct(z):
    """Inverse of :func:`logit`, in percent."""
    return 100 / (1 + np.exp(-np.asarray(z, dtype=float)))


def design(communes: pd.DataFrame) -> np.ndarray:
    """Covariates of the model: constant, log median, its square, log persons."""
    log_med = np.log(communes["mediane"].to_numpy(dtype=float))
    return np.column_stack(
        [np.ones(len(communes)), log_med, log_med**2, np.log(communes["personnes"].to_numpy(dtype=float))]
    )


def fit_model(communes: pd.DataFrame) -> np.ndarray:
    """Fit the logit model on communes with a published rate, median and persons.

    Parameters
    ----------
    communes : pandas.DataFrame
        Columns ``taux`` (percent), ``mediane`` (euros), ``personnes``; rows with a missing value
        are left out.

    Returns
    -------
    numpy.ndarray
        Coefficients of :func:`design`'s columns.
    """
    fit = communes.dropna(subset=["taux", "mediane", "personnes"])
    y = logit(fit["taux"].clip(*BORNES_AJUSTEMENT))
    coef, *_ = np.linalg.lstsq(design(fit), y, rcond=None)
    return coef


@dataclass
class Estimates:
    """Estimates for the unpublished communes that have covariates.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per estimated commune (index of the input): ``estimation`` (percent), ``methode``
        (``calage_epci`` or ``modele``), ``z`` (the estimate's logit).
    """

    frame: pd.DataFrame


def estimate(
    communes: pd.DataFrame, epci: pd.DataFrame, published: np.ndarray, coef: np.ndarray, guard: float = GROUPE_MINIMUM
) -> Estimates:
    """Estimate the rate of every unpublished commune with a median, calibrated on its EPCI.

    Parameters
    ----------
    communes : pandas.DataFrame
        Communes of the Filosofi file's geography: ``code_epci``, ``taux`` (percent, NaN when
        secret), ``mediane`` and ``personnes`` (NaN when secret).
    epci : pandas.DataFrame
        Indexed by EPCI code: ``taux`` (percent) and ``personnes`` of the whole EPCI.
    published : numpy.ndarray of bool
        Which communes count as published (cross-validation hides some).
    coef : numpy.ndarray
        Output of :func:`fit_model`.
    guard : int
        Minimum number of unpublished communes in an EPCI for the calibration to apply.

    Returns
    -------
    Estimates
    """
    communes = communes.reset_index(drop=True)
    has_covariates = (communes["mediane"].notna() & communes["personnes"].notna()).to_numpy()
    in_epci = communes["code_epci"].isin(epci.index).to_numpy()
    target = ~published & has_covariates
    z = np.full(len(communes), np.nan)
    z[has_covariates] = design(communes[has_covariates]) @ coef

    codes, group = np.unique(communes["code_epci"].fillna("").to_numpy(dtype=str), return_inverse=True)
    n = len(codes)
    known = epci.reindex(codes)
    rate_epci = known["taux"].to_numpy(dtype=float)
    persons_epci = known["personnes"].to_numpy(dtype=float)

    def per_group(weights):
        return np.bincount(group, weights=weights, minlength=n)

    persons = communes["personnes"].fillna(0).to_numpy(dtype=float)
    rate = communes["taux"].fillna(0).to_numpy(dtype=float)
    pub = published.astype(float)
    poor_low = per_group(pub * np.clip(rate - ARRONDI_COMMUNE, 0, None) * persons / 100)
    poor_high = per_group(pub * (rate + ARRONDI_COMMUNE) * persons / 100)
    persons_published = per_group(pub * persons)
    unpublished = per_group((~published & in_epci).astype(float))
    persons_target = per_group(target * persons)
    persons_group = np.clip(persons_epci - persons_published, 0, None)
    # persons of communes without a median are assumed at the group's mean rate
    share = np.where(
        persons_group > 0, np.clip(persons_target / np.where(persons_group > 0, persons_group, 1), 0, 1), 0
    )
    group_low = np.clip((rate_epci - ARRONDI_EPCI) * persons_epci / 100 - poor_high, 0, None) * share
    group_high = np.clip((rate_epci + ARRONDI_EPCI) * persons_epci / 100 - poor_low, 0, None) * share

    z_target = np.where(target, np.nan_to_num(z), 0.0)

    def group_total(shift):
        return per_group(np.where(target, expit_pct(z_target + shift[group]) * persons / 100, 0.0))

    predicted = group_total(np.zeros(n))
    wanted = np.clip(predicted, group_low, group_high)
    low, high = np.full(n, -10.0), np.full(n, 10.0)
    for _ in range(60):  # bisection, every EPCI at once (the total rises with the shift)
        mid = (low + high) / 2
        below = group_total(mid) < wanted
        low, high = np.where(below, mid, low), np.where(below, high, mid)
    calibrate = (unpublished >= guard) & np.isfinite(rate_epci) & np.isfinite(persons_epci) & (persons_target > 0)
    shift = np.where(calibrate, (low + high) / 2, 0.0)

    z_final = z + shift[group]
    frame = pd.DataFrame(
        {
            "estimation": expit_pct(z_final),
            "methode": np.where(calibrate[group], "calage_epci", "modele"),
            "z": z_final,
        },
        index=communes.index,
    )
    return Estimates(frame[target])


def cross_validate(
    communes: pd.DataFrame, epci: pd.DataFrame, folds: int = PLIS, seed: int = GRAINE, guard: float = GROUPE_MINIMUM
) -> pd.DataFrame:
    """Hide the published communes fold by fold and estimate them with the same procedure.

    ``guard`` is the secrecy guard of :func:`estimate` (an infinite guard measures the model alone).

    Returns
    -------
    pandas.DataFrame
        One row per published commune with covariates: ``pli``, ``observe``, ``estimation``,
        ``methode``, ``residu_logit`` (observed − estimated, logit scale).
    """
    communes = communes.reset_index(drop=True)
    published = communes["taux"].notna().to_numpy()
    candidates = np.flatnonzero(published & communes["mediane"].notna().to_numpy() & communes["personnes"].notna())
    assignment = np.random.default_rng(seed).permutation(len(candidates)) % folds
    parts = []
    for fold in range(folds):
        hidden = candidates[assignment == fold]
        mask = published.copy()
        mask[hidden] = False
        coef = fit_model(communes[mask])
        est = estimate(communes, epci, mask, coef, guard).frame.loc[hidden]
        observed = communes.loc[hidden, "taux"].to_numpy(dtype=float)
        parts.append(
            pd.DataFrame(
                {
                    "index": hidden,
                    "pli": fold,
                    "observe": observed,
                    "estimation": est["estimation"].to_numpy(),
                    "methode": est["methode"].to_numpy(),
                    "residu_logit": logit(np.clip(observed, *BORNES_AJUSTEMENT)) - est["z"].to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).set_index("index")


def interval_quantiles(residuals: pd.DataFrame, level: float = NIVEAU_INTERVALLE) -> dict[str, tuple[float, float]]:
    """Lower and upper logit-residual quantiles of each method (central interval of ``level``)."""
    tail = (1 - level) / 2
    out = {}
    for methode, part in residuals.groupby("methode"):
        out[methode] = (float(part["residu_logit"].quantile(tail)), float(part["residu_logit"].quantile(1 - tail)))
    # a method without any residual (no EPCI of that kind) borrows the widest interval known
    if out:
        widest = max(out.values(), key=lambda q: q[1] - q[0])
        for methode in ("calage_epci", "modele"):
            out.setdefault(methode, widest)
    return out


def validation_table(residuals: pd.DataFrame, scope: pd.Series, level: float = NIVEAU_INTERVALLE) -> pd.DataFrame:
    """Mean absolute error and interval coverage by method, for France and for the region.

    The interval applied to a fold is set by the residuals of the other folds (nested), so that
    its coverage is measured on communes that did not set it.

    Parameters
    ----------
    residuals : pandas.DataFrame
        Output of :func:`cross_validate`.
    scope : pandas.Series of bool
        Same index: whether the commune is in the built region.
    """
    covered = pd.Series(False, index=residuals.index)
    for fold in residuals["pli"].unique():
        inside = residuals["pli"] == fold
        quantiles = interval_quantiles(residuals[~inside], level)
        part = residuals[inside]
        low = part["methode"].map({m: q[0] for m, q in quantiles.items()})
        high = part["methode"].map({m: q[1] for m, q in quantiles.items()})
        covered[inside] = part["residu_logit"].between(low, high)
    errors = (residuals["estimation"] - residuals["observe"]).abs()
    rows = []
    for perimetre, mask in (("France", pd.Series(True, index=residuals.index)), ("Région", scope)):
        for methode in ("ensemble", "calage_epci", "modele"):
            keep = mask & (residuals["methode"] == methode if methode != "ensemble" else True)
            if not keep.any():
                continue
            rows.append(
                {
                    "perimetre": perimetre,
                    "methode": methode,
                    "communes": int(keep.sum()),
                    "erreur_absolue_moyenne": round(float(errors[keep].mean()), 2),
                    "erreur_absolue_mediane": round(float(errors[keep].median()), 2),
                    "couverture": round(float(covered[keep].mean()), 3),
                }
            )
    return pd.DataFrame(rows)
