"""The deck as LibreOffice Impress draws it: no text runs out of its box or over another box.

Integration test: the deck is converted to PDF by ``soffice --headless`` (Debian package
``libreoffice-impress-nogui``, installed by ``.ci/run``), and where each word was drawn is read
back with poppler's ``pdftotext -bbox`` (``poppler-utils``). It skips with the reason when either
is missing, and fails instead in CI.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from atlas import diaporama_pptx, images
from atlas.diaporama import Vue

#: One point is 12 700 EMU: the PDF page of a slide is measured in points.
EMU_PAR_POINT = 12_700
#: A word's box is the font's box (ascent to descent), a little taller than the line it stands on.
TOLERANCE = 3.0

TITRE_LONG = (
    "Taux de pauvreté des ménages dont le référent fiscal a moins de 30 ans, par commune de la région, "
    "comparé à la médiane du département et de la région"
)


def _outil(nom: str, paquet: str) -> str:
    chemin = shutil.which(nom)
    if chemin is None:
        raison = f"{nom} absent : installer le paquet Debian « {paquet} »"
        if os.environ.get("CI"):
            pytest.fail(raison + " (obligatoire en CI)")
        pytest.skip(raison)
    return chemin


def _mots_par_page(pptx: bytes, tmp_path) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Words of each slide as Impress draws them, in drawing order, with their box in points."""
    soffice = _outil("soffice", "libreoffice-impress-nogui")
    pdftotext = _outil("pdftotext", "poppler-utils")
    chemin = tmp_path / "diaporama.pptx"
    chemin.write_bytes(pptx)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(chemin)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    # -raw: words in the order they are drawn, shape after shape
    xhtml = subprocess.run(
        [pdftotext, "-raw", "-bbox", str(tmp_path / "diaporama.pdf"), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = ET.fromstring(xhtml).findall(".//h:page", ns)
    return [
        [
            (mot.text or "", tuple(float(mot.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for mot in page.findall("h:word", ns)
        ]
        for page in pages
    ]


def _sans_blancs(texte: str) -> str:
    return re.sub(r"\s", "", texte)


def _formes(diapo):
    """(name, text, box in points) of each shape of a slide, in drawing order; a picture has no text."""
    for forme in diapo.shapes:
        boite = tuple(
            v / EMU_PAR_POINT for v in (forme.left, forme.top, forme.left + forme.width, forme.top + forme.height)
        )
        if forme.has_text_frame:
            yield forme.name, forme.text_frame.text, boite
        elif forme.has_table:
            cellules = [c.text for ligne in forme.table.rows for c in ligne.cells]
            yield forme.name, "\n".join(cellules), boite
        elif forme.shape_type == MSO_SHAPE_TYPE.PICTURE:
            yield forme.name, "", boite


def _mots_coupes(texte: str, lus: list[str]) -> list[str]:
    """The words of ``texte`` drawn over two lines elsewhere than at a space, a no-break space or
    after a hyphen (« Compositio » then « n des revenus » in a column narrower than the word);
    ``lus``: the words drawn for ``texte``, in order."""
    coupes, k = [], 0
    for jeton in (j for j in re.split(r"[ \n\t\r\v]+", texte) if j):
        propre, permises = "", set()
        for c in jeton:
            if c.isspace():
                permises.add(len(propre))
                continue
            propre += c
            if c in "-/–—":
                permises.add(len(propre))
        cumul, bornes = "", []
        while len(cumul) < len(propre) and k < len(lus):
            cumul += lus[k]
            bornes.append(len(cumul))
            k += 1
        if cumul != propre:
            break  # read out of step with the text (already said by _defauts)
        if any(b not in permises for b in bornes[:-1]):
            coupes.append(jeton)
    return coupes


def _chevauche(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE


def _defauts(pptx: bytes, tmp_path) -> list[str]:
    """Every word drawn out of its own box, and every pair of boxes whose drawn texts meet."""
    deck = Presentation(io.BytesIO(pptx))
    largeur, hauteur = deck.slide_width / EMU_PAR_POINT, deck.slide_height / EMU_PAR_POINT
    pages = _mots_par_page(pptx, tmp_path)
    assert len(pages) == len(deck.slides)
    defauts = []
    for numero, (diapo, mots) in enumerate(zip(deck.slides, pages, strict=True), start=1):
        restants = iter(mots)
        dessins = []  # (shape, box of the drawn text or of the picture)
        for nom, texte, boite in _formes(diapo):
            attendu = _sans_blancs(texte)
            if not attendu:
                dessins.append((nom, boite))
                continue
            lus, boites, morceaux = "", [], []
            while len(lus) < len(attendu):
                mot, boite_mot = next(restants)
                lus += _sans_blancs(mot)
                morceaux.append(_sans_blancs(mot))
                boites.append(boite_mot)
            assert lus == attendu, f"diapositive {numero}, {nom} : « {lus} » lu au lieu de « {attendu} »"
            for mot in _mots_coupes(texte, morceaux):
                defauts.append(f"diapositive {numero}, {nom} : « {mot} » coupé au milieu")
            for mot_boite in boites:
                dehors = (
                    mot_boite[0] < boite[0] - TOLERANCE
                    or mot_boite[1] < boite[1] - TOLERANCE
                    or mot_boite[2] > boite[2] + TOLERANCE
                    or mot_boite[3] > boite[3] + TOLERANCE
                    or mot_boite[1] < 0
                    or mot_boite[3] > hauteur
                    or mot_boite[2] > largeur
                )
                if dehors:
                    defauts.append(f"diapositive {numero}, {nom} : texte hors de son cadre ({texte[:40]}…)")
                    break
            dessin = tuple(f(b[k] for b in boites) for k, f in enumerate((min, min, max, max)))
            dessins.append((nom, dessin))
        for i, (nom_a, a) in enumerate(dessins):
            for nom_b, b in dessins[i + 1 :]:
                if _chevauche(a, b):
                    defauts.append(f"diapositive {numero} : {nom_a} et {nom_b} se chevauchent")
    return defauts


def test_titles_subtitles_tables_and_source_lines_never_overlap_when_drawn(tmp_path):
    fiche = pd.DataFrame(
        {
            "Indicateur": [
                "Part des allocataires dont les revenus dépendent à 50 % ou plus des prestations sociales",
                *(f"Indicateur {i}" for i in range(1, 16)),
            ],
            "Valeur": [f"{i},5 %" for i in range(16)],
            "Rang": [f"{i} / 1 227" for i in range(16)],
            # a profile's rows: each slide cites its own rows' sources (its source line's height varies)
            "Source": ["Insee, Filosofi 2021"] * 9 + ["ADEME, DPE — données de démonstration ; " * 6] * 7,
        }
    )
    vues = [
        Vue(titre=TITRE_LONG, source="Insee, Filosofi 2021", sous_titre="Communes ; classes par quantiles",
            tableau=fiche, demonstration=True),
        Vue(titre="Chiffres clés", source="Insee, Filosofi 2021 ; " * 8 + "CNAF 2020",
            tableau=fiche.head(3).drop(columns="Source")),
    ]  # fmt: skip
    pptx = diaporama_pptx.construire_pptx(
        vues, titre="Atlas du non-recours — Pays de la Loire", date=dt.date(2026, 12, 1)
    )
    assert _defauts(pptx, tmp_path) == []
    # a deck title on two lines stays above « Diaporama du … »
    long = diaporama_pptx.construire_pptx(
        vues[1:], titre="Atlas du non-recours — Provence-Alpes-Côte d'Azur et Auvergne-Rhône-Alpes"
    )
    (tmp_path / "long").mkdir()
    assert _defauts(long, tmp_path / "long") == []


def test_a_two_line_title_over_a_figure_pushes_its_subtitle_and_the_picture_down(tmp_path):
    if images.chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium est requis en CI pour le diaporama")
        pytest.skip("Chromium absent")
    fig = go.Figure(go.Bar(x=["RSA", "Prime d'activité"], y=[1, 2]))
    vue = Vue.de_figure(
        fig, titre=TITRE_LONG, source="Insee, Filosofi 2021", sous_titre="Communes ; classes par quantiles"
    )
    pptx = diaporama_pptx.construire_pptx([vue], titre="Atlas")
    assert _defauts(pptx, tmp_path) == []


def test_a_profile_table_with_a_long_comparator_name_breaks_no_word_in_the_middle(tmp_path):
    # an EPCI's profile compared with « Communauté d'agglomération de la Région Nazairienne… »: the
    # comparator's column took the room of « Thème », drawn « Compositio | n des revenus »
    comparateur = "Communauté d'agglomération de la Région Nazairienne et de l'Estuaire (CARENE)"
    themes = ["Accès aux services et mobilité", "Composition des revenus", "Logement et précarité énergétique"]
    fiche = pd.DataFrame(
        {
            "Thème": [themes[i % 3] for i in range(6)],
            "Indicateur": ["Nombre de DPE de logements existants (dernier DPE par logement) (démonstration)"] * 6,
            "Valeur": ["281\u00a0923\u00a0personnes"] * 6,
            comparateur: ["130\u00a0509\u00a0personnes"] * 6,
            "Millésime": ["2021"] * 6,
            "Rang": ["30\u00a0/\u00a071"] * 6,
            "Département": ["21\u00a0790\u00a0€ (2020)"] * 6,
            "Région": ["21\u00a0850\u00a0€ (2019)"] * 6,
        }
    )
    vue = Vue(titre="Fiche territoire — Communauté urbaine Angers Loire Métropole", source="Insee, Filosofi 2021",
              tableau=fiche)  # fmt: skip
    pptx = diaporama_pptx.construire_pptx([vue], titre="Atlas", date=dt.date(2026, 12, 1))
    assert _defauts(pptx, tmp_path) == []


def test_a_figure_slide_whose_picture_was_not_drawn_in_time_keeps_its_message_clear_of_a_two_line_title(
    tmp_path, monkeypatch
):
    # the slide of a picture Chromium did not draw before the click's time ran out (a loaded server)
    monkeypatch.setattr(images, "dessiner_au_plus", lambda figures: [None] * len(list(figures)))
    fig = go.Figure(go.Bar(x=["RSA", "Prime d'activité"], y=[1, 2]))
    vues = [
        Vue.de_figure(fig, titre=TITRE_LONG, source="Insee, Filosofi 2021 ; " * 12 + "CNAF 2020",
                      sous_titre="Communes ; classes par quantiles ; " * 5 + "fin", demonstration=True),
        Vue(titre=TITRE_LONG, source="Insee, Filosofi 2021", sous_titre="Aucune ligne", tableau=pd.DataFrame()),
    ]  # fmt: skip
    pptx = diaporama_pptx.construire_pptx(vues, titre="Atlas", date=dt.date(2026, 12, 1))
    assert len(Presentation(io.BytesIO(pptx)).slides) == 3
    assert _defauts(pptx, tmp_path) == []
