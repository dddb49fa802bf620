"""Static images (PNG) of the maps and charts, drawn by kaleido with Debian's Chromium.

An exported image stands alone: its layout (title, source, legend, plain background) is
:func:`atlas.mise_en_page_image.figure_pour_image`'s; this module draws it.

Chromium is a system program, not a Python package: :func:`chromium` says where it is (setting
``ATLAS_CHROMIUM``, default ``/usr/bin/chromium``) and :data:`MESSAGE_SANS_CHROMIUM` what to do
when it is missing, so that the page can say so instead of failing.
"""

from __future__ import annotations

import os
import shutil
import threading
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

# One Chromium at a time: kaleido's synchronous server is process-wide and Streamlit runs the
# sessions (and deferred downloads) in threads.
_VERROU = threading.Lock()


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
        Chromium is missing or failed; the message says what to do.
    """
    import kaleido

    navigateur = chromium()
    if navigateur is None:
        raise ImageIndisponible(MESSAGE_SANS_CHROMIUM)
    figures = list(figures)
    with _VERROU:
        os.environ["BROWSER_PATH"] = str(navigateur)
        try:
            kaleido.start_sync_server(silence_warnings=True)
            try:
                return [
                    kaleido.calc_fig_sync(
                        f,
                        opts={
                            "format": "png",
                            "width": f.layout.width or LARGEUR_PNG,
                            "height": f.layout.height or HAUTEUR_PNG,
                        },
                    )
                    for f in figures
                ]
            finally:
                kaleido.stop_sync_server(silence_warnings=True)
        except ImageIndisponible:
            raise
        except Exception as exc:  # kaleido / choreographer raise many kinds; the user needs one message
            raise ImageIndisponible(f"Chromium n'a pas pu dessiner l'image ({navigateur}) : {exc}") from exc


def png(fig: go.Figure, **mise_en_page) -> bytes:
    """One standalone PNG of ``fig``: :func:`figure_pour_image` (same arguments) then :func:`pngs`."""
    return pngs([figure_pour_image(fig, **mise_en_page)])[0]
