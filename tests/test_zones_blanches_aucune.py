"""With no zone blanche, the page says why: the communes closest to being one and the condition they miss."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from atlas import zones_blanches as zb
from atlas import zones_blanches_vues as vues
from tests.apptest_helpers import colonne_de_liste, run_page

IND = {"libelle": "Taux de pauvreté", "unite": "%", "sens": "+"}
REF = dt.date(2025, 12, 31)


def _classees(regles: zb.Regles, **changes) -> tuple[pd.DataFrame, float]:
    # top tercile of (30, 28, 20, 20, 8, 5) starts at 22.7: A and B are high need, both reached
    # by a service within 20 min; C, D and E have no service within 20 min but a lower need
    data = pd.DataFrame(
        {
            "nom": ["A", "B", "C", "D", "E", "F"],
            "besoin": [30.0, 28.0, 20.0, 20.0, 8.0, 5.0],
            "statut_besoin": ["ok", "estime", "ok", "ok", "ok", "ok"],
            "minutes_service": [12.0, 18.6, 35.0, 25.0, 40.0, 3.0],
            "dernier_contact": [pd.NaT] * 6,
        }
    )
    for colonne, valeurs in changes.items():
        data[colonne] = valeurs
    data["categorie"] = zb.classer(data, IND["sens"], regles, REF)
    return data, zb.seuil_besoin(data["besoin"], IND["sens"], regles)


def _phrase(regles: zb.Regles, **changes) -> str:
    data, seuil = _classees(regles, **changes)
    assert not (data["categorie"] == "zone_blanche").any()
    return vues.phrase_aucune_zone_blanche(data, IND, regles, seuil).replace("\u00a0", " ")


def test_no_zone_blanche_names_the_uncovered_communes_closest_to_the_need_threshold():
    phrase = _phrase(zb.Regles())
    assert phrase.startswith("Aucune commune n'est une zone blanche avec ces réglages.")
    assert (
        "Les 3 communes sans service à moins de 20 min ni contact d'aller vers depuis 12 mois ont un besoin "
        "sous le seuil de 22,7 % ; les plus proches du seuil : C et D (20,0 %)."
    ) in phrase


def test_no_zone_blanche_names_the_high_need_commune_farthest_from_a_service():
    # 18.6 min keeps its decimal: rounded to 19 it would read as close to the threshold as it is
    phrase = _phrase(zb.Regles())
    assert (
        "Parmi les 2 communes au besoin élevé, la plus éloignée d'un service est B (28,0 %, estimation de "
        "l'atlas) : un service à 18,6 min, sous le seuil de 20 min."
    ) in phrase


def test_a_high_need_commune_beyond_the_time_is_said_covered_by_its_recent_contact():
    contacts = [pd.NaT, pd.Timestamp("2025-11-01"), pd.NaT, pd.NaT, pd.NaT, pd.NaT]
    phrase = _phrase(zb.Regles(), minutes_service=[12.0, np.nan, 35.0, 25.0, 40.0, 3.0], dernier_contact=contacts)
    assert "est B (28,0 %, estimation de l'atlas) : aucun service atteignable par la route, mais un contact" in phrase


def test_a_need_threshold_no_commune_reaches_is_said():
    phrase = _phrase(zb.Regles(seuil="valeur", valeur=50.0))
    assert "Aucune commune n'a un besoin élevé (Taux de pauvreté ≥ 50,0 %)." in phrase
    assert "ont un besoin sous le seuil de 50,0 % ; les plus proches du seuil : C et D (20,0 %)." in phrase


def test_the_page_explains_an_empty_map_in_one_line(app_env):
    # no commune reaches a 99 % poverty rate: the map has no zone blanche and the page says why
    app = run_page("pages/zones_blanches.py", {"seuil": "valeur", "valeur": "99"})
    assert app.subheader[0].value.startswith("Aucune zone blanche")
    infos = [i.value for i in app.info if i.value.startswith("Aucune commune n'est une zone blanche")]
    assert len(infos) == 1
    assert "Aucune commune n'a un besoin élevé" in infos[0]
    assert "plus proche" in infos[0] and "du seuil" in infos[0]


def test_what_the_estimates_switch_changes_is_a_row_of_the_table_not_a_sentence_of_the_line_too():
    # the line under the map and the table of rules one change away are read together: said once
    regles = zb.Regles()
    data, seuil = _classees(regles)
    publiees = {"seuil": 20.0, "publiees": 5, "blanches": data[data["nom"].isin(["C", "D"])]}
    voisines = zb.regles_voisines(data.drop(columns="categorie"), IND["sens"], regles, REF)
    _, tableau = vues.regles_voisines(voisines, regles, IND, seuil, publiees)
    lignes = {r.regle.replace("\u00a0", " "): (r.nombre, r.communes) for r in tableau.itertuples()}
    assert lignes["Sans les estimations de l'atlas (seuil de 20,0 %)"] == (2, "C et D")
    assert "estimations" not in _phrase(regles)


def test_the_page_names_the_zones_blanches_its_estimates_switch_would_show_once(app_env):
    from tests.apptest_helpers import tableaux_html

    # the table's row and the page with the switch off (estimations=0) name the same communes
    app = run_page("pages/zones_blanches.py")
    if not app.subheader[0].value.startswith("Aucune zone blanche"):
        pytest.skip("la base de la session a des zones blanches avec les réglages par défaut")
    (tableau,) = [t for t in tableaux_html(app) if "Règle changée" in t.columns]
    ligne = tableau[tableau["Règle changée"].str.startswith("Sans les estimations")].iloc[0]
    sans = run_page("pages/zones_blanches.py", {"estimations": "0"})
    noms = colonne_de_liste(sans, "Commune", "nom") if not sans.subheader[0].value.startswith("Aucune") else []
    assert int(ligne["Zones blanches"].replace("\u00a0", "")) == len(noms)
    assert all(nom in ligne["Communes"] for nom in noms[:3])
    # no other text of the page says it again
    textes = [*(i.value for i in app.info), *(m.value for m in app.markdown), *(c.value for c in app.caption)]
    assert not [t for t in textes if "Sans les estimations" in t]


def test_the_rules_one_change_away_name_the_zones_blanches_each_would_find():
    # C and D (20 %) are the most exposed uncovered communes; B (18.6 min) loses its service at 15 min;
    # each number with its unit (« au lieu de 20 » did not say 20 what)
    regles = zb.Regles()
    data, seuil = _classees(regles)
    voisines = zb.regles_voisines(data.drop(columns="categorie"), IND["sens"], regles, REF)
    titre, tableau = vues.regles_voisines(voisines, regles, IND, seuil)
    lignes = {r.regle.replace("\u00a0", " "): (r.nombre, r.communes) for r in tableau.itertuples()}
    assert lignes == {
        "Besoin élevé dès 20,0 % (au lieu de 22,7 %)": (2, "C et D"),
        "Service à moins de 15 min (au lieu de 20 min)": (1, "B"),
        "Contact depuis moins de 6 mois (au lieu de 12 mois)": (0, "—"),
    }
    # the title names the nearest change that finds some: the fewest zones blanches
    assert titre.replace("\u00a0", " ") == "Aucune zone blanche ; 1 si le temps passe à 15 min"


def test_an_empty_map_is_titled_with_the_nearest_rule_change_and_each_change_is_counted_as_the_page_would(app_env):
    from tests.apptest_helpers import tableaux_html

    app = run_page("pages/zones_blanches.py")
    titre = app.subheader[0].value
    if not titre.startswith("Aucune zone blanche"):
        pytest.skip("la base de la session a des zones blanches avec les réglages par défaut")
    assert titre != "Aucune zone blanche avec ces règles"
    (tableau,) = [t for t in tableaux_html(app) if "Règle changée" in t.columns]
    ligne = tableau[tableau["Règle changée"].str.startswith("Service à moins de 15")].iloc[0]
    # the same rule on the page finds the count the table gives
    plus_court = run_page("pages/zones_blanches.py", {"minutes": "15"})
    assert len(colonne_de_liste(plus_court, "Commune", "nom")) == int(ligne["Zones blanches"].replace("\u00a0", ""))
