"""Dashboard and the Anmeldung wizard: inline validation, drafts, resume."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from koffer.casework.case_store import StoreGateway
from koffer.casework.drafts import RegistrationDraft
from koffer.config import Config
from koffer.kiosk.screens.anmeldung import AnmeldungScreen
from koffer.kiosk.window import MainWindow
from koffer.store import StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, MakeKiosk, login, settle, type_text


def _start_anmeldung(qtbot: QtBot, window: MainWindow) -> AnmeldungScreen:
    window.navigator.page("dashboard").start_buttons["anmeldung"].click()
    screen = window.navigator.page("anmeldung")
    assert isinstance(screen, AnmeldungScreen)
    qtbot.waitUntil(lambda: screen.case_id is not None and window.navigator.current() is screen)
    return screen


def test_dashboard_lists_created_case(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: object, store_settings: StoreSettings
) -> None:
    gateway = StoreGateway(data_dir, Config(), store_settings)  # type: ignore[arg-type]
    gateway.open()
    store = gateway.unlock(ACCOUNT, PASSPHRASE)
    store.create_case("anmeldung", RegistrationDraft().to_payload())
    number = store.list_cases()[0].case_number
    store.close()
    gateway.close()
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    dashboard = window.navigator.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.case_list.count() == 1)
    text = dashboard.case_list.item(0).text()
    assert number in text and "Anmeldung" in text and "in Bearbeitung" in text


def test_dashboard_names_whose_draft_it_is(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """GIVEN two drafts of different families WHEN the clerk looks at the
    dashboard THEN each row names its citizen (screen only, never in the log)."""
    gateway = StoreGateway(data_dir, Config(), StoreSettings.insecure_fast())
    gateway.open()
    store = gateway.unlock(ACCOUNT, PASSPHRASE)
    family = RegistrationDraft()
    family.persons = [
        {"given_names": "Ayşe", "family_name": "Yılmaz"},
        {"given_names": "Mehmet", "family_name": "Yılmaz"},
    ]
    store.create_case("anmeldung", family.to_payload())
    single = RegistrationDraft()
    single.persons = [{"given_names": "Jörg", "family_name": "Öztürk"}]
    store.create_case("abmeldung", single.to_payload())
    store.close()
    gateway.close()
    caplog.set_level(logging.DEBUG)
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    dashboard = window.navigator.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.case_list.count() == 2)
    rows = [dashboard.case_list.item(i).text() for i in range(2)]
    assert any("Ayşe Yılmaz + 1" in row and "Anmeldung" in row for row in rows), rows
    assert any("Jörg Öztürk" in row and "Abmeldung" in row for row in rows), rows
    assert "Yılmaz" not in caplog.text and "Öztürk" not in caplog.text


def test_inline_validation_names_the_character(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = _start_anmeldung(qtbot, window)
    field = screen.person_form.fields["family_name"]
    type_text(field.edit, "Müller1")
    assert field.error.isVisibleTo(screen)
    assert "„1“" in field.error.text()
    assert "Stelle 7" in field.error.text()
    qtbot.keyClick(field.edit, Qt.Key.Key_Backspace)
    assert not field.error.isVisibleTo(screen)
    street = screen.dwelling_form.fields["street"]
    street.edit.setText("Hauptstraße 1")
    street.validate()
    assert street.error_text() is None  # digits are fine in type B


def test_required_fields_block_next_step(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = _start_anmeldung(qtbot, window)
    screen.next_button.click()
    assert screen.draft.step == "persons"
    assert screen.person_form.fields["family_name"].error_text() == (
        "Bitte füllen Sie dieses Feld aus."
    )


def _type_person(qtbot: QtBot, screen: AnmeldungScreen, values: dict[str, str]) -> None:
    for key, text in values.items():
        field = screen.person_form.fields[key]
        field.edit.setFocus()
        type_text(field.edit, text)
    screen.person_form.choices["sex"].combo.setCurrentIndex(1)


def test_family_draft_survives_a_restart(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    """GIVEN two persons and a street typed in one kiosk WHEN a new kiosk is
    started on the same data directory (as after a crash) THEN the draft is
    listed and resumes with everything typed."""
    kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = _start_anmeldung(qtbot, window)
    _type_person(
        qtbot,
        screen,
        {
            "family_name": "Müller",
            "given_names": "Anna",
            "birth_date": "07.03.1985",
            "birth_place": "Köln",
        },
    )
    screen.add_person_button.click()
    assert screen.person_index == 1
    _type_person(qtbot, screen, {"family_name": "Müller", "given_names": "Ben"})
    screen.next_button.click()  # second person incomplete: stays
    assert screen.draft.step == "persons"
    _type_person(qtbot, screen, {"birth_date": "01.02.2015", "birth_place": "Bonn"})
    screen.next_button.click()
    assert screen.draft.step == "dwelling"
    type_text(screen.dwelling_form.fields["street"].edit, "Lindenweg")
    qtbot.waitUntil(lambda: screen.save_label.text() == "✔ Gespeichert")
    settle(qtbot, kiosk)

    # a second instance, without closing the first one properly
    _kiosk2, window2 = make_kiosk()
    login(qtbot, window2)
    dashboard = window2.navigator.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.case_list.count() == 1)
    dashboard.resume_button.click()
    resumed = window2.navigator.page("anmeldung")
    assert isinstance(resumed, AnmeldungScreen)
    qtbot.waitUntil(lambda: resumed.case_id == screen.case_id)
    assert resumed.draft.step == "dwelling"
    assert resumed.dwelling_form.fields["street"].text() == "Lindenweg"
    assert [p.get("given_names") for p in resumed.draft.persons] == ["Anna", "Ben"]
    resumed.go_back()
    assert resumed.person_form.fields["family_name"].text() == "Müller"
    assert resumed.person_list.count() == 2
    assert "Anna Müller" in resumed.person_list.item(0).text()


def test_enter_moves_to_next_field(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = _start_anmeldung(qtbot, window)
    family = screen.person_form.fields["family_name"].edit
    family.setFocus()
    qtbot.keyClick(family, Qt.Key.Key_Return)
    assert screen.person_form.fields["given_names"].edit.hasFocus()
    qtbot.keyClick(screen.person_form.fields["given_names"].edit, Qt.Key.Key_Escape)
    assert window.navigator.current_state() is not None
    assert window.navigator.current_state()[0] == "dashboard"  # type: ignore[index]
