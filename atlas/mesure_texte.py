"""Widths of texts as Chromium draws them in exported images and slides (Arial's widths), and wrapping to a width."""

from __future__ import annotations

import functools
import re

#: Font of exported images and slides' figures: Arial, drawn by Chromium as Liberation Sans (same
#: widths) on Linux, so that :func:`largeur_texte` measures what is drawn.
POLICE_PNG = "Arial, Liberation Sans, sans-serif"


# Font files with Arial's widths, in order (Linux, Windows, macOS); DejaVu Sans, wider, errs on
# the safe side (a box a little too large, never text out of its box).
_FICHIERS_POLICE = {
    False: ("LiberationSans-Regular.ttf", "arial.ttf", "Arial.ttf", "DejaVuSans.ttf"),
    True: ("LiberationSans-Bold.ttf", "arialbd.ttf", "Arial Bold.ttf", "DejaVuSans-Bold.ttf"),
}


@functools.cache
def _police(gras: bool):
    """The font measuring text (PIL, 100 px em), or ``None`` when no file of the list is found."""
    from PIL import ImageFont

    for fichier in _FICHIERS_POLICE[gras]:
        try:
            return ImageFont.truetype(fichier, 100)  # PIL also looks in the system's font folders
        except OSError:
            continue
    return None


def largeur_texte(texte: str, taille: float, gras: bool = False) -> float:
    """Width of ``texte`` in Arial at ``taille`` (points or pixels), in the same unit.

    Measured on Liberation Sans (Arial's widths) where it is installed. Without a font file,
    0.6 em per character: wider than Arial's mean, so the room kept is too large, not too small.
    """
    police = _police(gras)
    if police is None:
        return 0.6 * taille * len(texte)
    return police.getlength(texte) * taille / 100


def _sans_balises(texte: str) -> str:
    return re.sub(r"<[^>]+>", "", texte)


#: Units kept on the line of the number before them.
_UNITES = {"min", "h", "km", "km²", "m²", "€", "ans", "hab./km²"}


def envelopper(texte: str, largeur_px: float, taille: float, gras: bool = False) -> str:
    """Break a plotly text (lines joined by ``<br>``) so that no line is wider than ``largeur_px``.

    A sign standing alone (« % », « : »…) stays with the word before it, and a unit with its
    number (« 20 min », not « 20 » at a line's end and « min » alone on the next), as French
    typography wants.
    """
    lignes = []
    for paragraphe in texte.split("<br>"):
        mots: list[str] = []
        for mot in paragraphe.split(" "):
            signe = not any(c.isalnum() for c in _sans_balises(mot))
            unite = _sans_balises(mot).rstrip(".,;:)") in _UNITES and mots and _sans_balises(mots[-1])[-1:].isdigit()
            if mots and mot and (signe or unite):
                mots[-1] += " " + mot
            elif mot:
                mots.append(mot)
        ligne = ""
        for mot in mots:
            essai = f"{ligne} {mot}" if ligne else mot
            if ligne and largeur_texte(_sans_balises(essai), taille, gras) > largeur_px:
                lignes.append(ligne)
                ligne = mot
            else:
                ligne = essai
        lignes.append(ligne)
    return "<br>".join(lignes)


def largeur_lignes(texte: str | None, taille: float) -> float:
    """Width in pixels of the widest line of a plotly text."""
    if not texte:
        return 0.0
    return max(largeur_texte(_sans_balises(ligne), taille) for ligne in texte.split("<br>"))
