"""Helpers for Streamlit AppTest: run a page through the entry point and read its figures."""

from __future__ import annotations

import json
import os

from streamlit.testing.v1 import AppTest

from commun.config import ROOT

# AppTest drives the navigation itself (it resets Streamlit's multipage mode before every run): the
# pages must not switch it with a rerun, which would swallow the run's click (atlas.navigation.page_via_navigation).
os.environ["ATLAS_APPTEST"] = "1"


def app_for(fichier: str, query: dict | None = None, timeout: float = 60) -> AppTest:
    """An AppTest of ``fichier`` (relative to the root) run inside ``dashboard.py``'s navigation.

    Going through the entry point, as a user does, registers every page, so that links between
    pages (``st.page_link``) resolve.
    """
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    if fichier != "dashboard.py":
        app.switch_page(fichier)
    if query:
        app.query_params.update(query)
    return app


def run_page(fichier: str, query: dict | None = None, timeout: float = 60) -> AppTest:
    """Run a page and fail on any exception it shows."""
    app = app_for(fichier, query, timeout)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def plotly_figures(app: AppTest) -> list[dict]:
    """The plotly figures rendered by the page, as dicts (data + layout)."""
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]


def cartes(app: AppTest) -> list[dict]:
    """The data of the atlas's map components on the page (:mod:`atlas.composants.carte`)."""
    from atlas.composants.carte import lire_charge_utile

    return [
        lire_charge_utile(el.proto.bytes)
        for el in app.get("bidi_component")
        if "atlas_carte" in el.proto.component_name
    ]


def codes_par_libelle(carte: dict) -> dict[str, set[str]]:
    """The territories of a map of :func:`cartes` by the legend label of their fill."""
    out: dict[str, set[str]] = {}
    for code, classe in zip(carte["codes"], carte["classes"], strict=True):
        out.setdefault(carte["libelles"][classe], set()).add(code)
    return out


def compter_appels(monkeypatch, module, nom: str) -> list:
    """Count the calls of ``module.nom`` (the function still runs)."""
    appels = []
    fonction = getattr(module, nom)

    def comptee(*args, **kwargs):
        appels.append(args)
        return fonction(*args, **kwargs)

    monkeypatch.setattr(module, nom, comptee)
    return appels


def ouvrir_tableaux(app: AppTest) -> AppTest:
    """Open every expander whose content is built only once opened (« … en tableau »), then rerun.

    Such an expander keeps its state in the session under its key (the end of its element id),
    as a reader's click does (:func:`atlas.ui.donnees_en_tableau`).
    """
    for bloc in app.expander:
        if bloc.proto.id.count("-") >= 2:
            app.session_state[bloc.proto.id.split("-", 2)[2]] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def graphiques_html(app: AppTest) -> list[str]:
    """The charts and short tables drawn in HTML on the page (:mod:`atlas.graphiques_html`), in page order."""
    return [
        h.proto.body
        for h in app.get("html")
        if "class='atlas-" in h.proto.body and not h.proto.body.startswith("<dl class='atlas-chiffre-cle'>")
    ]


def tableaux_html(app: AppTest) -> list:
    """The HTML tables of the page (:func:`atlas.graphiques_html.tableau_html`) as DataFrames of their texts, in page order."""
    import lxml.html
    import pandas as pd

    tableaux = []
    for bloc in app.get("html"):
        if "<table class='atlas-tableau" not in bloc.proto.body:
            continue
        for table in lxml.html.fromstring(bloc.proto.body).iter("table"):
            entetes = [th.text_content() for th in table.iter("th")]
            lignes = [[td.text_content() for td in tr.iter("td")] for tr in table.find("tbody").iter("tr")]
            tableaux.append(pd.DataFrame(lignes, columns=entetes))
    return tableaux


def colonne_de_liste(app: AppTest, entete: str, nom: str) -> list:
    """The cells of one column of a list of the page, short or long.

    A short list is an HTML table (:func:`atlas.bloc_carte.tableau_court`): its column is found by
    its header ``entete`` and its cells are the texts the reader sees (« 34 564 »). A long one is
    the sortable grid: its column ``nom`` of the frame, as values.
    """
    for tableau in tableaux_html(app):
        if entete in tableau.columns:
            return tableau[entete].tolist()
    for grille in app.dataframe:
        if nom in grille.value.columns:
            return grille.value[nom].tolist()
    raise AssertionError(f"aucune liste de la page n'a la colonne « {entete} » ({nom})")


def chiffres_cles(app: AppTest) -> list[dict]:
    """The key figures of the page (:func:`atlas.ui.chiffre_cle`), in page order.

    Each a dict: ``libelle``, ``valeur``, ``ecart`` (the note under the figure) and ``aide``
    (``None`` when absent), as the reader reads them.
    """
    import html
    import re

    motif = re.compile(
        r"<dl class='atlas-chiffre-cle'><dt>(?P<libelle>.*?)(?:<span class='atlas-aide'[^>]*>\?"
        r"<span class='atlas-bulle'[^>]*>(?P<aide>.*?)</span></span>)?</dt><dd>(?P<valeur>.*?)</dd>"
        r"(?:<dd class='atlas-chiffre-ecart'>(?P<ecart>.*?)</dd>)?</dl>",
        re.S,
    )
    return [
        {k: None if v is None else html.unescape(v) for k, v in m.groupdict().items()}
        for element in app.get("html")
        for m in motif.finditer(element.proto.body)
    ]
