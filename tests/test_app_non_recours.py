"""Page « Non-recours »: demonstration label, funnel, maps, and the secret rule everywhere."""

import html
import json
import logging
import re
import shutil

import pandas as pd
import pytest

from atlas.formatting import espaces_insecables
from atlas.non_recours import ETAPES, MASQUE, SEUIL_COMPTE
from tests.apptest_helpers import app_for, cartes, chiffres_cles, graphiques_html, ouvrir_tableaux, run_page
from tests.conftest import FIXTURES

COUNT_COLUMNS = ["contacts", "bilans", "non_recours", "orientations", "droits_ouverts"]


def _count(value) -> int | None:
    """A count as shown (« 1 234 », 12, « < 5 », missing) as a number, None when not shown."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value == MASQUE:
        return None
    return int(str(value).replace("\u00a0", "").replace(" ", ""))


def _no_small_count(frame: pd.DataFrame) -> list:
    """Values of count columns that reveal fewer than 5 households."""
    bad = []
    for col in COUNT_COLUMNS:
        if col in frame:
            bad += [v for v in frame[col] if (n := _count(v)) is not None and n < SEUIL_COMPTE]
    return bad


def _textes_graphiques(app) -> list[str]:
    """Every count written in the page's HTML charts and canal table: after the bars, on hover, in cells."""
    textes = []
    for corps in graphiques_html(app):
        # after a bar: « 1 234 · 36 % » (its share after the dot), « &lt; 5 »
        ecrits = re.findall(r"<span class='(?:valeur|absente)'>([^<]*)</span>", corps)
        textes += [html.unescape(t).split(" · ")[0] for t in ecrits]
        # a month's hover: « contacts 88, bilans 36, non-recours détecté &lt; 5 »
        textes += [html.unescape(t) for t in re.findall(r"(?:contacts|bilans|non-recours détecté) ([^,;']+)", corps)]
        # the canal table: contacts, bilans and non-recours (its rates are not counts)
        for ligne in re.findall(r"<tr>(.*?)</tr>", corps.split("<tbody>")[-1]):
            cellules = [html.unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", ligne)]
            assert len(cellules) == 6, ligne
            textes += [cellules[1], cellules[2], cellules[4]]
    return textes


def _image(app, cle: str) -> dict:
    """The plotly figure of a chart's slide (the image of the PNG), added by its button."""
    from atlas import diaporama

    # the export rows are drawn once the reader asks for them
    app.toggle(key="exports_visibles_nr").set_value(True).run()
    app.button(key=f"diaporama_{cle}").click().run()
    assert not app.exception
    return json.loads(app.session_state[diaporama.CLE_SESSION][-1].figure)


def test_demonstration_data_are_labelled_and_the_funnel_is_shown(app_env):
    app = run_page("pages/non_recours.py")
    assert any("Données de démonstration" in w.value for w in app.warning)
    assert chiffres_cles(app)[0]["libelle"] == "Taux de non-recours détecté"
    assert any("pas un taux de la population" in c.value for c in app.caption)
    funnel = graphiques_html(app)[0]
    assert all(html.escape(etape, quote=True) in funnel for etape in ETAPES.values())
    assert funnel.count("<div class='ligne'>") == 5


def test_no_table_and_no_funnel_text_reveals_fewer_than_5_households(app_env):
    app = run_page("pages/non_recours.py")
    # a small structure and a short period make small counts likely
    app.multiselect(key="structures").select(app.multiselect(key="structures").options[0]).run()
    ouvrir_tableaux(app)
    assert len(app.dataframe) == 4
    for table in app.dataframe:
        assert _no_small_count(table.value) == []
    textes = _textes_graphiques(app)
    assert MASQUE in textes  # one structure: some counts are masked, and said so
    for text in textes:
        digits = str(text).replace("\u00a0", "").strip()
        assert not (digits.isdigit() and int(digits) < SEUIL_COMPTE), text


def test_map_hover_never_shows_a_small_count(app_env):
    app = run_page("pages/non_recours.py")
    # the rate map, the estimated non-recours and the households met
    assert len(cartes(app)) == 3
    for carte in cartes(app):
        for ligne in carte["survol"]:
            for cell in ligne:
                # whole numbers (« 1 234 » has a no-break space), not a rate (« 83,5 % », « 0 % »)
                for nombre in re.findall(r"(?<![\d,])\d{1,3}(?:\u00a0\d{3})*(?![\d,]|\u00a0%)", str(cell)):
                    assert int(nombre.replace("\u00a0", "")) >= SEUIL_COMPTE, cell


def test_filtering_by_canal_changes_the_funnel(app_env):
    app = run_page("pages/non_recours.py")
    before = graphiques_html(app)[0]
    app.multiselect(key="canaux").select("telephone").run()
    assert not app.exception
    assert graphiques_html(app)[0] != before


@pytest.fixture
def db_400(built_db, tmp_path, monkeypatch):
    """A database where the 400-contact fixture replaced the demonstration visits."""
    from etl.visits import import_visits

    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    import_visits(db, FIXTURES / "visites" / "quatre_cents_contacts.csv", log=lambda _line: None)
    monkeypatch.setenv("ATLAS_DB", str(db))
    return db


def test_400_contacts_with_90_bilans_and_79_in_non_recours_show_88_percent(db_400):
    app = run_page("pages/non_recours.py")
    assert chiffres_cles(app)[0]["valeur"] == "88\u00a0%"
    assert not any("Données de démonstration" in w.value for w in app.warning)


def test_map_legend_says_no_visit_and_fewer_than_10_bilans(app_env):
    app = run_page("pages/non_recours.py")
    legende = [e["libelle"] for e in cartes(app)[0]["legende"]]
    assert "Aucune visite" in legende
    assert "Secret statistique" not in legende


def test_csv_exports_of_visit_tables_never_reveal_fewer_than_5_households(app_env):
    import io

    from atlas import non_recours as nr
    from atlas import queries
    from atlas.exports import csv_fr
    from atlas.non_recours_secret import tableau_protege

    app = run_page("pages/non_recours.py")  # opens the database in this process
    assert not app.exception
    for echelon in ("commune", "epci"):
        for structure in [None, *nr.resume()["structures"]]:
            filtres = nr.Filtres(structures=(structure,) if structure else ())
            table = tableau_protege(echelon, filtres, queries.territoires(echelon)).export
            exported = pd.read_csv(io.StringIO(csv_fr(table).decode("utf-8-sig")), sep=";", comment="#", dtype=str)
            assert _no_small_count(exported) == [], (echelon, structure)
            assert (exported["contacts"] == MASQUE).any() or (table["contacts"] != MASQUE).all()
            # a rate with its decimals (16,666666666666668 beside 12 bilans) gives a masked count back
            taux = exported["taux_non_recours_pct"].dropna()
            assert taux.str.fullmatch(r"\d+(,0)?").all(), taux.tolist()


def test_the_monthly_chart_names_its_months_in_french(app_env):
    # plotly's own date labels are English (« Jan 2024 », « Oct 2024 »), in the page and its image
    courts = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}
    app = run_page("pages/non_recours.py")
    ecran = next(g for g in graphiques_html(app) if "<figure class='atlas-graphique atlas-courbes" in g)
    reperes = re.findall(r"<span style='left: [\d.]+%'>([^<]+)</span>", ecran.split("class='reperes")[1])
    assert reperes and all(t.split()[0] in courts for t in reperes)
    assert not re.search(r"20\d\d-\d\d", ecran)  # no ISO month, on screen nor read aloud
    mensuel = _image(app, "par_mois")
    textes = mensuel["layout"]["xaxis"]["ticktext"]
    assert textes and all(t.split()[0] in courts for t in textes)
    assert mensuel["data"][0]["hovertemplate"].startswith("%{customdata} : ")
    assert all(" 20" in mois for mois in mensuel["data"][0]["customdata"])  # « janvier 2024 »


