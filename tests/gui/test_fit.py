"""Every screen fits the suitcase laptops' screens: 1280×720, 1366×768, 1280×800.

The window's minimum size (over every screen, with the message banner shown)
fits the smallest screen, and each screen's primary action lies inside the
window, so "Weiter", "Zurück" and the device status bar never fall below it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from koffer.kiosk.window import MainWindow
from tests.gui.conftest import MakeKiosk, login

SIZES = [(1280, 720), (1366, 768), (1280, 800), (1920, 1200)]


def _build_all(window: MainWindow) -> list[str]:
    while window.navigator.build_next():
        pass
    return sorted(window.navigator._screens)


def _inside(window: MainWindow, button: QPushButton) -> bool:
    top_left = button.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, button.size()))


def test_minimum_size_fits_1280x720(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    _build_all(window)
    window.banner.show_message("Eine Meldung, die zwei Zeilen braucht. " * 3)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720, hint


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_primary_action_visible_on_every_screen(
    qtbot: QtBot, make_kiosk: MakeKiosk, width: int, height: int
) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    names = _build_all(window)
    window.banner.show_message("Eine Meldung, die zwei Zeilen braucht. " * 3)
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    missing: list[str] = []
    for name in names:
        screen = window.navigator.page(name)
        window.navigator.setCurrentWidget(screen)
        window.layout().activate()
        qtbot.wait(1)
        assert window.width() <= width and window.height() <= height, name
        primaries = [
            button
            for button in screen.findChildren(QPushButton)
            if button.property("role") == "primary" and button.isVisibleTo(screen)
        ]
        if len(primaries) > 1:
            missing.append(f"{name}: {len(primaries)} primary buttons")
        for button in primaries:
            if not _inside(window, button):
                missing.append(f"{name}: {button.objectName()} outside the window")
        status_bottom = window.status.mapTo(window, QPoint(0, window.status.height()))
        if status_bottom.y() > window.height():
            missing.append(f"{name}: device status bar below the window")
    assert not missing, missing
