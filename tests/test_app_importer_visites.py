"""Page « Importer des visites »: editors only, constant-time password, templates, import."""

import csv
import io
import shutil

import duckdb

from atlas import imports
from tests.apptest_helpers import run_page
from tests.conftest import FIXTURES


def _submit(app):
    submit = next(b for b in app.button if b.label == "Se connecter")
    submit.click().run()
    assert not app.exception


def test_upload_is_disabled_without_an_editor_password(app_env, monkeypatch):
    monkeypatch.delenv("ATLAS_MOT_DE_PASSE_EDITEUR", raising=False)
    app = run_page("pages/importer_visites.py")
    assert any("L'import est désactivé" in i.value for i in app.info)
    assert len(app.get("file_uploader")) == 0


def test_wrong_password_is_refused_and_right_one_opens_the_upload(app_env, monkeypatch):
    monkeypatch.setenv("ATLAS_MOT_DE_PASSE_EDITEUR", "s3cret-éditeur")
    app = run_page("pages/importer_visites.py")
    app.text_input(key="mot_de_passe").input("mauvais")
    _submit(app)
    assert any("Mot de passe incorrect" in e.value for e in app.error)
    assert len(app.get("file_uploader")) == 0
    app.text_input(key="mot_de_passe").input("s3cret-éditeur")
    _submit(app)
    assert len(app.get("file_uploader")) == 1


def test_password_is_compared_in_constant_time(monkeypatch):
    calls = []
    real = imports.hmac.compare_digest
    monkeypatch.setattr(imports.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert imports.verifier_mot_de_passe("abc", "abc") and not imports.verifier_mot_de_passe("abd", "abc")
    assert len(calls) == 2


def test_empty_template_lists_the_import_columns_and_nothing_personal():
    header = next(csv.reader(io.StringIO(imports.modele_vide().decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["date_contact", "structure", "code_commune"]
    assert not {"nom", "prenom", "telephone", "email", "adresse"} & set(header)


def test_filled_example_imports_without_rejects(built_db, tmp_path, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    resultat, rejets = imports.importer_visites("exemple.csv", imports.exemple_rempli(40), log=lambda _l: None)
    assert resultat.lues == 40 and resultat.rejetees == 0 and rejets is None


def test_upload_of_a_file_with_bad_rows_offers_the_rejects(built_db, tmp_path, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    shutil.copy(built_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    content = (FIXTURES / "visites" / "malformees.csv").read_bytes()
    resultat, rejets = imports.importer_visites("malformees.csv", content, log=lambda _l: None)
    assert resultat.rejetees > 0 and rejets is not None
    assert resultat.lues == resultat.chargees + resultat.rejetees + resultat.doublons
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from visites where not demonstration").fetchone()[0] == resultat.chargees


def test_footer_has_no_empty_sources_line(app_env, monkeypatch):
    monkeypatch.delenv("ATLAS_MOT_DE_PASSE_EDITEUR", raising=False)
    app = run_page("pages/importer_visites.py")
    footer = app.caption[-1].value
    assert "Sources** : ." not in footer and footer.startswith("Base construite le")


def _page_editeur_sur_une_copie(app_env, tmp_path, monkeypatch):
    """The import page on a copy of the database, the editor's password given (an import writes)."""
    db = tmp_path / "atlas.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_MOT_DE_PASSE_EDITEUR", "s3cret-éditeur")
    app = run_page("pages/importer_visites.py")
    app.text_input(key="mot_de_passe").input("s3cret-éditeur")
    _submit(app)
    return app


def test_markdown_in_a_refused_header_shows_as_typed_not_as_a_link_or_an_image(app_env, tmp_path, monkeypatch):
    app = _page_editeur_sur_une_copie(app_env, tmp_path, monkeypatch)
    entete = (
        "date_contact;structure;code_commune;canal;[cliquez](http://exemple.invalid);![x](http://exemple.invalid/p.png)"
    )
    app.file_uploader(key="fichier_visites").upload("visites.csv", (entete + "\n").encode(), "text/csv").run()
    next(b for b in app.button if b.key == "importer").click().run()
    assert not app.exception
    refus = [e.value for e in app.error if e.value.startswith("Import refusé")]
    assert refus, [e.value for e in app.error]
    assert "](" not in refus[0].replace("\\]", "") and "\\[cliquez\\]" in refus[0], refus[0]


def test_a_file_with_bad_rows_names_each_rejected_line_column_value_and_reason_on_the_page(
    app_env, tmp_path, monkeypatch
):
    # the rejected rows were only in a download: the page said « 12 rejetées » and nothing of which or why
    app = _page_editeur_sur_une_copie(app_env, tmp_path, monkeypatch)
    contenu = (FIXTURES / "visites" / "malformees.csv").read_bytes()
    app.file_uploader(key="fichier_visites").upload("malformees.csv", contenu, "text/csv").run()
    next(b for b in app.button if b.key == "importer").click().run()
    assert not app.exception
    textes = [m.value.replace("\u00a0", " ").replace("\u202f", " ") for m in app.markdown]
    assert any("Lignes rejetées de « malformees.csv »" in t for t in textes), textes
    tableau = next(h.proto.body for h in app.get("html") if "atlas-tableau" in h.proto.body)
    # line 3 of the file: its code_commune 99999 is no commune
    ligne = next(tr for tr in tableau.split("<tr>") if ">99999<" in tr)
    assert ">3<" in ligne and ">code_commune<" in ligne and "code commune inconnu" in ligne
