"""Static images (PNG) of the maps and charts, drawn by kaleido with Debian's Chromium.

An exported image stands alone: its layout (title, source, legend, plain background) is
:func:`atlas.mise_en_page_image.figure_pour_image`'s; this module draws it.

Chromium is a system program, not a Python package: :func:`chromium` says where it is (setting
``ATLAS_CHROMIUM``, default ``/usr/bin/chromium``) and :data:`MESSAGE_SANS_CHROMIUM` what to do
when it is missing, so that the page can say so instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import plotly.graph_objects as go

from atlas.mise_en_page_image import HAUTEUR_PNG, LARGEUR_PNG, figure_pour_image
from commun.config import get_settings

MESSAGE_SANS_CHROMIUM = (
    "Export d'image indisponible : Chromium est introuvable sur ce serveur. "
    "Installez-le (Debian : `apt-get install chromium`) ou indiquez son chemin dans la variable "
    "d'environnement `ATLAS_CHROMIUM`, puis relancez le tableau de bord."
)

_LOGGER = logging.getLogger(__name__)

# One Chromium at a time: Streamlit runs the sessions (and deferred downloads) in threads, and
# a server of a few cores draws one batch faster than several at once.
_VERROU = threading.Lock()

# Seconds one try may take: Chromium's start-up, then each figure (seconds on an idle server).
DELAI_IMAGE = 60.0
DELAI_PAR_FIGURE = 20.0
#: Seconds a click's drawing may take in all: Streamlit's browser gives up on a file prepared on
#: click after 180 s (with its own English « Request timed out »), so the atlas answers before
#: (Chromium may take a few more seconds to close).
DELAI_CLIC = 140.0


class ImageIndisponible(RuntimeError):
    """Raised when an image cannot be drawn (Chromium missing or failing); the message is French."""


def chromium() -> Path | None:
    """Path of the Chromium executable used for images, or ``None`` when it is not installed."""
    chemin = get_settings().chromium
    if Path(chemin).is_file():
        return Path(chemin)
    trouve = shutil.which(chemin)
    return Path(trouve) if trouve else None


def pngs(figures: Iterable[go.Figure]) -> list[bytes]:
    """Draw figures as PNG with one Chromium for the batch.

    Parameters
    ----------
    figures : iterable of Figure
        Figures already laid out (their ``layout.width`` / ``height`` give the pixel size).

    Returns
    -------
    list of bytes
        One PNG per figure.

    Raises
    ------
    ImageIndisponible
        Chromium is missing, failed twice or did not answer in time; the message says what to do.
    """
    return dessiner(figures, format="png")


def dessiner(figures: Iterable[go.Figure], *, format: str = "png") -> list[bytes]:
    """Draw figures in ``format`` (``"png"`` or ``"svg"``) with one Chromium for the batch.

    Chromium is started for the batch and stopped after it. A start that fails (a loaded
    server can miss Chromium's start-up) is tried once more; each try is bounded by
    :data:`DELAI_IMAGE` seconds plus :data:`DELAI_PAR_FIGURE` per figure, and both tries by
    :data:`DELAI_CLIC`, so that a download never waits forever on a Chromium that does not
    answer, and says so before the browser gives up.
    """
    figures = list(figures)
    rendus = dessiner_au_plus(figures, format=format)
    if None in rendus:
        raise ImageIndisponible(_message_delai(len(figures)))
    return rendus


def dessiner_au_plus(figures: Iterable[go.Figure], *, format: str = "png") -> list[bytes | None]:
    """Draw figures in order until :data:`DELAI_CLIC` seconds have passed; ``None`` for the others.

    A deck of many commune maps on a loaded server takes longer than the browser waits for it:
    the slides drawn in time are kept, the others say why their picture is missing.

    Raises
    ------
    ImageIndisponible
        Chromium is missing, failed twice, or drew nothing in time; the message says what to do.
    """
    navigateur = chromium()
    if navigateur is None:
        raise ImageIndisponible(MESSAGE_SANS_CHROMIUM)
    figures = list(figures)
    debut = time.monotonic()
    with _VERROU:
        erreur: BaseException | None = None
        for _essai in range(2):
            reste = DELAI_CLIC - (time.monotonic() - debut)
            delai = min(DELAI_IMAGE + DELAI_PAR_FIGURE * len(figures), reste)
            rendus: list[bytes] = []
            try:
                _dans_un_fil(_dessiner_lot(figures, navigateur, format, rendus), delai)
                return rendus
            except TimeoutError as exc:
                if rendus:  # some drawn in time: kept, the others said missing
                    return [*rendus, *[None] * (len(figures) - len(rendus))]
                erreur = exc
                break  # a Chromium that drew nothing in time would not do better in the time left
            except Exception as exc:  # kaleido / choreographer raise many kinds; the user needs one message
                erreur = exc
        if isinstance(erreur, TimeoutError):
            raise ImageIndisponible(
                f"Chromium n'a pas dessiné l'image en {delai:.0f} s ({navigateur}) : le serveur est "
                "peut-être très chargé ; réessayez dans un instant."
            ) from erreur
        # kaleido's and choreographer's messages are English advice for developers (« choreo_get_chrome »):
        # the server's log keeps them, the reader gets the French gist
        _LOGGER.warning("Chromium (%s) n'a pas dessiné l'image", navigateur, exc_info=erreur)
        raise ImageIndisponible(
            f"Chromium s'est arrêté ou n'a pas démarré ({navigateur} ; détail consigné dans le journal du serveur)."
        ) from erreur


def _message_delai(nombre: int) -> str:
    quoi = "les images" if nombre > 1 else "l'image"
    return (
        f"Chromium n'a pas dessiné {quoi} en {DELAI_CLIC:.0f} s : le serveur est peut-être très chargé ; "
        "réessayez dans un instant."
    )


async def _dessiner_lot(figures: list[go.Figure], navigateur: Path, format: str, rendus: list[bytes]) -> None:
    """Draw ``figures`` one after the other, appending each drawing to ``rendus`` as it comes."""
    import kaleido

    # mathjax=False: no formula in the atlas's figures, and no network to fetch MathJax from
    k = kaleido.Kaleido(n=1, path=str(navigateur), mathjax=False)
    try:
        async with k:
            for f in figures:
                rendus.append(
                    await k.calc_fig(
                        f,
                        opts={
                            "format": format,
                            "width": f.layout.width or LARGEUR_PNG,
                            "height": f.layout.height or HAUTEUR_PNG,
                        },
                    )
                )
    except BaseException:
        # a Chromium cancelled while starting is not closed by kaleido: end its process group
        processus = getattr(k, "subprocess", None)
        if processus is not None and processus.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(processus.pid, signal.SIGKILL)
        raise


def _dans_un_fil(travail, delai: float):
    """Run the coroutine ``travail`` on its own event loop in a thread, at most ``delai`` seconds.

    Its own thread: Streamlit may call from a thread that already runs an event loop.
    """
    resultat: list = []
    debut = time.monotonic()

    def executer() -> None:
        try:
            resultat.append(asyncio.run(asyncio.wait_for(travail, delai)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            # choreographer turns the cancellation at ``delai`` into its own « browser closed » error
            trop_long = time.monotonic() - debut >= delai
            resultat.append(TimeoutError(f"images: pas de réponse en {delai:.0f} s") if trop_long else exc)

    fil = threading.Thread(target=executer, name="atlas-images", daemon=True)
    fil.start()
    # wait_for cancels the drawing at ``delai``; the margin lets Chromium close
    fil.join(delai + 30)
    if not resultat:
        raise TimeoutError(f"images: pas de réponse en {delai:.0f} s")
    if isinstance(resultat[0], BaseException):
        raise resultat[0]
    return resultat[0]


def png(fig: go.Figure, **mise_en_page) -> bytes:
    """One standalone PNG of ``fig``: :func:`figure_pour_image` (same arguments) then :func:`pngs`."""
    return pngs([figure_pour_image(fig, **mise_en_page)])[0]
