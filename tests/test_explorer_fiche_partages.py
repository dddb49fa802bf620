"""Explorer and Fiche territoire: a view is computed once per database and shared by every visitor.

Twenty people opening the atlas together must not make the server prepare the same values,
classes, tables and charts twenty times: the second session reads what the first computed. A
database swapped in by the ETL (a new stamp) is read afresh, never served the previous figures.
"""

from __future__ import annotations

import base64
import os
import shutil

import duckdb
import numpy as np
import plotly.basedatatypes
import pytest

from atlas.ui import cle_tableau
from tests.apptest_helpers import cartes, compter_appels, ouvrir_tableaux, plotly_figures, run_page, tableaux_html


def _vider_caches() -> None:
    from atlas import explorer_vues, fiche_vues

    for cache in (
        explorer_vues._catalogue_carte,
        explorer_vues.vue_niveau,
        explorer_vues._donnees_carte,
        fiche_vues.vue,
        fiche_vues.comparables,
        fiche_vues._donnees_situation,
    ):
        cache.clear()


def test_a_second_visitor_of_the_explorer_gets_the_first_ones_map_and_table(app_env, monkeypatch):
    from atlas import explorer
    from atlas.composants import carte

    _vider_caches()
    preparations = compter_appels(monkeypatch, explorer, "preparer")
    cartes_faites = compter_appels(monkeypatch, carte, "donnees_classes")
    exports = compter_appels(monkeypatch, explorer, "tableau_export")
    premiere = ouvrir_tableaux(run_page("pages/explorer.py"))
    assert (len(preparations), len(cartes_faites), len(exports)) == (1, 1, 1)
    seconde = ouvrir_tableaux(run_page("pages/explorer.py"))  # another session, same default view
    assert (len(preparations), len(cartes_faites), len(exports)) == (1, 1, 1)
    # both visitors see the same map and table
    assert cartes(premiere) == cartes(seconde)
    assert premiere.dataframe[0].value.equals(seconde.dataframe[0].value)


def test_the_explorer_reads_the_catalogue_once_per_database_not_once_per_indicator(app_env, monkeypatch):
    from atlas import indicateurs

    _vider_caches()
    lectures = compter_appels(monkeypatch, indicateurs, "catalogue")
    run_page("pages/explorer.py")
    premiere = len(lectures)
    run_page("pages/explorer.py")
    # the page asked the catalogue for every indicator's levels: some 80 copies per run
    assert premiere <= 3
    assert len(lectures) - premiere <= 3


def test_a_second_visitor_of_the_fiche_gets_the_first_ones_tables_charts_and_map(app_env, monkeypatch):
    from atlas import fiche_figures, fiche_series, fiche_tableaux

    _vider_caches()
    appels = {
        nom: compter_appels(monkeypatch, module, nom)
        for module, nom in (
            (fiche_tableaux, "tableaux_profil"),
            (fiche_figures, "figure_comparaison"),
            (fiche_series, "figure_series"),
            (fiche_figures, "donnees_situation"),
        )
    }
    premiere = run_page("pages/fiche_territoire.py")
    faits = {nom: len(a) for nom, a in appels.items()}
    assert all(faits.values()), faits
    # plotly turns a figure into its dict (deep copy, arrays in base64) whenever Streamlit sends it:
    # a shared figure did it once, when it was built
    conversions = compter_appels(monkeypatch, plotly.basedatatypes, "convert_to_base64")
    seconde = run_page("pages/fiche_territoire.py")  # another session, same default fiche
    assert {nom: len(a) for nom, a in appels.items()} == faits
    assert conversions == []
    assert plotly_figures(premiere) == plotly_figures(seconde)
    assert cartes(premiere) == cartes(seconde)
    assert [t.to_dict() for t in tableaux_html(premiere)] == [t.to_dict() for t in tableaux_html(seconde)]


@pytest.fixture
def db(built_db, tmp_path, monkeypatch):
    path = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, path)
    monkeypatch.setenv("ATLAS_DB", str(path))
    monkeypatch.setenv("ATLAS_REGION", "52")
    return path


def _swap_with_rate(db, tmp_path, code: str, valeur: float) -> None:
    """Swap in (``os.replace``, as the ETL does) a copy where EPCI ``code`` has this poverty rate."""
    new = tmp_path / "new.duckdb"
    shutil.copyfile(db, new)
    con = duckdb.connect(str(new))
    con.execute(
        "update valeurs set valeur = ? where indicateur = 'taux_pauvrete' and niveau = 'epci' and code = ? "
        "and statut = 'ok'",
        [valeur, code],
    )
    con.execute("checkpoint")
    con.close()
    os.replace(new, db)


def _taux_de_la_fiche(app) -> list[float]:
    """The territory's bar values of the fiche's poverty comparison chart (plotly may send them as typed arrays)."""
    # the chart is drawn once its block and its tab are opened
    app.session_state[cle_tableau("Revenus et pauvreté", "fiche_volet")] = True
    app.session_state["fiche_onglets_Revenus et pauvreté"] = "Comparaison"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    valeurs = []
    for figure in plotly_figures(app):
        x = figure["data"][0].get("x", [])
        if figure["data"][0]["type"] != "bar":
            continue
        if isinstance(x, dict):
            x = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
        valeurs += [round(v, 3) for v in x if v is not None and v == v]
    return valeurs


def test_a_rebuilt_database_shows_its_own_values_in_the_explorer_and_the_fiche(db, tmp_path):
    _vider_caches()
    avant = ouvrir_tableaux(run_page("pages/explorer.py"))
    tableau = avant.dataframe[0].value
    code = tableau["code"].iloc[0]
    assert tableau["valeur"].max() < 90
    fiche_avant = run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": code})
    assert 97.5 not in _taux_de_la_fiche(fiche_avant)

    _swap_with_rate(db, tmp_path, code, 97.5)

    apres = ouvrir_tableaux(run_page("pages/explorer.py"))
    tableau = apres.dataframe[0].value
    assert tableau.loc[tableau["code"] == code, "valeur"].tolist() == [97.5]
    carte = cartes(apres)[0]
    survol = carte["survol"][carte["codes"].index(code)]
    assert any("97,5" in ligne for ligne in survol)
    fiche_apres = ouvrir_tableaux(run_page("pages/fiche_territoire.py", {"niveau": "epci", "code": code}))
    profils = [t for t in tableaux_html(fiche_apres) if "Valeur" in t]  # not the comparables table
    assert any("97,5" in str(v) for t in profils for v in t["Valeur"])
    assert 97.5 in _taux_de_la_fiche(fiche_apres)
