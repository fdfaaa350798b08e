"""Clerk effort for the Anmeldung of a family of three, through the real kiosk.

Runs the kiosk offscreen (real store, real back end on loopback, simulated A4
printer with its realistic job time), drives the scripted flow step by step
and counts what a clerk does:

- screens shown (navigator changes),
- keystrokes K (every character, plus Tab/Enter to the next field; "Weiter"
  is Enter on the last field),
- pointer actions P (buttons clicked, a choice = open + pick),
- homing H (each switch between keyboard and pointer),
- mental operations M (one per field typed: finding the value on the
  document or asking the citizen; one per wizard step, per person's ID
  document, per choice, and one for the citizen's confirmation),
- device waits (sealing and printing, measured wall time).

The keystroke-level model (Card, Moran & Newell) turns the counts into a time:
K 0.28 s, P 1.1 s, H 0.4 s, M 1.35 s, plus the device waits. Anchor: a
commercial kit needs 15 minutes on average to capture one citizen's data.

    .venv/bin/python benchmarks/bench_clerk_effort_anmeldung.py [--size WxH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from koffer.casework.case_store import StoreGateway
from koffer.commands.cli import window_size
from koffer.config import Config
from koffer.kiosk.context import KioskContext
from koffer.kiosk.controller import KioskController
from koffer.kiosk.demo.embedded_backend import start_for_demo
from koffer.kiosk.demo.tour_registration import FAMILY
from koffer.kiosk.device_status import StaticDeviceSource
from koffer.kiosk.forms.base import Form
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.meldeschein import MeldescheinWizard
from koffer.kiosk.screens.review import ReviewScreen
from koffer.kiosk.settings import KioskSettings
from koffer.kiosk.window import MainWindow
from koffer.store import Store, StoreSettings

K, P, H, M = 0.28, 1.1, 0.4, 1.35
ANCHOR_MINUTES_PER_CITIZEN = 15.0
ACCOUNT, PASSPHRASE = "sachbearbeitung", "Sommer im Dorf 2026"


@dataclass
class Effort:
    keystrokes: int = 0
    pointer: int = 0
    homing: int = 0
    decisions: int = 0
    device_wait_s: float = 0.0
    screens: int = 0
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

    def think(self, count: int = 1) -> None:
        self.decisions += count

    @property
    def seconds(self) -> float:
        return (
            self.keystrokes * K
            + self.pointer * P
            + self.homing * H
            + self.decisions * M
            + self.device_wait_s
        )


def wait(app: QApplication, until: Callable[[], bool], timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while not until():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the kiosk did not reach the expected state")
        time.sleep(0.002)
    return time.perf_counter() - start


def fill(effort: Effort, form: Form, values: Mapping[str, str]) -> None:
    for key, text in values.items():
        if key in form.choices:
            if form.choices[key].value() == text:
                continue  # the default is right: nothing to do
            effort.think()
            effort.point(2)
            combo = form.choices[key].combo
            combo.setCurrentIndex(combo.findData(text))
            continue
        edit = form.fields[key].edit
        edit.setText(text)
        edit.textEdited.emit(text)
        effort.think()  # find the next value (document, citizen)
        effort.keys(len(text) + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=window_size, default=(1280, 720), help="window WxH")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="koffer-bench-"))
    settings = StoreSettings.insecure_fast()
    Store.create(root, ACCOUNT, PASSPHRASE, settings)
    backend = start_for_demo(root, ACCOUNT, PASSPHRASE, settings)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    context = KioskContext(
        config=Config(),
        data_dir=root,
        settings=KioskSettings(idle_lock_seconds=0),
        store=StoreGateway(root, Config(), settings),
        devices=StaticDeviceSource({}),
        mode="demo",  # simulated A4 printer with its realistic job time
    )
    kiosk = KioskController(app, context)
    kiosk.auto_sync = False  # no background sender: measure the clerk, not the network
    window = MainWindow(kiosk)
    window.resize(*args.size)
    window.show()
    effort = Effort()
    shown: list[str] = []
    window.screen_shown.connect(shown.append)
    kiosk.start()
    kiosk.go("login")
    login = window.navigator.page("login")
    wait(app, lambda: login.accounts.count() > 0)  # type: ignore[attr-defined]
    started = time.perf_counter()
    today = context.today()

    # log in: type the passphrase, Enter
    login.passphrase.setText(PASSPHRASE)  # type: ignore[attr-defined]
    effort.keys(len(PASSPHRASE) + 1)
    login.proceed()
    wait(app, lambda: bool(shown) and shown[-1] == "dashboard")

    effort.think()
    effort.point()  # "Anmeldung"
    window.navigator.page("dashboard").start_case("anmeldung")  # type: ignore[attr-defined]
    screen = window.navigator.page("anmeldung")
    assert isinstance(screen, MeldescheinWizard)
    wait(app, lambda: screen.case_id is not None)

    for index, (person, document) in enumerate(FAMILY):
        if index:
            effort.point()  # "+ Person hinzufügen"
            screen.add_person()
        effort.think()  # take the next ID document
        fill(effort, screen.person_form, person)
        fill(effort, screen.document_form, document)
    effort.think()
    effort.keys(1)  # Enter: next step
    screen.proceed()

    fill(
        effort,
        screen.dwelling_form,
        {
            "street": "Lindenweg",
            "house_number": "12a",
            "postcode": "50667",
            "city": "Köln",
            "move_in_date": f"{today - timedelta(days=5):%d.%m.%Y}",
        },
    )
    effort.think()
    effort.keys(1)
    screen.proceed()
    fill(
        effort,
        screen.previous_form,
        {"street": "Am Markt", "house_number": "3", "postcode": "53111", "city": "Bonn"},
    )
    effort.think()
    effort.keys(1)
    screen.proceed()
    fill(
        effort,
        screen.landlord_form,
        {
            "landlord_name": "Wohnbau Köln eG",
            "landlord_address": "Ringstraße 1, 50667 Köln",
            "matches": "1",
        },
    )
    effort.think()
    effort.keys(1)
    screen.proceed()
    assert screen.draft.step == "check" and not screen.has_errors()
    effort.think()
    effort.keys(1)  # Enter: to the citizen's review
    screen.proceed()

    review = window.navigator.page("review")
    assert isinstance(review, ReviewScreen)
    wait(app, lambda: review.data is not None)
    effort.think()  # the citizen reads, page by page, and confirms
    for _page in range(review.read_to_end()):
        effort.point()  # "Weiter lesen"
    assert review.confirm_button.isEnabled()
    effort.point()
    review.proceed()
    completion = window.navigator.page("completion")
    assert isinstance(completion, CompletionScreen)
    effort.device_wait_s += wait(app, lambda: completion.phase == "done", timeout=60)
    effort.point()  # "Fertig"
    completion.proceed()
    wall = time.perf_counter() - started
    effort.screens = len(shown)

    kiosk.shutdown()
    window.close()
    backend.stop()
    shutil.rmtree(root, ignore_errors=True)

    total = effort.seconds
    per_citizen = total / len(FAMILY)
    anchor = ANCHOR_MINUTES_PER_CITIZEN * 60
    print("Clerk effort: Anmeldung of a family of three (scripted, real kiosk offscreen)")
    print(f"  window                 {args.size[0]}×{args.size[1]}")
    print(f"  screens shown          {effort.screens}  ({' → '.join(dict.fromkeys(shown))})")
    print(f"  keystrokes K           {effort.keystrokes}")
    print(f"  pointer actions P      {effort.pointer}")
    print(f"  homing H               {effort.homing}")
    print(f"  decisions M            {effort.decisions}")
    print(f"  device waits           {effort.device_wait_s:.2f} s (seal + print)")
    print(f"  script wall time       {wall:.2f} s")
    print(
        f"  KLM estimate           {total:.0f} s = {total / 60:.1f} min for 3 persons, "
        f"{per_citizen / 60:.1f} min per citizen"
    )
    print(
        f"  anchor (commercial kit) {ANCHOR_MINUTES_PER_CITIZEN:.0f} min per citizen → "
        f"ratio {per_citizen / anchor:.2f} (lower is better)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
