"""Shared set-up for the Personalausweis GUI tests: a hub of real simulators."""

from __future__ import annotations

import uuid
from typing import Any

from pytestqt.qtbot import QtBot

from koffer.config import Config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import DeviceKind
from koffer.drivers.r30x.simulator import R30xSimulator, forget_simulator, named_simulator
from koffer.drivers.wacom_stu.simulator import PenPoint, StuSimulator, line_stroke
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.hub import DeviceHub, MonitorFactory
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.window import MainWindow
from tests.gui.conftest import type_text


class Kit:
    """A simulated suitcase: scanner, pad and camera behind a :class:`DeviceHub`."""

    def __init__(self, monitor: MonitorFactory | None = None) -> None:
        self.scanner_name = f"test-{uuid.uuid4().hex[:8]}"
        raw: dict[str, Any] = {
            "devices": {
                "fingerprint": {"type": "simulator", "name": self.scanner_name},
                "signature_pad": {"type": "simulator"},
                "camera": {"type": "simulator"},
            }
        }
        settings = DeviceSettings.from_config(Config(raw=raw), validate=False)
        self.hub = DeviceHub(settings, monitor=monitor)

    @property
    def scanner(self) -> R30xSimulator:
        return named_simulator(self.scanner_name)

    @property
    def pad(self) -> StuSimulator:
        simulator = getattr(self.hub.device(DeviceKind.SIGNATURE_PAD), "simulator", None)
        assert isinstance(simulator, StuSimulator)
        return simulator

    @property
    def camera(self) -> Any:
        return self.hub.device(DeviceKind.CAMERA)

    def close(self) -> None:
        self.hub.close()
        forget_simulator(self.scanner_name)


def signature_strokes() -> list[list[PenPoint]]:
    """A plausible scripted signature across the STU-430 screen (320 × 200)."""
    return [
        line_stroke((40, 120), (90, 60), 30),
        line_stroke((90, 60), (130, 125), 30),
        line_stroke((140, 110), (200, 80), 30),
        line_stroke((200, 80), (270, 120), 30),
    ]


def current(window: MainWindow) -> str:
    state = window.navigator.current_state()
    return state[0] if state else ""


def start_ausweis(qtbot: QtBot, window: MainWindow) -> AusweisStep:
    window.navigator.page("dashboard").start_buttons["personalausweis"].click()
    screen = window.navigator.page("ausweis_person")
    assert isinstance(screen, AusweisStep)
    qtbot.waitUntil(
        lambda: screen.session.case_id is not None and current(window) == "ausweis_person",
        timeout=10_000,
    )
    return screen


def fill_person(screen: Any, birth_date: str = "07.03.1985") -> None:
    values = {
        "family_name": "Schmidt",
        "given_names": "Erika",
        "birth_date": birth_date,
        "birth_place": "Köln",
        "nationalities": "deutsch",
    }
    for key, text in values.items():
        type_text(screen.person_form.fields[key].edit, text)
    screen.person_form.choices["sex"].combo.setCurrentIndex(1)
    for key, text in {
        "street": "Lindenweg",
        "house_number": "5",
        "postcode": "53111",
        "city": "Bonn",
    }.items():
        type_text(screen.address_form.fields[key].edit, text)


def page(window: MainWindow, name: str) -> Any:
    return window.navigator.page(name)


def go_next(qtbot: QtBot, window: MainWindow, screen: AusweisStep, expected: str) -> Any:
    screen.next_button.click()
    qtbot.waitUntil(lambda: current(window) == expected, timeout=10_000)
    return page(window, expected)


def kiosk_of(window: MainWindow) -> KioskController:
    return window.kiosk
