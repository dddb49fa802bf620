"""The map block of the pages: a figure keeps its caption and export row, a table its CSV button."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from atlas import bloc_carte

    colonne, _ = st.columns(2)
    bloc_carte.figure(
        go.Figure(go.Bar(x=[1, 2], y=[3, 4])),
        key="essai",
        legende="Source : essai, 2099.",
        titre="Essai",
        source="Essai",
        nom_fichier="essai",
        dans=colonne,
    )
    frame = pd.DataFrame({"code": ["a"], "n": [3]})
    bloc_carte.tableau_et_csv(
        frame, {"code": "Code", "n": "Nombre"}, export=frame, entete=["Essai"], nom_fichier="essai.csv"
    )


def test_a_figure_comes_with_its_caption_its_image_and_slideshow_buttons_and_a_table_with_its_csv():
    app = AppTest.from_function(_page, default_timeout=30)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.get("plotly_chart")) == 1
    assert [c.value for c in app.caption][0] == "Source : essai, 2099."
    boutons = [b.proto.label for b in app.get("download_button")]
    assert boutons == ["Télécharger l'image (PNG)", "Télécharger le tableau (CSV)"]
    assert [b.label for b in app.button] == ["Ajouter au diaporama"]
    assert len(app.dataframe) == 1 and app.dataframe[0].value["n"].tolist() == [3]


def test_a_page_names_the_greys_and_the_estimates_outline_of_its_map_in_its_own_words():
    # the évolution map's greys and outline mean « at one of the two millésimes »: its legend says so
    from atlas import bloc_carte
    from atlas.classification import LIBELLE_ABSENT, LIBELLE_SECRET
    from atlas.contours_carte import LIBELLE_SELECTION
    from atlas.maps import LIBELLE_ESTIMATION

    donnees = {
        "libelles": ["1 à 2", LIBELLE_SECRET, LIBELLE_ABSENT],
        "legende": [
            {"libelle": "1 à 2", "couleur": "#fff"},
            {"libelle": LIBELLE_SECRET, "couleur": "#777"},
            {"libelle": LIBELLE_ESTIMATION, "couleur": "#000", "contour": True},
            {"libelle": f"{LIBELLE_SELECTION} : Nantes", "couleur": "#00f", "contour": True},
        ],
    }
    bloc_carte.nommer_gris(donnees, secret="Secret à un millésime", absent="Absent", estimation="Sur une estimation")
    assert donnees["libelles"] == ["1 à 2", "Secret à un millésime", "Absent"]
    assert [e["libelle"] for e in donnees["legende"]] == [
        "1 à 2",
        "Secret à un millésime",
        "Sur une estimation",
        f"{LIBELLE_SELECTION} : Nantes",
    ]
