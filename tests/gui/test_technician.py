"""Technician screen: self-test against the simulated suitcase, settings, log."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from koffer.kiosk.screens.technician import TechnicianScreen
from tests.gui.conftest import MakeKiosk, login, settle


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return "" if item is None else item.text()


def test_selftest_runs_in_background_and_shows_results(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    kiosk.context.mode = "demo"  # simulated devices, as in ``koffer demo``
    login(qtbot, window)
    kiosk.go("technician")
    screen = window.navigator.page("technician")
    assert isinstance(screen, TechnicianScreen)
    assert "Unterschriften-Pad: simulator" in screen.settings_view.text()
    screen.run_button.click()
    assert screen.running and not screen.run_button.isEnabled()
    qtbot.waitUntil(lambda: not screen.running, timeout=60_000)
    assert screen.table.rowCount() == 6  # every device kind, the card terminal included
    verdicts = [cell(screen.table, row, 1) for row in range(6)]
    assert all(v == "✔ in Ordnung" for v in verdicts), [cell(screen.table, r, 2) for r in range(6)]
    assert screen.summary.text() == "Alle erforderlichen Geräte sind einsatzbereit."
    assert "Selbsttest: 6 von 6 Geräten in Ordnung" in screen.log_view.toPlainText()
    settle(qtbot, kiosk)
