"""Fiche territoire: every indicator of a commune, EPCI or département, compared with its surroundings."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

from html import escape

import streamlit as st

from atlas import (
    bloc_carte,
    comparables,
    diaporama_ui,
    fiche,
    fiche_chiffres,
    fiche_figures,
    fiche_pdf,
    fiche_series,
    fiche_tableaux,
    fiche_vues,
    images,
    presentation,
    queries,
    telechargement,
    ui,
)
from atlas.explorer import message_lien_incomplet
from atlas.formatting import espaces_insecables, format_nombre
from atlas.graphiques_html import tableau_html
from atlas.maps import CONFIG_PLOTLY
from atlas.url import remplacements

#: The theme whose block comes first (the others follow in alphabetical order).
THEME_PREMIER = "Revenus et pauvreté"

# Print-friendly: no sidebar, toolbar or widgets on paper.
# (st.html: a style alone takes no room, and no Markdown of raw HTML is loaded for it)
st.html(
    """<style>@media print {
    [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
    .stSelectbox, .stButton, .stDownloadButton {display: none !important;}
    .block-container {padding-top: 0 !important;}
    }</style>"""
)
st.title("Fiche territoire", anchor=False)


def volet_theme(theme: str, vue: fiche_vues.VueFiche, nom: str, niveau: str, code: str) -> None:
    """A theme's tabs: its table, and its comparison and series charts drawn only once the reader opens them.

    Only the open tab runs (``on_change="rerun"``): a chart in a tab nobody opened costs the
    browser nothing (plotly.js, layout, SVG). Switching tabs reruns the page, not a fragment: a
    chart added to the slideshow is then counted at once by the sidebar's basket, with its toast.
    """
    onglets = (
        ["Tableau"]
        + (["Comparaison"] if theme in vue.comparaisons else [])
        + (["Évolution sur plusieurs millésimes"] if theme in vue.series else [])
    )
    cle = f"fiche_onglets_{theme}"
    if st.session_state.get(cle) not in onglets:
        # another territory without this tab: back to the table
        st.session_state.pop(cle, None)
    zones = dict(zip(onglets, st.tabs(onglets, key=cle, on_change="rerun"), strict=True))
    if zones["Tableau"].open:
        # a profile is read, not sorted: one HTML table with its sources and remarks under it
        zones["Tableau"].html(vue.tableaux_html[theme])
    if "Comparaison" in zones and zones["Comparaison"].open:
        with zones["Comparaison"]:
            fig, taux = vue.comparaisons[theme], vue.taux[theme]
            st.plotly_chart(fig, config=CONFIG_PLOTLY, key=f"comparaison_{theme}")
            if (taux["statut"] == "estime").any():
                st.caption(
                    "Barre hachurée : estimation de l'atlas (l'INSEE garde la valeur secrète), avec son "
                    "intervalle à 80 % ; méthode et erreur mesurée sur « Données et méthodes »."
                )
            ui.exports_figure(
                fig,
                titre=f"{nom} — {theme}",
                sous_titre=fiche_tableaux.sous_titre_comparaison(niveau),
                source=fiche.sources_du_bloc(taux)
                + (" ; barre hachurée : estimation de l'atlas" if (taux["statut"] == "estime").any() else ""),
                demonstration=fiche.demonstration_du_bloc(taux),
                nom_fichier=f"fiche_{niveau}_{code}_{theme}",
                key=f"comparaison_{theme}",
            )
    if "Évolution sur plusieurs millésimes" in zones and zones["Évolution sur plusieurs millésimes"].open:
        with zones["Évolution sur plusieurs millésimes"]:
            fig_series = vue.series[theme]
            st.plotly_chart(fig_series, config=CONFIG_PLOTLY, key=f"series_{theme}")
            st.caption(fiche_series.PHRASE_SERIES)
            # the source of each plotted indicator, with the territory's millésimes of the series
            avec_series = vue.lignes_series[theme]
            ui.exports_figure(
                fig_series,
                titre=f"{nom} — {theme} : évolution",
                sous_titre="Le territoire, son département, la région et la France, à leurs millésimes",
                source=fiche.sources_du_bloc(avec_series),
                demonstration=fiche.demonstration_du_bloc(avec_series),
                nom_fichier=f"fiche_{niveau}_{code}_{theme}_evolution",
                key=f"series_{theme}",
            )


liste = fiche.territoires_recherche()
options = (liste["niveau"] + ":" + liste["code"]).tolist()
etiquettes = dict(
    zip(
        options,
        liste["nom"] + " — " + liste["niveau"].map(fiche.LIBELLES_NIVEAU) + " (" + liste["code"] + ")",
        strict=True,
    )
)
demande = f"{st.query_params.get('niveau', '')}:{st.query_params.get('code', '')}"
# the address is read on the session's first run only: later ones follow the selectbox
premier_passage = "fiche_territoire" not in st.session_state
if premier_passage:
    st.session_state["fiche_territoire"] = (
        demande if demande in etiquettes else "commune:49007" if "commune:49007" in etiquettes else options[0]
    )
# The list of 1 305 territories sits in a popover, which the browser builds only once opened: on
# the page, a selectbox that long was rebuilt by the browser at each element drawn after it (about
# a third of a second of script per load on a busy machine). Hidden in presentation mode (its key).
with st.container(key="controles_fiche"), st.popover("Changer de territoire", icon=":material/search:"):
    choix = st.selectbox(
        "Territoire (tapez un nom ou un code)", options, format_func=etiquettes.get, key="fiche_territoire"
    )
niveau, code = choix.split(":", 1)
# Compared territory: any of the same level, the closest profile by default, reset with the territory.
proches = fiche_vues.comparables(niveau, code)
du_niveau = liste[(liste["niveau"] == niveau) & (liste["code"] != code)]
noms_niveau = dict(zip(du_niveau["code"], du_niveau["nom"] + " (" + du_niveau["code"] + ")", strict=True))
if st.session_state.get("fiche_comparer_de") != choix:
    demande_comparer = st.query_params.get("comparer", "") if "fiche_comparer_de" not in st.session_state else ""
    st.session_state["fiche_comparer"] = (
        demande_comparer if demande_comparer in noms_niveau else (proches["code"].iloc[0] if len(proches) else "")
    )
    st.session_state["fiche_comparer_de"] = choix
compare = st.session_state["fiche_comparer"] if st.session_state["fiche_comparer"] in noms_niveau else ""
# a stale or hostile link (unknown code, a territory to compare of another level) says what replaced it
if premier_passage and (
    message := message_lien_incomplet(
        remplacements(st.query_params, {"niveau": niveau, "code": code, "comparer": compare})
    )
):
    st.warning(message, icon=":material/link_off:")
st.query_params.from_dict({"niveau": niveau, "code": code, **({"comparer": compare} if compare else {})})

ident = fiche.identite(niveau, code)
st.header(ident["nom"], anchor=False)
details = [
    # first letter only: str.capitalize() turned « EPCI » into « Epci »
    f"{fiche.LIBELLES_NIVEAU[niveau][:1].upper()}{fiche.LIBELLES_NIVEAU[niveau][1:]} ({code})",
    f"{format_nombre(ident['population'])} habitants (population municipale "
    f"{queries.metadonnees()['millesime_population']}{', calculée : voir la note' if ident['note_population'] else ''})",
    f"{format_nombre(ident['superficie_km2'], 1, 'km²')}",
]
if niveau == "commune":
    details.append(f"EPCI : {ident['nom_epci']}" if ident["nom_epci"] else "Commune hors EPCI à fiscalité propre")
if niveau in ("commune", "epci"):
    details.append(f"Département : {ident['nom_departement']}")
st.markdown(" · ".join(details))
if ident["note_population"]:
    st.caption(f"Population : {ident['note_population']}.")
# tables and figures built once per database and shared by every session (atlas.fiche_vues)
vue = fiche_vues.vue(niveau, code, compare or None)
profil, nom_compare = vue.profil, vue.nom_compare
# the figures a committee asks for first, under the territory's name: above the map and the lists
if vue.chiffres:
    st.html(fiche_chiffres.chiffres_html(vue.chiffres, grand=presentation.actif()))

with st.container(key="exports_fiche", horizontal=True):
    if images.chromium() is None:
        st.caption(images.MESSAGE_SANS_CHROMIUM.replace("Export d'image", "Export PDF"))
    st.download_button(
        "Télécharger la fiche (PDF)",
        data=telechargement.prepare(
            lambda: fiche_pdf.pdf_fiche(niveau, code, compare or None),
            quoi="La fiche PDF n'a pas pu être préparée",
            conseil="Réessayez dans un instant ; les tableaux de la fiche restent sur la page.",
        ),
        file_name=f"fiche-{niveau}-{code}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        disabled=images.chromium() is None,
        help="Deux ou trois pages A4 : carte de situation et tous les indicateurs, puis leurs séries, sources et date "
        "d'extraction ; "
        "préparée au clic (une dizaine de secondes).",
    )
    if not profil.empty:
        diaporama_ui.bouton_ajouter_tableau(
            vue.diaporama,
            titre=f"Fiche territoire — {ident['nom']}",
            sous_titre=" · ".join(details[:3]),
            source=fiche.sources_du_bloc(profil),
            demonstration=fiche.demonstration_du_bloc(profil),
            key="diaporama_fiche",
        )

# the map takes the wider column: its legend stands beside it
col_carte, col_infos = st.columns([3, 2])
# the region has no other territory of its level to draw in grey
legende_carte = {
    "commune": "En rouge, le territoire ; en gris, les communes de son département.",
    "epci": "En rouge, le territoire ; en gris, les autres EPCI de son département.",
    "region": "En rouge, la région, seule de son échelon dans l'atlas.",
}.get(niveau, "En rouge, le territoire ; en gris, les autres territoires du même échelon.")
# on screen the atlas's map component; the PNG and the slide draw its plotly twin, on click only
bloc_carte.carte(
    fiche_vues.donnees_situation(niveau, code),
    key="carte_fiche",
    image=lambda: fiche_figures.carte_situation(niveau, code),
    titre=f"{ident['nom']} — {fiche.LIBELLES_NIVEAU[niveau]} ({code})",
    sous_titre=legende_carte,
    source=fiche.source_geographie(),
    nom_fichier=f"situation_{niveau}_{code}",
    legende=legende_carte,
    dans=col_carte,
)

if niveau == "commune":
    # the quartiers (a long list folded) and the commune's character in one element
    col_infos.html(
        fiche_chiffres.encadre_commune_html(
            fiche.qpv_de_la_commune(code), queries.millesime_source("anct_qpv_contours"), fiche.typologie(code)
        )
    )

st.subheader("Territoires comparables", anchor=False)
if niveau == "region":
    st.caption("La région est seule de son échelon dans l'atlas : pas de territoire comparable.")
else:
    if len(proches):
        # five rows read, not sorted: an HTML table (no grid, no Markdown cell to render)
        st.html(
            tableau_html(
                comparables.tableau_comparables(proches).astype({"Rang": str}),
                {c: c for c in ("Rang", "Territoire", "Distance", "Variables communes")},
                nombres=["Rang", "Distance"],
                notes=[comparables.phrase_methode()],
            )
        )
    else:
        st.caption(
            f"Trop peu de valeurs publiées pour ce territoire (moins de {comparables.MIN_VARIABLES} variables) : "
            "pas de territoire comparable proposé ; vous pouvez en choisir un."
        )
        st.caption(comparables.phrase_methode())
    # the territories of the level (1 227 communes) in a popover, built by the browser once opened,
    # as the territory list at the top; its button names the territory compared
    with (
        st.container(key="controles_comparer"),
        st.popover(
            f"Comparer avec : {noms_niveau[compare]}" if compare else "Comparer avec un autre territoire",
            icon=":material/compare_arrows:",
        ),
    ):
        st.selectbox(
            "Comparer avec (une colonne du tableau et une barre des graphiques)",
            ["", *noms_niveau],
            format_func=lambda c: noms_niveau.get(c, "Aucune comparaison"),
            key="fiche_comparer",
        )
if profil.empty:
    st.info("Aucun indicateur n'est disponible à cet échelon pour ce territoire.")
else:
    st.subheader("Indicateurs", anchor=False)
    st.caption(fiche_tableaux.phrase_profil(niveau))
    profil_conteneur = st.container(key="fiche_profil")
    for theme in sorted(vue.blocs, key=lambda t: (t != THEME_PREMIER, t)):
        # one folded block per theme, poverty first: the key figures above say the main values, and
        # every value, chart and series stays one click away. A folded block is built when the
        # reader opens it (a rerun): its tabs and table cost the browser even folded (an open
        # poverty block was about 270 of the page's 980 DOM nodes, and the tabs' script)
        n = len(vue.blocs[theme])
        volet = profil_conteneur.expander(
            f"{theme} ({format_nombre(n)} {'indicateur' if n < 2 else 'indicateurs'})",
            expanded=False,
            icon=":material/table:",
            key=ui.cle_tableau(theme, "fiche_volet"),
            on_change="rerun",
        )
        if volet.open:
            with volet:
                volet_theme(theme, vue, ident["nom"], niveau, code)
    # the sources, numbered once for the page and listed here with the millésimes the page shows:
    # a block names their numbers instead of repeating them. Plain HTML: as Markdown, this long list
    # was parsed by the browser's Markdown renderer at every load
    st.html(
        "<div class='atlas-sources'><p><strong>Sources des indicateurs</strong></p><ol>"
        + "".join(
            f'<li value="{i}">{escape(espaces_insecables(source))}, millésime {escape(millesimes)}.</li>'
            for source, (i, millesimes) in vue.sources.items()
        )
        + "</ol></div>"
    )
ui.copier_le_lien()
# the profile's sources are listed, numbered, above it: the footer gives the build date only
ui.pied_de_page([] if not profil.empty else None)
