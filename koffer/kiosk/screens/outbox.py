"""The outbox: state and German reason per envelope, "Jetzt senden", export.

Lists non-personal metadata only (case number, type, state, attempts, the
last error). Sending runs on the outbox lane, export and listing on the
store lane; nothing here waits on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.services import OUTBOX_LANE
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.screens.dashboard import case_type_label
from koffer.kiosk.theme import MIN_TARGET

if TYPE_CHECKING:
    from koffer.kiosk.sender import SendStatus
    from koffer.queue.outbox import OutboxEntry, SyncReport


def outbox_state_label(state: str) -> str:
    labels = {
        "sealed": QCoreApplication.translate("OutboxStates", "wartet auf Versand"),
        "sending": QCoreApplication.translate("OutboxStates", "wird gesendet"),
        "acknowledged": QCoreApplication.translate("OutboxStates", "bestätigt"),
        "purged": QCoreApplication.translate("OutboxStates", "übertragen, Quittung liegt vor"),
        "rejected": QCoreApplication.translate("OutboxStates", "abgelehnt"),
        "dead_letter": QCoreApplication.translate("OutboxStates", "unzustellbar"),
    }
    return labels.get(state, state)


class OutboxScreen(Screen):
    name = "outbox"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.entries: list[OutboxEntry] = []
        self.enrolled: bool | None = None
        self.last_report: SyncReport | None = None
        #: the background sender's last report (None without a worker)
        self.send_status: SendStatus | None = None
        self.busy = False
        #: asks for the export folder (tests replace it)
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.summary = QLabel(self)
        self.summary.setObjectName("outbox_summary")
        self.summary.setWordWrap(True)
        self.summary.setProperty("role", "subtitle")
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("outbox_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setMinimumSectionSize(MIN_TARGET)
        self.table.verticalHeader().setDefaultSectionSize(MIN_TARGET)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("outbox_send")
        self.send_button.setProperty("role", "primary")
        self.send_button.clicked.connect(self.send_now)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("outbox_export")
        self.export_button.clicked.connect(self.export)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("outbox_back")
        self.back_button.clicked.connect(self.go_back)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(12)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        kiosk.outbox_changed.connect(self.reload)
        kiosk.outbox_sender.running_changed.connect(self._sender_running)
        self.retranslate()
        kiosk.outbox_sender.follow(self._reported)

    def title(self) -> str:
        return self.tr("Postausgang")

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Vorgang"),
                self.tr("Art"),
                self.tr("Status"),
                self.tr("Versuche"),
                self.tr("Letzte Meldung"),
            ]
        )
        self.send_button.setText(self.tr("Jetzt senden"))
        self.export_button.setText(self.tr("Auf Datenträger exportieren …"))
        self.back_button.setText(self.tr("Zurück"))
        self._render()

    def enter(self, params: Params) -> None:
        del params
        self.reload()

    def first_focus(self) -> QWidget | None:
        return self.send_button

    def go_back(self) -> None:
        self.kiosk.go(self.kiosk.home())

    # -- data ---------------------------------------------------------------

    def reload(self) -> None:
        session = self.kiosk.session
        if session is None:
            return
        unlocked = session.store.unlocked
        services = self.kiosk.case_services

        def op() -> tuple[bool, list[OutboxEntry]]:
            return services.enrolled(unlocked), services.outbox_entries(unlocked)

        self.kiosk.run_in_store(op, self._loaded)

    def _loaded(self, result: tuple[bool, list[OutboxEntry]]) -> None:
        self.enrolled, self.entries = result
        self._render()

    def send_now(self) -> None:
        """Wake the background sender; without one, send once on the outbox lane."""
        session = self.kiosk.session
        if session is None or self.busy:
            return
        self.busy = True
        self._render()
        if self.kiosk.send_now():
            return  # the sender's next report ends "busy"
        unlocked = session.store.unlocked
        services = self.kiosk.case_services

        def op() -> SyncReport:
            return services.sync_now(unlocked)

        self.kiosk.run_on_lane(OUTBOX_LANE, op, self._sent, self._send_failed)

    def _sender_running(self, running: bool) -> None:
        del running  # a new session or none: the old reports are history
        self.send_status = None
        self.last_report = None
        self.busy = False
        self._render()

    def _reported(self, status: SendStatus) -> None:
        """A report of the background sender (GUI thread)."""
        self.busy = False
        self.send_status = status
        report, last = status.report, self.last_report
        # an idle pass (nothing due) keeps the last meaningful report on screen
        idle = not status.changed_outbox and report.stopped is None
        keep = last is not None and (
            (last.sent and not last.stopped) or (last.stopped and status.stopped)
        )
        if not (idle and keep):
            self.last_report = report
        if not status.changed_outbox:
            self._render()  # a changed outbox reloads (outbox_changed) and renders then

    def _sent(self, report: SyncReport) -> None:
        self.busy = False
        self.last_report = report
        self.kiosk.outbox_changed.emit()

    def _send_failed(self, exc: BaseException) -> None:
        self.busy = False
        self._render()
        self.kiosk.show_error(exc)

    def _ask_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Zielordner auf dem Datenträger wählen")
        )
        return Path(folder) if folder else None

    def export(self) -> None:
        session = self.kiosk.session
        target = self.choose_folder()
        if session is None or target is None:
            return
        unlocked = session.store.unlocked
        services = self.kiosk.case_services

        def op() -> int:
            return services.export(unlocked, target)

        def done(count: int) -> None:
            self.kiosk.message.emit(
                self.tr("%1 versiegelte Umschläge wurden exportiert.").replace("%1", str(count))
            )
            self.kiosk.outbox_changed.emit()

        self.kiosk.run_in_store(op, done)

    # -- view ---------------------------------------------------------------

    def _render(self) -> None:
        english = self.kiosk.context.language == "en"
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            error = (entry.last_error_en if english else entry.last_error) or ""
            if entry.state == "purged":
                error = ""
            values = [
                entry.case_number,
                case_type_label(entry.case_type),
                outbox_state_label(entry.state),
                "" if entry.state == "purged" else str(entry.attempts),
                error,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not value:  # a screen reader names the cell, never says nothing
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, self.tr("keine Angabe"))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        waiting = sum(1 for e in self.entries if e.state in ("sealed", "sending"))
        if self.enrolled is False:
            text = self.tr(
                "Dieser Koffer ist noch nicht bei der Gegenstelle eingerichtet. Versiegelte "
                "Vorgänge bleiben sicher gespeichert; die Einrichtung erfolgt im Bereich "
                "Verwaltung."
            )
        elif self.busy:
            text = self.tr("Wird gesendet …")
        elif not self.entries:
            text = self.tr("Der Postausgang ist leer.")
        else:
            text = (
                self.tr("%1 Vorgänge warten auf den Versand.").replace("%1", str(waiting))
                if waiting
                else self.tr("Alle Vorgänge sind übertragen.")
            )
            report = self.last_report
            status = self.send_status
            if status is not None:  # the background sender knows best why it stopped
                problem = status.problem(self.kiosk.context.language)
            elif report is not None and report.stopped:
                problem = report.stopped_en if english and report.stopped_en else report.stopped
            else:
                problem = None
            if problem:
                text += " " + problem
            elif report is not None and report.sent:
                text += " " + self.tr("Beim letzten Versand übertragen: %1.").replace(
                    "%1", str(report.sent)
                )
        self.summary.setText(text)
        self.send_button.setEnabled(not self.busy and self.enrolled is not False)


SCREEN = OutboxScreen
