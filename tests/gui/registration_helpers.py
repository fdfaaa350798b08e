"""Shared helpers of the registration GUI tests: a back end, a printer, typing a family."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from koffer.config import Config
from koffer.drivers.ipp.driver import IppPrinter
from koffer.drivers.ipp.simulator import IppSimulator
from koffer.kiosk.controller import KioskController
from koffer.kiosk.demo.embedded_backend import EmbeddedBackend
from koffer.kiosk.forms.base import Form
from koffer.kiosk.screens.meldeschein import MeldescheinWizard
from koffer.kiosk.window import MainWindow
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE

FAMILY: list[tuple[dict[str, str], dict[str, str]]] = [
    (
        {
            "family_name": "Müller",
            "given_names": "Anna Lena",
            "birth_date": "07.03.1985",
            "birth_place": "Köln",
            "nationalities": "deutsch",
        },
        {
            "serial": "L01X00T47",
            "authority": "Stadt Köln",
            "issued": "01.02.2020",
            "expires": "31.01.2030",
        },
    ),
    (
        {
            "family_name": "Müller",
            "given_names": "Jörg",
            "birth_date": "12.11.1983",
            "birth_place": "Bonn",
            "nationalities": "deutsch",
        },
        {
            "serial": "L01X00T48",
            "authority": "Stadt Bonn",
            "issued": "05.06.2019",
            "expires": "04.06.2029",
        },
    ),
    (
        {
            "family_name": "Müller",
            "given_names": "Zoë",
            "birth_date": "03.09.2016",
            "birth_place": "Köln",
            "nationalities": "deutsch",
        },
        {},
    ),
]
SEXES = ["w", "m", "w"]
NEW_DWELLING = {
    "street": "Lindenweg",
    "house_number": "12a",
    "postcode": "50667",
    "city": "Köln",
    "move_in_date": "16.11.2025",
}
PREVIOUS = {"street": "Am Markt", "house_number": "3", "postcode": "53111", "city": "Bonn"}
LANDLORD = {"landlord_name": "Wohnbau Köln eG", "landlord_address": "Ringstraße 1, 50667 Köln"}


def fill(form: Form, values: Mapping[str, str]) -> int:
    """Type ``values`` into ``form`` as the clerk would; returns the keystrokes."""
    keys = 0
    for key, text in values.items():
        if key in form.choices:
            combo = form.choices[key].combo
            combo.setCurrentIndex(combo.findData(text))
            continue
        edit = form.fields[key].edit
        edit.setText(text)
        edit.textEdited.emit(text)
        keys += len(text) + 1  # the characters and Enter/Tab to the next field
    return keys


def type_family(qtbot: QtBot, screen: MeldescheinWizard) -> None:
    for index, (person, document) in enumerate(FAMILY):
        if index:
            screen.add_person_button.click()
            assert screen.person_index == index
        fill(screen.person_form, {**person, "sex": SEXES[index]})
        fill(screen.document_form, document)


def start(qtbot: QtBot, window: MainWindow, case_type: str) -> MeldescheinWizard:
    window.navigator.page("dashboard").start_buttons[case_type].click()  # type: ignore[attr-defined]
    screen = window.navigator.page(case_type)
    assert isinstance(screen, MeldescheinWizard)
    qtbot.waitUntil(lambda: screen.case_id is not None and window.navigator.current() is screen)
    return screen


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[EmbeddedBackend]:
    server = EmbeddedBackend(tmp_path / "gegenstelle").start()
    yield server
    server.stop()


@pytest.fixture
def enrolled(data_dir: Path, store_settings: StoreSettings, backend: EmbeddedBackend) -> Path:
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        backend.enroll(u)
    return data_dir


def use_simulated_printer(kiosk: KioskController) -> IppSimulator:
    simulator = IppSimulator()
    simulator.job_seconds = 0.01

    def make() -> IppPrinter:
        return IppPrinter(
            "ipp://127.0.0.1/ipp/print",
            timeout=5.0,
            poll_interval=0.02,
            type_name="simulator",
            simulator=simulator,
        )

    kiosk.case_services.make_printer = make
    return simulator


__all__ = ["Config"]
