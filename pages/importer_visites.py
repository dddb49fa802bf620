"""Importer des visites: editors upload the anonymous outcomes of their outreach visits."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import pandas as pd
import streamlit as st

from atlas import bloc_carte, imports, ui
from atlas.formatting import espaces_insecables, format_nombre, texte_litteral
from commun import limites
from commun.erreurs import EtlError
from commun.schema import VISITS_SUFFIXES as SUFFIXES

st.title("Importer des visites", anchor=False)
st.markdown(
    espaces_insecables(
        "Les structures d'aller vers déposent ici les résultats **anonymes** de leurs visites (un ménage rencontré par "
        "ligne). Le format est décrit ci-dessous ; un fichier qui contient une colonne identifiant une personne (nom, "
        "prénom, téléphone, courriel, adresse, date de naissance, NIR) est refusé en entier."
    )
)

# side by side, each its own width: two half-page columns left a gap between the buttons
boutons = st.container(horizontal=True)
boutons.download_button(
    "Télécharger le modèle vide (CSV)", imports.modele_vide(), file_name="modele_visites.csv", mime="text/csv"
)
boutons.download_button(
    "Télécharger un exemple rempli (CSV, structures fictives)",
    lambda: imports.exemple_rempli(),
    file_name="exemple_visites.csv",
    mime="text/csv",
)
televersement, lignes = limites.TELEVERSEMENT_MAX_MO, limites.nombre(limites.LIGNES_MAX)
champs, cellule, texte = limites.CHAMPS_MAX, limites.CELLULE_MAX_CARACTERES, limites.TEXTE_LIBRE_MAX_CARACTERES
with st.expander("Format du fichier"):
    st.markdown(
        espaces_insecables(f"""
- `date_contact` (AAAA-MM-JJ ou JJ/MM/AAAA), `structure`, `code_commune` (code INSEE), `canal`
  (`porte_a_porte`, `permanence`, `espace_public`, `evenement`, `orientation_partenaire`, `telephone`),
  `bilan_realise` (oui / non), `non_recours` (codes séparés par `|` : RSA, PA, AL, CHEQUE_ENERGIE, CSS, AAH, ASPA,
  AF, AUTRE ; vide = aucun), facultatifs : `code_iris`, `code_qpv`, `orientation` (CAF, CPAM, MSA, CCAS,
  France Travail, France Services, Département, Autre), `droits_ouverts`, `date_suivi`, `profil_menage`,
  `tranche_age`, `id_contact` (pseudonyme de la structure, pour éviter les doublons ; seule son empreinte est stockée).
- CSV séparé par `;` ou `,` (UTF-8 ou Windows-1252) ou classeur Excel (.xlsx), de {televersement} Mo au plus
  ({lignes} lignes, {champs} colonnes, {cellule} caractères par cellule au plus).
- Aucune valeur ne doit contenir de numéro de téléphone, d'adresse électronique ni de numéro de sécurité sociale,
  ni dépasser {texte} caractères : la ligne est rejetée et la valeur masquée dans le fichier des rejets.
- Chaque ligne invalide est rejetée avec la ligne, la colonne, la valeur et le motif ; un fichier déjà importé
  ne compte pas deux fois. Un import réel remplace les données de démonstration.
""")
    )

attendu = imports.mot_de_passe_editeur()
if attendu is None:
    st.info(
        espaces_insecables(
            "L'import est désactivé : aucun mot de passe d'éditeur n'est configuré. Un administrateur peut en définir un "
            'dans `.streamlit/secrets.toml` (`editeur_mot_de_passe = "…"`) ou dans la variable d\'environnement '
            "`ATLAS_MOT_DE_PASSE_EDITEUR`. L'import reste possible en ligne de commande : `python -m etl import-visits FICHIER`."
        )
    )
    ui.pied_de_page([])
    st.stop()

if not st.session_state.get("editeur"):
    saisi = st.text_input("Mot de passe d'éditeur", type="password", key="mot_de_passe")
    if st.button("Se connecter", key="connexion"):
        connecte, message = imports.connexion_editeur(saisi, attendu, st.session_state)
        if connecte:
            st.session_state["editeur"] = True
            st.rerun()
        st.error(message)
    st.stop()

fichier = st.file_uploader(
    f"Fichier de visites (CSV ou XLSX, {limites.TELEVERSEMENT_MAX_MO} Mo au plus)",
    type=[suffixe.lstrip(".") for suffixe in SUFFIXES],  # what the rebuild replays, no more
    key="fichier_visites",
)
if fichier is not None and st.button("Importer", type="primary", key="importer"):
    journal = st.status("Import en cours…", expanded=True)
    try:
        resultat, rejets = imports.importer_visites(fichier.name, fichier.getvalue(), log=journal.text)
    except EtlError as exc:
        journal.update(label="Import refusé", state="error")
        # the message quotes the file's header: a Markdown link or image in it must show as typed
        message = texte_litteral(pd.DataFrame({"m": [str(exc)]})).iloc[0, 0]
        st.error(f"Import refusé : {message.rstrip('.')}. La base n'a pas été modifiée.")
    else:
        journal.update(label="Import terminé", state="complete", expanded=False)
        st.success(imports.bilan_import(resultat, "visites"))
        if rejets:
            # each rejected row named on screen (file, line, column, value, reason), not only in the download
            premiers = imports.premiers_rejets(rejets)
            st.markdown(
                espaces_insecables(
                    f"**Lignes rejetées de « {texte_litteral(pd.DataFrame({'m': [fichier.name]})).iloc[0, 0]} »**"
                    + (
                        f" : les {len(premiers)} premières sur {format_nombre(resultat.rejetees)}"
                        if resultat.rejetees > len(premiers)
                        else ""
                    )
                )
            )
            bloc_carte.tableau_court(
                premiers,
                {"ligne": "Ligne", "colonne": "Colonne", "valeur": "Valeur lue", "motif": "Motif du rejet"},
                key="lignes_rejetees",
                largeurs={"ligne": 8, "colonne": 16, "valeur": 20},
            )
            st.download_button(
                "Télécharger les lignes rejetées (CSV, avec le motif)",
                rejets,
                file_name=f"{fichier.name}.rejets.csv",
                mime="text/csv",
            )
ui.pied_de_page([])
