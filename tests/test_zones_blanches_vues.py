"""What the « Zones blanches » page shows: hover texts say « aucun » and the island, the rules say the method."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from atlas import mobilite
from atlas import zones_blanches as zb
from atlas import zones_blanches_vues as vues

IND = {"libelle": "Taux de pauvreté", "unite": "%", "sens": "+", "millesime": "2021"}


def _communes():
    return pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "besoin": [25.0, np.nan, 12.0],
            "statut_besoin": ["publie", "secret", "estime"],
            "besoin_bas": [np.nan, np.nan, 9.0],
            "besoin_haut": [np.nan, np.nan, 15.0],
            "minutes_service": [12.0, np.nan, np.nan],
            "ile": [None, None, "Île d'Yeu"],
            "dernier_contact": [pd.Timestamp("2025-03-01"), None, pd.NaT],
        }
    )


def test_hover_texts_say_no_service_no_contact_and_the_island():
    textes = vues.textes_survol(_communes(), IND).set_index("code")
    assert textes.loc["a", "m"] == "Service le plus proche : 12\u00a0min"
    assert textes.loc["b", "m"] == "Service le plus proche : aucun"
    assert textes.loc["c", "m"] == "Service le plus proche : aucun sur l'île (pas de lien routier)"
    assert textes.loc["a", "c"] == "Dernier contact d'aller vers : mars 2025"
    assert textes.loc["b", "c"] == textes.loc["c", "c"] == "Dernier contact d'aller vers : aucun"


def test_the_need_in_the_bubble_names_its_millesime():
    textes = vues.textes_survol(_communes(), IND).set_index("code")
    assert textes["b"].str.startswith("Taux de pauvreté 2021 : ").all()


def _sites():
    return pd.DataFrame(
        {
            "couche": ["france_services", "france_services"],
            "nom": ["France services de Segré", "France services de Vitré"],
            "longitude": [-0.87, -1.2],
            "latitude": [47.69, 48.12],
            "code_commune": ["49331", "35360"],
            "commune": ["Segré-en-Anjou Bleu", None],
        }
    )


def test_a_site_bubble_names_the_site_its_kind_and_its_commune_not_the_layer_count():
    ((libelle, _, sites),) = vues.couches_de_sites(_sites())
    assert libelle == "Sites : France services (2 sur la carte)"
    assert sites["titre"].tolist() == [
        "France services : France services de Segré",
        "France services : France services de Vitré",
    ]
    assert sites["lieu"].tolist() == ["Commune : Segré-en-Anjou Bleu", "Hors de la région (département 35)"]


def test_the_map_component_sends_each_site_its_own_bubble_and_keeps_the_count_in_the_legend(monkeypatch):
    from atlas.composants import carte, couches

    monkeypatch.setattr(couches, "url_couche", lambda niveau: f"app/static/couches/{niveau}-essai.geojson")

    data = pd.DataFrame({"code": ["49331"], "nom": ["Segré-en-Anjou Bleu"], "categorie": ["couverte"]})
    donnees = carte.donnees_categories(
        data,
        "commune",
        [("Couverte", "#cccccc", data.index)],
        emprise=(-2.6, 46.2, 0.9, 48.6),
        survol=["nom"],
        points=vues.couches_de_sites(_sites()),
    )
    bulles = [(f["properties"]["nom"], f["properties"]["couche"]) for f in donnees["points"]["features"]]
    assert bulles[0] == ("France services : France services de Segré", "Commune : Segré-en-Anjou Bleu")
    assert all("sur la carte" not in ligne for bulle in bulles for ligne in bulle)
    assert "Sites : France services (2 sur la carte)" in [e["libelle"] for e in donnees["legende"]]


def test_the_rules_caption_states_the_need_threshold_and_the_reference_month_and_folds_the_method_away():
    regles = zb.Regles("taux_pauvrete", "tercile", None, 12, 20, ("france_services",), True)
    iles = pd.DataFrame({"code": [], "nom": [], "ile": [], "acces": [], "temps_min": []})
    phrase = vues.phrase_regles(IND, regles, 18.3, dt.date(2025, 6, 30), False, estimations=True)
    # the travel-time estimate and the island rule made the caption a wall of text: folded under it
    assert "vol d'oiseau" not in phrase and "un service à moins de 20 minutes (temps estimé)" in phrase
    assert f"{mobilite.facteur_et_vitesse()}." in mobilite.methode_temps_et_iles(iles)
    assert "Taux de pauvreté ≥ 18,3\u00a0% (tiers le plus exposé, millésime 2021)" in phrase
    assert "depuis moins de 12 mois avant le 30 juin 2025" in phrase
    assert phrase.endswith("les estimations de l'atlas comptent comme des valeurs (seuil compris).")


def test_the_need_indicators_are_the_oriented_ones_mapped_by_commune():
    catalogue = pd.DataFrame(
        {
            "code": ["taux", "population", "epci_seul"],
            "theme": ["Pauvreté", "Population", "Pauvreté"],
            "libelle": ["Taux", "Population", "Taux EPCI"],
            "sens": ["+", None, "-"],
            "niveaux_disponibles": [["commune", "epci"], ["commune"], ["epci"]],
        }
    )
    assert vues.indicateurs_de_besoin(catalogue) == {"taux": "Pauvreté — Taux"}


def test_site_legend_counts_the_sites_drawn_not_the_national_layer():
    # the layer list says « France services (2 843 sites) », nationwide; the map draws only the
    # sites of its extent, and its legend must count those
    points = pd.DataFrame(
        {
            "couche": ["france_services"] * 3 + ["Maisons de santé"],
            "nom": ["FS Nantes", "FS Angers", "FS Laval", "MS Cholet"],
            "longitude": [-1.55, -0.55, -0.77, -0.88],
            "latitude": [47.22, 47.47, 48.07, 47.06],
            "code_commune": ["44109", "49007", "53130", "49099"],
            "commune": ["Nantes", "Angers", "Laval", "Cholet"],
        }
    )
    libelles = [libelle for libelle, _, _ in vues.couches_de_sites(points)]
    assert libelles == ["Sites : Maisons de santé (1 sur la carte)", "Sites : France services (3 sur la carte)"]


def test_the_csv_header_names_the_service_layer_as_users_say_it(monkeypatch):
    monkeypatch.setattr(mobilite, "date_france_services", lambda: "01/08/2024")
    regles = zb.Regles("taux_pauvrete", "tercile", None, 12, 20, ("france_services",), True)
    ind = {**IND, "source_libelle": "Filosofi"}
    (regle, *_) = vues.entete_liste(ind, regles, 10.8, visites_demo=True)
    assert "pas de service (France services) à moins de 20 min" in regle and "france_services" not in regle
