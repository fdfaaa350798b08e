"""The outbox screen: back end down → German reason, item stays; back end up → sent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.enrollment import device
from koffer.kiosk.demo.embedded_backend import EmbeddedBackend
from koffer.kiosk.screens.outbox import OutboxScreen
from koffer.queue.outbox import Outbox
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, MakeKiosk, login, settle
from tests.gui.registration_helpers import backend, enrolled

__all__ = ["backend", "enrolled"]


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def _seal_sample(data_dir: Path, settings: StoreSettings) -> str:
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        case = sample_case(CaseType.ANMELDUNG, 7, datetime.now(UTC).date())
        case_id = u.create_case("anmeldung", case_to_dict(case), {}, state="completed")
        return Outbox(u).seal_case(case_id, device.require_credentials(u)).envelope_id


def test_outbox_failure_then_retry(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
    tmp_path: Path,
) -> None:
    envelope_id = _seal_sample(enrolled, store_settings)
    backend.stop()
    kiosk, window = make_kiosk()
    login(qtbot, window)
    kiosk.go("outbox")
    screen = window.navigator.page("outbox")
    assert isinstance(screen, OutboxScreen)
    qtbot.waitUntil(lambda: len(screen.entries) == 1)
    assert cell(screen.table, 0, 2) == "wartet auf Versand"

    screen.send_button.click()
    qtbot.waitUntil(lambda: not screen.busy and screen.last_report is not None)
    settle(qtbot, kiosk)
    # the background sender may be in a round of its own ("sending") when the
    # screen refreshes; the failed attempt shows once no round is under way
    qtbot.waitUntil(
        lambda: (
            bool(screen.entries)
            and screen.entries[0].last_error is not None
            and screen.entries[0].state == "sealed"
        ),
        timeout=15_000,
    )
    entry = screen.entries[0]
    assert entry.envelope_id == envelope_id and entry.state == "sealed" and entry.has_envelope
    assert "nicht erreichbar" in cell(screen.table, 0, 4)
    assert "nicht erreichbar" in screen.summary.text()

    # export to removable media while offline: the sealed envelope is written
    screen.choose_folder = lambda: tmp_path / "usb"
    screen.export_button.click()
    settle(qtbot, kiosk)
    assert (tmp_path / "usb" / "envelopes" / f"{envelope_id}.kenv").is_file()

    backend.start()  # same ports as before
    screen.send_button.click()
    qtbot.waitUntil(
        lambda: bool(screen.entries) and screen.entries[0].state == "purged", timeout=15_000
    )
    assert cell(screen.table, 0, 2) == "übertragen, Quittung liegt vor"
    assert cell(screen.table, 0, 4) == ""
    assert backend.received() == 1