def test_the_monthly_chart_counts_from_zero(app_env):
    # an axis starting at the lowest month would show a dip of a few households as a collapse
    app = run_page("pages/non_recours.py")
    ecran = next(g for g in graphiques_html(app) if "<figure class='atlas-graphique atlas-courbes" in g)
    assert "<span style='bottom: 0.00%'>0</span>" in ecran
    assert _image(app, "par_mois")["layout"]["yaxis"]["rangemode"] == "tozero"


class _Journal(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_rendering_the_page_logs_no_arrow_conversion_traceback(app_env):
    # a column mixing numbers and « < 5 » made Streamlit log a traceback on every render
    journal = _Journal()
    logger = logging.getLogger("streamlit.dataframe_util")
    niveau = logger.level
    logger.addHandler(journal)
    logger.setLevel(logging.DEBUG)
    try:
        app = ouvrir_tableaux(run_page("pages/non_recours.py"))  # the grids are built once opened
        app.multiselect(key="structures").select(app.multiselect(key="structures").options[0]).run()
        app.radio(key="echelon_nr").set_value("epci").run()
        assert not app.exception
    finally:
        logger.removeHandler(journal)
        logger.setLevel(niveau)
    assert not [m for m in journal.messages if "Arrow" in m], journal.messages


def test_the_rate_map_is_drawn_by_the_light_component_and_its_slide_keeps_the_same_legend(app_env):
    from plotly.io import from_json

    from atlas import diaporama

    app = run_page("pages/non_recours.py")
    # one canal: some communes have visits but fewer than 10 bilans
    app.multiselect(key="canaux").select("porte_a_porte").run()
    (carte,) = [c for c in cartes(app) if c["titre"].startswith("Taux de non-recours détecté")]
    assert len(carte["codes"]) == 1228  # every commune: a class, « Moins de 10 bilans » or « Aucune visite »
    ecran = {e["libelle"] for e in carte["legende"]}
    assert {"Moins de 10 bilans (non diffusé)", "Aucune visite"} <= ecran
    app.toggle(key="exports_visibles_nr").set_value(True).run()
    app.button(key="diaporama_carte_nr").click().run()
    assert not app.exception
    (vue,) = app.session_state[diaporama.CLE_SESSION]
    image = {t.name for t in from_json(vue.figure).data if t.showlegend is not False}
    assert ecran == image


def test_a_period_chosen_in_the_wrong_order_is_read_from_its_first_to_its_last_month(app_env):
    app = run_page("pages/non_recours.py")
    premier, dernier = app.selectbox(key="periode_debut").value, app.selectbox(key="periode_fin").value
    assert premier < dernier

    def legende() -> str:
        return next(c.value for c in app.caption if c.value.startswith("Nombre de ménages à chaque étape"))

    dans_l_ordre = legende()
    app.selectbox(key="periode_debut").set_value(dernier)
    app.selectbox(key="periode_fin").set_value(premier).run()
    assert not app.exception
    assert legende() == dans_l_ordre


def test_the_first_screen_says_the_secret_rule_in_one_sentence_and_the_page_gives_it_in_full(app_env):
    from atlas import non_recours as nr

    app = run_page("pages/non_recours.py")
    captions = [c.value for c in app.caption]
    (pres_du_taux,) = [c for c in captions if espaces_insecables(nr.DEFINITION_TAUX) in c]
    assert espaces_insecables(nr.REGLE_SECRET_COURTE) in pres_du_taux
    assert espaces_insecables(nr.REGLE_SECRET) not in pres_du_taux
    assert [c for c in captions if c.startswith("Source\u00a0: ") and espaces_insecables(nr.REGLE_SECRET) in c]


# an ordinary space before « ; : ! ? » % » or after « « »: where the browser may start a line with the mark
ESPACE_QUI_COUPE = re.compile(r"\S[ \t]+(?:[;:!?](?:\s|$)|[»%])|«[ \t]")


@pytest.mark.parametrize("presentation", [False, True], ids=["page", "presentation"])
def test_no_caption_notice_or_chart_title_lets_french_punctuation_start_a_line(app_env, presentation):
    # at 1280 × 720 the funnel's caption had a line starting « ; part : … » and the estimate's
    # method one starting « % des foyers éligibles »
    from atlas.presentation import CLE

    app = app_for("pages/non_recours.py")
    app.session_state[CLE] = presentation
    app.run()
    assert not app.exception
    textes = [e.value for famille in (app.caption, app.warning, app.info, app.markdown) for e in famille]
    textes += [
        html.unescape(t)
        for corps in graphiques_html(app)
        for t in re.findall(r"<p class='atlas-intitule'>(.*?)</p>", corps)
    ]
    assert [t for t in textes if ESPACE_QUI_COUPE.search(t)] == []


def test_the_footer_names_the_demonstration_visits_first_and_the_estimate_with_its_national_rates(app_env):
    # the footer listed only the CNAF files and the geography: neither the visits (demonstration)
    # nor the estimate of the potential non-recours and its DREES rates were among the sources
    app = run_page("pages/non_recours.py")
    (pied,) = [c.value for c in app.caption if "Base construite le" in c.value]
    assert pied.startswith("**Données de démonstration**") and "Visites d'aller vers" in pied.split("**Sources**")[0]
    assert "Non-recours potentiel estimé par l'atlas" in pied.split("**Sources**")[1]
