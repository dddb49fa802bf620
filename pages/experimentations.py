"""Suivi des expérimentations: each « aller vers » experiment against its objectives, month by month,
its funnel over time and the rest of the region as a reference; editors declare experiments."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import datetime as dt

import pandas as pd
import streamlit as st

from atlas import bloc_carte, imports, presentation, ui
from atlas import experimentations as ex
from atlas import experimentations_declaration as declaration
from atlas import experimentations_figures as figures
from atlas import experimentations_suivi as suivi
from atlas.exports import csv_fr
from atlas.formatting import espaces_insecables, format_nombre
from commun.erreurs import EtlError

st.title("Suivi des expérimentations", anchor=False)
# on a projector (1280 × 720) the presenter says it: title, territory and key figures on the first screen
en_presentation = presentation.actif()
if not en_presentation:
    st.markdown(
        espaces_insecables(
            "Chaque expérimentation d'aller vers (par exemple un *Territoire zéro non-recours*) est suivie à partir des "
            "visites de **ses structures sur son territoire**, par mois entiers depuis son mois de début : réalisé et "
            "objectif mois par mois et en cumul, entonnoir du contact à l'ouverture des droits, et les mêmes taux pour le "
            "reste de la région en référence."
        )
    )

liste = ex.experimentations()


def _afficher_import() -> None:
    """The outcome of the last import of this session (kept across the rerun that redraws the page)."""
    dernier = st.session_state.pop("import_experimentations", None)
    if dernier is None:
        return
    resultat, rejets, nom_fichier = dernier
    st.success(imports.bilan_import(resultat, "expérimentations"))
    if rejets:
        st.download_button(
            "Télécharger les lignes rejetées (CSV, avec le motif)",
            rejets,
            file_name=f"{nom_fichier}.rejets.csv",
            mime="text/csv",
            key="rejets_experimentations",
        )


def _importer(nom: str, contenu: bytes) -> None:
    journal = st.status("Import en cours…", expanded=True)
    try:
        resultat, rejets = declaration.importer(nom, contenu, log=journal.text)
    except EtlError as exc:
        journal.update(label="Import refusé", state="error")
        st.error(f"Import refusé : {exc}. La base n'a pas été modifiée.")
    else:
        # the page above (list of experiments, figures) was drawn before the import: redraw it
        st.session_state["import_experimentations"] = (resultat, rejets, nom)
        st.rerun()


def zone_declaration(choisie: dict | None = None) -> None:
    """Editors: declare or correct experiments, by CSV or with a form (same import)."""
    ouvert = "import_experimentations" in st.session_state
    with st.expander(
        "Déclarer ou corriger une expérimentation (éditeurs)", icon=":material/edit_note:", expanded=ouvert
    ):
        st.markdown(
            espaces_insecables(
                "Une ligne par mois d'une expérimentation : `code` (facultatif), `nom`, `structures` (noms exacts des "
                "structures dans les fichiers de visites, séparés par `|`), `territoire` (code INSEE de commune, SIREN "
                "d'EPCI ou code de département), `date_debut`, `date_fin` (facultative), `mois` (AAAA-MM) et les "
                "objectifs du mois : `contacts`, `bilans`, `droits_ouverts` (ménages), `taux_non_recours` (%). "
                "Chaque ligne invalide est rejetée avec la ligne, la colonne, la valeur et le motif. Redéclarer un code "
                "remplace l'expérimentation et tous ses objectifs ; réimporter le même fichier ne change rien. Une "
                "déclaration réelle remplace les expérimentations de démonstration."
            )
        )
        st.download_button(
            "Télécharger un modèle (CSV, exemple de démonstration)",
            declaration.modele(),
            file_name="modele_experimentations.csv",
            mime="text/csv",
            key="modele_experimentations",
        )
        if choisie is not None:
            # to correct it: edit this file and import it again (same code: it replaces the experiment)
            libelle, nom_fichier = declaration.telechargement_declaration(choisie)
            st.download_button(
                libelle,
                lambda: declaration.declaration_actuelle(choisie),
                file_name=nom_fichier,
                mime="text/csv",
                key="declaration_experimentation",
            )
        if not imports.zone_editeur("experimentations"):
            return
        _afficher_import()
        onglet_fichier, onglet_formulaire = st.tabs(["Fichier CSV", "Formulaire"])
        with onglet_fichier:
            fichier = st.file_uploader(
                "Fichier des expérimentations (CSV)", type=["csv"], key="fichier_experimentations"
            )
            if fichier is not None and st.button("Importer", type="primary", key="importer_experimentations"):
                _importer(fichier.name, fichier.getvalue())
        with onglet_formulaire:
            _formulaire()


def _formulaire() -> None:
    """The declaration form: name, structures, territory, dates and the monthly objectives, imported as a CSV."""
    nom = st.text_input("Nom de l'expérimentation", key="formulaire_nom")
    code = st.text_input("Code (facultatif : tiré du nom)", key="formulaire_code")
    structures = st.multiselect(
        "Structures (comme dans les fichiers de visites)",
        ex.structures_visites(),
        accept_new_options=True,
        placeholder="Choisir ou saisir le nom d'une structure",
        key="formulaire_structures",
    )
    options = declaration.territoires_possibles()
    territoire = st.selectbox(
        "Territoire",
        list(options),
        format_func=options.get,
        index=None,
        placeholder="Choisir une commune, un EPCI ou un département",
        key="formulaire_territoire",
    )
    col_debut, col_fin = st.columns(2)
    debut = col_debut.date_input(
        "Date de début", value=dt.date.today().replace(day=1), format="DD/MM/YYYY", key="formulaire_debut"
    )
    fin = col_fin.date_input("Date de fin (facultative)", value=None, format="DD/MM/YYYY", key="formulaire_fin")
    saisie = st.data_editor(
        declaration.grille_objectifs(debut, fin),
        num_rows="dynamic",
        placeholder=ui.MANQUANT,  # an objective left empty (Streamlit would write « None »)
        hide_index=True,
        key=f"formulaire_objectifs_{debut:%Y%m}_{fin}",
        column_config={
            "mois": st.column_config.TextColumn("Mois (AAAA-MM)"),
            "contacts": st.column_config.NumberColumn("Contacts (ménages)", min_value=0, step=1),
            "bilans": st.column_config.NumberColumn("Bilans", min_value=0, step=1),
            "droits_ouverts": st.column_config.NumberColumn("Droits ouverts (ménages)", min_value=0, step=1),
            "taux_non_recours": st.column_config.NumberColumn(
                "Taux de non-recours détecté (%)", min_value=0, max_value=100
            ),
        },
    )
    if st.button("Enregistrer l'expérimentation", type="primary", key="enregistrer_experimentation"):
        contenu = declaration.fichier_declaration(
            {
                "code": code.strip(),
                "nom": nom.strip(),
                "structures": structures,
                "territoire": territoire or "",
                "date_debut": debut,
                "date_fin": fin,
            },
            saisie,
        )
        _importer("experimentation_saisie.csv", contenu)


if liste.empty:
    st.info(
        "Aucune expérimentation n'est déclarée. Un éditeur peut en déclarer une ci-dessous ou avec "
        "`python -m etl import-experimentations FICHIER`."
    )
    zone_declaration()
    ui.pied_de_page([])
    st.stop()

DEMO = bool(liste["demonstration"].any())
VISITES_DEMO = ex.visites_demonstration()
if VISITES_DEMO and not DEMO:
    st.warning(
        espaces_insecables(
            "**Visites de démonstration** : les expérimentations sont déclarées, mais aucune visite réelle n'est importée ; "
            "les chiffres ci-dessous comptent des visites inventées."
        )
    )
if DEMO and en_presentation:
    st.warning("**Données de démonstration** : expérimentations, objectifs et visites inventés, jamais à citer.")
elif DEMO:
    st.warning(
        espaces_insecables(
            "**Données de démonstration** : les trois expérimentations ci-dessous (les *Territoires zéro non-recours* de "
            "Chemillé-en-Anjou, du Pays de la Châtaigneraie et de Redon Agglomération, lauréats cités par le Pacte des "
            "solidarités) ont des dates, des objectifs et des visites **inventés** pour montrer l'outil. Une déclaration "
            "réelle les remplace."
        )
    )

libelles = {r.code: f"{r.nom} — {r.nom_territoire}" for r in liste.itertuples()}
code = st.selectbox("Expérimentation", list(libelles), format_func=libelles.get, key="experimentation")
experimentation = liste.set_index("code").loc[code].to_dict() | {"code": code}
demo = bool(experimentation["demonstration"]) or VISITES_DEMO
mois = ex.mois_suivis(experimentation)
niveaux = {"commune": "commune", "epci": "EPCI", "departement": "département"}
fin = experimentation["date_fin"]
# in presentation mode the list is hidden: the line names the experiment shown
st.markdown(
    espaces_insecables(
        (f"**{experimentation['nom']}** · " if en_presentation else "")
        + f"**Territoire** : {experimentation['nom_territoire']} ({niveaux[experimentation['niveau']]} "
        f"{experimentation['code_territoire']}) · **Structures** : {', '.join(experimentation['structures'])} · "
        f"**Début** : {pd.Timestamp(experimentation['date_debut']):%d/%m/%Y} · **Fin** : "
        + ("en cours" if pd.isna(fin) else f"{pd.Timestamp(fin):%d/%m/%Y}")
    )
)
if not mois:
    st.info("Aucune visite n'est encore importée pour les mois de cette expérimentation.")
    zone_declaration()
    ui.pied_de_page([])
    st.stop()

source = ex.source(experimentation, mois)
# on a projector the source and the secret rule go under the key figures
bloc_source = st.container()
mensuel = ex.comptes_mensuels(experimentation)
reste = ex.comptes_mensuels(experimentation, reste=True)
progression = suivi.progression(mensuel, ex.objectifs(code))
entonnoir = suivi.entonnoir_mensuel(mensuel)
reference = suivi.reference(mensuel, reste)

# Progress against each objective, cumulated since the start
st.subheader("Où en est l'expérimentation ?", anchor=False)
st.caption(f"Cumul depuis {ex.libelle_mois(mois[0])}, jusqu'à {ex.libelle_mois(mois[-1])} inclus.")
colonnes = st.columns(len(ex.OBJECTIFS))
for colonne, indicateur in zip(colonnes, ex.OBJECTIFS, strict=True):
    etat = suivi.situation(progression, indicateur)
    taux = indicateur == "taux_non_recours"
    objectif = etat["objectif"]
    texte_objectif = (
        "pas d'objectif déclaré"
        if pd.isna(objectif)
        else f"objectif {'moyen' if taux else 'cumulé'} : {format_nombre(objectif, 0, '%' if taux else None)}"
    )
    if not etat["dernier"]:
        # the last cumul would give back small months: the last one shown, with its month
        texte_objectif = f"à fin {ex.libelle_mois(etat['mois'])} (mois suivants masqués) ; {texte_objectif}"
    atteinte = etat["atteinte_pct"]
    valeur = etat["valeur"]
    # light HTML, not st.metric (its chunks: 65 kB of script)
    ui.chiffre_cle(
        ex.OBJECTIFS_COURTS[indicateur],
        valeur,
        ecart=None if pd.isna(atteinte) else f"{format_nombre(atteinte, 0, '%')} de l'objectif",
        aide=ex.DEFINITION_TAUX
        if taux
        else f"{ex.OBJECTIFS[indicateur]} depuis le début de l'expérimentation (nombre de ménages).",
        dans=colonne,
    )
    colonne.caption(espaces_insecables(texte_objectif))
(st.container() if en_presentation else bloc_source).caption(
    espaces_insecables(f"Source : {source}. {ex.REGLE_SECRET}")
)

st.subheader("Réalisé et objectif, mois par mois", anchor=False)
indicateur = st.radio(
    "Objectif suivi",
    list(ex.OBJECTIFS),
    format_func=ex.OBJECTIFS.get,
    horizontal=True,
    key="indicateur_suivi",
)


def graphique(figure, cle: str, titre: str, sous_titre: str, nom_fichier: str, legende: str | None = None) -> None:
    """A chart of the page (larger on a projector), its caption, and its export row (PNG, slide) under it."""
    bloc_carte.figure(
        presentation.agrandir(figure),
        image=lambda: figure,
        key=cle,
        titre=f"{experimentation['nom']} : {titre}",
        sous_titre=sous_titre,
        legende=legende,
        source=source,
        demonstration=demo,
        nom_fichier=f"experimentation_{code}_{nom_fichier}",
    )


col_mois, col_cumul = st.columns(2)
with col_mois:
    graphique(
        figures.progression_mois(progression, indicateur, mois),
        "progression_mois",
        f"{ex.OBJECTIFS[indicateur].lower()}, réalisé et objectif par mois",
        f"{experimentation['nom_territoire']} ; moins de 5 ménages : masqué",
        f"{indicateur}_mois",
    )
with col_cumul:
    graphique(
        figures.progression_cumul(progression, indicateur, mois),
        "progression_cumul",
        f"{ex.OBJECTIFS[indicateur].lower()}, cumul et objectif",
        f"{experimentation['nom_territoire']} ; depuis {ex.libelle_mois(mois[0])}",
        f"{indicateur}_cumul",
    )
if indicateur == "taux_non_recours":
    st.caption(ex.DEFINITION_TAUX + " Objectif moyen : moyenne des objectifs mensuels depuis le début.")

# Funnel over time
st.subheader("Du contact à l'ouverture des droits, mois par mois", anchor=False)
graphique(
    figures.entonnoir(entonnoir, mois),
    "entonnoir_mois",
    "du contact à l'ouverture des droits",
    "Ménages à chaque étape, par mois ; moins de 5 ménages : masqué",
    "entonnoir",
)

# The rest of the region as a reference (rates only)
st.subheader("Comparaison avec le reste de la région", anchor=False)
cle_taux = st.selectbox("Taux comparé", list(ex.TAUX), format_func=lambda k: ex.TAUX[k][2], key="taux_reference")
_num, _den, libelle_taux, definition_taux = ex.TAUX[cle_taux]
graphique(
    figures.reference(reference, cle_taux, mois),
    "reference",
    f"{libelle_taux.lower()} comparé au reste de la région",
    ex.sous_titre_taux(cle_taux),
    f"{cle_taux}_reference",
    legende=f"{libelle_taux} = {definition_taux}. Reste de la région : visites de toutes les structures hors du "
    f"territoire de l'expérimentation ({experimentation['nom_territoire']}), mêmes mois. Taux arrondis, non affichés "
    "sur moins de 10 ménages ou quand leur numérateur est masqué.",
)

# The whole month-by-month table: text alternative of the charts and CSV export
export = suivi.tableau_export(progression, reference, entonnoir)
ui.donnees_en_tableau(
    lambda: suivi.tableau_affichage(export), titre="Les données des graphiques en tableau (mois par mois)"
)
st.download_button(
    "Télécharger le suivi (CSV)",
    lambda: csv_fr(
        suivi.tableau_csv(export),
        [
            f"{experimentation['nom']} — {experimentation['nom_territoire']}"
            + (" (données de démonstration)" if demo else ""),
            f"Source : {source}",
            ex.DEFINITION_TAUX,
            ex.REGLE_SECRET,
        ],
    ),
    file_name=f"experimentation_{code}.csv",
    mime="text/csv",
    key="csv_experimentation",
)

zone_declaration(experimentation)
ui.pied_de_page([])
