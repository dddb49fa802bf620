"""Non-recours draws its charts in HTML (no plotly.js) and its tables only once the reader opens them."""

from __future__ import annotations

import html
import re

import pandas as pd

from atlas import non_recours_figures as figures
from atlas.non_recours_secret import COLONNES_COMPTES, Protege
from commun import secret
from tests.apptest_helpers import app_for, graphiques_html, ouvrir_tableaux, run_page

PAGE = "pages/non_recours.py"


def _protege(lignes: list[dict], comptes=COLONNES_COMPTES) -> Protege:
    brut = pd.DataFrame(lignes)
    return Protege(brut, secret.masque_primaire(brut, comptes), list(comptes))


def _ecrits(corps: str) -> list[str]:
    """The texts written after the bars (« 1 234 · 36 % », « < 5 »), top to bottom."""
    return [html.unescape(t) for t in re.findall(r"<span class='(?:valeur|absente)'>([^<]*)</span>", corps)]


def test_the_page_loads_no_plotly_chart_and_builds_its_tables_only_once_opened(app_env):
    app = run_page(PAGE)
    assert list(app.get("plotly_chart")) == []
    assert list(app.dataframe) == []  # territories, « par droit », months, both maps: all closed
    funnel, droits, canaux, mois = graphiques_html(app)
    assert "<figure class='atlas-graphique atlas-hbarres'" in funnel and "Bilans de droits réalisés" in funnel
    assert "<figure class='atlas-graphique atlas-hbarres'" in droits and "Prime d&#x27;activité" in droits
    assert "<figure class='atlas-graphique atlas-courbes'" in mois
    assert "<table class='atlas-tableau'>" in canaux and "Porte-à-porte" in canaux
    ouvrir_tableaux(app)
    tables = [t.value for t in app.dataframe]
    assert len(tables) == 4
    assert any(len(t) > 0 and "potentiel" in t.columns for t in tables)
    # the CSV of the territories needs no grid: it was there before the table was opened
    assert any(b.proto.label == "Télécharger le tableau (CSV)" for b in run_page(PAGE).get("download_button"))


def test_the_funnel_writes_each_count_and_its_share_of_households_met_and_masks_small_counts():
    comptes = _protege([{"contacts": 40, "bilans": 12, "non_recours": 3, "orientations": 7, "droits_ouverts": 0}])
    corps = figures.entonnoir_html(comptes)
    assert _ecrits(corps) == ["40", "12 · 30\u00a0%", "< 5", "7 · 18\u00a0%", "< 5"]
    # a masked stage has no bar; the others are as long as their count
    assert corps.count("class='barre'") == 3
    assert "* 0.3000)" in corps and "* 0.1750)" in corps
    assert "title='Bilans de droits réalisés : 12 ménages, soit 30\u00a0% des ménages rencontrés'" in corps
    assert "Ménages en non-recours détecté : &lt; 5" in corps  # read aloud
    assert "role='img'" in corps


def test_a_share_on_fewer_than_10_households_met_is_not_written():
    comptes = _protege([{"contacts": 9, "bilans": 6, "non_recours": 5, "orientations": 5, "droits_ouverts": 5}])
    assert _ecrits(figures.entonnoir_html(comptes)) == ["9", "6", "5", "5", "5"]


def test_the_monthly_chart_names_its_months_in_french_from_zero_and_says_masked_months():
    mois = _protege(
        [
            {"cle": "2024-01", "contacts": 1234, "bilans": 40, "non_recours": 3},
            {"cle": "2024-02", "contacts": 60, "bilans": 20, "non_recours": 10},
        ],
        ["contacts", "bilans", "non_recours"],
    )
    corps = figures.mois_html(mois)
    assert "2024-01" not in corps
    assert ">janv. 2024<" in corps and ">févr. 2024<" in corps
    assert "title='janvier 2024 : contacts 1\u00a0234, bilans 40, non-recours détecté &lt; 5'" in corps
    # value axis from zero, thousands separated, its title with its unit
    assert "<span style='bottom: 0.00%'>0</span>" in corps and ">1\u00a0250<" in corps
    assert "ménages par mois" in corps
    # the masked month has no point: two contacts, two bilans, one non-recours
    assert corps.count("class='point'") == 5


def test_the_benefit_bars_write_each_count_and_mask_small_ones():
    droits = _protege(
        [
            {"cle": "RSA", "non_recours": 458, "droits_ouverts": 0},
            {"cle": "AAH", "non_recours": 2, "droits_ouverts": 0},
        ],
        ["non_recours", "droits_ouverts"],
    )
    corps = figures.droits_html(droits)
    assert _ecrits(corps) == ["458", "< 5"]
    assert "title='AAH : &lt; 5 ménages en non-recours détecté'" in corps


def test_on_a_projector_the_charts_are_larger_and_the_slide_keeps_the_plotly_funnel(app_env):
    from plotly.io import from_json

    from atlas import diaporama
    from atlas.presentation import CLE

    app = app_for(PAGE)
    app.session_state[CLE] = True
    app.run()
    assert not app.exception
    projetes = graphiques_html(app)
    assert len(projetes) == 4 and all(" grand'" in g or "grand'>" in g for g in projetes)
    normal = run_page(PAGE)
    assert not any(" grand'" in g for g in graphiques_html(normal))
    normal.toggle(key="exports_visibles_nr").set_value(True).run()  # the export rows, drawn on request
    normal.button(key="diaporama_entonnoir").click().run()
    assert not normal.exception
    (vue,) = normal.session_state[diaporama.CLE_SESSION]
    assert [t.type for t in from_json(vue.figure).data] == ["funnel"]
