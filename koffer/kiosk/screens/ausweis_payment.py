"""Last step of the Personalausweis and Reisepass wizards: the fee is paid.

It follows "Antrag prüfen" (PIN-Brief or Reisepass options): the fee is final
there and the application valid, so nobody pays for an application the rules
refuse; it comes before the citizen review, so the Antragsquittung printed at
completion names the payment. The clerk chooses Bar (amount given, change
shown), Karte (the configured Kartenterminal; its texts appear here for the
clerk and the citizen, the receipt goes to the Bondrucker), Rechnung
(transfer reference = Vorgangsnummer) or Gebührenbefreiung (reason). Every
booking runs on the store lane through :mod:`koffer.casework.payment_desk`;
the card terminal's calls run on its own worker
(:class:`~koffer.kiosk.devices.terminal.WorkerTerminal`). Entering the step
first settles open card payments, so a fee paid before a crash shows as paid.
A paid fee cannot be paid again: the cash book refuses, and the screen says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from koffer.casework import payment_desk
from koffer.casework.payment import fee_cents
from koffer.devices.interfaces import (
    DeviceKind,
    PaymentTerminal,
    ReceiptPrinter,
    TerminalReceipt,
)
from koffer.documents.card_receipt import card_receipt_items
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.bridge import QtDevices
from koffer.kiosk.devices.terminal import worker_terminal
from koffer.kiosk.prompt import QtPrompt
from koffer.kiosk.screens import payment_texts
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.screens.ausweis_pin import after_wizard
from koffer.kiosk.widgets.field import ValidatedField
from koffer.payment.card import CardOutcome
from koffer.payment.cashbook import CashEntry
from koffer.payment.money import format_eur, parse_eur

METHODS = ("cash", "card", "invoice", "waived")


class AusweisPaymentScreen(AusweisStep):
    name = "ausweis_payment"
    step = "payment"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.paid: CashEntry | None = None
        self.known = False  # the fee's state was read (after settling)
        self.working = False  # a booking or a card payment runs
        self.prompt = QtPrompt(self)
        self.prompt.message.connect(self._terminal_text)
        self.fee_heading = QLabel(self.body)
        self.fee_heading.setProperty("role", "title")
        self.fee_label = QLabel(self.body)
        self.fee_label.setObjectName("payment_fee")
        self.fee_label.setProperty("role", "title")
        self.state_label = QLabel(self.body)
        self.state_label.setObjectName("payment_state")
        self.state_label.setWordWrap(True)
        self.method_heading = QLabel(self.body)
        self.method_heading.setProperty("role", "title")
        self.group = QButtonGroup(self)
        self.methods: dict[str, QRadioButton] = {}
        for method in METHODS:
            button = QRadioButton(self.body)
            button.setObjectName(f"payment_{method}")
            button.toggled.connect(lambda on, m=method: self._method_changed(m, on))
            self.group.addButton(button)
            self.methods[method] = button
        # the method's part; only the chosen one is shown (a stacked widget would
        # size every page for the narrowest width of its word-wrapped labels)
        self.pages = QWidget(self.body)
        pages_layout = QVBoxLayout(self.pages)
        pages_layout.setContentsMargins(0, 0, 0, 0)
        # cash
        cash = QWidget(self.pages)
        self.given = ValidatedField("payment_given", parent=cash)
        self.given.edited.connect(self._given_changed)
        self.change_label = QLabel(cash)
        self.change_label.setObjectName("payment_change")
        self.change_label.setProperty("role", "title")
        cash_layout = QVBoxLayout(cash)
        cash_layout.setContentsMargins(0, 0, 0, 0)
        cash_layout.addWidget(self.given)
        cash_layout.addWidget(self.change_label)
        cash_layout.addStretch(1)
        # card
        card = QWidget(self.pages)
        self.terminal_label = QLabel(card)
        self.terminal_label.setObjectName("payment_terminal_text")
        self.terminal_label.setProperty("role", "title")
        self.terminal_label.setWordWrap(True)
        self.card_hint = QLabel(card)
        self.card_hint.setProperty("role", "hint")
        self.card_hint.setWordWrap(True)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addWidget(self.terminal_label)
        card_layout.addWidget(self.card_hint)
        card_layout.addStretch(1)
        # invoice
        invoice = QWidget(self.pages)
        self.reference_label = QLabel(invoice)
        self.reference_label.setObjectName("payment_reference")
        self.reference_label.setWordWrap(True)
        invoice_layout = QVBoxLayout(invoice)
        invoice_layout.setContentsMargins(0, 0, 0, 0)
        invoice_layout.addWidget(self.reference_label)
        invoice_layout.addStretch(1)
        # waived
        waived = QWidget(self.pages)
        self.reason = ValidatedField("payment_waiver_reason", required=True, parent=waived)
        waived_layout = QVBoxLayout(waived)
        waived_layout.setContentsMargins(0, 0, 0, 0)
        waived_layout.addWidget(self.reason)
        waived_layout.addStretch(1)
        self.method_pages: dict[str, QWidget] = dict(
            zip(METHODS, (cash, card, invoice, waived), strict=True)
        )
        for widget in self.method_pages.values():
            pages_layout.addWidget(widget)
        pages_layout.addStretch(1)

        self.book_button = QPushButton(self)
        self.book_button.setObjectName("payment_book")
        self.book_button.setProperty("role", "action")
        self.book_button.clicked.connect(self.book)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("payment_cancel")
        self.cancel_button.clicked.connect(self.prompt.cancel)
        self.cancel_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.book_button)
        self.step_actions.addLayout(buttons)

        fee_card = QFrame(self.body)
        fee_card.setProperty("role", "card")
        fee_layout = QVBoxLayout(fee_card)
        fee_layout.setContentsMargins(20, 16, 20, 16)
        fee_layout.addWidget(self.fee_heading)
        fee_layout.addWidget(self.fee_label)
        fee_layout.addWidget(self.state_label)
        # left the choice, right the fee and the chosen method's part
        left = QVBoxLayout()
        left.addWidget(self.method_heading)
        for method in METHODS:
            left.addWidget(self.methods[method])
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(fee_card)
        right.addWidget(self.pages, 1)
        layout = QHBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(48)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self.methods["cash"].setChecked(True)
        self._method_changed("cash")
        self.retranslate()

    # -- texts -----------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        self.fee_heading.setText(self.tr("Zu zahlende Gebühr"))
        self.method_heading.setText(self.tr("Zahlungsart"))
        texts = {
            "cash": self.tr("Bar"),
            "card": self.tr("Karte (Kartenterminal)"),
            "invoice": self.tr("Rechnung (Überweisung)"),
            "waived": self.tr("Gebührenbefreiung / Gebühr erlassen"),
        }
        for method, text in texts.items():
            self.methods[method].setText(text)
        self.given.set_label(self.tr("Erhaltener Betrag in EUR"))
        self.reason.set_label(self.tr("Grund für die Gebührenbefreiung"))
        self.card_hint.setText(
            self.tr(
                "Die Hinweise des Kartenterminals erscheinen hier, für Sie und für die "
                "antragstellende Person."
            )
        )
        self.cancel_button.setText(self.tr("Kartenzahlung abbrechen"))
        self.show_navigation(last_label=self.tr("Weiter zur Prüfung"))
        self.show_draft()

    def _amount(self) -> int | None:
        application = self.session.draft.application
        return fee_cents(application) if isinstance(application, dict) else None

    def _money(self, cents: int) -> str:
        text = format_eur(cents)
        return (text if self.kiosk.context.language == "en" else text.replace(".", ",")) + " EUR"

    def _method(self) -> str:
        return next((m for m, b in self.methods.items() if b.isChecked()), "cash")

    def show_draft(self) -> None:
        amount = self._amount()
        number = self.session.case_number or ""
        self.fee_label.setText(self._money(amount) if amount is not None else self._money(0))
        self.reference_label.setText(
            self.tr(
                "Die antragstellende Person überweist die Gebühr. Verwendungszweck ist die "
                "Vorgangsnummer: %1"
            ).replace("%1", number)
        )
        if not self.working:
            self.cancel_button.hide()
        open_fee = amount is not None and self.known and self.paid is None
        for button in self.methods.values():
            button.setEnabled(open_fee and not self.working)
        if self.methods["card"].isChecked() and self._terminal() is None:
            self.methods["cash"].setChecked(True)
        self.methods["card"].setEnabled(
            open_fee and not self.working and self._terminal() is not None
        )
        self.pages.setEnabled(open_fee and not self.working)
        self.book_button.setEnabled(open_fee and not self.working)
        self.book_button.setVisible(amount is not None and self.paid is None)
        self._show_state(amount)
        self._show_button()
        self._given_changed(self.given.text())

    def _show_state(self, amount: int | None) -> None:
        if amount is None:
            self.state_label.setText(self.tr("Für diesen Antrag ist keine Gebühr zu zahlen."))
        elif not self.known:
            self.state_label.setText(self.tr("Der Stand der Zahlung wird geprüft …"))
        elif self.paid is not None:
            self.state_label.setText(
                payment_texts.paid_text(self.paid, self._amount(), self._money)
            )
        elif not self.working:
            self.state_label.setText(self.tr("Noch nicht bezahlt."))

    def _show_button(self) -> None:
        self.book_button.setText(payment_texts.book_label(self._method()))

    def _method_changed(self, method: str, on: bool = True) -> None:
        if not on:
            return
        for name, widget in self.method_pages.items():
            widget.setVisible(name == method)
        self._show_button()

    def _given_changed(self, text: str) -> None:
        amount = self._amount()
        if not text.strip() or amount is None:
            self.change_label.setText("")
            return
        try:
            given = parse_eur(text)
        except KofferError:
            self.change_label.setText(self.tr("Bitte einen Betrag wie 50,00 eingeben."))
            return
        if given < amount:
            self.change_label.setText(
                self.tr("Es fehlen noch %1.").replace("%1", self._money(amount - given))
            )
        else:
            self.change_label.setText(
                self.tr("Rückgeld: %1").replace("%1", self._money(given - amount))
            )

    def _terminal_text(self, _key: str, text: str) -> None:
        # the terminal's own display text, shown as it comes (no personal data)
        self.terminal_label.setText(text)

    # -- life cycle --------------------------------------------------------------

    def _terminal(self) -> PaymentTerminal | None:
        return worker_terminal(self.kiosk.context.devices)

    def first_focus(self) -> QWidget | None:
        return self.methods["cash"]

    def entered(self) -> None:
        if not self.working:
            self.terminal_label.setText("")
            self.given.set_text("")
            self.reason.set_text("")
            self.methods["cash"].setChecked(True)
        self._reload()

    def _reload(self) -> None:
        """Settle open card payments, then show whether the fee is paid."""
        self.known = False
        self.paid = None
        self.show_draft()
        session = self.kiosk.session
        number = self.session.case_number
        if session is None or number is None or self._amount() is None:
            self.known = True
            self.show_draft()
            return
        unlocked = session.store.unlocked
        terminal = self._terminal()

        def done(status: payment_desk.FeeStatus) -> None:
            self.known = True
            self.paid = status.paid
            self.show_draft()

        def failed(exc: BaseException) -> None:
            # the terminal cannot be reached to settle: the fee stays unknown
            self.known = False
            self.show_draft()
            self._fail(exc)

        self.kiosk.run_in_store(
            lambda: payment_desk.status(unlocked, number, terminal), done, failed
        )

    def _fail(self, exc: BaseException) -> None:
        text = (
            exc.localized(self.kiosk.context.language)
            if isinstance(exc, KofferError)
            else self.tr("Die Zahlung konnte nicht gebucht werden.")
        )
        self.state_label.setText("⚠ " + text)
        self.kiosk.message.emit(text)

    # -- booking -------------------------------------------------------------------

    def book(self) -> None:
        amount = self._amount()
        session = self.kiosk.session
        number = self.session.case_number
        if self.working or amount is None or session is None or number is None:
            return
        if self.paid is not None:
            self.kiosk.message.emit(
                self.tr("Diese Gebühr ist bereits bezahlt. Bitte nicht noch einmal kassieren.")
            )
            return
        unlocked = session.store.unlocked
        method = self._method()
        if method == "card":
            self._pay_card(amount, number)
            return
        if method == "cash":
            try:
                given = parse_eur(self.given.text()) if self.given.text().strip() else amount
            except KofferError as exc:
                self._fail(exc)
                return
            if given < amount:
                self._fail_text(self.tr("Der erhaltene Betrag reicht nicht für die Gebühr."))
                return
            self._run(lambda: payment_desk.pay_cash(unlocked, number, amount, given))
        elif method == "invoice":
            self._run(lambda: payment_desk.pay_invoice(unlocked, number, amount))
        else:
            reason = self.reason.text().strip()
            if not reason:
                self._fail_text(self.tr("Bitte geben Sie den Grund für die Gebührenbefreiung an."))
                self.reason.edit.setFocus()
                return
            self._run(lambda: payment_desk.waive(unlocked, number, amount, reason))

    def _fail_text(self, text: str) -> None:
        self.state_label.setText("⚠ " + text)
        self.kiosk.message.emit(text)

    def _run(self, op: Callable[[], CashEntry]) -> None:
        self.working = True
        self.show_draft()

        def done(entry: CashEntry) -> None:
            self.working = False
            self.paid = entry
            self.show_draft()

        def failed(exc: BaseException) -> None:
            self.working = False
            self.show_draft()
            self._fail(exc)
            self._reload()  # paid meanwhile? show the cash book's state

        self.kiosk.run_in_store(op, done, failed)

    def _pay_card(self, amount: int, number: str) -> None:
        terminal = self._terminal()
        session = self.kiosk.session
        if terminal is None or session is None:
            self._fail_text(self.tr("Es ist kein Kartenterminal eingerichtet."))
            return
        unlocked = session.store.unlocked
        self.prompt.reset()
        self.working = True
        self.terminal_label.setText(self.tr("Verbindung zum Kartenterminal …"))
        self.state_label.setText(self.tr("Kartenzahlung läuft …"))
        self.show_draft()
        self.cancel_button.show()

        def op() -> CardOutcome:
            return payment_desk.pay_card(unlocked, terminal, number, amount, self.prompt)

        def done(outcome: CardOutcome) -> None:
            self.working = False
            self.cancel_button.hide()
            self.terminal_label.setText(
                payment_texts.card_outcome_text(outcome, self.prompt.cancelled())
            )
            if outcome.approved and outcome.entry is not None:
                self.paid = outcome.entry
                self._print_receipt(outcome.receipt_lines)
            self.show_draft()

        def failed(exc: BaseException) -> None:
            self.working = False
            self.cancel_button.hide()
            self.terminal_label.setText("")
            self.show_draft()
            self._fail(exc)

        self.kiosk.run_in_store(op, done, failed)

    def _print_receipt(self, lines: tuple[str, ...]) -> None:
        """The terminal's receipt on the Bondrucker, if one is configured."""
        devices = QtDevices.of(self.kiosk)
        if not lines or not devices.has(DeviceKind.RECEIPT_PRINTER):
            return
        items = card_receipt_items(TerminalReceipt("customer", lines))

        def job(printer: object) -> None:
            cast(ReceiptPrinter, printer).print_receipt(items)

        def failed(exc: BaseException) -> None:
            self._fail(exc)

        devices.with_device(
            DeviceKind.RECEIPT_PRINTER, job, on_success=lambda _r: None, on_error=failed
        )

    # -- navigation ------------------------------------------------------------------

    def ready_to_continue(self) -> bool:
        if self._amount() is None:
            return True
        if self.working:
            self.kiosk.message.emit(self.tr("Bitte warten Sie, bis die Zahlung beendet ist."))
            return False
        if self.paid is None:
            self.kiosk.message.emit(self.tr("Bitte erfassen Sie zuerst die Zahlung der Gebühr."))
            return False
        return True

    def go_back(self) -> None:
        if self.working:
            self.kiosk.message.emit(self.tr("Bitte warten Sie, bis die Zahlung beendet ist."))
            return
        super().go_back()

    def finish(self) -> None:
        self.session.flush()
        case_id = self.session.case_id
        target = after_wizard()
        self.kiosk.go(target, {"case_id": case_id} if target == "review" and case_id else {})


SCREEN = AusweisPaymentScreen
