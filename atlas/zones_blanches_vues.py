"""What the « Zones blanches » page shows, ready to draw: choices, rules in words, hover texts, lists.

The classification is :mod:`atlas.zones_blanches`'s; the travel-time method and the France
services date are read where the figures come from (:mod:`atlas.mobilite`), never typed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from atlas import mobilite
from atlas import zones_blanches as zb
from atlas.exports import POUR_TRIER, pour_lecteur
from atlas.formatting import format_date_fr, format_mois_fr, format_nombre, libelle_avec_unite
from atlas.maps import contours_estimations


def indicateurs_de_besoin(catalogue: pd.DataFrame) -> dict[str, str]:
    """Indicators that can measure a need on communes: code → « theme — label».

    A need is oriented: counts and populations (no ``sens``) are sizes, not needs.

    Parameters
    ----------
    catalogue : DataFrame
        :func:`atlas.indicateurs.catalogue`.
    """
    communales = catalogue[
        [
            n is not None and "commune" in list(n) and s in ("+", "-")
            for n, s in zip(catalogue["niveaux_disponibles"], catalogue["sens"], strict=True)
        ]
    ]
    return dict(zip(communales["code"], communales["theme"] + " — " + communales["libelle"], strict=True))


def nom_couche(couche: str) -> str:
    """Name of a service layer as users say it (« France services », or the imported layer's name)."""
    return "France services" if couche == "france_services" else couche


def noms_couches(couches: Mapping[str, int]) -> dict[str, str]:
    """Label of each service layer with its number of sites: « France services (1 234 sites) »."""
    return {c: f"{nom_couche(c)} ({format_nombre(n, unite='sites')})" for c, n in couches.items()}


def zones_blanches(data: pd.DataFrame, sens: str) -> pd.DataFrame:
    """The zones blanches of classified ``data`` (``categorie``), the highest need first."""
    return data[data["categorie"] == "zone_blanche"].sort_values("besoin", ascending=sens == "-")


def phrase_regles(
    ind: Mapping,
    regles: zb.Regles,
    seuil_valeur: float | None,
    reference: dt.date | None,
    visites_demo: bool,
    estimations: bool,
) -> str:
    """The caption under the map: the need threshold, what « covered » means, how a secret need counts.

    The time estimate and the island rule are folded under it (:func:`atlas.mobilite.methode_temps_et_iles`).

    Parameters
    ----------
    ind : mapping
        The need indicator (``libelle``, ``sens``, ``unite``, ``millesime``).
    regles : Regles
        The committee's rules.
    seuil_valeur : float or None
        The need threshold in the indicator's unit.
    reference : date or None
        End of the month of the latest visit.
    visites_demo : bool
        Whether the visits are demonstration data.
    estimations : bool
        Whether some needs are the atlas's estimates (they count as values).
    """
    return (
        f"Besoin élevé : {ind['libelle']} {'≥' if ind['sens'] == '+' else '≤'} "
        f"{format_nombre(seuil_valeur, 1, ind['unite'])} ({zb.SEUILS[regles.seuil].lower()}, millésime "
        f"{ind['millesime']}). Couverte : un contact d'aller vers depuis moins de {regles.mois} mois avant le "
        f"{format_date_fr(reference) if reference is not None else '—'} (fin du mois de la dernière visite enregistrée"
        + (", données de démonstration" if visites_demo else "")
        + f") ou un service à moins de {regles.minutes} minutes (temps estimé). "
        "Une commune au besoin couvert par le secret statistique n'est pas classée"
        + (" ; les estimations de l'atlas comptent comme des valeurs (seuil compris)." if estimations else ".")
    )


def textes_survol(data: pd.DataFrame, ind: Mapping) -> pd.DataFrame:
    """Hover texts of the map: ``b`` (the need), ``m`` (nearest service), ``c`` (latest outreach contact).

    Parameters
    ----------
    data : DataFrame
        :func:`atlas.zones_blanches.donnees`.
    ind : mapping
        The need indicator (``libelle``, ``unite``, ``millesime``: a value in a bubble names its year).
    """
    from atlas import indicateurs

    return data.assign(
        b=[
            f"{ind['libelle']} {ind['millesime']} : " + indicateurs.texte_valeur(v, s, lo, hi, ind["unite"])
            for v, s, lo, hi in zip(
                data["besoin"], data["statut_besoin"], data["besoin_bas"], data["besoin_haut"], strict=True
            )
        ],
        m=[
            "Service le plus proche : "
            + (
                format_nombre(v, 0, "min")
                if pd.notna(v)
                else "aucun" + (" sur l'île (pas de lien routier)" if ile else "")
            )
            for v, ile in zip(data["minutes_service"], data["ile"].notna(), strict=True)
        ],
        c=[
            "Dernier contact d'aller vers : "
            + (format_mois_fr(pd.Timestamp(d).strftime("%Y-%m")) if d is not None and pd.notna(d) else "aucun")
            for d in data["dernier_contact"]
        ],
    )


def groupes_carte(data: pd.DataFrame) -> list[tuple]:
    """The map's groups, one per category with its count, estimated needs outlined."""
    return contours_estimations(
        [
            (f"{libelle} ({(data['categorie'] == cle).sum()})", couleur, data.index[data["categorie"] == cle])
            for cle, (libelle, couleur) in zb.CATEGORIES.items()
        ],
        data["statut_besoin"] == "estime",
    )


#: Colours of the service layers' sites, in the order of the layers.
COULEURS_SITES = ("#08519c", "#31a354", "#756bb1", "#636363", "#e6550d")


def couches_de_sites(points: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """The sites of each chosen layer: legend label, colour, and its sites.

    The label counts the sites drawn (the region's, and those within the travel time of one of its
    communes: :func:`atlas.zones_blanches.sites`), not the layer's national count that the layer
    list shows: « Sites : France services (173 sur la carte) ».

    Each site gets its hover bubble (:func:`bulles_de_sites`): ``titre`` and ``lieu``; the count
    stays in the legend.

    Parameters
    ----------
    points : DataFrame
        :func:`atlas.zones_blanches.sites` (``couche``, ``nom``, ``longitude``, ``latitude``,
        ``code_commune``, ``commune``).
    """
    return [
        (
            f"Sites : {nom_couche(couche)} ({format_nombre(len(groupe))} sur la carte)",
            COULEURS_SITES[i % len(COULEURS_SITES)],
            bulles_de_sites(groupe, couche),
        )
        for i, (couche, groupe) in enumerate(points.groupby("couche"))
    ]


def bulles_de_sites(sites: pd.DataFrame, couche: str) -> pd.DataFrame:
    """The hover bubble of each site of one layer: its kind and name, then where it is.

    ``titre``: « France services : France services de Segré » ; ``lieu``: « Commune : Segré-en-Anjou
    Bleu », or « Hors de la région (département 35) » for a site across the border (its commune is
    not among the region's).
    """
    lieux = []
    for code, commune in zip(sites["code_commune"], sites["commune"], strict=True):
        if commune is not None and pd.notna(commune):
            lieux.append(f"Commune : {commune}")
        elif code is not None and pd.notna(code):
            lieux.append(
                f"Hors de la région (département {str(code)[:3] if str(code).startswith('97') else str(code)[:2]})"
            )
        else:
            lieux.append("Commune inconnue")
    return sites.assign(titre=[f"{nom_couche(couche)} : {nom}" for nom in sites["nom"]], lieu=lieux)


def figure_carte(
    data: pd.DataFrame,
    geojson: dict,
    couches: list[tuple[str, str, pd.DataFrame]],
    *,
    emprise: tuple[float, float, float, float],
    fond: str,
):
    """The map as a plotly figure (PNG image and slide): the categories, then the sites of each layer.

    Parameters
    ----------
    data : DataFrame
        :func:`textes_survol` of the classified communes (``categorie``).
    geojson : dict
        The commune layer.
    couches : list
        :func:`couches_de_sites` (empty when the sites are not shown).
    emprise : (west, south, east, north)
        The region's extent.
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``.
    """
    import plotly.graph_objects as go

    from atlas.maps import carte_categories

    fig = carte_categories(
        data,
        geojson,
        groupes_carte(data),
        survol=["nom", "b", "m", "c"],
        emprise=emprise,
        fond=fond,
        trait=TRAIT,
        # the legend under the map: beside it, it left the map a third of the page's width at 1024 px
        legende="dessous",
    )
    for libelle, couleur, groupe in couches:
        fig.add_trace(
            go.Scattermap(
                lon=groupe["longitude"],
                lat=groupe["latitude"],
                mode="markers",
                marker={"size": 7, "color": couleur},
                text=groupe["titre"],
                customdata=groupe["lieu"],
                # the bubble names the site (the legend keeps the count)
                hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
                name=libelle,
            )
        )
    return fig


#: Outline of the communes: grey, since two categories are light greys that white would not separate.
TRAIT = "#9e9e9e"


def source_carte(ind: Mapping) -> str:
    """Sources and millésimes of the map: the need's, the France services list's, the visits."""
    return (
        f"{ind['source_libelle']} ({ind['producteur']}), millésime {ind['millesime']} ; ANCT, France services "
        f"au {mobilite.date_france_services()} ; visites d'aller vers"
    )


def liste(blanches: pd.DataFrame, unite: str) -> pd.DataFrame:
    """The list of zones blanches as shown: need, nearest service, latest contact (a date), nature of the need."""
    return blanches[["nom", "code", "population", "besoin", "minutes_service", "dernier_contact"]].assign(
        dernier_contact=lambda f: pd.to_datetime(f["dernier_contact"]),
        nature_besoin=zb.nature_besoin(blanches, unite),
    )


def export_liste(liste_: pd.DataFrame, ind: Mapping, millesime_population: str) -> pd.DataFrame:
    """:func:`liste` for the CSV: French headers, the month of the latest contact in words (« mars 2025 »)
    and as ``AAAA-MM`` beside it, for sorting."""
    mois = liste_["dernier_contact"].dt.strftime("%Y-%m")
    return pour_lecteur(
        liste_.assign(
            dernier_contact=[format_mois_fr(m) if isinstance(m, str) else None for m in mois],
            dernier_contact_tri=mois,
        ),
        {
            "nom": "Commune",
            "code": "Code",
            "population": f"Population {millesime_population}",
            "besoin": libelle_avec_unite(ind["libelle"], ind["unite"]),
            "minutes_service": "Service le plus proche (min)",
            "dernier_contact": "Dernier contact",
            "dernier_contact_tri": "Dernier contact" + POUR_TRIER,
            "nature_besoin": "Besoin",
        },
        unites={"besoin": ind["unite"], "minutes_service": "min"},
    )


def entete_liste(ind: Mapping, regles: zb.Regles, seuil_valeur: float | None, visites_demo: bool) -> list[str]:
    """Header lines of the list's CSV: the rules, the sources with their dates, the method, the estimates."""
    return [
        f"Zones blanches : {ind['libelle']} {'≥' if ind['sens'] == '+' else '≤'} "
        f"{format_nombre(seuil_valeur, 1, ind['unite'])}, pas de contact d'aller vers depuis {regles.mois} mois, "
        f"pas de service ({', '.join(map(nom_couche, regles.couches)) or 'aucune couche'}) à moins de {regles.minutes} min",
        f"Sources : {ind['source_libelle']} ({ind['millesime']}) ; ANCT France services "
        f"{mobilite.date_france_services()} ; visites d'aller vers"
        + (" (données de démonstration)" if visites_demo else ""),
        f"Temps estimé : distance à {mobilite.methode_temps()} (sans moteur d'itinéraire).",
        "Colonne « Besoin » : « publié » (INSEE) ou « estimation de l'atlas » avec son intervalle à 80 % "
        "(l'INSEE garde la valeur secrète ; jamais une valeur de l'INSEE).",
    ]


def tableau_carte(data: pd.DataFrame) -> pd.DataFrame:
    """The text alternative of the map: every commune with its need, nearest service, contact and category."""
    return (
        data.assign(
            libelle_categorie=data["categorie"].map({k: v[0] for k, v in zb.CATEGORIES.items()}),
            dernier_contact=pd.to_datetime(data["dernier_contact"]),
        )[["nom", "code", "population", "besoin", "minutes_service", "dernier_contact", "libelle_categorie"]]
        .sort_values("nom")
        .round({"besoin": 1, "minutes_service": 0})
    )


def _noms(communes: pd.DataFrame, maximum: int = 3) -> str:
    """« A », « A et B », « A, B et C », « A, B, C et 4 autres »."""
    noms = list(communes["nom"])
    if len(noms) > maximum:
        return ", ".join(noms[:maximum]) + f" et {format_nombre(len(noms) - maximum)} autres"
    return " et ".join([", ".join(noms[:-1]), noms[-1]]) if len(noms) > 1 else noms[0]


def phrase_aucune_zone_blanche(data: pd.DataFrame, ind: Mapping, regles: zb.Regles, seuil_valeur: float | None) -> str:
    """Why no commune is a zone blanche with these rules, naming the communes closest to being one.

    A map without a single zone blanche reads as a broken map; this line says which condition
    the near misses lack: the uncovered communes have a need under the threshold, the high-need
    communes all have a service within the time (or a recent contact). Minutes keep one decimal:
    rounded to the minute, 19.6 would read as the 20-minute threshold itself.

    Parameters
    ----------
    data : DataFrame
        Classified communes (:func:`atlas.zones_blanches.donnees` with ``categorie``).
    ind : mapping
        The need indicator (``libelle``, ``sens``, ``unite``).
    regles : Regles
        The committee's rules.
    seuil_valeur : float or None
        The need threshold in the indicator's unit.

    Notes
    -----
    What the estimates switch would change is a row of :func:`regles_voisines`' table, shown
    under the map with this line: it is not said twice.
    """
    proches = zb.plus_proches(data, ind["sens"])
    unite = ind["unite"]
    seuil = format_nombre(seuil_valeur, 1, unite)
    phrases = ["Aucune commune n'est une zone blanche avec ces réglages."]

    non_couvertes = proches["non_couvertes"]
    sans = f"sans service à moins de {regles.minutes} min" + (
        f" ni contact d'aller vers depuis {regles.mois} mois" if regles.mois else ""
    )
    cote = "sous le" if ind["sens"] == "+" else "au-dessus du"
    if non_couvertes.empty:
        phrases.append(
            f"Toutes les communes au besoin connu ont un service à moins de {regles.minutes} min"
            + (" ou un contact d'aller vers récent." if regles.mois else ".")
        )
    else:
        meilleure = non_couvertes["besoin"].iloc[0]
        en_tete = non_couvertes[non_couvertes["besoin"] == meilleure]
        phrases.append(
            (
                f"La seule commune {sans} a un besoin"
                if len(non_couvertes) == 1
                else f"Les {format_nombre(len(non_couvertes))} communes {sans} ont un besoin"
            )
            + f" {cote} seuil de {seuil} ; "
            + ("la plus proche du seuil : " if len(en_tete) == 1 else "les plus proches du seuil : ")
            + f"{_noms(en_tete)} ({format_nombre(meilleure, 1, unite)})."
        )

    besoin_eleve = proches["besoin_eleve"]
    if besoin_eleve.empty:
        phrases.append(
            f"Aucune commune n'a un besoin élevé ({ind['libelle']} {'≥' if ind['sens'] == '+' else '≤'} {seuil})."
        )
    else:
        loin = besoin_eleve.iloc[0]
        minutes = loin["minutes_service"]
        distance = (
            "aucun service atteignable par la route"
            if pd.isna(minutes)
            else f"un service à {format_nombre(minutes, 1, 'min')}"
        )
        couverte = (
            f"sous le seuil de {regles.minutes} min"
            if pd.notna(minutes) and minutes <= regles.minutes
            else "mais un contact d'aller vers récent la couvre"
        )
        phrases.append(
            (
                "La seule commune au besoin élevé"
                if len(besoin_eleve) == 1
                else f"Parmi les {format_nombre(len(besoin_eleve))} communes au besoin élevé, la plus éloignée d'un service"
            )
            + f" est {loin['nom']} ({format_nombre(loin['besoin'], 1, unite)}"
            + (", estimation de l'atlas" if loin["statut_besoin"] == "estime" else "")
            + f") : {distance}, {couverte}."
        )
    return " ".join(phrases)


def titre_zones_blanches(blanches: pd.DataFrame, ind: Mapping) -> str:
    """The count of zones blanches and their population as the title over the map (some found)."""
    from atlas.formatting import accord

    n = len(blanches)
    return (
        f"{accord(n, 'commune')} ({accord(int(blanches['population'].sum()), 'habitant')}) "
        + ("a un besoin élevé et n'est couverte" if n == 1 else "ont un besoin élevé et ne sont couvertes")
        + " par aucun service"
    )


def _regle_voisine_en_mots(
    champ: str, voisine: zb.Regles, regles: zb.Regles, ind: Mapping, seuil: str
) -> tuple[str, str]:
    """A neighbouring rule as a table's row (« Service à moins de 15 min (au lieu de 20 min) ») and as a title's end."""
    unite = ind["unite"]
    if champ == "valeur":
        valeur = format_nombre(voisine.valeur, 1, unite)
        borne = "dès" if ind["sens"] == "+" else "jusqu'à"
        return (
            f"Besoin élevé {borne} {valeur} (au lieu de {seuil})",
            f"si le seuil de besoin passe à {valeur}",
        )
    if champ == "minutes":
        return (
            f"Service à moins de {voisine.minutes} min (au lieu de {regles.minutes} min)",
            f"si le temps passe à {voisine.minutes} min",
        )
    if champ == "mois" and voisine.mois == 0:
        return (
            f"Contacts d'aller vers non comptés (au lieu de {regles.mois} mois)",
            "si les contacts d'aller vers ne comptent pas",
        )
    if champ == "mois":
        return (
            f"Contact depuis moins de {voisine.mois} mois (au lieu de {regles.mois} mois)",
            f"si la fenêtre de contact passe à {voisine.mois} mois",
        )
    return (f"Sans les estimations de l'atlas (seuil de {seuil})", "sans les estimations de l'atlas")


def regles_voisines(
    voisines: list[dict], regles: zb.Regles, ind: Mapping, seuil_valeur: float | None, publiees: Mapping | None = None
) -> tuple[str, pd.DataFrame]:
    """The title of an empty map and the table of the zones blanches one rule change away.

    « Aucune zone blanche avec ces règles » left a committee with nothing; the title names the
    nearest change that finds some (the fewest zones blanches), the table every change with its
    count and communes.

    Parameters
    ----------
    voisines : list of dict
        :func:`atlas.zones_blanches.regles_voisines`.
    regles : Regles
        The committee's rules.
    ind : mapping
        The need indicator (``sens``, ``unite``).
    seuil_valeur : float or None
        The need threshold of ``regles``, in the indicator's unit.
    publiees : mapping, optional
        :func:`atlas.zones_blanches.sans_estimations`: the estimates switched off is a neighbour too.

    Returns
    -------
    tuple
        The title, and a frame with ``regle``, ``nombre`` and ``communes`` (« — » when none).
    """
    seuil = format_nombre(seuil_valeur, 1, ind["unite"])
    lignes = [(v["champ"], v["regle"], v["blanches"]) for v in voisines]
    if publiees is not None:
        lignes.append(("estimations", regles, publiees["blanches"]))
    rangs, phrases = [], []
    for champ, voisine, blanches in lignes:
        ligne, phrase = _regle_voisine_en_mots(
            champ,
            voisine,
            regles,
            ind,
            format_nombre(publiees["seuil"], 1, ind["unite"]) if champ == "estimations" else seuil,
        )
        rangs.append({"regle": ligne, "nombre": len(blanches), "communes": _noms(blanches) if len(blanches) else "—"})
        phrases.append((len(blanches), phrase))
    # short enough for one line at 1280 px: the map starts on the first screen
    titre = "Aucune zone blanche avec ces règles"
    trouvees = [(n, phrase) for n, phrase in phrases if n]
    if trouvees:
        n, phrase = min(trouvees, key=lambda t: t[0])  # the first of the nearest changes
        titre = f"Aucune zone blanche ; {format_nombre(n)} {phrase}"
    return titre, pd.DataFrame(rangs, columns=["regle", "nombre", "communes"])
