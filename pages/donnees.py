"""Données et méthodes: the sources, what the last build loaded and rejected, how to query the base."""

import streamlit as st

from atlas import indicateurs, queries, ui
from atlas.config import get_settings
from atlas.exports import csv_fr

ui.page_via_navigation()

st.title("Données et méthodes")
st.markdown(
    "L'atlas est construit uniquement à partir de données publiques ouvertes fournies avec le logiciel "
    "(dossier `data/raw/`, jamais modifié). Chaque ligne lue est soit chargée, soit rejetée avec un motif, "
    "soit comptée comme doublon ou hors champ (hors de la région construite) : rien ne disparaît sans trace."
)

st.subheader("Sources")
ui.tableau(
    queries.sources(),
    hide_index=True,
    column_config={
        "source": "Code",
        "libelle": "Description",
        "producteur": "Producteur",
        "millesime": "Millésime",
        "licence": "Licence",
        "demonstration": st.column_config.CheckboxColumn("Démonstration"),
    },
)

st.subheader("Taux nationaux de non-recours")
st.markdown(
    "Le non-recours potentiel estimé (foyers allocataires B × r / (1 − r)) utilise ces taux nationaux. "
    "Chacun mesure une population précise, à une date précise, dans une publication précise : ils ne sont pas "
    "tous de la DREES. Le taux de la prime d'activité date d'avant la réforme de 2019 : l'estimation s'arrête "
    "aux allocataires CNAF de 2018."
)
taux = indicateurs.taux_non_recours()
ui.tableau(
    taux[["droit", "libelle", "taux_publie", "publication", "annee", "mesure", "dernier_millesime_applicable"]].astype(
        {"annee": "Int64", "dernier_millesime_applicable": "Int64"}
    ),
    hide_index=True,
    column_config={
        "droit": None,
        "libelle": "Prestation",
        "taux_publie": "Taux publié",
        "publication": st.column_config.TextColumn("Publication", width="large"),
        "annee": st.column_config.NumberColumn("Année des données", format="%d"),
        "mesure": st.column_config.TextColumn("Ce qu'il mesure", width="large"),
        "dernier_millesime_applicable": st.column_config.NumberColumn("Appliqué jusqu'à la CNAF", format="%d"),
    },
)

st.subheader("Valeurs à l'IRIS à lire avec prudence")
st.markdown(
    "Les valeurs à l'IRIS (table `valeurs`, niveau `iris`) ne sont pas cartographiées par l'atlas ; quand "
    "l'INSEE signale un IRIS comme fragile, chacune de ses valeurs porte la note dans la table "
    "`qualite_valeurs`, à joindre aux valeurs dans toute requête."
)
ui.tableau(
    indicateurs.notes_iris(),
    hide_index=True,
    column_config={
        "note": "Note",
        "nb_iris": ui.colonne_nombre("IRIS"),
        "nb_valeurs": ui.colonne_nombre("Valeurs"),
        "indicateurs": "Indicateurs",
    },
)

st.subheader("Derniers chargements")
charges = queries.chargements()
ui.tableau(
    charges.drop(columns=["sha256"]).round({"duree_s": 2}),
    hide_index=True,
    column_config={
        "source": "Source",
        "fichier": "Fichier",
        "lignes_lues": ui.colonne_nombre("Lues"),
        "lignes_chargees": ui.colonne_nombre("Chargées"),
        "lignes_rejetees": ui.colonne_nombre("Rejetées"),
        "lignes_doublons": ui.colonne_nombre("Doublons"),
        "lignes_hors_champ": ui.colonne_nombre("Hors champ"),
        "debut": st.column_config.DatetimeColumn("Début", format="DD/MM/YYYY HH:mm"),
        "duree_s": ui.colonne_nombre("Durée (s)"),
    },
)

st.subheader("Lignes rejetées")
choix = st.selectbox(
    "Source",
    options=["(toutes)", *charges["source"].unique().tolist()],
    key="source_rejets",
)
rejets = queries.rejets(None if choix == "(toutes)" else choix)
if rejets.empty:
    st.success("Aucune ligne rejetée pour cette sélection.")
else:
    st.write(f"{len(rejets)} lignes rejetées, avec la ligne du fichier, la colonne, la valeur et le motif.")
    ui.tableau(
        rejets,
        hide_index=True,
        column_config={
            "source": "Source",
            "fichier": "Fichier",
            "ligne": "Ligne",
            "colonne": "Colonne",
            "valeur": "Valeur",
            "motif": "Motif",
        },
    )
    st.download_button(
        "Télécharger les rejets (CSV)",
        data=csv_fr(rejets, ["Lignes rejetées lors du dernier chargement de l'Atlas du non-recours"]),
        file_name="rejets.csv",
        mime="text/csv",
        on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
    )

st.subheader("Interroger la base en SQL")
st.markdown(
    f"La base est un fichier DuckDB (`{get_settings().db_path.name}`) : ouvrez-le en lecture seule depuis Python, "
    "le client `duckdb` ou tout outil compatible. Les géométries sont en WKB (EPSG:4326)."
)
# Plain text: the syntax-highlighting palette of st.code falls under 4.5:1 on its grey background.
st.code(queries.EXEMPLE_SQL, language=None)
ui.tableau(
    queries.tables(),
    hide_index=True,
    column_config={"table": "Table", "lignes": "Lignes (estimation)", "colonnes": "Colonnes", "comment": None},
)
ui.pied_de_page()
