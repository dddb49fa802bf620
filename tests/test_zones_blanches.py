"""Coverage rules of zones blanches on a tiny fixture where the expected answer is known."""

import datetime as dt

import pandas as pd
import pytest

from atlas.zones_blanches import Regles, classer, seuil_besoin

REF = dt.date(2025, 12, 31)
# six communes: need (poverty rate), latest outreach contact, minutes to the nearest service
FIXTURE = pd.DataFrame(
    {
        "code": ["A", "B", "C", "D", "E", "F"],
        "besoin": [30.0, 25.0, 10.0, 8.0, 28.0, None],
        "dernier_contact": [None, "2025-06-01", None, None, "2023-01-10", None],
        "minutes_service": [35.0, 40.0, 45.0, 5.0, 12.0, 50.0],
    }
)


def test_top_tercile_threshold_on_the_exposed_side():
    rates = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert seuil_besoin(rates, "+", Regles()) == pytest.approx(rates.quantile(2 / 3))
    assert seuil_besoin(rates, "-", Regles()) == pytest.approx(rates.quantile(1 / 3))
    assert seuil_besoin(rates, "+", Regles(seuil="valeur", valeur=7.5)) == 7.5


def test_white_zone_is_high_need_with_neither_outreach_nor_service():
    # threshold = tercile of (30, 25, 10, 8, 28) = 26.0...: A (30) and E (28) are high need
    cats = classer(FIXTURE, "+", Regles(), REF).tolist()
    # A: high need, no contact, service at 35 min > 20 → white zone
    # B: 25 < threshold → moderate; contacted in June 2025 → covered
    # C: moderate, not covered; D: moderate, service at 5 min → covered
    # E: high need, contact too old (2023) but a service at 12 min → covered
    # F: need secret → unknown
    assert cats == ["zone_blanche", "couvert", "non_couvert", "couvert", "besoin_couvert", "inconnu"]


def test_a_longer_outreach_window_covers_more():
    cats = classer(FIXTURE, "+", Regles(mois=36, minutes=10), REF)
    assert cats.iloc[4] == "besoin_couvert"  # E: contact of January 2023 is within 36 months


def test_without_outreach_and_a_strict_time_more_zones_are_white():
    cats = classer(FIXTURE, "+", Regles(mois=0, minutes=10), REF)
    assert cats.tolist().count("zone_blanche") == 2  # A and E


def test_rules_round_trip_through_the_url():
    regles = Regles("fs_temps_min", "valeur", 25.0, 6, 30, ("france_services", "garages_solidaires"))
    back = Regles.depuis_params(
        regles.vers_params(), ["fs_temps_min", "taux_pauvrete"], ["france_services", "garages_solidaires"]
    )
    assert back == regles


def test_invalid_url_rules_fall_back_to_defaults():
    back = Regles.depuis_params(
        {"indicateur": "x", "seuil": "y", "mois": "z", "minutes": "999"}, ["taux_pauvrete"], ["france_services"]
    )
    assert back == Regles(minutes=60)


def test_a_commune_exactly_at_the_tercile_boundary_is_high_need():
    # sixteen communes, needs 0 to 15: the top tercile starts at rank 10 exactly, need 10.0; the
    # rank computed in floating point, 15 × (1 − 1/3), lands a hair past 10 and put the boundary at
    # 10.000000000000002, leaving the commune at 10.0, far from any service, out of it
    frame = pd.DataFrame(
        {
            "besoin": [float(i) for i in range(16)],
            "dernier_contact": [None] * 16,
            "minutes_service": [5.0] * 10 + [30.0] + [5.0] * 5,
        }
    )
    assert seuil_besoin(frame["besoin"], "+", Regles()) == 10.0
    assert classer(frame, "+", Regles(), REF).iloc[10] == "zone_blanche"
    # the low side (sens « - ») and the quartile stay the linear quantile
    assert seuil_besoin(frame["besoin"], "-", Regles()) == pytest.approx(frame["besoin"].quantile(1 / 3))
    assert seuil_besoin(frame["besoin"], "+", Regles(seuil="quartile")) == pytest.approx(
        frame["besoin"].quantile(3 / 4)
    )
