"""Every CSV download of every page, as the user gets it: French headers, codes as text, statut in words."""

from __future__ import annotations

import csv
import io

import pytest

from atlas.exports import LIBELLES_STATUT
from tests.apptest_helpers import run_page

PAGES = {
    "pages/explorer.py": {},
    "pages/explorer.py?evolution": {"mode": "evolution", "indicateur": "mediane_niveau_vie", "niveau": "commune"},
    "pages/precarite_energetique.py": {},
    "pages/mobilite.py": {},
    # rules that find zones blanches (with the default ones there are none, and no list to download)
    "pages/zones_blanches.py": {"mois": "0", "minutes": "10"},
    "pages/non_recours.py": {},
    "pages/experimentations.py": {},
}


@pytest.fixture
def differes(monkeypatch) -> dict:
    """The callables of the deferred downloads registered while a page runs, by file id."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    enregistres = {}
    original = MediaFileManager.add_deferred

    def enregistrer(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        enregistres[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", enregistrer)
    return enregistres


def _telechargements_csv(app, differes: dict) -> dict[str, bytes]:
    """The CSV files of the page's download buttons, built as a click builds them."""
    return {
        b.proto.label: differes[b.proto.deferred_file_id]()
        for b in app.get("download_button")
        if "(CSV)" in b.proto.label
    }


@pytest.mark.parametrize("page", list(PAGES))
def test_every_csv_download_has_french_headers_codes_as_text_and_statut_in_words(app_env, differes, page):
    app = run_page(page.split("?")[0], PAGES[page] or None)
    fichiers = _telechargements_csv(app, differes)
    assert fichiers, "aucun téléchargement CSV sur la page"
    for libelle, contenu in fichiers.items():
        texte = contenu.decode("utf-8-sig")
        lignes = [ligne for ligne in texte.split("\r\n") if ligne and not ligne.startswith("# ")]
        entetes = next(csv.reader([lignes[0]], delimiter=";"))
        # a person reads the headers: words, not code names (« part_passoires_pct », « statut_y »)
        assert all("_" not in e and e[:1].isupper() for e in entetes), (libelle, entetes)
        rangs = list(csv.DictReader(io.StringIO("\r\n".join(lignes)), delimiter=";"))
        if "Code" in entetes:
            # between quotes: a spreadsheet keeps it as text, with its leading zeros
            assert all(ligne.split(";")[entetes.index("Code")].startswith('"') for ligne in lignes[1:]), libelle
        for colonne in (e for e in entetes if e.startswith("Statut")):
            assert {r[colonne] for r in rangs} <= set(LIBELLES_STATUT.values()) | {""}, (libelle, colonne)


@pytest.mark.parametrize("page", list(PAGES))
def test_no_csv_download_writes_a_number_at_full_float_precision(app_env, differes, page):
    # « 14,285714285714286 » is a computed share written as Python holds it: a person reads
    # « 14,3 », as on screen (each value with its unit's decimals, atlas.exports.pour_lecteur)
    import re

    app = run_page(page.split("?")[0], PAGES[page] or None)
    for libelle, contenu in _telechargements_csv(app, differes).items():
        lignes = [ligne for ligne in contenu.decode("utf-8-sig").split("\r\n") if ligne and not ligne.startswith("# ")]
        longs = [c for ligne in lignes[1:] for c in ligne.split(";") if re.fullmatch(r"-?\d+,\d{5,}", c)]
        assert not longs, (libelle, longs[:5])


@pytest.mark.parametrize("page", ["pages/explorer.py", "pages/precarite_energetique.py"])
def test_every_geojson_download_is_a_collection_of_the_territories_with_their_values(app_env, differes, page):
    # Précarité's GeoJSON was built from the CSV's French columns and failed on click (« code » absent)
    import json

    app = run_page(page)
    boutons = [b for b in app.get("download_button") if "(GeoJSON)" in b.proto.label]
    assert boutons
    for bouton in boutons:
        collection = json.loads(differes[bouton.proto.deferred_file_id]())
        assert collection["type"] == "FeatureCollection" and len(collection["features"]) >= 70
        proprietes = collection["features"][0]["properties"]
        assert proprietes["code"] and proprietes["nom"] and len(proprietes) >= 3, (bouton.proto.label, proprietes)


