"""Accessible names and descriptions: generic rule, explicit names kept, language switch."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from koffer.kiosk.accessibility import interactive, name_widgets, plain_text
from koffer.kiosk.screens.base import Screen
from tests.gui.conftest import MakeKiosk


def test_plain_text_drops_symbols_star_and_colon() -> None:
    assert plain_text("Weiter lesen ▼") == "Weiter lesen"
    assert plain_text("Finger nicht möglich → Ersatzfinger") == "Finger nicht möglich Ersatzfinger"
    assert plain_text("Familienname *") == "Familienname"
    assert plain_text("&Speichern:") == "Speichern"


def test_buttons_fields_and_lists_are_named_and_explicit_names_are_kept(qapp: object) -> None:
    del qapp
    root = QWidget()
    layout = QVBoxLayout(root)
    button = QPushButton("✔ Übernehmen", root)
    icon = QPushButton("⟳", root)
    icon.setAccessibleName("Neu laden")
    buddy = QLabel("Geburtsort *", root)
    edit = QLineEdit(root)
    buddy.setBuddy(edit)
    heading = QLabel("Suche", root)
    search = QLineEdit(root)
    for widget in (button, icon, buddy, edit, heading, search):
        layout.addWidget(widget)
    name_widgets(root, "Anmeldung")
    assert button.accessibleName() == "Übernehmen"
    assert icon.accessibleName() == "Neu laden"
    assert edit.accessibleName() == "Geburtsort"
    assert search.accessibleName() == "Suche"
    assert button.accessibleDescription() == "Seite: Anmeldung"
    # a text change is followed on the next run; the explicit name still wins
    button.setText("Wiederholen")
    name_widgets(root, "Anmeldung")
    assert button.accessibleName() == "Wiederholen"
    assert icon.accessibleName() == "Neu laden"


def test_every_interactive_widget_of_every_screen_is_named_in_both_languages(
    make_kiosk: MakeKiosk, qtbot: QtBot
) -> None:
    kiosk, window = make_kiosk()
    while window.navigator.build_next():
        pass

    def unnamed() -> list[str]:
        missing = []
        for index in range(window.navigator.count()):
            screen = window.navigator.widget(index)
            assert isinstance(screen, Screen)
            screen.name_for_assistive_technology()
            for widget in screen.findChildren(QWidget):
                if interactive(widget) and not (
                    widget.accessibleName() and widget.accessibleDescription()
                ):
                    missing.append(f"{screen.name}/{widget.objectName() or type(widget).__name__}")
        return missing

    assert window.navigator.count() >= 15
    missing = unnamed()
    assert missing == [], "\n".join(missing)
    lock = window.header.lock
    qtbot.waitUntil(lambda: lock.accessibleName() == "Sperren")
    kiosk.set_language("en")
    qtbot.waitUntil(lambda: lock.accessibleName() == "Lock")
    missing = unnamed()
    assert missing == [], "\n".join(missing)
    login = window.navigator.page("login")
    names = {w.accessibleDescription() for w in login.findChildren(QWidget) if interactive(w)}
    assert names and all(name.startswith("Page: ") for name in names)
