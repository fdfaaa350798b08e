"""Administration: add an account (and a wrong repeat), role routing after login."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from koffer.kiosk.controller import home_screen, may_open
from koffer.kiosk.screens.admin import AdminScreen
from tests.gui.conftest import MakeKiosk, login, settle


def test_routing_table() -> None:
    assert home_screen("clerk") == "dashboard"
    assert home_screen("technician") == "technician"
    assert home_screen("admin") == "dashboard"
    assert not may_open("clerk", "admin") and not may_open("clerk", "technician")
    assert not may_open("technician", "anmeldung") and may_open("technician", "outbox")
    assert may_open("admin", "admin") and may_open("admin", "anmeldung")


def _admin(qtbot: QtBot, make_kiosk: MakeKiosk) -> tuple[object, AdminScreen]:
    kiosk, window = make_kiosk()
    login(qtbot, window)
    kiosk.go("admin")
    screen = window.navigator.page("admin")
    assert isinstance(screen, AdminScreen)
    qtbot.waitUntil(lambda: len(screen.accounts) == 1)
    return kiosk, screen


def test_admin_adds_accounts_and_roles_route(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, screen = _admin(qtbot, make_kiosk)
    screen.name_edit.setText("bernd")
    screen.pass_edit.setText("sehr-geheime-phrase")
    screen.repeat_edit.setText("andere-phrase-123")
    screen.add_button.click()
    assert "stimmen nicht überein" in screen.form_error.text()

    for name, role in (("bernd", "clerk"), ("tanja", "technician")):
        screen.name_edit.setText(name)
        screen.role_combo.setCurrentIndex(screen.role_combo.findData(role))
        screen.pass_edit.setText("sehr-geheime-phrase")
        screen.repeat_edit.setText("sehr-geheime-phrase")
        screen.add_button.click()
        qtbot.waitUntil(lambda n=name: any(a.name == n for a in screen.accounts))  # type: ignore[misc]
    assert {(a.name, a.role) for a in screen.accounts} >= {
        ("bernd", "clerk"),
        ("tanja", "technician"),
    }
    assert screen.form_error.text() == ""

    # duplicate name: German message at the form, nothing else changes
    screen.name_edit.setText("bernd")
    screen.pass_edit.setText("sehr-geheime-phrase")
    screen.repeat_edit.setText("sehr-geheime-phrase")
    screen.add_button.click()
    qtbot.waitUntil(lambda: "gibt es bereits" in screen.form_error.text())
    settle(qtbot, kiosk)  # type: ignore[arg-type]


def test_technician_lands_on_technician_screen(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, screen = _admin(qtbot, make_kiosk)
    screen.name_edit.setText("tanja")
    screen.role_combo.setCurrentIndex(screen.role_combo.findData("technician"))
    screen.pass_edit.setText("sehr-geheime-phrase")
    screen.repeat_edit.setText("sehr-geheime-phrase")
    screen.add_button.click()
    qtbot.waitUntil(lambda: len(screen.accounts) == 2)
    kiosk.logout()  # type: ignore[attr-defined]
    settle(qtbot, kiosk)  # type: ignore[arg-type]
    window = screen.window()
    login_screen = window.navigator.page("login")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: login_screen.accounts.count() == 2)
    index = next(
        i
        for i in range(login_screen.accounts.count())
        if "tanja" in login_screen.accounts.item(i).text()
    )
    login_screen.accounts.setCurrentRow(index)
    login_screen.passphrase.setText("sehr-geheime-phrase")
    login_screen.unlock_button.click()
    qtbot.waitUntil(lambda: window.navigator.current_state()[0] == "technician")  # type: ignore[attr-defined]
    kiosk.go("anmeldung")  # type: ignore[attr-defined]
    assert window.navigator.current_state()[0] == "technician"  # type: ignore[attr-defined]


def test_new_screens_speak_english(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk(language="en")
    login(qtbot, window)
    kiosk.go("outbox")
    assert window.navigator.page("outbox").send_button.text() == "Send now"  # type: ignore[attr-defined]
    wizard = window.navigator.page("abmeldung")
    assert wizard.next_button.text() == "Next"  # type: ignore[attr-defined]
    assert window.navigator.page("review").confirm_button.text() == "Yes, all details are correct"  # type: ignore[attr-defined]
    settle(qtbot, kiosk)
