"""Non-recours and Précarité énergétique load light: no code highlighter, few small elements."""

import pytest

from tests.apptest_helpers import app_for, chiffres_cles, run_page

NON_RECOURS = "pages/non_recours.py"
PRECARITE = "pages/precarite_energetique.py"


def _textes(app) -> list[str]:
    return [e.value for famille in (app.markdown, app.caption, app.warning, app.info) for e in famille]


def _elements_avant_la_premiere_carte(app) -> list[str]:
    """Types of the main area's elements, in page order, up to the first map component."""
    types = []

    def parcourir(noeud) -> bool:
        for enfant in getattr(noeud, "children", {}).values():
            if getattr(enfant, "type", None) == "custom_component" or "carte" in str(getattr(enfant, "key", "")):
                return True
            if hasattr(enfant, "children") and enfant.children:
                if parcourir(enfant):
                    return True
            else:
                types.append(getattr(enfant, "type", "?"))
        return False

    parcourir(app.main)
    return types


def test_the_precarite_demonstration_notice_names_the_import_command_in_plain_text(app_env):
    # inline code would load the monospace font and the code chunk on the first screen
    app = run_page(PRECARITE)
    (avis,) = [w.value for w in app.warning if "démonstration" in w.value.lower()]
    assert "« python -m etl import-dpe »" in avis
    assert not [t for t in _textes(app) if "`" in t]


def test_non_recours_draws_few_text_elements_before_its_first_map(app_env):
    # each element is one more websocket message, and its own boxes for the browser to lay out
    app = run_page(NON_RECOURS)
    types = _elements_avant_la_premiere_carte(app)
    assert sum(t in ("markdown", "caption") for t in types) <= 2, types


def test_non_recours_draws_each_charts_bold_title_with_the_chart(app_env):
    app = run_page(NON_RECOURS)
    titres = ("Ménages en non-recours détecté, par droit", "Rendement des canaux", "Activité mensuelle")
    assert not [m.value for m in app.markdown if m.value.startswith("**") and m.value.strip("*").startswith(titres)]
    corps = " ".join(h.proto.body for h in app.main.get("html"))
    assert all(f"<strong>{t}</strong>" in corps for t in titres)


def test_precarite_in_presentation_mode_builds_no_download_it_would_hide(app_env, monkeypatch):
    # the projector's page hides downloads and the sidebar (atlas.presentation.CSS): building them cost the room
    monkeypatch.setattr("atlas.ui.lien_de_la_vue", lambda: "http://atlas.example/precarite_energetique")
    from atlas.presentation import CLE

    app = app_for(PRECARITE)
    app.session_state[CLE] = True
    app.run()
    assert not app.exception
    assert not [
        b for b in app.get("download_button") if "csv" in b.proto.label.lower() or "geojson" in b.proto.label.lower()
    ]
    assert not [h for h in app.sidebar.get("html") if "atlas-lien" in h.proto.body]
    assert app.get("html") and any("Données de démonstration" in w.value for w in app.warning)


def test_non_recours_in_presentation_mode_keeps_the_territories_table_but_builds_no_csv_button(app_env):
    from atlas.presentation import CLE

    app = app_for(NON_RECOURS)
    app.session_state[CLE] = True
    app.run()
    assert not app.exception
    assert not [b for b in app.get("download_button") if "csv" in b.proto.label.lower()]
    assert [e for e in app.expander if e.label == "Le tableau des territoires"]


def test_non_recours_chooses_its_period_without_a_range_slider(app_env):
    # a range slider's chunk brings moment.js and numbro (0,12 MB of script) to the first screen
    app = run_page(NON_RECOURS)
    assert not app.get("select_slider") and not app.get("slider")
    debut, fin = app.selectbox(key="periode_debut"), app.selectbox(key="periode_fin")
    assert debut.options == fin.options and (debut.index, fin.index) == (0, len(fin.options) - 1)


def _exports(app) -> tuple[list, list]:
    png = [b for b in app.get("download_button") if b.proto.label == "Télécharger l'image (PNG)"]
    diapo = [b for b in app.button if b.label == "Ajouter au diaporama"]
    return png, diapo


def test_non_recours_draws_its_export_rows_once_the_reader_asks(app_env):
    # six figures' PNG and slide buttons were 200 elements of the page, for the few readers who export
    app = run_page(NON_RECOURS)
    assert _exports(app) == ([], [])
    interrupteur = app.toggle(key="exports_visibles_nr")
    assert interrupteur.label == "Exporter les figures" and not interrupteur.value
    interrupteur.set_value(True).run()
    assert not app.exception
    png, diapo = _exports(app)
    assert len(png) == len(diapo) == 6


def test_non_recours_in_presentation_mode_builds_no_export_row_nor_its_switch(app_env):
    from atlas.presentation import CLE

    app = app_for(NON_RECOURS)
    app.session_state[CLE] = True
    app.session_state["exports_visibles_nr"] = True
    app.run()
    assert not app.exception
    assert not [t for t in app.toggle if t.key == "exports_visibles_nr"]
    assert _exports(app) == ([], [])


def test_presentation_mode_hides_button_groups_and_popovers_wherever_they_sit():
    # the button groups of Mobilité and Précarité were hidden only because they sat in a
    # « controles_ » row: one placed anywhere else would have stayed on the projector
    from atlas import presentation

    regle = next(ligne for ligne in presentation.CSS.splitlines() if ligne.startswith('[data-testid="stSelectbox"]'))
    assert regle.endswith("{display: none !important;}")
    for controle in ("stButtonGroup", "stPopover"):
        assert f'[data-testid="{controle}"]' in regle


@pytest.mark.parametrize("fichier", [NON_RECOURS, "dashboard.py", "pages/experimentations.py"])
def test_key_figures_are_light_html_not_st_metric(app_env, fichier):
    # st.metric's chunks (Metric, numbro, sprintf: 65 kB of script) for one figure on the first screen
    app = run_page(fichier)
    assert not app.get("metric")
    assert chiffres_cles(app)


def test_a_key_figure_reads_its_label_then_its_figure_and_its_help_is_reached_with_the_keyboard():
    from atlas.ui import chiffre_cle_html

    html = chiffre_cle_html(
        "Taux <détecté>", "88\u00a0%", aide="bilans < 10 : non diffusé", ecart="20\u00a0% de l'objectif"
    )
    assert html.startswith("<dl class='atlas-chiffre-cle'><dt>Taux &lt;détecté&gt;")
    assert "<dd>88\u00a0%</dd>" in html and "<dd class='atlas-chiffre-ecart'>20\u00a0% de l&#x27;objectif</dd>" in html
    assert "tabindex='0'" in html and "role='tooltip'>bilans &lt; 10 : non diffusé</span>" in html


def test_presentation_mode_keeps_a_row_of_key_figures_and_enlarges_them():
    # its rule hides the rows holding only controls: a row of key figures must stay, larger
    from atlas import presentation

    regle = next(
        ligne for ligne in presentation.CSS.splitlines() if ligne.startswith('[data-testid="stHorizontalBlock"]')
    )
    assert ".atlas-chiffre-cle" in regle
    assert ".atlas-chiffre-cle dd {font-size: 3.2rem !important" in presentation.CSS


def test_non_recours_charts_do_not_each_carry_their_style(app_env):
    # four charts carried the same 6,5 kB style block each: the frame sends it once per page
    # (tests/test_cadre.py)
    app = run_page(NON_RECOURS)
    graphiques = [h.value for h in app.main.html if "class='atlas-graphique" in h.value]
    assert len(graphiques) >= 3
    assert not [g for g in graphiques if "<style>" in g]
