"""Suivi des expérimentations: each « aller vers » experiment against its objectives, month by month,
its funnel over time and the rest of the region as a reference; editors declare experiments."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from atlas import experimentations as ex
from atlas import imports, queries, ui
from atlas.exports import csv_fr
from atlas.formatting import format_nombre, graduations_mensuelles
from atlas.maps import CONFIG_PLOTLY
from commun.erreurs import EtlError

ui.page_via_navigation()

st.title("Suivi des expérimentations")
st.markdown(
    "Chaque expérimentation d'aller vers (par exemple un *Territoire zéro non-recours*) est suivie à partir des "
    "visites de **ses structures sur son territoire**, par mois entiers depuis son mois de début : réalisé et objectif "
    "mois par mois et en cumul, entonnoir du contact à l'ouverture des droits, et les mêmes taux pour le reste de la "
    "région en référence."
)

liste = ex.experimentations()


def _afficher_import() -> None:
    """The outcome of the last import of this session (kept across the rerun that redraws the page)."""
    dernier = st.session_state.pop("import_experimentations", None)
    if dernier is None:
        return
    resultat, rejets, nom_fichier = dernier
    st.success(
        f"{resultat.lues} lignes lues = {resultat.chargees} chargées + {resultat.rejetees} rejetées + "
        f"{resultat.doublons} doublons."
        + (
            f" Les {resultat.demonstration_supprimees} expérimentations de démonstration ont été retirées."
            if resultat.demonstration_supprimees
            else ""
        )
    )
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
        resultat, rejets = ex.importer(nom, contenu, log=journal.text)
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
            "Une ligne par mois d'une expérimentation : `code` (facultatif), `nom`, `structures` (noms exacts des "
            "structures dans les fichiers de visites, séparés par `|`), `territoire` (code INSEE de commune, SIREN "
            "d'EPCI ou code de département), `date_debut`, `date_fin` (facultative), `mois` (AAAA-MM) et les "
            "objectifs du mois : `contacts`, `bilans`, `droits_ouverts` (ménages), `taux_non_recours` (%). "
            "Chaque ligne invalide est rejetée avec la ligne, la colonne, la valeur et le motif. Redéclarer un code "
            "remplace l'expérimentation et tous ses objectifs ; réimporter le même fichier ne change rien. Une "
            "déclaration réelle remplace les expérimentations de démonstration."
        )
        st.download_button(
            "Télécharger un modèle (CSV, exemple de démonstration)",
            ex.modele(),
            file_name="modele_experimentations.csv",
            mime="text/csv",
            key="modele_experimentations",
        )
        if choisie is not None:
            # to correct it: edit this file and import it again (same code: it replaces the experiment)
            st.download_button(
                "Télécharger la déclaration de l'expérimentation affichée (CSV, à corriger puis réimporter)",
                lambda: ex.declaration_actuelle(choisie),
                file_name=f"experimentation_{choisie['code']}_declaration.csv",
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
            nom = st.text_input("Nom de l'expérimentation", key="formulaire_nom")
            code = st.text_input("Code (facultatif : tiré du nom)", key="formulaire_code")
            structures = st.multiselect(
                "Structures (comme dans les fichiers de visites)",
                ex.structures_visites(),
                accept_new_options=True,
                placeholder="Choisir ou saisir le nom d'une structure",
                key="formulaire_structures",
            )
            options = {}
            for niveau, libelle in (("departement", "département"), ("epci", "EPCI"), ("commune", "commune")):
                for r in queries.territoires(niveau).itertuples():
                    options[r.code] = f"{r.nom} ({libelle} {r.code})"
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
            mois = pd.date_range(debut.replace(day=1), periods=12, freq="MS")
            if fin is not None:
                mois = mois[mois <= pd.Timestamp(fin)]
            grille = pd.DataFrame(
                {
                    "mois": [f"{m:%Y-%m}" for m in mois],
                    **{k: pd.Series([None] * len(mois), dtype=float) for k in ex.OBJECTIFS},
                }
            )
            saisie = st.data_editor(
                grille,
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
                contenu = ex.fichier_declaration(
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
        "**Visites de démonstration** : les expérimentations sont déclarées, mais aucune visite réelle n'est importée ; "
        "les chiffres ci-dessous comptent des visites inventées."
    )
if DEMO:
    st.warning(
        "**Données de démonstration** : les trois expérimentations ci-dessous (les *Territoires zéro non-recours* de "
        "Chemillé-en-Anjou, du Pays de la Châtaigneraie et de Redon Agglomération, lauréats cités par le Pacte des "
        "solidarités) ont des dates, des objectifs et des visites **inventés** pour montrer l'outil. Une déclaration "
        "réelle les remplace."
    )

libelles = {r.code: f"{r.nom} — {r.nom_territoire}" for r in liste.itertuples()}
code = st.selectbox("Expérimentation", list(libelles), format_func=libelles.get, key="experimentation")
experimentation = liste.set_index("code").loc[code].to_dict() | {"code": code}
demo = bool(experimentation["demonstration"]) or VISITES_DEMO
mois = ex.mois_suivis(experimentation)
etiquette_demo = " — données de démonstration" if demo else ""
niveaux = {"commune": "commune", "epci": "EPCI", "departement": "département"}
fin = experimentation["date_fin"]
st.markdown(
    f"**Territoire** : {experimentation['nom_territoire']} ({niveaux[experimentation['niveau']]} "
    f"{experimentation['code_territoire']}) · **Structures** : {', '.join(experimentation['structures'])} · "
    f"**Début** : {pd.Timestamp(experimentation['date_debut']):%d/%m/%Y} · **Fin** : "
    + ("en cours" if pd.isna(fin) else f"{pd.Timestamp(fin):%d/%m/%Y}")
)
if not mois:
    st.info("Aucune visite n'est encore importée pour les mois de cette expérimentation.")
    zone_declaration()
    ui.pied_de_page([])
    st.stop()

source = ex.source(experimentation, mois)
st.caption(f"Source : {source}. {ex.REGLE_SECRET}")
mensuel = ex.comptes_mensuels(experimentation)
reste = ex.comptes_mensuels(experimentation, reste=True)
progression = ex.progression(mensuel, ex.objectifs(code))
entonnoir = ex.entonnoir_mensuel(mensuel)
reference = ex.reference(mensuel, reste)
cles = [f"{m:%Y-%m}" for m in mois]
survol_mois = [ex.libelle_mois(m) for m in mois]
axe_mois = graduations_mensuelles(cles)
# half-width charts: fewer, horizontal month labels (rotated ones were cut at the edge)
axe_demi = {**graduations_mensuelles(cles, nombre=4), "tickangle": 0}

# Progress against each objective, cumulated since the start
st.subheader("Où en est l'expérimentation ?")
st.caption(f"Cumul depuis {ex.libelle_mois(mois[0])}, jusqu'à {ex.libelle_mois(mois[-1])} inclus{etiquette_demo}.")
colonnes = st.columns(len(ex.OBJECTIFS))
for colonne, indicateur in zip(colonnes, ex.OBJECTIFS, strict=True):
    etat = ex.situation(progression, indicateur)
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
    colonne.metric(
        ex.OBJECTIFS_COURTS[indicateur],
        valeur,
        delta=None if pd.isna(atteinte) else f"{format_nombre(atteinte, 0, '%')} de l'objectif",
        delta_color="off",
        delta_arrow="off",
        help=ex.DEFINITION_TAUX
        if taux
        else f"{ex.OBJECTIFS[indicateur]} depuis le début de l'expérimentation (nombre de ménages).",
    )
    colonne.caption(texte_objectif)

st.subheader("Réalisé et objectif, mois par mois")
indicateur = st.radio(
    "Objectif suivi",
    list(ex.OBJECTIFS),
    format_func=ex.OBJECTIFS.get,
    horizontal=True,
    key="indicateur_suivi",
)
partie = progression[progression["indicateur"] == indicateur].reset_index(drop=True)
taux = indicateur == "taux_non_recours"
unite = ex.UNITES[indicateur]
couleur = "#08519c"


def _valeurs(serie) -> list:
    """Plain numbers, None where missing (a gap in the line, never a zero)."""
    return [None if pd.isna(v) else float(v) for v in serie]


def _masques(figure: go.Figure, valeurs: pd.Series, masques, libelle: str) -> None:
    """Masked months drawn as grey crosses on the axis, so that a gap does not read as zero."""
    x = [c for c, m in zip(cles, masques, strict=True) if m]
    if not x:
        return
    figure.add_trace(
        go.Scatter(
            x=x,
            y=[0] * len(x),
            mode="markers",
            name=libelle,
            marker={"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": "#636363"}},
            customdata=[s for s, m in zip(survol_mois, masques, strict=True) if m],
            hovertemplate="%{customdata} : " + libelle + "<extra></extra>",
        )
    )


fig_mois = go.Figure()
fig_mois.add_trace(
    go.Bar(
        x=cles,
        y=_valeurs(partie["realise"]),
        name="Réalisé",
        marker_color=couleur,
        customdata=survol_mois,
        hovertemplate="%{customdata} : %{y:,} " + unite + "<extra>Réalisé</extra>",
    )
)
_masques(
    fig_mois,
    partie["realise"],
    partie["realise_masque"],
    "non diffusé (moins de 10 bilans ou masqué)" if taux else "moins de 5 ménages (masqué)",
)
fig_mois.add_trace(
    go.Scatter(
        x=cles,
        y=_valeurs(partie["objectif"]),
        name="Objectif",
        mode="lines+markers",
        line={"color": "#d94801", "dash": "dash"},
        customdata=survol_mois,
        hovertemplate="%{customdata} : objectif %{y:,} " + unite + "<extra></extra>",
    )
)
titre_unite = "%" if taux else f"{unite} par mois"
fig_mois.update_layout(
    height=340,
    margin={"l": 0, "r": 0, "t": 40, "b": 0},
    title=f"{ex.OBJECTIFS[indicateur]} : réalisé et objectif par mois",
    yaxis_title=titre_unite,
    legend={"orientation": "h", "y": -0.15},
    separators=", ",
    xaxis_separatethousands=True,
    yaxis_separatethousands=True,
)
fig_mois.update_xaxes(**axe_demi)
fig_mois.update_yaxes(rangemode="tozero", range=[0, 100] if taux else None)

fig_cumul = go.Figure()
fig_cumul.add_trace(
    go.Scatter(
        x=cles,
        y=_valeurs(partie["cumul_realise"]),
        name="Réalisé cumulé" if not taux else "Taux depuis le début",
        mode="lines+markers",
        line={"color": couleur},
        customdata=survol_mois,
        hovertemplate="%{customdata} : %{y:,} " + unite + "<extra></extra>",
    )
)
_masques(fig_cumul, partie["cumul_realise"], partie["cumul_masque"], "cumul masqué (règle du secret)")
fig_cumul.add_trace(
    go.Scatter(
        x=cles,
        y=_valeurs(partie["cumul_objectif"]),
        name="Objectif cumulé" if not taux else "Objectif moyen",
        mode="lines",
        line={"color": "#d94801", "dash": "dash"},
        customdata=survol_mois,
        hovertemplate="%{customdata} : objectif %{y:,} " + unite + "<extra></extra>",
    )
)
fig_cumul.update_layout(
    height=340,
    margin={"l": 0, "r": 0, "t": 40, "b": 0},
    title=f"{ex.OBJECTIFS[indicateur]} : cumul depuis le début" if not taux else "Taux depuis le début",
    yaxis_title="%" if taux else f"{unite} depuis le début",
    legend={"orientation": "h", "y": -0.15},
    separators=", ",
    xaxis_separatethousands=True,
    yaxis_separatethousands=True,
)
fig_cumul.update_xaxes(**axe_demi)
fig_cumul.update_yaxes(rangemode="tozero", range=[0, 100] if taux else None)

col_mois, col_cumul = st.columns(2)
col_mois.plotly_chart(fig_mois, config=CONFIG_PLOTLY, key="progression_mois")
with col_mois:
    ui.exports_figure(
        fig_mois,
        titre=f"{experimentation['nom']} : {ex.OBJECTIFS[indicateur].lower()}, réalisé et objectif par mois",
        sous_titre=f"{experimentation['nom_territoire']} ; moins de 5 ménages : masqué",
        source=source,
        demonstration=demo,
        nom_fichier=f"experimentation_{code}_{indicateur}_mois",
        key="progression_mois",
    )
col_cumul.plotly_chart(fig_cumul, config=CONFIG_PLOTLY, key="progression_cumul")
with col_cumul:
    ui.exports_figure(
        fig_cumul,
        titre=f"{experimentation['nom']} : {ex.OBJECTIFS[indicateur].lower()}, cumul et objectif",
        sous_titre=f"{experimentation['nom_territoire']} ; depuis {ex.libelle_mois(mois[0])}",
        source=source,
        demonstration=demo,
        nom_fichier=f"experimentation_{code}_{indicateur}_cumul",
        key="progression_cumul",
    )
if taux:
    st.caption(ex.DEFINITION_TAUX + " Objectif moyen : moyenne des objectifs mensuels depuis le début.")

# Funnel over time
st.subheader("Du contact à l'ouverture des droits, mois par mois")
fig_entonnoir = go.Figure()
for etape, teinte in zip(ex.ETAPES, ["#08519c", "#3182bd", "#bd0026", "#fd8d3c", "#31a354"], strict=True):
    fig_entonnoir.add_trace(
        go.Scatter(
            x=cles,
            y=[None if pd.isna(v) else int(v) for v in entonnoir[etape]],
            name=ex.ETAPES[etape],
            mode="lines+markers",
            line_color=teinte,
            customdata=survol_mois,
            hovertemplate="%{customdata} : %{y:,} ménages<extra>" + ex.ETAPES[etape] + "</extra>",
        )
    )
fig_entonnoir.update_layout(
    height=360,
    margin={"l": 0, "r": 0, "t": 40, "b": 0},
    title="Ménages à chaque étape, par mois (point absent : moins de 5, masqué)",
    yaxis_title="ménages par mois",
    legend={"orientation": "h", "y": -0.15},
    separators=", ",
    xaxis_separatethousands=True,
    yaxis_separatethousands=True,
)
fig_entonnoir.update_xaxes(**axe_mois)
fig_entonnoir.update_yaxes(rangemode="tozero")
st.plotly_chart(fig_entonnoir, config=CONFIG_PLOTLY, key="entonnoir_mois")
ui.exports_figure(
    fig_entonnoir,
    titre=f"{experimentation['nom']} : du contact à l'ouverture des droits",
    sous_titre="Ménages à chaque étape, par mois ; moins de 5 ménages : masqué",
    source=source,
    demonstration=demo,
    nom_fichier=f"experimentation_{code}_entonnoir",
    key="entonnoir_mois",
)

# The rest of the region as a reference (rates only)
st.subheader("Comparaison avec le reste de la région")
cle_taux = st.selectbox("Taux comparé", list(ex.TAUX), format_func=lambda k: ex.TAUX[k][2], key="taux_reference")
_num, _den, libelle_taux, definition_taux = ex.TAUX[cle_taux]
fig_reference = go.Figure()
for suffixe, nom_serie, teinte, tirets in (
    ("experimentation", "Expérimentation", "#08519c", "solid"),
    ("reste", "Reste de la région", "#737373", "dot"),
):
    fig_reference.add_trace(
        go.Scatter(
            x=cles,
            y=_valeurs(reference[f"{cle_taux}_{suffixe}"]),
            name=nom_serie,
            mode="lines+markers",
            line={"color": teinte, "dash": tirets},
            customdata=survol_mois,
            hovertemplate="%{customdata} : %{y} %<extra>" + nom_serie + "</extra>",
        )
    )
fig_reference.update_layout(
    height=340,
    margin={"l": 0, "r": 0, "t": 40, "b": 0},
    title=f"{libelle_taux} par mois (%)",
    yaxis_title="%",
    legend={"orientation": "h", "y": -0.15},
    separators=", ",
    xaxis_separatethousands=True,
    yaxis_separatethousands=True,
)
fig_reference.update_xaxes(**axe_mois)
fig_reference.update_yaxes(range=[0, 100])
st.plotly_chart(fig_reference, config=CONFIG_PLOTLY, key="reference")
st.caption(
    f"{libelle_taux} = {definition_taux}. Reste de la région : visites de toutes les structures hors du territoire "
    f"de l'expérimentation ({experimentation['nom_territoire']}), mêmes mois. Taux arrondis, non affichés sur moins "
    "de 10 ménages ou quand leur numérateur est masqué."
)
ui.exports_figure(
    fig_reference,
    titre=f"{experimentation['nom']} : {libelle_taux.lower()} comparé au reste de la région",
    sous_titre=f"{definition_taux} ; par mois, en %",
    source=source,
    demonstration=demo,
    nom_fichier=f"experimentation_{code}_{cle_taux}_reference",
    key="reference",
)

# The whole month-by-month table: text alternative of the charts and CSV export
export = ex.tableau_export(progression, reference, entonnoir)
with st.expander("Les données des graphiques en tableau (mois par mois)", icon=":material/table:"):
    ui.tableau(ex.tableau_affichage(export), hide_index=True)
st.download_button(
    "Télécharger le suivi (CSV)",
    lambda: csv_fr(
        export.rename(columns=ex.libelles_colonnes(list(export.columns))),
        [
            f"{experimentation['nom']} — {experimentation['nom_territoire']}"
            + (" — DONNÉES DE DÉMONSTRATION" if demo else ""),
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
