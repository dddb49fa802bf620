"""The fiche territoire's profile as printed text: values, references, tables, captions (page, PDF, slide)."""

from __future__ import annotations

import pandas as pd

from atlas.fiche import PAIRS, REFERENCES, comparable, medianes, references
from atlas.formatting import decimales, format_nombre, format_rang


def sous_titre_comparaison(niveau: str) -> str:
    """Second title line of the exported comparison charts."""
    articles = {
        "epci": "l'EPCI",
        "departement": "le département",
        "region": "la région",
        "france": "la France métropolitaine",
    }
    noms = [articles[n] for n in references(niveau)]
    liste = noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]
    return f"Taux (%) comparés aux valeurs publiées pour {liste}"


def phrase_medianes(niveau: str) -> str:
    """What the comparison columns are, for the captions of the page and the PDF."""
    texte = (
        "EPCI, département, région, France : valeurs publiées pour ces territoires, à leur propre millésime "
        "(indiqué entre parenthèses quand il diffère). "
    )
    if niveau != "region":
        texte += f"Médiane : médiane des valeurs publiées des {PAIRS[niveau]} de la région (hors estimations). "
    return texte


def phrase_profil(niveau: str) -> str:
    """The caption above the profile tables: millésimes, rank and comparison columns."""
    rang = (
        ""
        if niveau == "region"
        else f"Rang : position parmi les {PAIRS[niveau]} de la région (1 = valeur la plus élevée ; "
        "une estimation n'a pas de rang). "
    )
    return f"Dernier millésime disponible de chaque indicateur. {rang}{phrase_medianes(niveau)}"


def valeur_affichee(valeur, statut: str, unite: str, bas=None, haut=None) -> str:
    """A profile value as printed: French number with unit, « estimation » with its interval, or why there is none."""
    if statut == "secret":
        return "Secret statistique"
    if statut == "estime":
        d = decimales(unite)
        return (
            f"{format_nombre(valeur, d, unite)} (estimation de l'atlas, {format_nombre(bas, d)} à "
            f"{format_nombre(haut, d, unite)})"
        )
    if statut != "ok":
        return "Non disponible"
    return format_nombre(valeur, decimales(unite), unite)


def reference_affichee(valeur, millesime, millesime_valeur: str, unite: str) -> str:
    """A published reference value, with its millésime when it is not the territory's."""
    if pd.isna(valeur):
        return "—"
    texte = format_nombre(valeur, decimales(unite), unite)
    return texte if str(millesime) == str(millesime_valeur) else f"{texte} ({millesime})"


def tableaux_profil(
    profil_: pd.DataFrame, niveau: str, nom_compare: str | None = None
) -> list[tuple[str, pd.DataFrame]]:
    """The profile as printed tables, one per theme (page, PDF and slides share them).

    Parameters
    ----------
    profil_ : DataFrame
        :func:`atlas.fiche.profil` of the territory (with :func:`atlas.fiche.ajouter_comparaison`'s columns when a
        territory is compared).
    niveau : str
        ``commune``, ``epci``, ``departement`` or ``region``.
    nom_compare : str, optional
        Name of the compared territory: its value is a column beside « Valeur », named after it.

    Returns
    -------
    list of (str, DataFrame)
        Theme and its table: Indicateur, Valeur, Millésime, Rang, the published values of the
        enclosing territories (:func:`atlas.fiche.references`), the median (:func:`atlas.fiche.medianes`), Source.
    """
    tableaux = []
    for theme, bloc in profil_.groupby("theme", sort=True):
        lignes = []
        for r in bloc.itertuples():
            d = decimales(r.unite)
            ligne = {
                "Indicateur": r.libelle,
                "Valeur": valeur_affichee(r.valeur, r.statut, r.unite, r.bas, r.haut),
            }
            if nom_compare and "statut_compare" in profil_:
                ligne[nom_compare] = _valeur_comparee(r)
            ligne["Millésime"] = r.millesime
            if niveau != "region":
                ligne["Rang"] = format_rang(r.rang, r.nb_valeurs)
            for ref in references(niveau):
                colonne, colonne_millesime, titre = REFERENCES[ref]
                # a count of the département is no reference for a commune's count (it is not a rate)
                valeur = getattr(r, colonne) if comparable(r.sens) else None
                ligne[titre] = reference_affichee(valeur, getattr(r, colonne_millesime), r.millesime, r.unite)
            for col, libelle in medianes(niveau):
                ligne[libelle] = format_nombre(getattr(r, col), d, r.unite)
            ligne["Source"] = r.source_libelle
            lignes.append(ligne)
        tableaux.append((theme, pd.DataFrame(lignes)))
    return tableaux


def _valeur_comparee(r) -> str:
    """The compared territory's value as printed, with its millésime when it is not the territory's."""
    texte = valeur_affichee(r.valeur_compare, r.statut_compare, r.unite, r.bas_compare, r.haut_compare)
    if r.statut_compare in ("ok", "estime") and str(r.millesime_compare) != str(r.millesime):
        texte += f" ({r.millesime_compare})"
    return texte


def profil_pour_diaporama(profil_: pd.DataFrame, niveau: str, nom_compare: str | None = None) -> pd.DataFrame:
    """The profile as one table narrow enough for a slide: theme, indicator, value, the compared
    territory's value (``nom_compare``), millésime, rank, published values of the département and
    the region; and the source of each row (« Source »: each slide cites its rows' sources, the
    column is not shown, :mod:`atlas.diaporama_pptx`)."""
    morceaux = []
    for theme, tableau in tableaux_profil(profil_, niveau, nom_compare):
        colonnes = ["Indicateur", "Valeur", *([nom_compare] if nom_compare in tableau.columns else []), "Millésime"] + [
            c for c in ("Rang", "Département", "Région", "Source") if c in tableau.columns
        ]
        morceaux.append(tableau[colonnes].assign(**{"Thème": theme})[["Thème", *colonnes]])
    return pd.concat(morceaux, ignore_index=True) if morceaux else pd.DataFrame()


def taux_du_bloc(bloc: pd.DataFrame) -> pd.DataFrame:
    """The rates of a theme with a published or estimated value: the bars of its comparison chart."""
    return bloc[(bloc["unite"] == "%") & bloc["statut"].isin(["ok", "estime"])]


def lignes_des_series(bloc: pd.DataFrame, series_theme: pd.DataFrame) -> pd.DataFrame:
    """The rows of a theme that have a series, each with the territory's millésimes of it (for its source line).

    Parameters
    ----------
    bloc : DataFrame
        Rows of :func:`atlas.fiche.profil` for one theme.
    series_theme : DataFrame
        Rows of :func:`atlas.fiche_series.series` for the same theme.
    """
    du_territoire = series_theme[series_theme["serie"] == "territoire"]
    millesimes = du_territoire.groupby("indicateur")["millesime"].agg(lambda m: ", ".join(sorted(set(m))))
    avec_series = bloc[bloc["indicateur"].isin(set(series_theme["indicateur"]))]
    return avec_series.assign(millesime=avec_series["indicateur"].map(millesimes))


def sources_numerotees(profil_: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """The profile's sources numbered once for the page, in the profile's order, each with the millésimes shown.

    A theme's block names the numbers of its sources; the list at the end of the page gives them.

    Returns
    -------
    dict
        Source label → (number from 1, its millésimes joined by « , »).
    """
    millesimes = profil_.groupby("source_libelle", sort=False)["millesime"].agg(
        lambda m: ", ".join(sorted(set(map(str, m))))
    )
    return {source: (i, millesimes[source]) for i, source in enumerate(millesimes.index, 1)}
