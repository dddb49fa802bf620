"""The pages of the dashboard, grouped by section. A listed page whose file is missing stops the app, named."""

from __future__ import annotations

from dataclasses import dataclass

from commun.config import ROOT


@dataclass(frozen=True)
class PageInfo:
    fichier: str  # path relative to the project root
    titre: str
    icone: str


SECTIONS: dict[str, list[PageInfo]] = {
    "Pauvreté et territoires": [
        PageInfo("pages/explorer.py", "Explorer les indicateurs", ":material/map:"),
        PageInfo("pages/fiche_territoire.py", "Fiche territoire", ":material/location_city:"),
    ],
    "Aller vers": [
        PageInfo("pages/non_recours.py", "Non-recours", ":material/diversity_3:"),
        PageInfo("pages/importer_visites.py", "Importer des visites", ":material/upload_file:"),
        PageInfo("pages/experimentations.py", "Suivi des expérimentations", ":material/flag:"),
    ],
    "Besoins et couverture": [
        PageInfo("pages/precarite_energetique.py", "Précarité énergétique", ":material/home:"),
        PageInfo("pages/mobilite.py", "Mobilité", ":material/directions_bus:"),
        PageInfo("pages/zones_blanches.py", "Zones blanches", ":material/crop_free:"),
    ],
    "À propos": [
        PageInfo("pages/donnees.py", "Données et méthodes", ":material/dataset:"),
    ],
}


class PageManquante(FileNotFoundError):
    """A page of :data:`SECTIONS` has no file: the navigation would silently lose it."""


def pages_existantes() -> dict[str, list[PageInfo]]:
    """The sections and their pages, each checked to exist.

    Raises
    ------
    PageManquante
        Naming every listed page whose file is missing (a renamed or deleted page must be
        taken out of :data:`SECTIONS`, not dropped from the menu without a word).
    """
    manquantes = [p.fichier for pages in SECTIONS.values() for p in pages if not (ROOT / p.fichier).is_file()]
    if manquantes:
        raise PageManquante(
            f"page{'s' if len(manquantes) > 1 else ''} de la navigation sans fichier : {', '.join(manquantes)} "
            "(atlas/navigation.py, SECTIONS) : rétablir le fichier ou retirer la page de la liste"
        )
    return SECTIONS
