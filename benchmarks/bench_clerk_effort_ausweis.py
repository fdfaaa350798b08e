"""Clerk effort for one Personalausweis application, through the real kiosk.

Runs the kiosk offscreen (real encrypted store, simulated scanner, pad and
camera behind the device hub), drives the scripted application step by step
and counts what a clerk does:

- screens shown (wizard steps),
- keystrokes K (every character, plus Tab/Enter to the next field),
- pointer actions P (buttons, choices = open + pick, radio buttons),
- homing H (each switch between keyboard and pointer),
- mental operations M (one per field typed, one per wizard step, one per
  choice and one per device action),
- device waits: each device step's time on real hardware, from the
  simulators' realistic timings — the R30x image upload at 57,600 baud
  (4-bit image, 128-byte data packets with 11 bytes framing) plus 1.5 s to
  place the finger, per capture; the camera still (0.5 s); a signature
  streamed by the STU simulator at 200 reports/s (4 s of writing); the
  declaration upload to the pad (0.3 s). The run itself uses fast simulators
  and reports its own wall time separately.

KLM (Card, Moran & Newell): K 0.28 s, P 1.1 s, H 0.4 s, M 1.35 s, plus the
device waits. Target: ≤ 5 minutes per Personalausweis application (a
commercial kit needs about 15 minutes per citizen).

    .venv/bin/python benchmarks/bench_clerk_effort_ausweis.py [--screenshots DIR]

With ``--screenshots DIR`` each step is saved as ``20-ausweis-<step>.png``
(1280 × 800).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from koffer.config import Config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import DeviceKind
from koffer.drivers.r30x.simulator import forget_simulator
from koffer.drivers.wacom_stu.simulator import StuSimulator, line_stroke
from koffer.kiosk.context import KioskContext
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.hub import DeviceHub
from koffer.kiosk.services import StoreGateway
from koffer.kiosk.settings import KioskSettings
from koffer.kiosk.window import MainWindow
from koffer.store import Store, StoreSettings

K, P, H, M = 0.28, 1.1, 0.4, 1.35
TARGET_MINUTES = 5.0
ANCHOR_MINUTES = 15.0
ACCOUNT, PASSPHRASE = "sachbearbeitung", "Sommer im Dorf 2026"

BAUD = 57_600
IMAGE_W, IMAGE_H, PACKET = 256, 288, 128
FINGER_PLACEMENT_S = 1.5
STILL_S = 0.5
SIGNATURE_S = 4.0
DECLARATION_UPLOAD_S = 0.3


def capture_seconds() -> float:
    """One R30x capture on the wire: 4-bit image in 128-byte packets + placing the finger."""
    data = IMAGE_W * IMAGE_H // 2
    packets = -(-data // PACKET)
    wire_bytes = data + packets * 11 + 12 * 2  # data framing + GenImg/UpImage exchanges
    return wire_bytes * 10 / BAUD + FINGER_PLACEMENT_S


@dataclass
class Effort:
    keystrokes: int = 0
    pointer: int = 0
    homing: int = 0
    decisions: int = 0
    device_wait_s: float = 0.0
    screens: int = 0
    device_actions: int = 0
    _last: str = ""

    def _use(self, device: str) -> None:
        if self._last and self._last != device:
            self.homing += 1
        self._last = device

    def keys(self, count: int) -> None:
        self._use("keyboard")
        self.keystrokes += count

    def point(self, count: int = 1) -> None:
        self._use("pointer")
        self.pointer += count

    def klm_seconds(self) -> float:
        return (
            self.keystrokes * K
            + self.pointer * P
            + self.homing * H
            + self.decisions * M
            + self.device_wait_s
        )


class Run:
    def __init__(self, app: QApplication, shots: Path | None) -> None:
        self.app = app
        self.shots = shots
        self.effort = Effort()
        self.tmp = Path(tempfile.mkdtemp(prefix="koffer-bench-"))
        settings = StoreSettings.insecure_fast()
        Store.create(self.tmp / "data", ACCOUNT, PASSPHRASE, settings)
        self.scanner_name = f"bench-{os.getpid()}"
        raw = {
            "devices": {
                "fingerprint": {"type": "simulator", "name": self.scanner_name},
                "signature_pad": {"type": "simulator"},
                "camera": {"type": "simulator"},
            }
        }
        self.hub = DeviceHub(DeviceSettings.from_config(Config(raw=raw), validate=False))
        context = KioskContext(
            config=Config(),
            data_dir=self.tmp / "data",
            settings=KioskSettings(idle_lock_seconds=0),
            store=StoreGateway(self.tmp / "data", Config(), settings),
            devices=self.hub,
        )
        self.kiosk = KioskController(app, context)
        self.window = MainWindow(self.kiosk)
        self.window.resize(1280, 800)
        self.window.show()
        self.kiosk.start()
        self.kiosk.go("login")

    def close(self) -> None:
        self.window.close()
        self.kiosk.shutdown()
        self.hub.close()
        forget_simulator(self.scanner_name)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------

    def wait(self, condition: Callable[[], object], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("benchmark step did not finish")
            self.app.processEvents()
            time.sleep(0.002)

    def page(self, name: str) -> Any:
        return self.window.navigator.page(name)

    def current(self) -> str:
        state = self.window.navigator.current_state()
        return state[0] if state else ""

    def type(self, widget: QWidget, text: str, *, field: bool = True) -> None:
        widget.setFocus()
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)
        self.effort.keys(len(text) + 1)  # the characters + Tab/Enter
        if field:
            self.effort.decisions += 1

    def click(self, button: Any, *, decision: bool = False) -> None:
        button.click()
        self.effort.point()
        if decision:
            self.effort.decisions += 1

    def choose(self, combo: Any, index: int) -> None:
        combo.setCurrentIndex(index)
        self.effort.point(2)
        self.effort.decisions += 1

    def step(self, screen: Any, expected: str) -> Any:
        self.shot(screen)
        self.click(screen.next_button)
        self.wait(lambda: self.current() == expected)
        self.effort.screens += 1
        self.effort.decisions += 1
        return self.page(expected)

    def shot(self, screen: Any, suffix: str = "") -> None:
        if self.shots is None:
            return
        for _ in range(5):
            self.app.processEvents()
        self.shots.mkdir(parents=True, exist_ok=True)
        name = f"20-ausweis-{screen.step}{suffix}.png"
        self.window.grab().save(str(self.shots / name))

    def device(self, seconds: float) -> None:
        self.effort.device_wait_s += seconds
        self.effort.device_actions += 1
        self.effort.decisions += 1

    # -- the flow --------------------------------------------------------------

    def run(self) -> None:
        self.wait(lambda: self.page("login").accounts.count() > 0)
        login = self.page("login")
        login.passphrase.setText(PASSPHRASE)
        login.unlock_button.click()
        self.wait(lambda: self.current() == "dashboard")
        self.click(self.page("dashboard").start_buttons["personalausweis"], decision=True)
        person = self.page("ausweis_person")
        self.wait(lambda: person.session.case_id is not None and self.current() == "ausweis_person")
        self.effort.screens += 1
        for key, text in {
            "family_name": "Schmidt",
            "given_names": "Erika",
            "birth_date": "07.03.1985",
            "birth_place": "Köln",
            "nationalities": "deutsch",
        }.items():
            self.type(person.person_form.fields[key].edit, text)
        self.choose(person.person_form.choices["sex"].combo, 1)
        for key, text in {
            "street": "Lindenweg",
            "house_number": "5",
            "postcode": "53111",
            "city": "Bonn",
        }.items():
            self.type(person.address_form.fields[key].edit, text)
        photo = self.step(person, "ausweis_photo")

        self.wait(lambda: photo.preview.frames_shown >= 3)
        self.click(photo.capture_button)
        self.wait(lambda: bool(photo.session.draft.photo_attachment))
        self.device(STILL_S)
        fingers = self.step(photo, "ausweis_fingerprints")

        fingers.reason_combo.setCurrentIndex(0)  # injured
        self.effort.point(2)
        self.click(fingers.skip_button, decision=True)
        self.shot(fingers, "-substitute")
        draft = fingers.session.draft
        for code in ("6", "2"):  # left thumb (substitute), right index
            self.click(fingers.capture_button)
            self.wait(lambda c=code: any(f.finger == c for f in draft.fingers))
            for _ in range(3):
                self.device(capture_seconds())
        self.shot(fingers)
        signature = self.step(fingers, "ausweis_signature")

        self.wait(lambda: signature.pad is not None)
        self.device(DECLARATION_UPLOAD_S)
        pad = self.hub.device(DeviceKind.SIGNATURE_PAD)
        simulator = getattr(pad, "simulator", None)
        assert isinstance(simulator, StuSimulator)
        strokes = [
            line_stroke((40, 120), (90, 60), 30),
            line_stroke((90, 60), (130, 125), 30),
            line_stroke((140, 110), (200, 80), 30),
            line_stroke((200, 80), (270, 120), 30),
        ]
        simulator.sign(strokes)
        self.wait(lambda: signature.ink.touching_samples >= 120)
        self.device(SIGNATURE_S)
        self.shot(signature)
        self.click(signature.confirm_button)
        self.wait(lambda: bool(signature.session.draft.signature_attachments))
        fee = self.step(signature, "ausweis_fee")

        self.effort.decisions += 1  # explain the fee, ask pick-up or delivery
        pin = self.step(fee, "ausweis_pin")
        self.click(pin.handed_out, decision=True)
        self.type(pin.number.edit, "PB12345678")
        self.shot(pin)
        self.click(pin.next_button)
        self.wait(lambda: self.current() not in ("ausweis_pin", ""))
        self.wait(lambda: self.kiosk.tasks.pending == 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="save a PNG of every step here")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    run = Run(app, args.screenshots)
    started = time.perf_counter()
    try:
        run.run()
    finally:
        wall = time.perf_counter() - started
        run.close()
    e = run.effort
    total = e.klm_seconds()
    print("Personalausweis application (one finger exemption), scripted through the kiosk")
    print(f"  screens                  {e.screens}")
    print(f"  keystrokes (K)           {e.keystrokes}")
    print(f"  pointer actions (P)      {e.pointer}")
    print(f"  homing (H)               {e.homing}")
    print(f"  mental operations (M)    {e.decisions}")
    print(f"  device waits             {e.device_actions} ({e.device_wait_s:.1f} s on hardware)")
    print(f"    per fingerprint capture {capture_seconds():.2f} s (R30x at {BAUD} baud)")
    print(f"  KLM estimate             {total:.0f} s = {total / 60:.1f} min")
    minutes = total / 60
    print(
        f"  target                   {TARGET_MINUTES:.1f} min  ratio {minutes / TARGET_MINUTES:.2f}"
    )
    print(
        f"  anchor (commercial kit)  {ANCHOR_MINUTES:.0f} min  ratio {minutes / ANCHOR_MINUTES:.2f}"
    )
    print(f"  scripted run wall time   {wall:.1f} s (fast simulators)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
