"""Page « Suivi des expérimentations »: renders, follows the chosen experiment, applies the secret rule,
and lets an editor declare an experiment through the same import as the CSV."""

from __future__ import annotations

import shutil

from atlas import experimentations as ex
from atlas import experimentations_declaration as declaration
from atlas import imports
from atlas.formatting import MOIS_COURTS
from commun import secret
from tests.apptest_helpers import chiffres_cles, ouvrir_tableaux, plotly_figures, run_page

PAGE = "pages/experimentations.py"


def _count_traces(figure: dict) -> list[dict]:
    """Traces drawing household counts (not rates, objectives or the masked markers)."""
    titre = figure["layout"].get("yaxis", {}).get("title", {}).get("text", "")
    if "%" in titre:
        return []
    return [t for t in figure["data"] if not t.get("name", "").startswith(("Objectif", "moins de", "cumul masqué"))]


def test_the_page_shows_the_demonstration_experiment_against_its_objectives(app_env, monkeypatch):
    monkeypatch.delenv("ATLAS_MOT_DE_PASSE_EDITEUR", raising=False)
    app = run_page(PAGE)
    assert app.title[0].value == "Suivi des expérimentations"
    assert any("Données de démonstration" in w.value for w in app.warning)
    assert [c["libelle"] for c in chiffres_cles(app)] == list(ex.OBJECTIFS_COURTS.values())
    assert any("objectif cumulé" in c.value for c in app.caption)
    titres = [f["layout"]["title"]["text"] for f in plotly_figures(app)]
    assert titres[0] == "Ménages rencontrés : réalisé et objectif par mois"
    assert any("reste de la région" in c.value.lower() for c in app.caption)
    assert "Télécharger le suivi (CSV)" in [b.label for b in app.get("download_button")]
    # the charts' values as a table (text alternative), one row per month followed, built once opened
    bloc = next(e for e in app.expander if e.label.startswith("Les données"))
    assert not bloc.dataframe
    ouvrir_tableaux(app)
    bloc = next(e for e in app.expander if e.label.startswith("Les données"))
    tableau = bloc.dataframe[0].value
    assert tableau.columns[0] == "Mois" and len(tableau) == len(plotly_figures(app)[0]["data"][0]["x"])
    # months on the axes are French
    axe = plotly_figures(app)[0]["layout"]["xaxis"]["ticktext"]
    assert axe and all(t.split()[0] in MOIS_COURTS for t in axe), axe


def test_the_demonstration_is_said_once_by_the_notice_not_by_every_name_and_caption(app_env):
    # names read « … Chemillé-en-Anjou (démonstration) », the figures' caption added « — données de
    # démonstration » and the source « déclaration de démonstration, visites de démonstration »
    app = run_page(PAGE)
    (choix,) = [s for s in app.selectbox if s.key == "experimentation"]
    textes = (
        list(choix.options)
        + [c.value for c in app.caption]
        + [f["layout"]["title"]["text"] for f in plotly_figures(app)]
    )
    assert [t for t in textes if "démonstration" in t.lower()] == []
    assert [w.value for w in app.warning if "démonstration" in w.value.lower()] != []


def test_choosing_an_experiment_and_an_objective_redraws_its_follow_up(app_env):
    app = run_page(PAGE)
    avant = [c["valeur"] for c in chiffres_cles(app)]
    app.selectbox(key="experimentation").select("tznr_redon_agglomeration").run()
    assert not app.exception
    assert any("Redon Agglomération" in m.value for m in app.markdown)
    assert [c["valeur"] for c in chiffres_cles(app)] != avant
    # Redon started in June 2024: its first month followed
    assert plotly_figures(app)[0]["data"][0]["x"][0] == "2024-06"
    app.radio(key="indicateur_suivi").set_value("taux_non_recours").run()
    assert not app.exception
    figure = plotly_figures(app)[0]
    assert figure["layout"]["title"]["text"] == "Taux de non-recours détecté : réalisé et objectif par mois"
    assert all(v is None or 0 <= v <= 100 for v in figure["data"][0]["y"])
    app.selectbox(key="taux_reference").select("taux_ouverture").run()
    reference = next(f for f in plotly_figures(app) if "Taux d'ouverture" in f["layout"]["title"]["text"])
    assert [t["name"] for t in reference["data"]] == ["Expérimentation", "Reste de la région"]


