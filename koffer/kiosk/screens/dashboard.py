"""The visit dashboard: start a case, resume drafts, today's cases, outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.drafts import RegistrationDraft, citizen_name
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Params, Screen

if TYPE_CHECKING:
    from koffer.kiosk.sender import SendStatus
    from koffer.store.records import CaseMeta

#: case types whose wizard exists (others show a notice)
WIZARDS: dict[str, str] = {
    "anmeldung": "anmeldung",
    "abmeldung": "abmeldung",
    "hauptwohnung": "hauptwohnung",
    "personalausweis": "ausweis_person",
    "reisepass": "ausweis_person",
}

OPEN_STATES = frozenset({"draft", "open", "in_progress"})
#: completed but not sealed (sealing failed, e.g. not enrolled): reopens on completion
UNSEALED = "completed"


def case_type_label(case_type: str) -> str:
    labels = {
        "anmeldung": QCoreApplication.translate("CaseTypes", "Anmeldung"),
        "abmeldung": QCoreApplication.translate("CaseTypes", "Abmeldung"),
        "hauptwohnung": QCoreApplication.translate("CaseTypes", "Wechsel der Hauptwohnung"),
        "personalausweis": QCoreApplication.translate("CaseTypes", "Personalausweis"),
        "reisepass": QCoreApplication.translate("CaseTypes", "Reisepass"),
    }
    return labels.get(case_type, case_type)


def state_label(state: str) -> str:
    labels = {
        "draft": QCoreApplication.translate("CaseStates", "in Bearbeitung"),
        "completed": QCoreApplication.translate("CaseStates", "abgeschlossen"),
        "sealed": QCoreApplication.translate("CaseStates", "versiegelt"),
        "sent": QCoreApplication.translate("CaseStates", "übertragen"),
        "acknowledged": QCoreApplication.translate("CaseStates", "bestätigt"),
        "cancelled": QCoreApplication.translate("CaseStates", "abgebrochen"),
    }
    return labels.get(state, state)


def delivery_label(outbox_state: str) -> str:
    """A sealed case's state as its outbox entry tells it (what the outbox says)."""
    labels = {
        "sealed": QCoreApplication.translate("CaseStates", "versiegelt, wartet auf Versand"),
        "sending": QCoreApplication.translate("CaseStates", "wird gesendet"),
        "acknowledged": QCoreApplication.translate("CaseStates", "übertragen"),
        "purged": QCoreApplication.translate("CaseStates", "übertragen"),
        "rejected": QCoreApplication.translate("CaseStates", "abgelehnt"),
        "dead_letter": QCoreApplication.translate("CaseStates", "unzustellbar"),
    }
    return labels.get(outbox_state, outbox_state)


