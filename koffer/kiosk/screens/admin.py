"""Administration: accounts (add, disable, unlock) and enrollment with a token.

Every store operation runs on the store lane; enrollment (network) on the
outbox lane. Passphrases are never shown or logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.services import OUTBOX_LANE
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.theme import MIN_TARGET
from koffer.kiosk.widgets.scrolling import scrolled

if TYPE_CHECKING:
    from koffer.store.records import AccountInfo


class AdminScreen(Screen):
    name = "admin"
    escape_goes_back = False

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.accounts: list[AccountInfo] = []
        self.enrolled: bool | None = None
        self.accounts_heading = QLabel(self)
        self.accounts_heading.setProperty("role", "title")
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("admin_accounts")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setMinimumSectionSize(MIN_TARGET)
        self.table.verticalHeader().setDefaultSectionSize(MIN_TARGET)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.disable_button = QPushButton(self)
        self.disable_button.setObjectName("admin_disable")
        self.disable_button.clicked.connect(self.disable_selected)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("admin_unlock")
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.new_heading = QLabel(self)
        self.new_heading.setProperty("role", "subtitle")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("admin_new_name")
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("admin_new_role")
        self.pass_edit = QLineEdit(self)
        self.pass_edit.setObjectName("admin_new_passphrase")
        self.pass_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setObjectName("admin_new_repeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("admin_add")
        self.add_button.clicked.connect(self.add_account)
        self.form_error = QLabel(self)
        self.form_error.setObjectName("admin_error")
        self.form_error.setWordWrap(True)
        self.enroll_heading = QLabel(self)
        self.enroll_heading.setProperty("role", "title")
        self.enroll_state = QLabel(self)
        self.enroll_state.setObjectName("admin_enroll_state")
        self.enroll_state.setWordWrap(True)
        self.token_edit = QLineEdit(self)
        self.token_edit.setObjectName("admin_token")
        self.enroll_button = QPushButton(self)
        self.enroll_button.setObjectName("admin_enroll")
        self.enroll_button.clicked.connect(self.enroll)
        self.dashboard_button = QPushButton(self)
        self.dashboard_button.setObjectName("admin_dashboard")
        self.dashboard_button.setProperty("role", "primary")
        self.dashboard_button.clicked.connect(lambda: self.kiosk.go("dashboard"))
        self.technician_button = QPushButton(self)
        self.technician_button.clicked.connect(lambda: self.kiosk.go("technician"))
        self.outbox_button = QPushButton(self)
        self.outbox_button.clicked.connect(lambda: self.kiosk.go("outbox"))

        self.labels = [QLabel(self) for _ in range(4)]
        form = QGridLayout()
        for row, widget in enumerate(
            (self.name_edit, self.role_combo, self.pass_edit, self.repeat_edit)
        ):
            form.addWidget(self.labels[row], row, 0)
            form.addWidget(widget, row, 1)
        account_buttons = QHBoxLayout()
        account_buttons.addWidget(self.disable_button)
        account_buttons.addWidget(self.unlock_button)
        account_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.accounts_heading)
        left.addWidget(self.table, 1)
        left.addLayout(account_buttons)
        left.addWidget(self.new_heading)
        left.addLayout(form)
        left.addWidget(self.add_button)
        left.addWidget(self.form_error)
        right = QVBoxLayout()
        right.addWidget(self.enroll_heading)
        right.addWidget(self.enroll_state)
        right.addWidget(self.token_edit)
        right.addWidget(self.enroll_button)
        right.addStretch(1)
        content = QWidget(self)
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(32)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.technician_button)
        buttons.addWidget(self.outbox_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dashboard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addWidget(scrolled(content, self), 1)
        layout.addLayout(buttons)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Verwaltung")

    def retranslate(self) -> None:
        self.accounts_heading.setText(self.tr("Konten"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Rolle"), self.tr("Status")])
        self.disable_button.setText(self.tr("Konto deaktivieren"))
        self.unlock_button.setText(self.tr("Sperre aufheben"))
        self.new_heading.setText(self.tr("Neues Konto"))
        for label, text in zip(
            self.labels,
            (
                self.tr("Name"),
                self.tr("Rolle"),
                self.tr("Passphrase"),
                self.tr("Passphrase wiederholen"),
            ),
            strict=True,
        ):
            label.setText(text)
        current = self.role_combo.currentData()
        self.role_combo.clear()
        for code, text in (
            ("clerk", self.tr("Sachbearbeitung")),
            ("technician", self.tr("Technik")),
            ("admin", self.tr("Administration")),
        ):
            self.role_combo.addItem(text, code)
        if isinstance(current, str):
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(current)))
        self.add_button.setText(self.tr("Konto anlegen"))
        self.enroll_heading.setText(self.tr("Einrichtung bei der Gegenstelle"))
        self.token_edit.setPlaceholderText(self.tr("Einrichtungscode hier einfügen"))
        self.enroll_button.setText(self.tr("Koffer einrichten"))
        self.dashboard_button.setText(self.tr("Zur Übersicht"))
        self.technician_button.setText(self.tr("Technik"))
        self.outbox_button.setText(self.tr("Postausgang"))
        self._render()

    def enter(self, params: Params) -> None:
        del params
        self.reload()

    def first_focus(self) -> QWidget | None:
        return self.dashboard_button

    def _role_label(self, role: str) -> str:
        index = self.role_combo.findData(role)
        return self.role_combo.itemText(index) if index >= 0 else role

    def reload(self) -> None:
        session = self.kiosk.session
        if session is None:
            return
        unlocked = session.store.unlocked
        services = self.kiosk.case_services

        def op() -> tuple[list[AccountInfo], bool]:
            return unlocked.list_accounts(), services.enrolled(unlocked)

        self.kiosk.run_in_store(op, self._loaded)

    def _loaded(self, result: tuple[list[AccountInfo], bool]) -> None:
        self.accounts, self.enrolled = result
        self.kiosk.accounts = list(self.accounts)
        self.kiosk.accounts_ready.emit(list(self.accounts))  # the login list follows
        self._render()

    def _render(self) -> None:
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            if account.disabled:
                status = self.tr("deaktiviert")
            elif account.locked:
                status = self.tr("gesperrt (zu viele Fehlversuche)")
            else:
                status = self.tr("aktiv")
            for column, value in enumerate((account.name, self._role_label(account.role), status)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if self.enrolled is None:
            self.enroll_state.setText("")
        elif self.enrolled:
            self.enroll_state.setText(self.tr("✔ Dieser Koffer ist eingerichtet."))
        else:
            self.enroll_state.setText(
                self.tr(
                    "Dieser Koffer ist noch nicht eingerichtet. Fügen Sie den Einrichtungscode "
                    "der Gegenstelle ein."
                )
            )

    def _selected(self) -> str | None:
        row = self.table.currentRow()
        return self.accounts[row].name if 0 <= row < len(self.accounts) else None

    def _store_action(self, action: str, name: str) -> None:
        session = self.kiosk.session
        if session is None:
            return
        unlocked = session.store.unlocked

        def op() -> None:
            if action == "disable":
                unlocked.disable_account(name)
            else:
                unlocked.unlock_account(name)

        self.kiosk.run_in_store(op, lambda _r: self.reload())

    def disable_selected(self) -> None:
        name = self._selected()
        if name is not None:
            self._store_action("disable", name)

    def unlock_selected(self) -> None:
        name = self._selected()
        if name is not None:
            self._store_action("unlock", name)

    def add_account(self) -> None:
        session = self.kiosk.session
        name = self.name_edit.text().strip()
        passphrase = self.pass_edit.text()
        role = self.role_combo.currentData()
        if session is None or not isinstance(role, str):
            return
        if not name:
            self.form_error.setText(self.tr("Bitte geben Sie einen Namen ein."))
            return
        if passphrase != self.repeat_edit.text():
            self.form_error.setText(
                self.tr("Die beiden Passphrasen stimmen nicht überein. Bitte erneut eingeben.")
            )
            return
        self.form_error.setText("")
        unlocked = session.store.unlocked

        def op() -> None:
            unlocked.add_account(name, role, passphrase)

        def done(_result: None) -> None:
            self.name_edit.clear()
            self.pass_edit.clear()
            self.repeat_edit.clear()
            self.kiosk.message.emit(self.tr("Das Konto „%1“ wurde angelegt.").replace("%1", name))
            self.reload()

        def failed(exc: BaseException) -> None:
            message = getattr(exc, "localized", None)
            self.form_error.setText(
                message(self.kiosk.context.language) if callable(message) else type(exc).__name__
            )

        self.kiosk.run_in_store(op, done, failed)

    def enroll(self) -> None:
        session = self.kiosk.session
        token = self.token_edit.text().strip()
        if session is None or not token:
            return
        unlocked = session.store.unlocked
        services = self.kiosk.case_services

        def op() -> str:
            return services.enroll(unlocked, token)

        def done(name: str) -> None:
            self.token_edit.clear()
            self.kiosk.message.emit(
                self.tr("Der Koffer ist als „%1“ eingerichtet.").replace("%1", name)
            )
            self.reload()
            self.kiosk.start_outbox()  # seal what waited for enrollment, then send

        self.kiosk.run_on_lane(OUTBOX_LANE, op, done)


SCREEN = AdminScreen