def test_no_chart_of_the_page_draws_a_count_of_1_to_4_households(app_env):
    app = run_page(PAGE)
    for code in ("tznr_chemille_en_anjou", "tznr_pays_de_la_chataigneraie", "tznr_redon_agglomeration"):
        app.selectbox(key="experimentation").select(code).run()
        for indicateur in ("contacts", "bilans", "droits_ouverts"):
            app.radio(key="indicateur_suivi").set_value(indicateur).run()
            for figure in plotly_figures(app):
                for trace in _count_traces(figure):
                    valeurs = [v for v in trace.get("y", []) if v is not None]
                    assert not [v for v in valeurs if 0 < v < secret.SEUIL_COMPTE], (code, trace.get("name"))


def test_an_editor_declares_an_experiment_with_the_form_and_it_replaces_the_demonstration(
    built_db, tmp_path, monkeypatch
):
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_REGION", "52")
    monkeypatch.setenv("ATLAS_MOT_DE_PASSE_EDITEUR", "s3cret")
    monkeypatch.setattr(imports, "_global", {"echecs": 0, "jusqu_a": 0.0})  # no failure of another test
    app = run_page(PAGE)
    app.text_input(key="experimentations_mot_de_passe").input("s3cret")
    next(b for b in app.button if b.label == "Se connecter").click().run()
    assert not app.exception
    app.text_input(key="formulaire_nom").input("Porte-à-porte Mauges")
    app.multiselect(key="formulaire_structures").select("Territoire zéro non-recours Chemillé-en-Anjou")
    app.selectbox(key="formulaire_territoire").select("49092")
    app.button(key="enregistrer_experimentation").click().run()
    assert not app.exception
    assert any("1 ligne lue = 1 chargée" in s.value for s in app.success), [e.value for e in app.error]
    assert list(app.selectbox(key="experimentation").options) == ["Porte-à-porte Mauges — Chemillé-en-Anjou"]
    assert not any("Données de démonstration" in w.value for w in app.warning)
    assert (tmp_path / "imports" / "experimentations").is_dir()


def test_the_declaration_shown_downloads_in_the_import_format_and_imports_back_identical(
    built_db, tmp_path, monkeypatch
):
    import duckdb

    from etl.experimentations import import_experimentations

    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(built_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    experimentation = ex.experimentations().iloc[0].to_dict()
    requete = (
        "select mois, indicateur, valeur from objectifs_experimentations where code_experimentation = ? order by all"
    )
    with duckdb.connect(str(db), read_only=True) as con:
        avant = con.execute(requete, [experimentation["code"]]).fetchall()
    contenu = declaration.declaration_actuelle(experimentation)
    assert contenu.decode("utf-8-sig").startswith("code;nom;structures;territoire;date_debut;date_fin;mois;contacts")
    fichier = tmp_path / "declaration.csv"
    fichier.write_bytes(contenu)
    resultat = import_experimentations(db, fichier, log=lambda _l: None)
    assert resultat.rejetees == 0 and resultat.chargees == resultat.lues == len(avant) // 4
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(requete, [experimentation["code"]]).fetchall() == avant


def test_in_presentation_mode_the_experiment_shown_is_named_though_its_list_is_hidden(app_env):
    from atlas.presentation import CLE
    from tests.apptest_helpers import app_for

    app = app_for(PAGE)
    app.session_state[CLE] = True  # as the entry point sets it from « ?presentation=1 »
    app.run()
    assert not app.exception
    nom = ex.experimentations().set_index("code").loc[app.session_state["experimentation"], "nom"]
    assert any(m.value.startswith(f"**{nom}**") for m in app.markdown)


def test_the_declaration_of_a_demonstration_experiment_says_it_in_its_label_and_file_name(app_env):
    # the GeoJSON of demonstration data say it; this file cannot (the import refuses any other column)
    app = run_page("pages/experimentations.py")
    (bouton,) = [b for b in app.get("download_button") if "déclaration de l'expérimentation" in b.proto.label]
    assert "démonstration" in bouton.proto.label
    experimentation = ex.experimentations().iloc[0].to_dict()
    assert experimentation["demonstration"]
    assert declaration.telechargement_declaration(experimentation)[1].endswith("_declaration_demonstration.csv")
    reelle = {**experimentation, "demonstration": False}
    assert "démonstration" not in " ".join(declaration.telechargement_declaration(reelle))
