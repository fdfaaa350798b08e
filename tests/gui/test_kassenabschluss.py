"""The Kassenabschluss screen, offscreen: totals, counted cash, closing, sealing, roles."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from koffer.casework.cashbook_closing import CASE_TYPE
from koffer.config import Config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import DeviceKind, PaymentTerminal
from koffer.kiosk.controller import may_open
from koffer.kiosk.devices.hub import DeviceHub
from koffer.kiosk.screens.kassenabschluss import KassenabschlussScreen
from koffer.kiosk.window import MainWindow
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook, CashEntry
from koffer.queue.outbox import Outbox
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, MakeKiosk, login, settle, type_text
from tests.gui.registration_helpers import backend, enrolled

__all__ = ["backend", "enrolled"]


@pytest.fixture
def hub() -> Iterator[DeviceHub]:
    raw: dict[str, Any] = {
        "devices": {
            "payment_terminal": {"type": "simulator", "name": f"t-{uuid.uuid4().hex[:8]}"},
        }
    }
    devices = DeviceHub(DeviceSettings.from_config(Config(raw=raw), validate=False), monitor=None)
    yield devices
    devices.close()


def _pay_cash_and_card(data_dir: Path, settings: StoreSettings, hub: DeviceHub) -> None:
    terminal = hub.device(DeviceKind.PAYMENT_TERMINAL)
    assert isinstance(terminal, PaymentTerminal)
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        book = CashBook(u)
        book.record_cash("2025-000001", "2025-000001/fee", 4600)
        if not terminal.is_open:
            terminal.open()
        assert CardPayments(book, terminal).pay("2025-000002", "2025-000002/fee", 3700).approved
    terminal.close()


def _entries(data_dir: Path, settings: StoreSettings) -> tuple[list[CashEntry], int]:
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        entries = CashBook(u).entries()
        sealed = [e for e in Outbox(u).list() if e.case_type == CASE_TYPE]
    return entries, len(sealed)


def _open(
    qtbot: QtBot, make_kiosk: MakeKiosk, hub: DeviceHub | None
) -> tuple[Any, MainWindow, KassenabschlussScreen]:
    kiosk, window = make_kiosk(devices=hub)
    login(qtbot, window)
    kiosk.auto_sync = False
    window.navigator.page("dashboard").closing_button.click()
    screen = window.navigator.page("kassenabschluss")
    assert isinstance(screen, KassenabschlussScreen)
    qtbot.waitUntil(lambda: screen.period is not None, timeout=10_000)
    return kiosk, window, screen


def test_closing_after_cash_and_card_records_and_seals(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    hub: DeviceHub,
) -> None:
    _pay_cash_and_card(enrolled, store_settings, hub)
    kiosk, _window, screen = _open(qtbot, make_kiosk, hub)
    assert screen.total_values["cash"].text() == "46,00 EUR"
    assert screen.total_values["card"].text() == "37,00 EUR"
    assert screen.total_values["count"].text() == "2"
    assert "in Ordnung" in screen.chain_label.text()
    type_text(screen.counted.edit, "41,00")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=20_000)
    settle(qtbot, kiosk)
    text = screen.result_label.text()
    assert "Es fehlen 5,00 EUR." in text
    assert "Tagesabschluss am Kartenterminal erfolgt" in text
    assert "versiegelt im Postausgang" in text
    entries, sealed = _entries(enrolled, store_settings)
    closing = entries[-1]
    assert closing.method == "closing" and closing.amount_cents == 4100
    assert closing.detail["difference_cents"] == -500
    assert closing.detail["terminal_result"] == 0
    assert sealed == 1
    assert screen.total_values["count"].text() == "0"  # a new period begins


def test_wrong_counted_cash_gets_a_german_message_and_changes_nothing(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    kiosk, _window, screen = _open(qtbot, make_kiosk, None)
    for wrong in ("vierzig", "-5", "12,345"):
        screen.counted.set_text("")
        type_text(screen.counted.edit, wrong)
        screen.book_button.click()
        settle(qtbot, kiosk)
        assert "ist kein Betrag" in (screen.counted.error_text() or ""), wrong
        assert screen.result is None
    assert _entries(data_dir, store_settings) == ([], 0)


def test_difference_in_plain_words(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        CashBook(u).record_cash("2025-000001", "2025-000001/fee", 4600)
    kiosk, _window, screen = _open(qtbot, make_kiosk, None)
    type_text(screen.counted.edit, "51")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=10_000)
    assert "5,00 EUR zu viel." in screen.result_label.text()
    assert "nicht eingerichtet" in screen.result_label.text()
    settle(qtbot, kiosk)
    type_text(screen.counted.edit, "0")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.result is not None and not screen.working, timeout=10_000)
    settle(qtbot, kiosk)
    assert "stimmt" in screen.result_label.text()


def test_technician_cannot_open_the_screen(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    assert may_open("clerk", "kassenabschluss") and may_open("admin", "kassenabschluss")
    assert not may_open("technician", "kassenabschluss")
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        u.add_account("tanja", "technician", "sehr-geheime-phrase")
    kiosk, window = make_kiosk()
    login_screen = window.navigator.page("login")
    qtbot.waitUntil(lambda: login_screen.accounts.count() == 2)
    index = next(
        i
        for i in range(login_screen.accounts.count())
        if "tanja" in login_screen.accounts.item(i).text()
    )
    login_screen.accounts.setCurrentRow(index)
    login(qtbot, window, "sehr-geheime-phrase")
    qtbot.waitUntil(lambda: window.navigator.current_state()[0] == "technician")
    kiosk.go("kassenabschluss")
    assert window.navigator.current_state()[0] == "technician"


def test_screen_speaks_english(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    from tests.gui.test_english import GERMAN, texts

    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        CashBook(u).record_cash("2025-000001", "2025-000001/fee", 4600)
    kiosk, window = make_kiosk(language="en")
    login(qtbot, window)
    assert window.navigator.page("dashboard").closing_button.text() == "Cash-book closing"
    kiosk.go("kassenabschluss")
    screen = window.navigator.page("kassenabschluss")
    qtbot.waitUntil(lambda: screen.period is not None, timeout=10_000)
    type_text(screen.counted.edit, "4x")
    screen.book_button.click()
    german = [t for t in texts(screen) if GERMAN.search(t)]
    assert german == [], german
    screen.counted.set_text("46.00")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=10_000)
    settle(qtbot, kiosk)
    assert "matches" in screen.result_label.text()
    german = [t for t in texts(screen) if GERMAN.search(t)]
    assert german == [], german


def test_a_broken_chain_is_shown_and_the_closing_still_possible(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    import sqlite3

    from koffer.store.files import db_path

    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        CashBook(u).record_cash("2025-000001", "2025-000001/fee", 4600)
    connection = sqlite3.connect(db_path(data_dir))
    try:
        connection.execute("UPDATE cashbook SET amount_cents = 100 WHERE seq = 1")
        connection.commit()
    finally:
        connection.close()
    kiosk, _window, screen = _open(qtbot, make_kiosk, None)
    assert "Das Kassenbuch wurde verändert (Eintrag 1)" in screen.chain_label.text()
    assert "trotzdem möglich" in screen.chain_label.text()
    type_text(screen.counted.edit, "1")
    screen.book_button.click()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=10_000)
    settle(qtbot, kiosk)
    assert not screen.result.chain_ok
    entries, _sealed = _entries(data_dir, store_settings)
    assert entries[-1].method == "closing"
