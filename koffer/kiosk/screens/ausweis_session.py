"""The open Personalausweis application shared by the wizard's step screens.

One :class:`AusweisSession` per kiosk (a child of the controller) holds the
case id, the :class:`~koffer.casework.ausweis_draft.AusweisDraft` and
its :class:`~koffer.kiosk.drafting.DraftSaver`, so every step edits the same
draft and every change is saved at once. Attachments (JPEG, WSQ, PNG,
strokes JSON) go to the store's encrypted attachments on the store lane, in
order with the draft saves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from koffer.casework.ausweis_draft import AusweisDraft
from koffer.casework.case_store import save_with_attachments
from koffer.kiosk.controller import KioskController
from koffer.kiosk.drafting import DraftSaver

OBJECT_NAME = "koffer_ausweis_session"


class AusweisSession(QObject):
    """The application being edited (at most one at a time per kiosk)."""

    #: a draft was loaded or replaced (the screens re-render)
    loaded = Signal()
    #: "saving", "saved" or "failed"
    save_state = Signal(str)

    def __init__(self, kiosk: KioskController) -> None:
        super().__init__(kiosk)
        self.setObjectName(OBJECT_NAME)
        self.kiosk = kiosk
        self.case_id: str | None = None
        self.case_number = ""
        self.draft = AusweisDraft()
        self.saver = DraftSaver(kiosk, self._payload, parent=self)
        self.saver.state_changed.connect(self.save_state)
        self._attachment_jobs = 0
        kiosk.session_changed.connect(self._session_changed)

    def _payload(self) -> dict[str, Any]:
        return self.draft.to_payload()

    @classmethod
    def of(cls, kiosk: KioskController) -> AusweisSession:
        found = kiosk.findChild(AusweisSession, OBJECT_NAME)
        if isinstance(found, AusweisSession):
            return found
        return cls(kiosk)

    # -- loading -------------------------------------------------------------

    def open(self, case_id: str, on_ready: Callable[[], None] | None = None) -> None:
        """Load ``case_id`` (off the GUI thread) unless it is already open."""
        if case_id == self.case_id:
            if on_ready is not None:
                on_ready()
            return
        self.saver.flush()
        session = self.kiosk.session
        if session is None:
            return
        store = session.store

        def op() -> tuple[str, dict[str, Any]]:
            stored = store.load_case(case_id)
            return stored.case_number, stored.payload

        def done(result: tuple[str, dict[str, Any]]) -> None:
            number, payload = result
            self.case_id = case_id
            self.case_number = number
            self.saver.case_id = case_id
            self.draft = AusweisDraft.from_payload(payload)
            self.loaded.emit()
            self.save_state.emit("saved")
            if on_ready is not None:
                on_ready()

        self.kiosk.run_in_store(op, done)

    def _session_changed(self, account: str) -> None:
        if account:
            return
        self.saver.flush()
        self.saver.case_id = None
        self.case_id = None
        self.case_number = ""
        self.draft = AusweisDraft()
        self.loaded.emit()

    # -- saving --------------------------------------------------------------

    def touch(self) -> None:
        self.saver.touch()

    def flush(self) -> None:
        self.saver.flush()

    @property
    def busy(self) -> bool:
        return self._attachment_jobs > 0 or self.saver.dirty

    def save_attachments(
        self,
        attachments: Mapping[str, bytes | None],
        on_saved: Callable[[], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Store ``attachments`` (encrypted) together with the current draft."""
        session = self.kiosk.session
        case_id = self.case_id
        if session is None or case_id is None:
            return
        store = session.store
        payload = self.draft.to_payload()
        data = dict(attachments)
        self._attachment_jobs += 1
        self.save_state.emit("saving")

        def op() -> None:
            save_with_attachments(store, case_id, payload, data)

        def done(_result: None) -> None:
            self._attachment_jobs -= 1
            self.save_state.emit("saved")
            if on_saved is not None:
                on_saved()

        def failed(exc: BaseException) -> None:
            self._attachment_jobs -= 1
            self.save_state.emit("failed")
            (on_error or self.kiosk.show_error)(exc)

        self.kiosk.run_in_store(op, done, failed)
