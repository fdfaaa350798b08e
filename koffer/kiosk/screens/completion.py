"""Completion: rules → state transitions → seal into the outbox → print.

Sealing runs on the store lane (after the wizard's last save), printing on
the printer lane. The documents are rendered before sealing and kept in
memory only, so a print error (paper out, printer off) can be retried as
often as needed without touching the sealed case. A failure before sealing
(rule, missing enrollment) leaves the case as it was: "Erneut versuchen"
repeats the whole step, which is idempotent.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from koffer.casework.completion import Completion, Document, complete_case
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Params, Screen

log = logging.getLogger(__name__)


class CompletionScreen(Screen):
    name = "completion"
    escape_goes_back = False

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.case_id: str | None = None
        self.completion: Completion | None = None
        #: "working", "sealed", "printing", "print_failed", "done", "failed"
        self.phase = ""
        self.error = ""
        self.heading = QLabel(self)
        self.heading.setProperty("role", "title")
        self.status = QLabel(self)
        self.status.setObjectName("completion_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 22px;")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("completion_error")
        self.error_label.setWordWrap(True)
        self.documents = QListWidget(self)
        self.documents.setObjectName("completion_documents")
        self.documents.setWordWrap(True)
        self.documents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("completion_retry")
        self.retry_button.clicked.connect(self.retry)
        self.done_button = QPushButton(self)
        self.done_button.setObjectName("completion_done")
        self.done_button.setProperty("role", "primary")
        self.done_button.clicked.connect(self.proceed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(16)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addWidget(self.error_label)
        layout.addWidget(self.documents, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Abschluss")

    def retranslate(self) -> None:
        self.done_button.setText(self.tr("Fertig – zur Übersicht"))
        self._render()

    def state(self) -> Params:
        return {"case_id": self.case_id} if self.case_id else {}

    # -- flow ---------------------------------------------------------------

    def enter(self, params: Params) -> None:
        case_id = params.get("case_id")
        if not isinstance(case_id, str):
            return
        if case_id == self.case_id and self.phase in ("printing", "print_failed", "done"):
            return
        self.case_id = case_id
        self.completion = None
        self._complete()

    def _complete(self) -> None:
        session = self.kiosk.session
        case_id = self.case_id
        if session is None or case_id is None:
            return
        self.phase, self.error = "working", ""
        self._render()
        store = session.store
        services = self.kiosk.case_services
        today = self.kiosk.context.today()
        rules = self.kiosk.context.rules

        def op() -> Completion:
            return complete_case(
                store, case_id, today, services.municipality, seal=services.seal, rules=rules
            )

        self.kiosk.run_in_store(op, self._sealed, self._failed)

    def _sealed(self, completion: Completion) -> None:
        if completion.case_id != self.case_id:
            return
        self.completion = completion
        self.phase = "sealed"
        # the controller wakes the background sender: the envelope leaves at once
        self.kiosk.case_sealed.emit(completion.case_id)
        self._print_next()

    def _failed(self, exc: BaseException) -> None:
        self.phase = "failed"
        self.error = self._message(exc)
        self._render()

    def _message(self, exc: BaseException) -> str:
        if isinstance(exc, KofferError):
            return exc.localized(self.kiosk.context.language)
        self.kiosk.show_error(exc)
        return self.tr("Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.")

    def _print_next(self) -> None:
        completion = self.completion
        if completion is None:
            return
        pending = [d for d in completion.documents if not d.printed]
        if not pending:
            self.phase, self.error = "done", ""
            self._render()
            return
        document = pending[0]
        self.phase, self.error = "printing", ""
        self._render()
        services = self.kiosk.case_services

        def op() -> Document:
            services.print_document(document)
            return document

        self.kiosk.run_on_printer(op, lambda _d: self._print_next(), self._print_failed)

    def _print_failed(self, exc: BaseException) -> None:
        self.phase = "print_failed"
        self.error = self._message(exc)
        self._render()

    def retry(self) -> None:
        if self.phase == "print_failed":
            self._print_next()
        elif self.phase == "failed":
            self._complete()

    def proceed(self) -> None:
        if self.phase in ("done", "print_failed", "failed"):
            self.kiosk.go("dashboard")

    # -- view ---------------------------------------------------------------

    def _render(self) -> None:
        completion = self.completion
        number = completion.case_number if completion else ""
        texts = {
            "": "",
            "working": self.tr("Die Angaben werden geprüft und versiegelt …"),
            "sealed": self.tr("Vorgang %1 ist versiegelt und liegt im Postausgang."),
            "printing": self.tr("Vorgang %1 ist versiegelt. Das Dokument wird gedruckt …"),
            "print_failed": self.tr(
                "Vorgang %1 ist sicher versiegelt. Der Druck hat nicht geklappt – es geht "
                "nichts verloren; beheben Sie die Ursache und drucken Sie erneut."
            ),
            "done": self.tr(
                "Fertig: Vorgang %1 ist versiegelt, das Dokument ist gedruckt. Bitte geben "
                "Sie es der Bürgerin/dem Bürger mit."
            ),
            "failed": self.tr("Der Vorgang konnte nicht abgeschlossen werden."),
        }
        self.status.setText(texts.get(self.phase, "").replace("%1", number))
        headings = {
            "done": self.tr("Vorgang abgeschlossen"),
            "sealed": self.tr("Vorgang versiegelt"),
            "print_failed": self.tr("Vorgang versiegelt – Druck fehlgeschlagen"),
            "failed": self.tr("Vorgang nicht abgeschlossen"),
        }
        self.heading.setText(headings.get(self.phase, self.tr("Vorgang wird abgeschlossen …")))
        self.error_label.setText(f"⚠ {self.error}" if self.error else "")
        self.error_label.setVisible(bool(self.error))
        self.documents.clear()
        if completion is not None:
            titles = {
                "meldebestaetigung": self.tr("Meldebestätigung %1"),
                "antragsquittung": self.tr("Antragsquittung %1"),
            }
            for document in completion.documents:
                mark = "✔" if document.printed else "…"
                title = titles.get(document.kind)
                label = document.title if title is None else title.replace("%1", number)
                self.documents.addItem(f"{mark} {label}")
            for warning in completion.warnings:
                english = self.kiosk.context.language == "en"
                self.documents.addItem("⚠ " + (warning.message_en if english else warning.message))
        retry = {
            "print_failed": self.tr("Erneut drucken"),
            "failed": self.tr("Erneut versuchen"),
        }
        self.retry_button.setText(retry.get(self.phase, ""))
        self.retry_button.setVisible(self.phase in retry)
        self.done_button.setEnabled(self.phase in ("done", "print_failed", "failed"))


SCREEN = CompletionScreen
