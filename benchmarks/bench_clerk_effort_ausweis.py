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

    .venv/bin/python benchmarks/bench_clerk_effort_ausweis.py [--screenshots DIR] [--size WxH]

The flow itself is :mod:`koffer.kiosk.demo.scripted_ausweis` (shared with the demo
tour); this script only counts. With ``--screenshots DIR`` each step is saved
as ``ausweis-<step>.png`` (at ``--size``, 1280 × 720 unless told).
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from koffer.casework.case_store import StoreGateway
from koffer.commands.cli import window_size
from koffer.config import Config
from koffer.devices.config import DeviceSettings
from koffer.drivers.r30x.simulator import forget_simulator
from koffer.kiosk.context import KioskContext
from koffer.kiosk.controller import KioskController
from koffer.kiosk.demo.scripted_ausweis import Clerk, Stage, ausweis_stages
from koffer.kiosk.devices.hub import DeviceHub
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
#: card inserted and PIN typed on the Kartenterminal (issue 22: about 12 s)
CARD_S = 12.0
#: issue 22: clerk time a payment adds, beyond the terminal's own time
PAYMENT_TARGET_S = {"card": 20.0, "cash": 15.0}


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


DEVICE_SECONDS: dict[str, Callable[[], float]] = {
    "still": lambda: STILL_S,
    "capture": capture_seconds,
    "declaration": lambda: DECLARATION_UPLOAD_S,
    "signature": lambda: SIGNATURE_S,
    "card": lambda: CARD_S,
}


class CountingClerk(Clerk):
    """The scripted clerk, counting each action into :class:`Effort`."""

    def __init__(self, effort: Effort) -> None:
        self.effort = effort

    def on_typed(self, characters: int) -> None:
        self.effort.keys(characters + 1)  # the characters + Tab/Enter
        self.effort.decisions += 1

    def on_pointer(self, count: int, decision: bool) -> None:
        self.effort.point(count)
        if decision:
            self.effort.decisions += 1

    def on_screen(self) -> None:
        self.effort.screens += 1
        self.effort.decisions += 1

    def on_device(self, action: str) -> None:
        self.effort.device_wait_s += DEVICE_SECONDS[action]()
        self.effort.device_actions += 1
        self.effort.decisions += 1

    def on_decision(self) -> None:
        self.effort.decisions += 1


#: a scripted application: window and clerk → its stages
Stages = Callable[[MainWindow, Clerk], list[Stage]]


class Run:
    def __init__(
        self,
        app: QApplication,
        shots: Path | None,
        size: tuple[int, int],
        stages: Stages = ausweis_stages,
        prefix: str = "ausweis",
        pay: str = "cash",
    ) -> None:
        self.app = app
        #: the payment step's own share: (clerk seconds, terminal seconds)
        self.payment: tuple[float, float] | None = None
        self.shots = shots
        self.stages = stages
        self.prefix = prefix
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
                # with a Kartenterminal the scripted flow pays by card, else in cash
                **({"payment_terminal": {"type": "simulator"}} if pay == "card" else {}),
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
        self.window.resize(*size)
        self.window.show()
        self.kiosk.start()
        self.kiosk.go("login")

    def close(self) -> None:
        self.window.close()
        self.kiosk.shutdown()
        self.hub.close()
        forget_simulator(self.scanner_name)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- waiting and screenshots -------------------------------------------------

    def wait(self, condition: Callable[[], object], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("benchmark step did not finish")
            self.app.processEvents()
            time.sleep(0.002)

    def shot(self, name: str) -> None:
        if self.shots is None:
            return
        for _ in range(5):
            self.app.processEvents()
        self.shots.mkdir(parents=True, exist_ok=True)
        self.window.grab().save(str(self.shots / f"{self.prefix}-{name}.png"))

    # -- the flow (shared with the demo tour) -----------------------------------

    def run(self) -> None:
        login = self.window.navigator.page("login")
        self.wait(lambda: login.accounts.count() > 0)  # type: ignore[attr-defined]
        login.passphrase.setText(PASSPHRASE)  # type: ignore[attr-defined]
        login.unlock_button.click()  # type: ignore[attr-defined]
        self.wait(lambda: self.kiosk.tasks.pending == 0 and self._on("dashboard"))
        e = self.effort
        paying: tuple[float, float] | None = None
        stages = self.stages(self.window, CountingClerk(self.effort))
        for index, stage in enumerate(stages):
            if stage.shot == "payment":  # the step's work: choose, type, book, go on
                paying = (e.klm_seconds(), e.device_wait_s)
            stage.act()
            self.wait(stage.ready, timeout=60.0)
            if paying is not None and index and stages[index - 1].shot == "payment":
                terminal = e.device_wait_s - paying[1]
                self.payment = (e.klm_seconds() - paying[0] - terminal, terminal)
                paying = None
            if stage.shot:
                self.shot(stage.shot)
        self.wait(lambda: self.kiosk.tasks.pending == 0)

    def _on(self, name: str) -> bool:
        state = self.window.navigator.current_state()
        return state is not None and state[0] == name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="save a PNG of every step here")
    parser.add_argument("--size", type=window_size, default=(1280, 720), help="window WxH")
    parser.add_argument(
        "--pay", choices=("cash", "card"), default="cash", help="how the fee is paid"
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    run = Run(app, args.screenshots, args.size, pay=args.pay)
    started = time.perf_counter()
    try:
        run.run()
    finally:
        wall = time.perf_counter() - started
        run.close()
    e = run.effort
    total = e.klm_seconds()
    print("Personalausweis application (one finger exemption), scripted through the kiosk")
    print(f"  window                   {args.size[0]}×{args.size[1]}")
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
    if run.payment is not None:
        clerk, terminal = run.payment
        target = PAYMENT_TARGET_S[args.pay]
        print(
            f"  payment step ({args.pay})      {clerk:.1f} s clerk beyond the terminal's "
            f"{terminal:.0f} s; target {target:.0f} s  ratio {clerk / target:.2f}"
        )
    print(f"  scripted run wall time   {wall:.1f} s (fast simulators)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
