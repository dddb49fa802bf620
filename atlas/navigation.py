"""The pages of the dashboard, grouped by section. Only pages whose file exists are shown."""

from __future__ import annotations

from dataclasses import dataclass

from atlas.config import ROOT


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


def pages_existantes() -> dict[str, list[PageInfo]]:
    """Sections with only the pages whose file exists (empty sections dropped)."""
    out = {}
    for section, pages in SECTIONS.items():
        present = [p for p in pages if (ROOT / p.fichier).is_file()]
        if present:
            out[section] = present
    return out
