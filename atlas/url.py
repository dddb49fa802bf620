"""A page's address: numbers read from it (``st.query_params``), always finite and within a widget's range, and the
link that reopens the current view (:func:`lien_de_la_vue`).

Anyone can type ``?valeur=inf`` or ``?mois=1e308``: a widget given such a value raises instead of
drawing the page, so each number is parsed leniently and clamped to the range of its widget.
"""

from __future__ import annotations

import math


def entier_borne(texte, bas: int, haut: int, defaut: int, pas: int = 1) -> int:
    """An integer from the address, clamped to ``[bas, haut]`` and on the widget's step.

    Parameters
    ----------
    texte : str or None
        The parameter as read (``None`` when absent).
    bas, haut : int
        The widget's range.
    defaut : int
        Used when the text is not a finite number.
    pas : int
        The widget's step, counted from ``bas``.

    Examples
    --------
    >>> entier_borne("inf", 0, 36, 12), entier_borne("50", 0, 36, 12), entier_borne("17", 5, 60, 20, 5)
    (12, 36, 15)
    """
    valeur = reel_borne(texte, bas, haut, None)
    if valeur is None:
        return defaut
    return int(bas + (int(valeur) - bas) // pas * pas)


def reel_borne(texte, bas: float, haut: float, defaut: float | None) -> float | None:
    """A finite number from the address, clamped to ``[bas, haut]``; ``defaut`` when it is not a number.

    Examples
    --------
    >>> reel_borne("1e308", -1e9, 1e9, None), reel_borne("nan", 0, 1, None), reel_borne("-1", 0, 100, None)
    (1000000000.0, None, 0.0)
    """
    try:
        valeur = float(texte)
    except (TypeError, ValueError):
        return defaut
    if not math.isfinite(valeur):
        return defaut
    return float(min(haut, max(bas, valeur)))


def lien_de_la_vue() -> str | None:
    """The URL that reopens the current view: the page's address with its current query parameters."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    import streamlit as st

    try:
        url = st.context.url
    except Exception:  # no browser behind the session (AppTest, bare mode)
        url = None
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(st.query_params.to_dict()), ""))


def remplacements(demandes, retenus: dict[str, str]) -> list[str]:
    """The parameters of the address that the page could not keep, each with what replaced it.

    A stale or hostile link (an unknown indicator, ``seuil=99``) opens the page with defaults or
    clamped values: the page says so in one line (:func:`atlas.explorer.message_lien_incomplet`)
    rather than silently.

    Parameters
    ----------
    demandes : mapping
        The address's parameters as read (``st.query_params``).
    retenus : dict
        The parameters of the view the page draws, as it writes them back in the address.

    Returns
    -------
    list of str
        « cle=valeur remplacé par autre » for each parameter given and not kept (numbers compared
        as numbers: ``20.0`` is ``20``).

    Examples
    --------
    >>> remplacements({"seuil": "99", "mois": "12.0", "x": "1"}, {"seuil": "40", "mois": "12", "minutes": "20"})
    ['seuil=99 remplacé par 40']
    """
    out = []
    for cle, retenu in retenus.items():
        if cle not in demandes:
            continue
        demande = str(demandes[cle])
        try:
            meme = demande == retenu or float(demande) == float(retenu)
        except ValueError:
            meme = False
        if not meme:
            out.append(f"{cle}={demande} remplacé par {retenu or '(aucun)'}")
    return out
