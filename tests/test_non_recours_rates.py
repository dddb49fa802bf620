"""National non-recours rates: each with its exact publication and scope, shown and exported."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import run_page

PUBLICATIONS = {
    "RSA": "DREES, Les Dossiers de la DREES n° 92, février 2022",
    "CSS": "DREES, 13 décembre 2022",
    "PA": "Rapport d'évaluation de la prime d'activité, 2017",
    "ASPA": "DREES, Les Dossiers de la DREES n° 97, 2022",
}


@pytest.fixture
def db(built_con):
    return built_con


def test_each_rate_names_its_publication_and_what_it_measures(db):
    rows = {
        r[0]: r[1:]
        for r in db.execute(
            "select droit, publication, mesure, annee, taux_publie, source from taux_non_recours_national"
        ).fetchall()
    }
    for droit, publication in PUBLICATIONS.items():
        assert rows[droit][0] == publication
        assert publication in rows[droit][4]  # the one-line citation carries it
    assert rows["RSA"][1:4] == ("part des foyers éligibles au RSA qui ne le perçoivent pas", 2018, "34 %")
    css = rows["CSS"]
    assert "non contributive" not in css[1] + css[4]
    assert "31 %" in css[1] and "67 %" in css[1] and css[2] == 2021
    assert "DREES" not in rows["PA"][0] and rows["PA"][2] == 2016
    assert rows["CHEQUE_ENERGIE"][0].startswith("chiffres du ministère") and rows["CHEQUE_ENERGIE"][3] == "≈ 19 à 25 %"


def test_prime_activite_estimate_stops_at_cnaf_2018_and_rsa_goes_on(db):
    derniers = dict(
        db.execute(
            "select indicateur, max(millesime) from valeurs where indicateur like '%nr_potentiel%' group by indicateur"
        ).fetchall()
    )
    assert derniers["nr_potentiel_rsa"] == "2020"
    for code in ("nr_potentiel_prime_activite", "nr_potentiel_rsa_pa", "taux_nr_potentiel_prime_activite"):
        assert derniers[code] == "2018", code
    description = db.execute(
        "select description from indicateurs where code = 'nr_potentiel_prime_activite'"
    ).fetchone()[0]
    assert "réforme de 2019" in description and PUBLICATIONS["PA"] in description


def test_export_source_of_the_estimate_cites_the_publications(app_env):
    from atlas import non_recours as nr

    source = nr.source_potentiel(nr.non_recours_potentiel())
    assert PUBLICATIONS["RSA"] in source and PUBLICATIONS["PA"] in source
    assert "DREES (" not in source  # not « taux DREES (RSA 34 %, PA 27 %) » any more


def test_source_of_the_estimate_indicators_cites_the_publications(db):
    libelle = db.execute("select libelle from sources where source = 'estimation_non_recours'").fetchone()[0]
    assert "Les Dossiers de la DREES n° 92, février 2022" in libelle
    assert PUBLICATIONS["PA"] in libelle


def test_data_page_lists_every_rate_with_its_publication(app_env):
    app = run_page("pages/donnees.py")
    # a static table (its long publications wrap), texts escaped for Markdown
    taux = next(t.value for t in app.table if "Publication" in t.value.columns)
    assert sorted(p.replace("\\", "") for p in taux["Publication"]) == sorted(
        [*PUBLICATIONS.values(), "chiffres du ministère chargé de l'énergie (pas la DREES)"]
    )


def test_the_methods_page_says_where_a_rate_stops_with_the_years_of_the_database():
    import pandas as pd

    from atlas.indicateurs import limites_des_taux

    taux = pd.DataFrame(
        {
            "libelle": ["Prime d'activité", "RSA"],
            "mesure": ["avant une réforme", "foyers éligibles"],
            "annee": [2019.0, float("nan")],
            "dernier_millesime_applicable": [2021.0, float("nan")],
        }
    )
    # the next update of taux_non_recours_national changes the sentence, not a page's literal
    assert limites_des_taux(taux) == (
        "Prime d'activité : taux mesuré sur les données 2019 (avant une réforme) ; "
        "l'estimation s'arrête aux allocataires CNAF de 2021."
    )
    assert limites_des_taux(taux.iloc[1:]) == ""


def test_data_page_states_the_prime_activite_limit_of_the_database(app_env):
    app = run_page("pages/donnees.py")
    texte = " ".join(m.value for m in app.markdown).replace("\xa0", " ")  # French no-break spaces
    assert "Prime d'activité : taux mesuré sur les données 2016" in texte
    assert "l'estimation s'arrête aux allocataires CNAF de 2018." in texte
