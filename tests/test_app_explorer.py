"""Page « Explorer les indicateurs »: smoke, widgets, URL state, secret cells, exports."""

import pytest

from tests.apptest_helpers import cartes, codes_par_libelle, ouvrir_tableaux, run_page


@pytest.fixture
def app(app_env):
    return ouvrir_tableaux(run_page("pages/explorer.py"))


@pytest.fixture
def communes(app_env):
    """The explorer on the commune level (the default view is the EPCI one)."""
    return ouvrir_tableaux(run_page("pages/explorer.py", {"niveau": "commune"}))


def _legend(app):
    return [entree["libelle"] for entree in cartes(app)[0]["legende"]]


def test_explorer_opens_on_the_published_poverty_rate_of_every_epci(app):
    assert app.selectbox(key="indicateur").value == "taux_pauvrete"
    assert app.button_group(key="niveau").value == "epci"
    table = app.dataframe[0].value
    assert len(table) == 71 and (table["statut_libelle"] == "Disponible").all()
    assert "Secret statistique" not in _legend(app)
    assert dict(app.query_params)["indicateur"] == ["taux_pauvrete"] or app.query_params["indicateur"] in (
        "taux_pauvrete",
        ["taux_pauvrete"],
    )


def test_secret_communes_are_drawn_as_secret_never_as_a_class(communes):
    app = communes
    app.toggle(key="estimations").set_value(False)
    ouvrir_tableaux(app)  # runs the page, its grid's block open again
    secret = codes_par_libelle(cartes(app)[0])["Secret statistique"]
    table = app.dataframe[0].value
    secret_codes = set(table.loc[table["statut_libelle"] == "Secret statistique", "code"])
    assert secret == secret_codes
    assert table.loc[table["statut_libelle"] == "Secret statistique", "valeur"].isna().all()


def test_angers_poverty_rate_is_21_percent_and_ranked(communes):
    table = communes.dataframe[0].value.set_index("code")
    assert table.at["49007", "valeur"] == pytest.approx(21.0)
    assert table.at["49007", "rang"] >= 1


def test_the_value_in_the_map_bubble_names_its_millesime(communes):
    carte = cartes(communes)[0]
    angers = carte["survol"][carte["codes"].index("49007")]
    assert angers[1].startswith("Taux de pauvreté (seuil à 60 %) 2021 : ")


def test_gaps_to_the_departement_and_region_come_from_their_own_millesime(communes):
    table = communes.dataframe[0].value.set_index("code")
    # Angers 21,0 % (2021) against Maine-et-Loire 11,1 % and the region 10,5 % (2020)
    assert table.at["49007", "ecart_departement"] == "+9,9\u00a0pts"
    assert table.at["49007", "ecart_region"] == "+10,5\u00a0pts"
    assert table["ecart_departement"].notna().all()  # no value: a dash, not None
    assert any("départements 2020" in c.value for c in communes.caption)


def test_estimates_are_outlined_in_black_with_their_own_legend_entry(communes):
    from atlas.maps import LIBELLE_ESTIMATION

    carte = cartes(communes)[0]
    assert LIBELLE_ESTIMATION in _legend(communes)
    table = communes.dataframe[0].value
    estimees = table[table["statut_libelle"] == "Estimation de l'atlas"]
    assert len(estimees) > 900
    assert estimees["intervalle"].str.contains(" à ").all()
    assert estimees["rang"].isna().all()  # an estimate is never ranked among INSEE's figures
    assert carte["styles"]["estimation"] == "#1a1a1a"
    outlined = {code for code, estime in zip(carte["codes"], carte["estimes"], strict=True) if estime}
    assert outlined == set(estimees["code"])


