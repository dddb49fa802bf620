"""Mobilité and Zones blanches state the method and the dates of the data loaded, not the ones of the last release."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.apptest_helpers import run_page


@pytest.fixture
def db(built_db, tmp_path, monkeypatch):
    """A copy of the session database where a newer France services list and census were loaded."""
    path = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, path)
    con = duckdb.connect(str(path))
    con.execute(
        "update sources set millesime = '01/03/2026', libelle = replace(libelle, '01/08/2024', '01/03/2026') "
        "where source = 'anct_france_services'"
    )
    con.execute("update valeurs set millesime = '2022' where indicateur = 'part_menages_sans_voiture'")
    con.execute(
        "update valeurs set millesime = '2023' where indicateur in ('taux_pauvrete', 'mediane_niveau_vie') and millesime = '2021'"
    )
    con.execute("checkpoint")
    con.close()
    monkeypatch.setenv("ATLAS_DB", str(path))
    monkeypatch.setenv("ATLAS_REGION", "52")
    return path


def test_the_travel_time_method_is_the_shared_one_the_etl_computes_with(monkeypatch):
    from atlas import mobilite
    from commun import methode

    assert mobilite.methode_temps() == f"vol d'oiseau × {methode.DETOUR_FACTOR:g} à {methode.SPEED_KMH:g} km/h".replace(
        ".", ","
    )
    monkeypatch.setattr(methode, "DETOUR_FACTOR", 1.25)
    monkeypatch.setattr(methode, "SPEED_KMH", 50.0)
    assert mobilite.facteur_et_vitesse() == "× 1,25 à 50 km/h"


def test_captions_and_exports_follow_a_new_france_services_list_and_census(db):
    from atlas import mobilite
    from atlas import zones_blanches_vues as vues

    assert "France services au 01/03/2026" in mobilite.methode(mobilite.communes_insulaires())
    assert "recensement INSEE 2022" in mobilite.methode(mobilite.communes_insulaires())
    assert mobilite.source_carte("croisement").startswith("ANCT, France services au 01/03/2026")
    assert "INSEE, recensement 2022" in mobilite.source_carte("voiture")
    assert mobilite.legende_source("temps") == "ANCT 01/03/2026"
    assert mobilite.entete_eloignees(20)[1] == (
        "Sources : ANCT France services 01/03/2026 ; INSEE RP 2022 (dérivé) ; INSEE Filosofi 2023 ; "
        "ANCT typologie des ruralités"
    )
    ind = {"source_libelle": "Filosofi", "producteur": "INSEE", "millesime": "2023"}
    assert "ANCT, France services au 01/03/2026" in vues.source_carte(ind)


def test_the_mobilite_page_states_the_dates_of_the_loaded_data(db):
    app = run_page("pages/mobilite.py")
    textes = " ".join(c.value for c in app.caption)
    assert "France services au 01/03/2026" in textes and "01/08/2024" not in textes
    assert "recensement INSEE 2022" in textes
