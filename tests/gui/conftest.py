"""Fixtures for the kiosk: a real store in tmp_path, a real window offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from koffer.casework.case_store import StoreGateway
from koffer.config import Config
from koffer.devices.interfaces import DeviceKind
from koffer.kiosk.context import KioskContext
from koffer.kiosk.controller import KioskController
from koffer.kiosk.device_status import DeviceState, StaticDeviceSource
from koffer.kiosk.settings import KioskSettings
from koffer.kiosk.window import MainWindow
from koffer.store import Store, StoreSettings

ACCOUNT = "anna"
PASSPHRASE = "richtige-passphrase"
TODAY = date(2025, 11, 21)

MakeKiosk = Callable[..., tuple[KioskController, MainWindow]]


@pytest.fixture
def store_settings() -> StoreSettings:
    return StoreSettings.insecure_fast()


@pytest.fixture
def data_dir(tmp_path: Path, store_settings: StoreSettings) -> Path:
    path = tmp_path / "data"
    Store.create(path, ACCOUNT, PASSPHRASE, store_settings)
    return path


@pytest.fixture
def make_kiosk(
    qtbot: QtBot, qapp: QApplication, data_dir: Path, store_settings: StoreSettings
) -> Iterator[MakeKiosk]:
    windows: list[MainWindow] = []
    kiosks: list[KioskController] = []

    def make(
        *,
        settings: KioskSettings | None = None,
        devices: StaticDeviceSource | None = None,
        store: StoreSettings | None = None,
        language: str = "de",
    ) -> tuple[KioskController, MainWindow]:
        context = KioskContext(
            config=Config(),
            data_dir=data_dir,
            settings=settings or KioskSettings(idle_lock_seconds=0),
            store=StoreGateway(data_dir, Config(), store or store_settings),
            devices=devices or StaticDeviceSource({kind: DeviceState.OK for kind in DeviceKind}),
            language=language,
            today=lambda: TODAY,
        )
        kiosk = KioskController(qapp, context)
        window = MainWindow(kiosk)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        kiosk.start()
        kiosk.go("login")
        windows.append(window)
        kiosks.append(kiosk)
        qtbot.waitUntil(lambda: window.navigator.page("login").accounts.count() > 0)
        return kiosk, window

    yield make
    for kiosk in kiosks:
        kiosk.shutdown()
    for window in windows:
        window.close()
        window.deleteLater()
    for kiosk in kiosks:
        kiosk.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()


def login(qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    screen = window.navigator.page("login")
    screen.passphrase.setText(passphrase)
    screen.unlock_button.click()
    if passphrase == PASSPHRASE:
        qtbot.waitUntil(
            lambda: (
                window.navigator.current_state() is not None
                and window.navigator.current_state()[0] != "login"
            )
        )


def settle(qtbot: QtBot, kiosk: KioskController) -> None:
    """Wait until every background operation has delivered its result."""
    qtbot.waitUntil(lambda: kiosk.tasks.pending == 0, timeout=10_000)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key (QTest cannot type non-ASCII characters)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
