"""What the « Non-recours » page shows: a hidden rate is secret (never zero), a territory without visits is absent."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from atlas import non_recours as nr
from atlas import non_recours_vues as vues


def _territoires():
    return pd.DataFrame({"code": ["a", "b", "c"], "nom": ["Ancenis", "Blain", "Clisson"]})


def test_a_territory_whose_rate_is_hidden_is_secret_on_the_map_and_one_without_visits_absent():
    affichage = pd.DataFrame(
        {"code": ["a", "b"], "contacts": ["40", "12"], "bilans": ["20", "< 5"], "taux_non_recours_pct": [35.0, None]}
    )
    base = vues.carte_taux(_territoires(), affichage).set_index("code")
    assert base["statut"].to_dict() == {"a": "ok", "b": "secret", "c": "absent"}
    assert base.loc["a", "valeur"] == 35.0
    assert pd.isna(base.loc["b", "valeur"])  # not a 0 % on the map
    assert base.loc["b", "survol_taux"].endswith("non diffusé (moins de 10 bilans ou secret)")
    assert base.loc["c", "survol_taux"] == "Aucune visite" and base.loc["c", "survol_comptes"] == ""
    assert base.loc["b", "survol_comptes"] == "12 contacts, < 5 bilans"


def test_the_whole_period_of_visits_is_no_period_filter():
    mois = ["2025-01", "2025-02", "2025-03"]
    filtres, debut, fin = vues.filtres_choisis("region:", [], [], ("2025-01", "2025-03"), mois)
    assert filtres == nr.Filtres("region", None, (), (), None, None)
    assert (debut, fin) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def test_a_chosen_period_territory_and_structure_filter_the_visits():
    mois = ["2025-01", "2025-02", "2025-03"]
    filtres, debut, fin = vues.filtres_choisis("epci:244400404", ["CCAS"], ["telephone"], ("2025-02", "2025-02"), mois)
    assert filtres == nr.Filtres(
        "epci", "244400404", ("CCAS",), ("telephone",), dt.date(2025, 2, 1), dt.date(2025, 2, 28)
    )
    assert (debut, fin) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))


def test_the_estimate_map_takes_the_rsa_and_prime_d_activite_sum_and_leaves_other_communes_without_estimate():
    potentiel = pd.DataFrame(
        {"code": ["a", "a", "b"], "droit": ["RSA", "RSA+PA", "RSA"], "potentiel": [10.0, 25.0, 7.0]}
    )
    estime = vues.potentiel_communes(_territoires(), potentiel).set_index("code")["potentiel"]
    assert estime["a"] == 25.0
    assert estime[["b", "c"]].isna().all()  # RSA alone is not the mapped sum


def test_the_maps_table_lists_communes_with_an_estimate_or_visits_by_name():
    estime = pd.DataFrame(
        {"code": ["a", "b", "c"], "nom": ["Clisson", "Blain", "Ancenis"], "potentiel": [12.4, None, None]}
    )
    presence = pd.DataFrame({"code": ["a", "b", "c"], "contacts": [None, "< 5", None]})
    tableau = vues.tableau_deux_cartes(estime, presence)
    assert tableau["nom"].tolist() == ["Blain", "Clisson"]
    assert tableau["potentiel"].tolist()[1] == 12.0 and tableau["contacts"].tolist()[0] == "< 5"


def test_the_csv_header_states_the_period_the_rate_and_the_secret_rule():
    entete = vues.entete_territoires("epci", dt.date(2025, 1, 1), dt.date(2025, 3, 31), demonstration=True)
    assert entete == [
        "Visites d'aller vers par EPCI, 01/01/2025 – 31/03/2025 — données de démonstration",
        nr.DEFINITION_TAUX,
        nr.REGLE_SECRET,
    ]


def test_the_presence_map_shows_a_masked_commune_as_missing_and_its_table_as_under_five(app_env):
    from atlas import queries

    communes = queries.territoires("commune")
    # one month of demonstration visits: most communes met fewer than 5 households
    debut, fin = nr.periode_mois("2024-03", "2024-03")
    presence = vues.presence_communes(communes, nr.Filtres(debut=debut, fin=fin))
    avec_visites = presence[presence["contacts"].notna()]
    masquees = avec_visites[avec_visites["contacts"] == nr.MASQUE]
    assert len(masquees)
    assert masquees["contacts_affiches"].isna().all()  # the map draws no number under 5
    visibles = avec_visites[avec_visites["contacts"] != nr.MASQUE]
    assert (visibles["contacts_affiches"] >= nr.SEUIL_COMPTE).all()
    assert presence.loc[presence["contacts"].isna(), "contacts_affiches"].isna().all()