def test_the_experiment_csv_writes_its_whole_numbers_without_a_decimal(app_env, differes):
    # objectives and rates rounded to the unit were written « 12,0 », « 80,0 » beside counts « 14 »
    app = run_page("pages/experimentations.py")
    contenu = _telechargements_csv(app, differes)["Télécharger le suivi (CSV)"].decode("utf-8-sig")
    lignes = [ligne for ligne in contenu.split("\r\n") if ligne and not ligne.startswith("# ")]
    cellules = [c for ligne in lignes[1:] for c in ligne.split(";")[1:]]
    assert [c for c in cellules if c.endswith(",0")] == []
    assert any(c.isdigit() for c in cellules) and any(c == '"< 5"' for c in cellules)


def test_the_non_recours_csv_writes_its_rates_rounded_to_the_unit_as_whole_numbers(app_env, differes):
    # the detected rate, rounded to the unit by the secret rule, was written « 85,0 » beside counts « 14 »
    app = run_page("pages/non_recours.py")
    fichiers = _telechargements_csv(app, differes)
    contenu = next(f for libelle, f in fichiers.items() if "territoire" in libelle.lower() or len(fichiers) == 1)
    lignes = [ligne for ligne in contenu.decode("utf-8-sig").split("\r\n") if ligne and not ligne.startswith("# ")]
    entetes = next(csv.reader([lignes[0]], delimiter=";"))
    taux = [ligne.split(";")[entetes.index("Taux détecté (%)")] for ligne in lignes[1:]]
    assert [t for t in taux if t] and all(t.isdigit() for t in taux if t), taux[:10]


GEOJSON = {
    "pages/explorer.py": {},
    "pages/explorer.py?evolution": PAGES["pages/explorer.py?evolution"],
    "pages/explorer.py?demonstration": {"indicateur": "dpe_part_passoires", "niveau": "epci"},
    "pages/explorer.py?gini": {"indicateur": "indice_gini", "niveau": "epci"},
    "pages/precarite_energetique.py": {},
}


@pytest.mark.parametrize("page", list(GEOJSON))
def test_a_geojson_download_has_the_pages_decimals_and_says_when_its_data_are_demonstration(app_env, differes, page):
    # Précarité's GeoJSON wrote « 22.727272727272727 »; a file of demonstration DPE, taken out of the
    # atlas, did not say it held invented values
    import json

    from atlas import indicateurs

    app = run_page(page.split("?")[0], GEOJSON[page] or None)
    boutons = [b for b in app.get("download_button") if "(GeoJSON)" in b.proto.label]
    assert boutons
    for bouton in boutons:
        collection = json.loads(differes[bouton.proto.deferred_file_id]())
        nombres = [v for f in collection["features"] for v in f["properties"].values() if isinstance(v, (int, float))]
        assert any(isinstance(v, float) for v in nombres), bouton.proto.label
        longs = [v for v in nombres if isinstance(v, float) and len(repr(v).partition(".")[2]) > 2]
        assert not longs, (bouton.proto.label, longs[:5])
        demonstration = page.endswith("demonstration") or page.startswith("pages/precarite")
        assert collection["demonstration"] is demonstration
        sources = " ".join(str(v) for k, v in collection.items() if k.startswith("source"))
        assert ("démonstration" in sources) is demonstration, sources
    if page.endswith("gini"):  # an index keeps its two decimals, as on screen
        assert indicateurs.indicateur("indice_gini")["unite"] == "indice"
        assert any(len(repr(v).partition(".")[2]) == 2 for v in nombres)


def test_the_experiment_csv_names_its_months_in_french_beside_a_month_that_sorts(app_env, differes):
    # « 2024-03 » alone reads as a code; « mars 2024 » alone sorts « avril » before « mars »
    from atlas.experimentations_suivi import MOIS_POUR_TRIER

    app = run_page("pages/experimentations.py")
    contenu = _telechargements_csv(app, differes)["Télécharger le suivi (CSV)"].decode("utf-8-sig")
    lignes = [ligne for ligne in contenu.split("\r\n") if ligne and not ligne.startswith("# ")]
    rangs = list(csv.DictReader(io.StringIO("\r\n".join(lignes)), delimiter=";"))
    assert list(rangs[0])[:2] == ["Mois", MOIS_POUR_TRIER]
    assert rangs[0]["Mois"] == "mars 2024" and rangs[0][MOIS_POUR_TRIER] == "2024-03"
    assert [r[MOIS_POUR_TRIER] for r in rangs] == sorted(r[MOIS_POUR_TRIER] for r in rangs)


