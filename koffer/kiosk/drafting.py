"""Continuous saving of a draft: every change reaches the encrypted store.

Changes are coalesced for a short moment (typing fast does not queue one
encryption per key press) and written on the store lane, in order. A save
that fails keeps the draft in memory; the next change tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from koffer.kiosk.controller import KioskController

log = logging.getLogger(__name__)


class DraftSaver(QObject):
    """Saves ``payload()`` of case ``case_id`` shortly after :meth:`touch`."""

    #: "saving", "saved" or "failed"
    state_changed = Signal(str)

    def __init__(
        self,
        kiosk: KioskController,
        payload: Callable[[], dict[str, Any]],
        delay_ms: int = 250,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._payload = payload
        self.case_id: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._in_flight = 0

    def touch(self) -> None:
        """Something changed: save soon."""
        self.state_changed.emit("saving")
        self._timer.start()

    @property
    def dirty(self) -> bool:
        return self._timer.isActive()

    def flush(self) -> None:
        """Save now (if anything is pending)."""
        self._timer.stop()
        session = self._kiosk.session
        case_id = self.case_id
        if session is None or case_id is None:
            return
        store = session.store
        payload = self._payload()
        self._in_flight += 1

        def op() -> None:
            store.save_case(case_id, payload)

        self._kiosk.run_in_store(op, self._saved, self._failed)

    def _saved(self, _result: None) -> None:
        self._in_flight -= 1
        if not self._in_flight and not self.dirty:
            self.state_changed.emit("saved")

    def _failed(self, exc: BaseException) -> None:
        self._in_flight -= 1
        self.state_changed.emit("failed")
        self._kiosk.show_error(exc)
