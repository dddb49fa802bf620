"""A download prepared on click that fails says in French what failed and what to do, under its button."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.BackMsg_pb2 import BackendOperationRequest, DeferredFileRequestPayload
from streamlit.runtime.backend_operation_handler import DeferredFileHandler
from streamlit.runtime.media_file_manager import MediaFileManager

from atlas import telechargement
from tests.apptest_helpers import run_page


@pytest.fixture
def gestionnaires(monkeypatch):
    """The media file manager of each deferred download registered by the pages, by file id."""
    par_id: dict[str, MediaFileManager] = {}
    origine = MediaFileManager.add_deferred

    def enregistre(self, *args, **kwargs):
        file_id = origine(self, *args, **kwargs)
        par_id[file_id] = self
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", enregistre)
    return par_id


def _chromium_qui_echoue(monkeypatch, dossier):
    faux = dossier / "chromium"
    faux.write_text("#!/bin/sh\necho 'chrome: cannot open display' >&2\nexit 1\n")
    faux.chmod(0o755)
    monkeypatch.setenv("ATLAS_CHROMIUM", str(faux))


def _repondre(gestionnaire: MediaFileManager, file_id: str):
    """Streamlit's answer to the browser's request for a deferred file (what a click asks)."""
    demande = BackendOperationRequest(request_id="1", deferred_file=DeferredFileRequestPayload(file_id=file_id))
    # in a thread of its own: a browser test run before in this worker may have left Playwright's
    # event loop running in the main thread, where asyncio.run() refuses to start another
    with ThreadPoolExecutor(max_workers=1) as fil:
        return fil.submit(asyncio.run, DeferredFileHandler(lambda: gestionnaire).handle(demande, "session")).result()


def _cliquer(bouton, gestionnaires) -> str:
    """What the browser receives when the button is clicked: the answer's error message."""
    file_id = bouton.proto.deferred_file_id
    return _repondre(gestionnaires[file_id], file_id).error_msg


def test_a_png_that_chromium_cannot_draw_is_explained_in_french_under_its_button(
    app_env, gestionnaires, monkeypatch, tmp_path
):
    _chromium_qui_echoue(monkeypatch, tmp_path)
    app = run_page("pages/explorer.py")
    (bouton,) = [b for b in app.get("download_button") if b.proto.id.endswith("-png_carte_explorer")]
    assert not bouton.proto.disabled  # a Chromium is there: the button is offered, and fails on click
    message = _cliquer(bouton, gestionnaires)
    assert message.startswith("L'image n'a pas pu être dessinée : Chromium s'est arrêté ou n'a pas démarré")
    assert message.endswith("Réessayez dans un instant, ou téléchargez les données (CSV) du tableau de la page.")
    # the English advice of the drawing library (« The browser seemed to close… ») stays in the server's log
    assert "Failed" not in message and "browser" not in message


def test_a_fiche_pdf_that_fails_is_explained_in_french(app_env, gestionnaires, monkeypatch, tmp_path):
    _chromium_qui_echoue(monkeypatch, tmp_path)
    app = run_page("pages/fiche_territoire.py")
    (bouton,) = [b for b in app.get("download_button") if b.proto.label == "Télécharger la fiche (PDF)"]
    message = _cliquer(bouton, gestionnaires)
    assert message.startswith("La fiche PDF n'a pas pu être préparée : Chromium s'est arrêté ou n'a pas démarré")
    assert "Réessayez dans un instant" in message


def test_an_unexpected_error_names_no_english_detail_and_says_it_is_logged(gestionnaires):
    def casse() -> bytes:
        raise KeyError("colonne absente")

    gestionnaire = MediaFileManager(storage=_stockage())
    file_id = gestionnaire.add_deferred(
        telechargement.prepare(casse, quoi="Le diaporama n'a pas pu être préparé", conseil="Réessayez."),
        "application/octet-stream",
        "coordonnees",
        "d.pptx",
    )
    message = _repondre(gestionnaire, file_id).error_msg
    assert message == (
        "Le diaporama n'a pas pu être préparé : erreur interne de l'atlas (KeyError), "
        "consignée dans le journal du serveur. Réessayez."
    )


