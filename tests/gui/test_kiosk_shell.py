"""The kiosk shell: start-up, login, theme, idle lock, background errors."""

from __future__ import annotations

import logging
import time

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from koffer.devices.interfaces import DeviceKind
from koffer.errors import StoreError
from koffer.kiosk.device_status import DeviceState, StaticDeviceSource
from koffer.kiosk.settings import KioskSettings
from koffer.store import StoreSettings
from tests.gui.conftest import ACCOUNT, MakeKiosk, login, settle


def test_start_shows_login_with_accounts(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    """GIVEN a store with one account WHEN the kiosk starts THEN the login lists it."""
    _kiosk, window = make_kiosk()
    assert window.navigator.current_state() == ("login", {})
    screen = window.navigator.page("login")
    assert screen.selected_account() == ACCOUNT
    assert window.header.title.text() == "Bürgerservice-Koffer"
    assert not window.header.lock.isVisible()


def test_wrong_then_right_passphrase(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    screen = window.navigator.page("login")
    login(qtbot, window, "falsche-passphrase")
    qtbot.waitUntil(lambda: "Passphrase ist falsch" in screen.error.text())
    assert kiosk.session is None
    assert screen.passphrase.text() == ""  # never kept on screen
    login(qtbot, window)
    assert window.navigator.current_state() is not None
    assert window.navigator.current_state()[0] == "dashboard"
    assert kiosk.session is not None and kiosk.session.account == ACCOUNT
    assert ACCOUNT in window.header.account.text()


# the throttling is the store's own policy: the store is created with it
@pytest.mark.parametrize(
    "store_settings",
    [StoreSettings.insecure_fast(throttle_base_seconds=30.0, throttle_max_seconds=60.0)],
)
def test_throttled_login_shows_remaining_wait(
    qtbot: QtBot, make_kiosk: MakeKiosk, store_settings: StoreSettings
) -> None:
    kiosk, window = make_kiosk(store=store_settings)
    screen = window.navigator.page("login")
    login(qtbot, window, "falsch-eins")
    qtbot.waitUntil(lambda: "falsch" in screen.error.text())
    settle(qtbot, kiosk)
    screen.passphrase.setText("falsch-zwei")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: "Nächster Versuch in" in screen.error.text())
    assert "Bitte warten Sie" in screen.error.text()
    assert not screen.unlock_button.isEnabled()
    # the countdown in words: "einer Sekunde", "30 Sekunden", never "Sekunde(n)"
    screen._wait_until = time.monotonic() + 29.5
    screen._tick()
    assert "Nächster Versuch in 30 Sekunden." in screen.error.text()
    screen._wait_until = time.monotonic() + 0.5
    screen._tick()
    assert "Nächster Versuch in einer Sekunde." in screen.error.text()


def test_high_contrast_toggles(qtbot: QtBot, qapp: QApplication, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    normal = qapp.palette().color(QPalette.ColorRole.Window).name()
    window.header.contrast.click()
    assert kiosk.context.high_contrast
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert "#ffff00" in qapp.styleSheet()
    window.header.contrast.click()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == normal


def test_idle_lock_engages_and_resumes(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    """GIVEN a 1 s idle lock WHEN nobody touches the kiosk THEN it locks, and
    unlocking returns to the screen that was open."""
    kiosk, window = make_kiosk(settings=KioskSettings(idle_lock_seconds=1))
    login(qtbot, window)
    window.navigator.page("dashboard").start_buttons["anmeldung"].click()
    anmeldung = window.navigator.page("anmeldung")
    qtbot.waitUntil(lambda: getattr(anmeldung, "case_id", None) is not None)
    case_id = getattr(anmeldung, "case_id", None)
    qtbot.waitUntil(lambda: kiosk.session is None, timeout=5_000)
    screen = window.navigator.page("login")
    assert window.navigator.current() is screen
    assert screen.heading.text() == "Bildschirm gesperrt"
    assert getattr(anmeldung, "case_id", None) is None  # nothing personal left in the UI
    login(qtbot, window)
    qtbot.waitUntil(lambda: getattr(anmeldung, "case_id", None) == case_id)
    assert window.navigator.current_state() == ("anmeldung", {"case_id": case_id})


def test_device_status_bar_follows_changes(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    devices = StaticDeviceSource({kind: DeviceState.OK for kind in DeviceKind})
    kiosk, window = make_kiosk(devices=devices)
    qtbot.waitUntil(lambda: "bereit" in window.status.text(DeviceKind.FINGERPRINT))
    devices.set(DeviceKind.FINGERPRINT, DeviceState.MISSING)
    kiosk.devices.notify()  # what a hot-plug callback does, from any thread
    qtbot.waitUntil(lambda: "fehlt" in window.status.text(DeviceKind.FINGERPRINT))
    assert "bereit" in window.status.text(DeviceKind.CAMERA)


def test_background_errors_are_shown_in_german_and_logged_without_data(
    qtbot: QtBot, make_kiosk: MakeKiosk, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk, window = make_kiosk()

    def fails_clearly() -> None:
        raise StoreError("Der Speicher ist voll.", message_en="The disk is full.")

    kiosk.run_in_background(fails_clearly, lambda _r: None)
    qtbot.waitUntil(lambda: window.banner.message() == "Der Speicher ist voll.")

    def bug() -> None:
        raise ValueError("Erika Mustermann")

    with caplog.at_level(logging.ERROR):
        kiosk.run_in_background(bug, lambda _r: None)
        qtbot.waitUntil(lambda: "unerwarteter Fehler" in window.banner.message())
    assert "ValueError" in caplog.text
    assert "Mustermann" not in caplog.text


def test_english_ui(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    """The .ts source is compiled (lrelease) into the cache and installed."""
    kiosk, window = make_kiosk()
    screen = window.navigator.page("login")
    window.header.language.click()
    qtbot.waitUntil(lambda: screen.heading.text() == "Welcome")
    assert kiosk.context.language == "en"
    assert window.header.language.text() == "Deutsch"
    login(qtbot, window, "falsche-passphrase")
    qtbot.waitUntil(lambda: "wrong account or passphrase" in screen.error.text())
    window.header.language.click()
    qtbot.waitUntil(lambda: screen.heading.text() == "Willkommen")
