"""The file uploader's own English (Importer des visites, the editors' layers), written in French by the chrome's script.

Streamlit 1.67 writes its file uploader in English with no setting to translate it: « Upload »,
« 20MB per file • CSV, XLSX », the chosen file's size « 1.0KB », « Remove visites.csv ». The
uploader is drawn behind the editor's password, where the page checks do not go: the chrome's
script is run here on the uploader's own markup, drawn after the script as Streamlit draws it.
"""

from __future__ import annotations

import pytest

from atlas.chrome import SCRIPT_CHROME

pytestmark = pytest.mark.browser

# the uploader as Streamlit 1.67 draws it (classes left out), with a file chosen
TELEVERSEUR = """
<div data-testid="stFileUploader">
  <section data-testid="stFileUploaderDropzone" aria-label="Fichier de visites (CSV ou XLSX, 20 Mo au plus)">
    <input data-testid="stFileUploaderDropzoneInput" type="file" aria-label="file upload">
    <span><button><div><span><span><span data-testid="stIconMaterial" aria-hidden="true">upload</span></span>
      <span style="display: contents;"><div data-testid="stMarkdownContainer"><p>Upload</p></div></span></span></div></button></span>
    <div data-testid="stFileUploaderDropzoneInstructions"><div><span>20MB per file • CSV, XLSX</span></div></div>
    <div data-testid="stFileChip" aria-label="visites.csv, 1.0KB"><div>
      <div data-testid="stFileChipName" title="visites.csv">visites.csv</div><div>1.0KB</div></div>
      <small><button aria-label="Remove visites.csv">x</button></small></div>
    <button aria-label="Add files"><div><span><span>add icon</span></span></div></button>
  </section>
</div>
"""


def test_the_file_uploader_is_written_in_french(browser):
    page = browser.new_page(locale="fr-FR")
    page.set_content(f"<html><body>{SCRIPT_CHROME}<div id='app'></div></body></html>")
    page.evaluate("(html) => { document.getElementById('app').innerHTML = html; }", TELEVERSEUR)
    page.wait_for_timeout(100)  # the script's observer sees the uploader drawn
    texte = page.locator("[data-testid='stFileUploader']").inner_text()
    noms = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stFileUploader] [aria-label]')].map(e => e.getAttribute('aria-label'))"
    )
    page.close()
    for anglais in ("Upload", "per file", "MB", "KB", "add icon"):
        assert anglais not in texte, texte
    assert "Choisir un fichier" in texte and "20\u00a0Mo par fichier • CSV, XLSX" in texte and "1,0\u00a0Ko" in texte
    assert "Retirer visites.csv" in noms and "Ajouter un fichier" in noms and "visites.csv, 1,0\u00a0Ko" in noms, noms
