"""The one place where errors from background work and callbacks end up.

- :class:`~koffer.errors.KofferError`: its message is meant for people; it is
  shown in the UI language.
- :class:`Cancelled`: the person cancelled; nothing is shown.
- anything else is a bug: the person sees a general German message, the log
  gets the exception type and the code locations only (never the message or
  local values, which could contain personal data).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from koffer.errors import KofferError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """An operation was cancelled by the person; unwinds silently."""


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))


class ErrorRouter:
    """Routes exceptions to ``show(text)`` and the log."""

    def __init__(self, show: Callable[[str], None], language: Callable[[], str]) -> None:
        self._show = show
        self._language = language

    def set_show(self, show: Callable[[str], None]) -> None:
        self._show = show

    def __call__(self, exc: BaseException) -> None:
        self.handle(exc)

    def handle(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, KofferError):
            log.info("%s shown to the user", type(exc).__name__)
            self._show(exc.localized(self._language()))
            return
        log.error("unexpected %s at %s", type(exc).__name__, _where(exc))
        self._show(
            QCoreApplication.translate(
                "ErrorRouter",
                "Ein unerwarteter Fehler ist aufgetreten. Ihre Eingaben sind gespeichert. "
                "Bitte versuchen Sie es erneut oder wenden Sie sich an die Technik.",
            )
        )
