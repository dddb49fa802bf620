"""Files prepared on click (``st.download_button(data=callable)``) whose failure is said in French.

Streamlit 1.67 runs the callable of a deferred download when the button is clicked and, when it
raises, shows under the button its own English « Failed to generate file for download », the
same for every cause. :func:`prepare` wraps the callable so that a failure reads one French
sentence saying what could not be prepared, why and what to do (« L'image n'a pas pu être
dessinée : Chromium… Réessayez ou téléchargez les données (CSV). »), shown in the same place.

How: Streamlit's handler of deferred downloads (``DeferredFileHandler``, private API) is wrapped
once, at import, so that when the callable has left a French message for its request, that message
replaces the English one in the answer sent to the browser. The callable runs in a thread started
with :func:`asyncio.to_thread`, which carries the handler's context variables: the message travels
through :data:`_MESSAGES`, a list set by the handler for its request only. If a future Streamlit
renames that handler, the wrapping is skipped (the English message comes back) and
``tests/test_telechargement_echec.py`` fails.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)

#: Messages of the failed callables of the request being answered (one list per request).
_MESSAGES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "atlas_messages_telechargement", default=None
)


class PreparationImpossible(RuntimeError):
    """A file prepared on click could not be made; the message is French and says what to do."""


def message_echec(quoi: str, exc: BaseException, conseil: str) -> str:
    """One French sentence: what could not be prepared, why, what to do.

    Examples
    --------
    >>> message_echec("L'image n'a pas pu être dessinée", RuntimeError("Chromium absent."), "Réessayez.")
    "L'image n'a pas pu être dessinée : Chromium absent. Réessayez."
    """
    from atlas.images import ImageIndisponible

    # an ImageIndisponible already says why in French; another error is a fault of the atlas
    raison = str(exc).strip() if isinstance(exc, ImageIndisponible | PreparationImpossible) else ""
    if not raison:
        raison = f"erreur interne de l'atlas ({type(exc).__name__}), consignée dans le journal du serveur."
    elif not raison.endswith((".", "!", "?", "»")):
        raison += "."
    return f"{quoi} : {raison} {conseil}"


def prepare(fabrique: Callable[[], bytes], *, quoi: str, conseil: str) -> Callable[[], bytes]:
    """The callable to give to ``st.download_button(data=...)``: ``fabrique`` with a French failure.

    Parameters
    ----------
    fabrique : callable
        Makes the file's bytes, on click.
    quoi : str
        What failed, as the sentence's start (« L'image n'a pas pu être dessinée »).
    conseil : str
        What the reader can do instead (« Réessayez ou téléchargez les données (CSV). »).

    Returns
    -------
    callable
        Returns ``fabrique()``; on failure raises :class:`PreparationImpossible` with the French
        sentence of :func:`message_echec`, which the browser shows under the button.
    """

    def preparer() -> bytes:
        try:
            return fabrique()
        except Exception as exc:
            message = message_echec(quoi, exc, conseil)
            _LOGGER.warning("Téléchargement non préparé : %s", message, exc_info=exc)
            messages = _MESSAGES.get()
            if messages is not None:
                messages.append(message)
            raise PreparationImpossible(message) from exc

    return preparer


def _installer() -> bool:
    """Wrap Streamlit's handler of deferred downloads once; ``False`` when it is not found."""
    try:
        from streamlit.runtime import backend_operation_handler as operations
    except ImportError:
        return False
    classe = getattr(operations, "DeferredFileHandler", None)
    origine = getattr(classe, "handle", None)
    if origine is None:
        return False
    if getattr(origine, "atlas_francais", False):
        return True

    async def handle(self, request, session_id):
        messages: list[str] = []
        jeton = _MESSAGES.set(messages)
        try:
            reponse = await origine(self, request, session_id)
        finally:
            _MESSAGES.reset(jeton)
        if getattr(reponse, "error_msg", "") and messages:
            reponse.error_msg = messages[-1]
        return reponse

    handle.atlas_francais = True
    classe.handle = handle
    return True


INSTALLE = _installer()