class DashboardScreen(Screen):
    name = "dashboard"
    escape_goes_back = False

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.cases: list[CaseMeta] = []
        #: citizen names of readable cases by case id (screen only)
        self.names: dict[str, str] = {}
        self.date_label = QLabel(self)
        self.date_label.setProperty("role", "subtitle")
        self.start_heading = QLabel(self)
        self.start_heading.setProperty("role", "title")
        self.start_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(16)
        for index, case_type in enumerate(
            ("anmeldung", "abmeldung", "hauptwohnung", "personalausweis", "reisepass")
        ):
            button = QPushButton(self)
            button.setObjectName(f"start_{case_type}")
            button.setMinimumHeight(88)
            if index == 0:
                button.setProperty("role", "primary")
            button.clicked.connect(lambda _checked=False, t=case_type: self.start_case(t))
            self.start_buttons[case_type] = button
            grid.addWidget(button, index // 2, index % 2)

        self.cases_heading = QLabel(self)
        self.cases_heading.setProperty("role", "title")
        self.case_list = QListWidget(self)
        self.case_list.setObjectName("dashboard_cases")
        self.case_list.itemActivated.connect(self._open_item)
        self.resume_button = QPushButton(self)
        self.resume_button.setObjectName("dashboard_resume")
        self.resume_button.clicked.connect(self.resume_selected)
        self.empty_label = QLabel(self)
        self.empty_label.setProperty("role", "hint")
        self.empty_label.setWordWrap(True)

        self.outbox_heading = QLabel(self)
        self.outbox_heading.setProperty("role", "title")
        self.outbox_label = QLabel(self)
        self.outbox_label.setObjectName("dashboard_outbox")
        self.outbox_label.setWordWrap(True)
        self.outbox_label.setProperty("role", "hint")
        # outbox summary and the admin's way to the other areas
        self.outbox_counts: dict[str, int] | None = None
        #: outbox state by case number: a sealed case shows what the outbox says
        self.outbox_states: dict[str, str] = {}
        self.outbox_button = QPushButton(self)
        self.outbox_button.setObjectName("dashboard_outbox_open")
        self.outbox_button.clicked.connect(lambda: self.kiosk.go("outbox"))
        self.closing_button = QPushButton(self)
        self.closing_button.setObjectName("dashboard_kassenabschluss")
        self.closing_button.clicked.connect(lambda: self.kiosk.go("kassenabschluss"))
        self.admin_button = QPushButton(self)
        self.admin_button.setObjectName("dashboard_admin")
        self.admin_button.clicked.connect(lambda: self.kiosk.go("admin"))
        self.admin_button.setVisible(False)
        area_buttons = QHBoxLayout()
        area_buttons.addWidget(self.outbox_button)
        area_buttons.addWidget(self.closing_button)
        area_buttons.addWidget(self.admin_button)
        area_buttons.addStretch(1)

        left = QVBoxLayout()
        left.setSpacing(16)
        left.addWidget(self.start_heading)
        left.addLayout(grid)
        left.addSpacing(16)
        left.addWidget(self.outbox_heading)
        left.addWidget(self.outbox_label)
        left.addLayout(area_buttons)
        left.addStretch(1)
        right_card = QFrame(self)
        right_card.setProperty("role", "card")
        right = QVBoxLayout(right_card)
        right.setContentsMargins(20, 16, 20, 16)
        right.addWidget(self.cases_heading)
        right.addWidget(self.case_list, 1)
        right.addWidget(self.empty_label)
        # takes the room only while the list is hidden: the heading and the
        # hint then stay at the top instead of floating in the middle
        right.addStretch(0)
        right.addWidget(self.resume_button)
        columns = QHBoxLayout()
        columns.setSpacing(32)
        columns.addLayout(left, 1)
        columns.addWidget(right_card, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addWidget(self.date_label)
        layout.addLayout(columns, 1)
        #: the background sender's last report (online, why it stopped)
        self.send_status: SendStatus | None = None
        kiosk.outbox_changed.connect(self._outbox_changed)
        kiosk.outbox_sender.running_changed.connect(lambda _running: self._sender_reported(None))
        self.retranslate()
        kiosk.outbox_sender.follow(self._sender_reported)

    # -- texts ------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Übersicht")

    def retranslate(self) -> None:
        language = self.kiosk.context.language
        locale = QLocale(QLocale.Language.English if language == "en" else QLocale.Language.German)
        today = self.kiosk.context.today()
        day = locale.toString(QDate(today.year, today.month, today.day), "dddd, d. MMMM yyyy")
        self.date_label.setText(self.tr("Heute ist %1.").replace("%1", day))
        self.start_heading.setText(self.tr("Neuer Vorgang"))
        labels = {
            "anmeldung": self.tr("Anmeldung\n(Zuzug / Umzug)"),
            "abmeldung": self.tr("Abmeldung"),
            "hauptwohnung": self.tr("Wechsel der\nHauptwohnung"),
            "personalausweis": self.tr("Personalausweis\nbeantragen"),
            "reisepass": self.tr("Reisepass\nbeantragen"),
        }
        for case_type, button in self.start_buttons.items():
            button.setText(labels[case_type])
        self.cases_heading.setText(self.tr("Vorgänge heute und offene Entwürfe"))
        self.resume_button.setText(self.tr("Ausgewählten Vorgang fortsetzen"))
        self.empty_label.setText(self.tr("Noch keine Vorgänge. Beginnen Sie links einen neuen."))
        self.outbox_heading.setText(self.tr("Postausgang"))
        self.outbox_button.setText(self.tr("Postausgang öffnen"))
        self.closing_button.setText(self.tr("Kassenabschluss"))
        self.admin_button.setText(self.tr("Verwaltung"))
        self._render_outbox()
        self._render_cases()

    # -- data -------------------------------------------------------------

    def enter(self, params: Params) -> None:
        del params
        self.reload()

    def first_focus(self) -> QWidget | None:
        return self.start_buttons["anmeldung"]

    def reload(self) -> None:
        session = self.kiosk.session
        if session is None:
            return
        store = session.store

        def cases() -> tuple[list[CaseMeta], dict[str, str]]:
            # whose draft is whose: the citizen's name, decrypted for this
            # screen only (never logged; sealed cases have none left to show)
            metas = store.list_cases()
            names: dict[str, str] = {}
            for meta in metas:
                if meta.readable and meta.state in OPEN_STATES | {UNSEALED}:
                    try:
                        names[meta.case_id] = citizen_name(store.load_case(meta.case_id).payload)
                    except KofferError:
                        names[meta.case_id] = ""
            return metas, names

        self.kiosk.run_in_store(cases, self._show_cases)
        self.admin_button.setVisible(self.kiosk.role == "admin")

        unlocked = store.unlocked
        services = self.kiosk.case_services

        def counts() -> tuple[dict[str, int] | None, dict[str, str]]:
            states = services.outbox_states(unlocked)
            if not services.enrolled(unlocked):
                return None, states
            return services.outbox_counts(unlocked), states

        self.kiosk.run_in_store(counts, self._show_outbox)

    def _outbox_changed(self) -> None:
        """Sealed, sent or resealed elsewhere: counts and case states are stale."""
        if self.kiosk.session is not None and self.isVisible():
            self.reload()

    def _sender_reported(self, status: SendStatus | None) -> None:
        self.send_status = status
        self._render_outbox()

    def _show_outbox(self, result: tuple[dict[str, int] | None, dict[str, str]]) -> None:
        self.outbox_counts, self.outbox_states = result
        self._render_outbox()
        self._render_cases()

    def _render_outbox(self) -> None:
        counts = self.outbox_counts
        if counts is None:
            text = self.tr(
                "Der Koffer ist noch nicht bei der Gegenstelle eingerichtet. Abgeschlossene "
                "Vorgänge bleiben versiegelt gespeichert."
            )
        else:
            waiting = counts.get("sealed", 0) + counts.get("sending", 0)
            sent = counts.get("purged", 0) + counts.get("acknowledged", 0)
            problems = counts.get("rejected", 0) + counts.get("dead_letter", 0)
            text = (
                self.tr("%1 warten auf den Versand, %2 übertragen.")
                .replace("%1", str(waiting))
                .replace("%2", str(sent))
            )
            if problems:
                text += " " + self.tr("%1 brauchen Ihre Aufmerksamkeit.").replace(
                    "%1", str(problems)
                )
            status = self.send_status
            problem = None if status is None else status.problem(self.kiosk.context.language)
            if problem:
                text += "\n" + self.tr("Versand unterbrochen: %1").replace("%1", problem)
            elif status is not None and status.online and waiting == 0:
                text += "\n" + self.tr("Die Gegenstelle ist erreichbar; alles ist gesendet.")
        self.outbox_label.setText(text)

    def _show_cases(self, result: tuple[list[CaseMeta], dict[str, str]]) -> None:
        cases, self.names = result
        today = self.kiosk.context.today()

        def local_day(moment: datetime) -> object:
            return moment.astimezone().date() if moment.tzinfo else moment.date()

        relevant = [
            c
            for c in cases
            if (c.state in OPEN_STATES and c.readable)
            or (c.state == UNSEALED and c.readable)
            or local_day(c.created_at) == today
        ]
        relevant.sort(key=lambda c: c.updated_at, reverse=True)
        self.cases = relevant
        self._render_cases()

    def _render_cases(self) -> None:
        current = self.case_list.currentItem()
        selected = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.case_list.clear()
        for case in self.cases:
            moment = case.updated_at.astimezone() if case.updated_at.tzinfo else case.updated_at
            state = state_label(case.state)
            if case.state == UNSEALED and case.readable:
                state = self.tr("abgeschlossen, noch nicht versiegelt")
            elif case.case_number in self.outbox_states:
                state = delivery_label(self.outbox_states[case.case_number])
            name = self.names.get(case.case_id) or ""
            parts = [name, case_type_label(case.case_type), state, f"{moment:%H:%M}"]
            text = " · ".join([*(part for part in parts if part), case.case_number])
            item = QListWidgetItem(text, self.case_list)
            item.setData(Qt.ItemDataRole.UserRole, case.case_id)
        self.empty_label.setVisible(not self.cases)
        self.case_list.setVisible(bool(self.cases))
        self.resume_button.setVisible(bool(self.cases))
        if self.cases:
            ids = [c.case_id for c in self.cases]
            self.case_list.setCurrentRow(ids.index(selected) if selected in ids else 0)

    # -- actions ----------------------------------------------------------

    def start_case(self, case_type: str) -> None:
        screen = WIZARDS.get(case_type)
        session = self.kiosk.session
        if screen is None:
            self.kiosk.message.emit(
                self.tr("Dieser Ablauf ist in dieser Version noch nicht verfügbar.")
            )
            return
        if session is None:
            return
        store = session.store
        payload = RegistrationDraft(case_type=case_type).to_payload()

        def op() -> str:
            return store.create_case(case_type, payload)

        self.kiosk.run_in_store(op, self._open(screen))

    def _open(self, screen: str) -> Callable[[str], None]:
        def go(case_id: str) -> None:
            self.kiosk.go(screen, {"case_id": case_id})

        return go

    def resume_selected(self) -> None:
        item = self.case_list.currentItem()
        if item is not None:
            self._open_item(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        case = next((c for c in self.cases if c.case_id == case_id), None)
        if case is None:
            return
        if case.state == UNSEALED and case.readable:
            # sealing (and so printing) did not happen: the completion step repeats it
            self.kiosk.go("completion", {"case_id": case.case_id})
            return
        screen = WIZARDS.get(case.case_type)
        if screen is None or case.state not in OPEN_STATES or not case.readable:
            self.kiosk.message.emit(
                self.tr("Dieser Vorgang kann hier nicht mehr bearbeitet werden.")
            )
            return
        self.kiosk.go(screen, {"case_id": case.case_id})

    def proceed(self) -> None:
        self.start_case("anmeldung")


SCREEN = DashboardScreen
