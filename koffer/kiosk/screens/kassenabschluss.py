"""Kassenabschluss: the visit closing of the cash book, for the clerk and the admin.

Shows the open period's totals (cash expected, card, invoice, waived, the
number of entries) and the hash chain's state; the clerk types the counted
cash and "Kassenabschluss buchen" runs
:func:`koffer.casework.visit_closing.close_visit` on the store lane (the
terminal's end-of-day on its worker, as the payment step does), then prints
the Kassenabschluss on the printer lane when an A4 printer is configured.
A broken chain does not stop the closing: the back end flags it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from koffer.casework.cashbook_closing import case_id
from koffer.casework.completion import Document
from koffer.casework.visit_closing import (
    OpenPeriod,
    VisitClosing,
    close_visit,
    closing_pdf,
    open_period,
    printer_configured,
)
from koffer.errors import KofferError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.terminal import worker_terminal
from koffer.kiosk.prompt import QtPrompt
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.theme import MIN_TARGET
from koffer.kiosk.widgets.field import ValidatedField
from koffer.payment.cashbook import CashBook
from koffer.payment.money import format_eur, parse_eur

TOTALS = ("cash", "card", "invoice", "waived", "count")


class KassenabschlussScreen(Screen):
    name = "kassenabschluss"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.period: OpenPeriod | None = None
        self.result: VisitClosing | None = None
        self.working = False
        #: the outcome of printing: None (not asked), "printing", "printed" or the error
        self.print_state: str | None = None
        self.prompt = QtPrompt(self)
        self.heading = QLabel(self)
        self.heading.setProperty("role", "title")
        card = QFrame(self)
        card.setProperty("role", "card")
        grid = QGridLayout(card)
        grid.setContentsMargins(20, 12, 20, 12)
        self.total_names: dict[str, QLabel] = {}
        self.total_values: dict[str, QLabel] = {}
        for row, key in enumerate(TOTALS):
            name, value = QLabel(card), QLabel(card)
            value.setObjectName(f"closing_total_{key}")
            self.total_names[key], self.total_values[key] = name, value
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
        self.chain_label = QLabel(self)
        self.chain_label.setObjectName("closing_chain")
        self.chain_label.setWordWrap(True)
        self.counted = ValidatedField("closing_counted", parent=self)
        self.counted.edit.setMinimumHeight(MIN_TARGET)
        self.counted.edit.returnPressed.connect(self.proceed)
        self.book_button = QPushButton(self)
        self.book_button.setObjectName("closing_book")
        self.book_button.setProperty("role", "primary")
        self.book_button.clicked.connect(self.book)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("closing_back")
        self.back_button.clicked.connect(lambda: self.kiosk.go("dashboard"))
        self.terminal_label = QLabel(self)
        self.terminal_label.setObjectName("closing_terminal_text")
        self.terminal_label.setWordWrap(True)
        self.prompt.message.connect(self._terminal_text)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("closing_result")
        self.result_label.setWordWrap(True)
        self.result_label.setProperty("role", "title")
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.book_button)
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(card)
        left.addWidget(self.chain_label)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.counted)
        right.addWidget(self.terminal_label)
        right.addWidget(self.result_label)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(32)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def _terminal_text(self, _key: str, text: str) -> None:
        # the terminal's own display text (no personal data)
        self.terminal_label.setText(text)

    # -- texts ------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Kassenabschluss")

    def _money(self, cents: int) -> str:
        text = format_eur(cents)
        return (text if self.kiosk.context.language == "en" else text.replace(".", ",")) + " EUR"

    def _message(self, exc: BaseException) -> str:
        if isinstance(exc, KofferError):
            return exc.localized(self.kiosk.context.language)
        return self.tr("Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Seit dem letzten Kassenabschluss"))
        names = {
            "cash": self.tr("Bargeld (erwartet)"),
            "card": self.tr("Karte"),
            "invoice": self.tr("Rechnung"),
            "waived": self.tr("Erlassen"),
            "count": self.tr("Einträge"),
        }
        for key, label in self.total_names.items():
            label.setText(names[key])
        self.counted.set_label(self.tr("Gezähltes Bargeld in Euro (zum Beispiel 46,50)"))
        self.book_button.setText(self.tr("Kassenabschluss buchen"))
        self.back_button.setText(self.tr("Zurück zur Übersicht"))
        self._render()

    def _render(self) -> None:
        period = self.period
        if period is None:
            for value in self.total_values.values():
                value.setText("…")
            self.chain_label.setText("")
        else:
            totals = period.totals
            for key in ("cash", "card", "invoice", "waived"):
                self.total_values[key].setText(self._money(totals.of(key)))
            self.total_values["count"].setText(str(period.count))
            if period.chain.ok:
                self.chain_label.setText(
                    self.tr("Das Kassenbuch ist unverändert (Hash-Kette in Ordnung).")
                )
            else:
                numbers = ", ".join(str(p.seq) for p in period.chain.problems)
                self.chain_label.setText(
                    "⚠ "
                    + self.tr(
                        "Das Kassenbuch wurde verändert (Eintrag %1). Der Kassenabschluss ist "
                        "trotzdem möglich: die Gegenstelle bekommt ihn mit diesem Befund."
                    ).replace("%1", numbers)
                )
        self.book_button.setEnabled(period is not None and not self.working)
        self.result_label.setText(self._result_text())

    def _result_text(self) -> str:
        if self.working:
            return self.tr("Der Kassenabschluss wird gebucht …")
        result = self.result
        if result is None:
            return ""
        closing = result.closing
        difference = closing.difference_cents
        if difference < 0:
            lines = [self.tr("Es fehlen %1.").replace("%1", self._money(-difference))]
        elif difference > 0:
            lines = [self.tr("%1 zu viel.").replace("%1", self._money(difference))]
        else:
            lines = [self.tr("Das gezählte Bargeld stimmt.")]
        day = result.end_of_day
        if day is not None:
            if day.result_code == 0:
                lines.append(
                    self.tr("Tagesabschluss am Kartenterminal erfolgt: %1.").replace(
                        "%1", self._money(day.total_cents)
                    )
                )
            else:
                lines.append(self.tr("Der Tagesabschluss am Kartenterminal ist fehlgeschlagen."))
        if self.print_state == "printing":
            lines.append(self.tr("Der Kassenabschluss wird gedruckt …"))
        elif self.print_state == "printed":
            lines.append(self.tr("Der Kassenabschluss ist gedruckt."))
        elif self.print_state:
            lines.append(self.tr("Drucken fehlgeschlagen: %1").replace("%1", self.print_state))
        if result.sealed is None:
            lines.append(
                self.tr(
                    "Der Koffer ist noch nicht eingerichtet: der Abschluss wird versiegelt, "
                    "sobald er eingerichtet ist."
                )
            )
        else:
            lines.append(self.tr("Der Abschluss liegt versiegelt im Postausgang."))
        return "\n".join(lines)

    # -- data -------------------------------------------------------------

    def enter(self, params: Params) -> None:
        del params
        if not self.working:
            self.result = None
            self.print_state = None
            self.terminal_label.setText("")
            self.counted.set_text("")
        self.reload()

    def first_focus(self) -> QWidget | None:
        return self.counted.edit

    def reload(self) -> None:
        session = self.kiosk.session
        if session is None:
            return
        unlocked = session.store.unlocked
        self.kiosk.run_in_store(lambda: open_period(unlocked), self._show_period)

    def _show_period(self, period: OpenPeriod) -> None:
        self.period = period
        self._render()

    # -- actions ----------------------------------------------------------

    def proceed(self) -> None:
        self.book()

    def _counted_cents(self) -> int | None:
        text = self.counted.text()
        try:
            cents = parse_eur(text)
        except KofferError:
            cents = -1
        if cents < 0:
            self.counted._show(
                self.tr(
                    "„%1“ ist kein Betrag. Bitte das gezählte Bargeld in Euro eingeben, "
                    "zum Beispiel 46,50."
                ).replace("%1", text.strip())
            )
            return None
        self.counted._show(None)
        return cents

    def book(self) -> None:
        session = self.kiosk.session
        if self.working or session is None or self.period is None:
            return
        counted = self._counted_cents()
        if counted is None:
            return
        unlocked = session.store.unlocked
        services = self.kiosk.case_services
        terminal = worker_terminal(self.kiosk.context.devices)
        demo = self.kiosk.context.mode == "demo"
        printing = printer_configured(self.kiosk.context.config, simulate=demo)
        prompt = self.prompt
        prompt.reset()

        def op() -> tuple[VisitClosing, bytes | None]:
            done = close_visit(
                unlocked,
                counted,
                terminal=terminal,
                settings=services.transmission,
                prompt=prompt,
            )
            seq = done.closing.entry.seq
            pdf = closing_pdf(CashBook(unlocked), seq, services.municipality) if printing else None
            return done, pdf

        self.working = True
        self.result = None
        self.print_state = None
        self._render()
        self.kiosk.run_in_store(op, self._booked, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.working = False
        self._render()
        self.result_label.setText("⚠ " + self._message(exc))

    def _booked(self, outcome: tuple[VisitClosing, bytes | None]) -> None:
        result, pdf = outcome
        self.working = False
        self.result = result
        seq = result.closing.entry.seq
        if result.sealed:
            self.kiosk.case_sealed.emit(case_id(seq))
            self.kiosk.outbox_changed.emit()
        if pdf is not None:
            self._print(Document(kind="kassenabschluss", title=f"Kassenabschluss {seq}", pdf=pdf))
        self.counted.set_text("")
        self.reload()
        self._render()

    def _print(self, document: Document) -> None:
        services = self.kiosk.case_services
        self.print_state = "printing"

        def printed(_none: None) -> None:
            self.print_state = "printed"
            self._render()

        def failed(exc: BaseException) -> None:
            self.print_state = self._message(exc)
            self._render()

        self.kiosk.run_on_printer(lambda: services.print_document(document), printed, failed)


SCREEN = KassenabschlussScreen