def test_a_download_that_works_still_comes_in_one_click(gestionnaires):
    gestionnaire = MediaFileManager(storage=_stockage())
    file_id = gestionnaire.add_deferred(
        telechargement.prepare(lambda: b"contenu", quoi="x", conseil="y"), "text/csv", "coordonnees", "a.csv"
    )
    reponse = _repondre(gestionnaire, file_id)
    assert not reponse.error_msg and reponse.deferred_file.url


def _stockage():
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    return MemoryMediaFileStorage("/media")


def test_a_pdf_that_chromium_does_not_print_in_time_says_so_in_french_and_leaves_nothing_running(monkeypatch, tmp_path):
    import os
    import subprocess
    import time

    from atlas import fiche_pdf

    duree = f"600.{os.getpid()}"  # a command line this test alone runs
    faux = tmp_path / "chromium"
    faux.write_text(f"#!/bin/sh\nsleep {duree}\n")
    faux.chmod(0o755)
    monkeypatch.setenv("ATLAS_CHROMIUM", str(faux))
    monkeypatch.setattr(fiche_pdf, "DELAI_PDF", 2.0)
    debut = time.monotonic()
    with pytest.raises(Exception, match="^Chromium n'a pas imprimé la fiche en 2 s") as erreur:
        fiche_pdf.imprimer_pdf("<html><body>fiche</body></html>")
    assert "TimeoutExpired" not in str(erreur.value) and time.monotonic() - debut < 30
    assert subprocess.run(["pgrep", "-f", f"sleep {duree}"], capture_output=True, text=True).stdout == ""


def test_the_fiche_pdf_is_printed_within_what_its_drawings_left_of_the_click_s_time(monkeypatch):
    # drawings then printing: together they must end before the browser gives up (180 s)
    import time

    import plotly.graph_objects as go

    from atlas import fiche_figures, fiche_pdf, images

    def dessins_lents(figures):
        time.sleep(1.0)
        return [b"png" for _ in figures]

    delais = []
    monkeypatch.setattr(fiche_pdf, "figures_series", lambda niveau, code: {})
    monkeypatch.setattr(fiche_figures, "carte_situation", lambda *args: go.Figure())
    monkeypatch.setattr(fiche_pdf, "html_fiche", lambda *args, **kwargs: "<html></html>")
    monkeypatch.setattr(images, "pngs", dessins_lents)
    monkeypatch.setattr(fiche_pdf, "imprimer_pdf", lambda document, delai=None: delais.append(delai) or b"%PDF")
    monkeypatch.setattr(images, "DELAI_CLIC", 30.0)
    assert fiche_pdf.pdf_fiche("commune", "49007") == b"%PDF"
    (delai,) = delais
    assert 10.0 <= delai <= 29.0


def test_a_csv_that_cannot_be_written_is_explained_in_french(gestionnaires, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from atlas import bloc_carte

    def casse(*args):
        raise ValueError("colonne inattendue")

    monkeypatch.setattr(bloc_carte, "csv_fr", casse)

    def page():
        import pandas as pd

        from atlas import bloc_carte

        bloc_carte.telechargement_csv(pd.DataFrame({"Code": ["49007"]}), ["Titre"], "t.csv", "Télécharger (CSV)")

    app = AppTest.from_function(page)
    app.run()
    (bouton,) = app.get("download_button")
    assert _cliquer(bouton, gestionnaires) == (
        "Le fichier CSV n'a pas pu être préparé : erreur interne de l'atlas (ValueError), consignée dans le "
        "journal du serveur. Réessayez ; si l'échec revient, signalez-le à l'équipe de l'atlas."
    )


@pytest.mark.parametrize("page", ["pages/explorer.py", "pages/precarite_energetique.py"])
def test_a_geojson_that_cannot_be_written_is_explained_in_french(app_env, gestionnaires, monkeypatch, page):
    from atlas import exports

    def casse(*args, **kwargs):
        raise ValueError("géométrie illisible")

    # the pages read ``geojson_fr`` from atlas.exports at each run: the click meets the broken one
    monkeypatch.setattr(exports, "geojson_fr", casse)
    app = run_page(page)
    (bouton,) = [b for b in app.get("download_button") if "GeoJSON" in b.label]
    assert _cliquer(bouton, gestionnaires) == (
        "Le fichier GeoJSON n'a pas pu être préparé : erreur interne de l'atlas (ValueError), consignée dans le "
        "journal du serveur. Réessayez ou téléchargez le tableau (CSV) ; si l'échec revient, signalez-le à "
        "l'équipe de l'atlas."
    )