def test_switching_estimates_off_shows_insee_secret_again_and_stays_in_the_url(communes):
    app = communes
    app.toggle(key="estimations").set_value(False)
    ouvrir_tableaux(app)  # runs the page, its grid's block open again
    table = app.dataframe[0].value
    assert not (table["statut_libelle"] == "Estimation de l'atlas").any()
    assert (table["statut_libelle"] == "Secret statistique").sum() > 900
    assert app.query_params["estimations"] in ("0", ["0"])


def test_changing_level_redraws_the_map_for_epci(app):
    app.selectbox(key="indicateur").select("mediane_niveau_vie").run()
    app.button_group(key="niveau").set_value("epci").run()
    assert not app.exception
    carte = cartes(app)[0]
    assert len(carte["codes"]) == 71 and "/epci-" in carte["url"]
    assert app.button_group(key="millesime").value == "2021"


def test_changing_classification_changes_the_legend(app):
    app.button_group(key="classes").set_value(3).run()
    three = [n for n in _legend(app) if "à" in n]
    app.button_group(key="methode").select("egales").run()
    app.button_group(key="classes").set_value(6).run()
    six = [n for n in _legend(app) if "à" in n]
    assert len(three) == 3 and len(six) == 6


def test_url_parameters_reopen_the_same_view(app_env):
    from streamlit.testing.v1 import AppTest

    from commun.config import ROOT

    app = AppTest.from_file(str(ROOT / "pages" / "explorer.py"), default_timeout=60)
    app.query_params.update(
        {"indicateur": "mediane_niveau_vie", "niveau": "epci", "methode": "jenks", "classes": "4", "code": "244900015"}
    )
    app.run()
    assert not app.exception
    assert app.selectbox(key="indicateur").value == "mediane_niveau_vie"
    assert app.button_group(key="niveau").value == "epci"
    assert app.button_group(key="methode").value == "jenks"
    assert app.button_group(key="classes").value == 4
    assert app.selectbox(key="territoire").value == "244900015"
    assert "Angers Loire Métropole" in app.info[0].value


def test_choosing_a_territory_shows_its_value_rank_and_gaps(communes):
    app = communes
    app.selectbox(key="territoire").select("49007").run()
    text = app.info[0].value
    # 295: Essarts-en-Bocage's 2021 rate covers the territory it had before L'Oie and
    # Sainte-Florence were rétablies, so it is not ranked (test_communes_nouvelles.py)
    assert "Angers" in text and "21,0\u00a0%" in text and "sur 295 communes" in text


def test_qpv_contours_can_be_drawn_over_the_map_and_stay_in_the_url(app):
    app.toggle(key="qpv").set_value(True).run()
    assert not app.exception
    assert "Quartiers prioritaires 2024 (contours)" in _legend(app)
    assert app.query_params["qpv"] in ("1", ["1"])


def test_export_title_and_legend_name_the_unit_once_when_the_label_already_holds_it(app):
    from atlas import diaporama

    app.button(key="diaporama_carte_explorer").click().run()
    assert not app.exception
    (vue,) = diaporama.vues(app.session_state)
    assert vue.titre.startswith("Taux de pauvreté (seuil à 60 %) — ") and "(%)" not in vue.titre
    legende = cartes(app)[0]["titre"]
    assert "(%)" not in legende and "60 %" in legende
    # an indicator whose label gives no unit still gets it
    app.selectbox(key="indicateur").select("mediane_niveau_vie").run()
    app.button(key="diaporama_carte_explorer").click().run()
    assert diaporama.vues(app.session_state)[-1].titre.split(" — ")[0].endswith("(€)")


def test_a_missing_value_says_why_in_the_hover_and_the_table(app_env):
    # a DPE share on fewer than 20 DPE is not published: the explorer says so (qualite_valeurs)
    app = ouvrir_tableaux(run_page("pages/explorer.py", {"indicateur": "dpe_part_passoires", "niveau": "commune"}))
    table = app.dataframe[0].value
    notes = table.loc[table["statut_libelle"] == "Non disponible", "note"]
    assert notes.str.contains("moins de 20 DPE").any()
