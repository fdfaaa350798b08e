"""Login: choose an account, enter the passphrase, unlock the store."""

from __future__ import annotations

import math
from time import monotonic

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.case_store import remaining_wait
from koffer.errors import AuthenticationError, KofferError, LockedError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Params, Screen


class LoginScreen(Screen):
    name = "login"
    escape_goes_back = False
    needs_session = False

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self._busy = False
        self._wait_until = 0.0
        self._base_error = ""
        self._locked = False
        self.heading = QLabel(self)
        self.heading.setProperty("role", "title")
        self.intro = QLabel(self)
        self.intro.setProperty("role", "subtitle")
        self.intro.setWordWrap(True)
        self.accounts_label = QLabel(self)
        self.accounts = QListWidget(self)
        self.accounts.setObjectName("login_accounts")
        self.accounts.setMaximumHeight(220)
        self.passphrase_label = QLabel(self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("login_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_label.setBuddy(self.passphrase)
        self.error = QLabel(self)
        self.error.setObjectName("login_error")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("login_hint")
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("login_unlock")
        self.unlock_button.setProperty("role", "primary")
        self.unlock_button.clicked.connect(self.proceed)
        self._countdown = QTimer(self)
        self._countdown.setInterval(500)
        self._countdown.timeout.connect(self._tick)

        card = QFrame(self)
        card.setProperty("role", "card")
        card.setMaximumWidth(640)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        inner.addWidget(self.heading)
        inner.addWidget(self.intro)
        inner.addSpacing(8)
        inner.addWidget(self.accounts_label)
        inner.addWidget(self.accounts)
        inner.addWidget(self.passphrase_label)
        inner.addWidget(self.passphrase)
        inner.addWidget(self.error)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.setTabOrder(self.accounts, self.passphrase)
        self.setTabOrder(self.passphrase, self.unlock_button)

        kiosk.accounts_ready.connect(self._fill_accounts)
        self.retranslate()
        self._fill_accounts([a for a in kiosk.accounts])

    # -- texts ------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Bürgerservice-Koffer")

    def retranslate(self) -> None:
        if self._locked:
            self.heading.setText(self.tr("Bildschirm gesperrt"))
            self.intro.setText(
                self.tr(
                    "Ihre Eingaben sind gespeichert. Geben Sie Ihre Passphrase ein, "
                    "um weiterzuarbeiten."
                )
            )
        else:
            self.heading.setText(self.tr("Willkommen"))
            self.intro.setText(
                self.tr("Bitte wählen Sie Ihr Konto und geben Sie Ihre Passphrase ein.")
            )
        self.accounts_label.setText(self.tr("Konto"))
        self.passphrase_label.setText(self.tr("Passphrase"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.accounts.setAccessibleName(self.tr("Konto"))
        self._update_button()
        self._update_hint()

    def _update_button(self) -> None:
        if self._busy:
            self.unlock_button.setText(self.tr("Passphrase wird geprüft …"))
        else:
            self.unlock_button.setText(self.tr("Entsperren"))

    def _update_hint(self) -> None:
        if self.kiosk.context.mode == "demo":
            self.hint.setText(self.tr("Vorführung: Konto „demo“, Passphrase „demo-passphrase“."))
        elif not self.accounts.count():
            self.hint.setText(
                self.tr(
                    "Es ist noch kein Konto eingerichtet. Die Technik richtet den Koffer "
                    "mit dem Befehl „koffer init“ ein."
                )
            )
        else:
            self.hint.setText("")

    # -- life cycle -------------------------------------------------------

    def enter(self, params: Params) -> None:
        self.passphrase.clear()
        self.error.clear()
        self._locked = bool(params.get("locked"))
        self.retranslate()
        account = params.get("account")
        if isinstance(account, str):
            self._select(account)

    def first_focus(self) -> QWidget | None:
        return self.passphrase if self.accounts.currentItem() else self.accounts

    def _fill_accounts(self, accounts: list[object]) -> None:
        current = self.selected_account()
        self.accounts.clear()
        for info in accounts:
            name = str(getattr(info, "name", info))
            item = QListWidgetItem(name, self.accounts)
            item.setData(Qt.ItemDataRole.UserRole, name)
            if getattr(info, "disabled", False):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        if current:
            self._select(current)
        elif self.accounts.count() == 1:
            self.accounts.setCurrentRow(0)
        self._update_hint()

    def _select(self, account: str) -> None:
        for row in range(self.accounts.count()):
            item = self.accounts.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == account:
                self.accounts.setCurrentItem(item)
                return

    def selected_account(self) -> str | None:
        item = self.accounts.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    # -- unlocking --------------------------------------------------------

    def proceed(self) -> None:
        if self._busy or self._countdown.isActive():
            return
        account = self.selected_account()
        if account is None:
            self.error.setText(self.tr("Bitte wählen Sie zuerst Ihr Konto."))
            self.accounts.setFocus()
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.error.setText(self.tr("Bitte geben Sie Ihre Passphrase ein."))
            self.passphrase.setFocus()
            return
        self._set_busy(True)
        self.error.clear()
        self.kiosk.login(account, passphrase, self._failed, self._succeeded)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.accounts.setEnabled(not busy)
        self._update_button()

    def _succeeded(self) -> None:
        self._set_busy(False)
        self.passphrase.clear()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(exc, LockedError | AuthenticationError):
            self.error.setText(exc.localized(self.kiosk.context.language))
            wait = remaining_wait(exc)
            if wait:
                self._start_countdown(wait)
        elif isinstance(exc, KofferError):
            self.error.setText(exc.localized(self.kiosk.context.language))
        else:
            self.kiosk.show_error(exc)

    def _start_countdown(self, seconds: float) -> None:
        self._wait_until = monotonic() + seconds
        self._base_error = self.error.text()
        self.unlock_button.setEnabled(False)
        self._countdown.start()
        self._tick()

    def _tick(self) -> None:
        left = math.ceil(self._wait_until - monotonic())
        if left <= 0:
            self._countdown.stop()
            self.unlock_button.setEnabled(True)
            self.error.setText(self._base_error)
            return
        wait = (
            self.tr("Nächster Versuch in einer Sekunde.")
            if left == 1
            else self.tr("Nächster Versuch in %n Sekunden.", "", left)
        )
        self.error.setText(self._base_error + "\n" + wait)


SCREEN = LoginScreen