def test_the_zones_blanches_csv_names_the_month_of_the_latest_contact_in_french_beside_a_month_that_sorts(
    app_env, differes
):
    from atlas.exports import POUR_TRIER
    from atlas.formatting import format_mois_fr

    app = run_page("pages/zones_blanches.py", PAGES["pages/zones_blanches.py"])
    (contenu,) = _telechargements_csv(app, differes).values()
    lignes = [ligne for ligne in contenu.decode("utf-8-sig").split("\r\n") if ligne and not ligne.startswith("# ")]
    rangs = list(csv.DictReader(io.StringIO("\r\n".join(lignes)), delimiter=";"))
    contacts = [(r["Dernier contact"], r["Dernier contact" + POUR_TRIER]) for r in rangs if r["Dernier contact"]]
    assert contacts, "aucune zone blanche avec un contact ancien"
    assert all(mots == format_mois_fr(mois) and mois[4] == "-" for mots, mois in contacts), contacts[:3]


def test_the_precarite_target_list_writes_the_poverty_statut_in_the_words_of_every_csv(app_env, differes):
    # the list wrote « publié » / « estimation de l'atlas » under « Pauvreté », the full table
    # « Disponible » / « Estimation de l'atlas » under « Statut (pauvreté) », one header line for both
    app = run_page("pages/precarite_energetique.py")
    fichiers = _telechargements_csv(app, differes)
    for libelle in ("Télécharger la liste des cibles (CSV)", "Télécharger le tableau (CSV)"):
        texte = fichiers[libelle].decode("utf-8-sig")
        lignes = [ligne for ligne in texte.split("\r\n") if ligne and not ligne.startswith("# ")]
        rangs = list(csv.DictReader(io.StringIO("\r\n".join(lignes)), delimiter=";"))
        assert {r["Statut (pauvreté)"] for r in rangs} <= set(LIBELLES_STATUT.values()), libelle
        assert "Pauvreté" not in rangs[0] and "« Pauvreté »" not in texte, libelle


def test_every_csv_download_opens_in_libreoffice_with_its_accents_and_its_codes_as_text(app_env, differes, tmp_path):
    # each file of every page, converted to XLSX with the documented import options (docs/exports.md)
    import openpyxl

    from tests.test_libreoffice import _convertir

    fichiers = []
    for page, requete in PAGES.items():
        differes.clear()
        app = run_page(page.split("?")[0], requete or None)
        for libelle, contenu in _telechargements_csv(app, differes).items():
            chemin = tmp_path / f"export_{len(fichiers):02d}.csv"
            chemin.write_bytes(contenu)
            fichiers.append((page, libelle, chemin, contenu.decode("utf-8-sig")))
    assert len(fichiers) >= len(PAGES)
    _convertir(fichiers[0][2], tmp_path)  # skips when LibreOffice is missing; the others in one run:
    import shutil
    import subprocess

    from atlas.exports import FILTRE_LIBREOFFICE

    subprocess.run(
        [shutil.which("libreoffice") or shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path / 'profil'}",
         "--headless", f"--infilter={FILTRE_LIBREOFFICE}", "--convert-to", "xlsx", "--outdir", str(tmp_path),
         *(str(f[2]) for f in fichiers[1:])],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for page, libelle, chemin, texte in fichiers:
        lignes = [ligne for ligne in texte.split("\r\n") if ligne and not ligne.startswith("# ")]
        rangs = list(csv.reader(lignes, delimiter=";"))
        lus = [
            r for r in openpyxl.load_workbook(chemin.with_suffix(".xlsx")).active.iter_rows(values_only=True)
            if not str(r[0] or "").startswith("# ")
        ]  # fmt: skip
        entetes = [c for c in lus[0] if c is not None]
        assert entetes == rangs[0], (page, libelle)  # « Taux de pauvreté », « Ménages », « Évolution »...
        if "Code" in rangs[0]:
            j = rangs[0].index("Code")
            assert [r[j] for r in lus[1:]] == [r[j] for r in rangs[1:]], (page, libelle)  # text, zeros kept
