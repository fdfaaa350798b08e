"""``koffer demo --screenshots DIR``: walk the main flows and save a PNG per screen.

A small state machine driven by a timer: each step acts like the clerk
(types, clicks), waits until the UI shows the expected result, then grabs the
window (``QWidget.grab``) at its current size.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)

from koffer.kiosk.controller import KioskController
from koffer.kiosk.demo import DEMO_PASSPHRASE
from koffer.kiosk.demo.steps import Step
from koffer.kiosk.demo.tour_ausweis import ausweis_steps
from koffer.kiosk.demo.tour_registration import registration_steps
from koffer.kiosk.screens.anmeldung import AnmeldungScreen
from koffer.kiosk.screens.dashboard import DashboardScreen
from koffer.kiosk.screens.login import LoginScreen
from koffer.kiosk.window import MainWindow

log = logging.getLogger(__name__)


#: what the offscreen platform plugin says for every window it shows; harmless
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",)


def quiet_offscreen_noise() -> None:
    """Drop the offscreen plugin's known harmless messages (demo tour only).

    Everything else still reaches stderr, in Qt's usual form.
    """

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in OFFSCREEN_NOISE:
            return
        print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


class DemoTour(QObject):
    """Runs the steps; :attr:`finished` carries the exit code.

    A step is ``(name, act, ready)``: ``act`` runs once, then ``ready`` is polled
    until it holds and no background task is pending; a named step then saves
    ``name.png``.
    """

    finished = Signal(int)

    def __init__(
        self, kiosk: KioskController, window: MainWindow, out_dir: Path, timeout_s: float = 20
    ) -> None:
        super().__init__(window)
        quiet_offscreen_noise()  # before the window is shown
        self.kiosk = kiosk
        self.window = window
        self.out_dir = out_dir
        self._steps = self._build()
        self._index = 0
        self._acted = False
        self._ticks = 0
        self._max_ticks = int(timeout_s * 1000 / 50)
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)
        self.saved: list[Path] = []

    def start(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._timer.start()

    def _login(self) -> LoginScreen:
        return cast(LoginScreen, self.window.navigator.page("login"))

    def dashboard(self) -> DashboardScreen:
        return cast(DashboardScreen, self.window.navigator.page("dashboard"))

    def _anmeldung(self) -> AnmeldungScreen:
        return cast(AnmeldungScreen, self.window.navigator.page("anmeldung"))

    def _on(self, name: str) -> bool:
        state = self.window.navigator.current_state()
        return state is not None and state[0] == name

    def _build(self) -> list[Step]:
        def nothing() -> None:
            pass

        def log_in() -> None:
            login = self._login()
            login.passphrase.setText(DEMO_PASSPHRASE)
            login.proceed()

        def start_anmeldung() -> None:
            self.dashboard().start_case("anmeldung")

        def type_person() -> None:
            form = self._anmeldung().person_form
            for key, text in (
                ("family_name", "Müller1"),
                ("given_names", "Anna Lena"),
                ("birth_date", "07.03.1985"),
                ("birth_place", "Köln"),
            ):
                form.fields[key].edit.setText(text)
                form.fields[key].edit.textEdited.emit(text)
            form.choices["sex"].combo.setCurrentIndex(1)

        def fix_and_continue() -> None:
            screen = self._anmeldung()
            family = screen.person_form.fields["family_name"].edit
            family.setText("Müller")
            family.textEdited.emit("Müller")
            screen.proceed()

        def type_dwelling() -> None:
            form = self._anmeldung().dwelling_form
            for key, text in (
                ("street", "Lindenweg"),
                ("house_number", "12a"),
                ("postcode", "5067"),
                ("city", "Köln"),
            ):
                form.fields[key].edit.setText(text)
                form.fields[key].edit.textEdited.emit(text)

        def to_dashboard() -> None:
            self._anmeldung().saver.flush()
            self.kiosk.go("dashboard")

        def contrast() -> None:
            self.kiosk.set_high_contrast(True)

        def english_lock() -> None:
            self.kiosk.set_high_contrast(False)
            self.kiosk.set_language("en")
            self.kiosk.lock()

        return [
            ("01-login", nothing, lambda: self._on("login") and self._login().accounts.count() > 0),
            (
                "02-dashboard",
                log_in,
                lambda: self._on("dashboard") and not self.kiosk.tasks.pending,
            ),
            ("03-anmeldung-person", start_anmeldung, lambda: self._anmeldung().case_id is not None),
            ("04-inline-validation", type_person, lambda: True),
            (
                "05-anmeldung-dwelling",
                fix_and_continue,
                lambda: self._anmeldung().draft.step == "dwelling",
            ),
            ("06-dwelling-postcode", type_dwelling, lambda: True),
            ("07-dashboard-drafts", to_dashboard, lambda: self.dashboard().case_list.count() > 0),
            *registration_steps(self),
            *ausweis_steps(self),
            ("08-high-contrast", contrast, lambda: True),
            ("09-locked-english", english_lock, lambda: self._on("login")),
        ]

    def _tick(self) -> None:
        if self._index >= len(self._steps):
            self._timer.stop()
            self.finished.emit(0)
            return
        name, act, ready = self._steps[self._index]
        if not self._acted:
            act()
            self._acted = True
            self._ticks = 0
            return
        self._ticks += 1
        if not ready() or self.kiosk.tasks.pending:
            if self._ticks > self._max_ticks:
                log.error("demo tour: step %s did not complete", name)
                self._timer.stop()
                self.finished.emit(1)
            return
        if name:  # unnamed steps only act and wait
            path = self.out_dir / f"{name}.png"
            self.window.grab().save(str(path))
            self.saved.append(path)
        self._index += 1
        self._acted = False
