"""The payment step of the Personalausweis wizard, offscreen, with the ZVT simulator."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework.payment import fee_cents, fee_id
from koffer.config import Config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import DeviceKind, PaymentTerminal, SilentPrompt
from koffer.drivers.zvt.simulator import Outcome
from koffer.kiosk.devices.hub import DeviceHub
from koffer.kiosk.screens.ausweis_payment import AusweisPaymentScreen
from koffer.kiosk.window import MainWindow
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook, CashEntry
from koffer.payment.models import PAYMENT
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login, settle, type_text


class PayKit:
    """A suitcase with a simulated card terminal and Bondrucker."""

    def __init__(self) -> None:
        raw: dict[str, Any] = {
            "devices": {
                "payment_terminal": {"type": "simulator", "name": f"t-{uuid.uuid4().hex[:8]}"},
                "receipt_printer": {"type": "simulator"},
            }
        }
        settings = DeviceSettings.from_config(Config(raw=raw), validate=False)
        self.hub = DeviceHub(settings, monitor=None)

    def script(self, *outcomes: Outcome) -> None:
        self.hub.device(DeviceKind.PAYMENT_TERMINAL).simulator.script(*outcomes)  # type: ignore[attr-defined]

    def printed(self) -> list[str]:
        printer = self.hub.device(DeviceKind.RECEIPT_PRINTER)
        lines: list[str] = printer.simulator.text_lines  # type: ignore[attr-defined]
        return lines


@pytest.fixture
def pay_kit() -> Iterator[PayKit]:
    kit = PayKit()
    yield kit
    kit.hub.close()


def _seed(data_dir: Path, settings: StoreSettings) -> tuple[str, int]:
    """A checked Personalausweis application waiting at its payment step."""
    application = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 3, TODAY))
    payload = {
        "kiosk_draft": 1,
        "case_type": "personalausweis",
        "step": "payment",
        "application": application,
    }
    amount = fee_cents(application)
    assert amount is not None
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        return u.create_case("personalausweis", payload, {}), amount


def _entries(data_dir: Path, settings: StoreSettings) -> list[CashEntry]:
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        book = CashBook(u)
        assert book.check().ok
        return book.entries()


def _open(
    qtbot: QtBot, make_kiosk: MakeKiosk, case_id: str, hub: DeviceHub | None
) -> tuple[Any, MainWindow, AusweisPaymentScreen]:
    kiosk, window = make_kiosk(devices=hub)
    login(qtbot, window)
    kiosk.go("ausweis_payment", {"case_id": case_id})
    screen = window.navigator.page("ausweis_payment")
    assert isinstance(screen, AusweisPaymentScreen)
    qtbot.waitUntil(lambda: screen.known and screen.session.case_id == case_id, timeout=10_000)
    return kiosk, window, screen


def _current(window: MainWindow) -> str:
    state = window.navigator.current_state()
    return state[0] if state else ""


def test_paid_by_card_the_cash_book_has_one_card_entry(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    pay_kit: PayKit,
) -> None:
    case_id, amount = _seed(data_dir, store_settings)
    kiosk, window, screen = _open(qtbot, make_kiosk, case_id, pay_kit.hub)
    assert "Schritt 7 von 7: Bezahlung" in screen.step_label.text()
    assert "Noch nicht bezahlt" in screen.state_label.text()
    seen: list[str] = []
    screen.prompt.message.connect(lambda _key, text: seen.append(text))
    screen.next_button.click()  # not paid yet: stays
    assert _current(window) == "ausweis_payment"
    screen.methods["card"].click()
    assert screen.book_button.text() == "Kartenzahlung starten"
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=20_000)
    assert seen, "the terminal's texts reach the screen"
    assert "Die Kartenzahlung ist erfolgt" in screen.terminal_label.text()
    assert "Bezahlt: mit Karte" in screen.state_label.text()
    assert not screen.book_button.isVisible()
    qtbot.waitUntil(lambda: bool(pay_kit.printed()), timeout=10_000)  # the Bondrucker
    screen.next_button.click()
    qtbot.waitUntil(lambda: _current(window) == "review", timeout=10_000)
    settle(qtbot, kiosk)
    (entry,) = _entries(data_dir, store_settings)
    assert entry.method == "card" and entry.amount_cents == amount
    assert entry.trace is not None and entry.receipt is not None


def test_paid_in_cash_with_change(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    case_id, amount = _seed(data_dir, store_settings)
    kiosk, window, screen = _open(qtbot, make_kiosk, case_id, None)
    assert not screen.methods["card"].isEnabled()  # no Kartenterminal configured
    assert screen.methods["cash"].isChecked()
    type_text(screen.given.edit, "100")
    change = 10_000 - amount
    assert screen.change_label.text() == f"Rückgeld: {change // 100},{change % 100:02d} EUR"
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=10_000)
    assert "Bezahlt: bar" in screen.state_label.text()
    # paying twice: the screen says so, the core refuses
    screen.book()
    settle(qtbot, kiosk)
    (entry,) = _entries(data_dir, store_settings)
    assert entry.method == "cash" and entry.amount_cents == amount
    assert entry.detail == {"given_cents": 10_000, "change_cents": change}
    screen.next_button.click()
    qtbot.waitUntil(lambda: _current(window) == "review", timeout=10_000)


def test_declined_card_then_cash(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    pay_kit: PayKit,
) -> None:
    case_id, amount = _seed(data_dir, store_settings)
    pay_kit.script(Outcome.DECLINED)
    kiosk, _window, screen = _open(qtbot, make_kiosk, case_id, pay_kit.hub)
    screen.methods["card"].click()
    screen.book_button.click()
    qtbot.waitUntil(lambda: not screen.working and screen.book_button.isEnabled(), timeout=20_000)
    assert screen.paid is None
    assert "abgelehnt" in screen.terminal_label.text()
    assert "Noch nicht bezahlt" in screen.state_label.text()
    screen.methods["cash"].click()
    screen.book_button.click()  # the exact amount when nothing is typed
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=10_000)
    settle(qtbot, kiosk)
    entries = _entries(data_dir, store_settings)
    assert [(e.method, e.amount_cents) for e in entries] == [("cash", amount)]


def test_invoice_records_the_case_number_as_reference(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    case_id, amount = _seed(data_dir, store_settings)
    kiosk, _window, screen = _open(qtbot, make_kiosk, case_id, None)
    number = screen.session.case_number
    assert number
    screen.methods["invoice"].click()
    assert number in screen.reference_label.text()
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=10_000)
    assert number in screen.state_label.text()
    settle(qtbot, kiosk)
    (entry,) = _entries(data_dir, store_settings)
    assert entry.method == "invoice" and entry.amount_cents == amount
    assert entry.detail == {"transfer_reference": number}


def test_waiver_needs_a_reason(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    case_id, amount = _seed(data_dir, store_settings)
    kiosk, _window, screen = _open(qtbot, make_kiosk, case_id, None)
    screen.methods["waived"].click()
    screen.book_button.click()
    assert screen.paid is None and "Grund" in screen.state_label.text()
    type_text(screen.reason.edit, "Sozialleistung")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=10_000)
    settle(qtbot, kiosk)
    (entry,) = _entries(data_dir, store_settings)
    assert entry.method == "waived" and entry.detail == {"waived_cents": amount}


def test_a_fee_paid_before_shows_as_paid(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    case_id, _amount = _seed(data_dir, store_settings)
    _kiosk, _window, screen = _open(qtbot, make_kiosk, case_id, None)
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=10_000)
    screen.entered()  # coming back to the step
    qtbot.waitUntil(lambda: screen.known and screen.paid is not None, timeout=10_000)
    assert not screen.book_button.isVisible()
    assert not screen.methods["cash"].isEnabled()
    assert "nicht noch einmal" in screen.state_label.text()


def test_login_settles_a_card_payment_a_crash_left_open(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    pay_kit: PayKit,
) -> None:
    """GIVEN a card payment approved by the terminal while the kiosk died before
    booking it WHEN the clerk logs in THEN settling books it and the step shows
    the fee as paid (nothing is offered to pay again)."""
    case_id, amount = _seed(data_dir, store_settings)
    terminal = pay_kit.hub.device(DeviceKind.PAYMENT_TERMINAL)
    assert isinstance(terminal, PaymentTerminal)
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        number = u.list_cases()[0].case_number
        payments = CardPayments(CashBook(u), terminal)
        payments._write_intent(PAYMENT, number, fee_id(number), amount)
        assert terminal.pay(amount, SilentPrompt()).approved  # … and the kiosk dies here
        terminal.close()
    kiosk, _window, screen = _open(qtbot, make_kiosk, case_id, pay_kit.hub)
    assert screen.paid is not None and screen.paid.method == "card"
    assert "Bezahlt: mit Karte" in screen.state_label.text()
    assert not screen.book_button.isVisible()
    settle(qtbot, kiosk)
    (entry,) = _entries(data_dir, store_settings)
    assert entry.method == "card" and entry.amount_cents == amount


def test_the_payment_step_speaks_english(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    from tests.gui.test_english import german

    case_id, _amount = _seed(data_dir, store_settings)
    kiosk, window = make_kiosk(language="en")
    login(qtbot, window)
    kiosk.go("ausweis_payment", {"case_id": case_id})
    screen = window.navigator.page("ausweis_payment")
    assert isinstance(screen, AusweisPaymentScreen)
    qtbot.waitUntil(lambda: screen.known and screen.session.case_id == case_id, timeout=10_000)
    assert "Payment" in screen.step_label.text()
    assert german(screen) == []
    type_text(screen.given.edit, "100")
    assert screen.change_label.text().startswith("Change: ")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.paid is not None, timeout=10_000)
    assert screen.state_label.text().startswith("Paid: cash, ")
    assert german(screen) == []
    settle(qtbot, kiosk)


def test_the_payment_step_fits_1280x720(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    pay_kit: PayKit,
) -> None:
    case_id, _amount = _seed(data_dir, store_settings)
    _kiosk, window, screen = _open(qtbot, make_kiosk, case_id, pay_kit.hub)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280 and window.height() == 720)
    window.layout().activate()
    qtbot.wait(1)
    for button in (screen.next_button, screen.back_button, screen.book_button):
        assert button.isVisible() and button.height() >= 44
        top_left = button.mapTo(window, QPoint(0, 0))
        assert window.rect().contains(QRect(top_left, button.size())), button.objectName()
    primaries = [
        b
        for b in screen.findChildren(QPushButton)
        if b.property("role") == "primary" and b.isVisibleTo(screen)
    ]
    assert primaries == [screen.next_button]


def test_an_aborted_card_payment_is_said_plainly(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    pay_kit: PayKit,
) -> None:
    case_id, _amount = _seed(data_dir, store_settings)
    pay_kit.script(Outcome.CUSTOMER_ABORT)
    kiosk, _window, screen = _open(qtbot, make_kiosk, case_id, pay_kit.hub)
    screen.methods["card"].click()
    screen.book_button.click()
    qtbot.waitUntil(lambda: not screen.working and screen.book_button.isEnabled(), timeout=20_000)
    assert screen.paid is None
    assert "abgebrochen" in screen.terminal_label.text()
    assert "nichts abgebucht" in screen.terminal_label.text()
    settle(qtbot, kiosk)
    assert _entries(data_dir, store_settings) == []
