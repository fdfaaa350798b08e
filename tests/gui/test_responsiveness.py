"""The GUI thread never blocks during device work (a behaviour test, not a benchmark).

A 10 ms QTimer records when it fires; while a scripted fingerprint capture
(two fingers, three captures each, WSQ encoding, encrypted saves) and a
signature pen stream run, the largest gap between two ticks must stay at or
below 50 ms. Any blocking device, crypto or disk call on the GUI thread would
show up as a gap of its duration, and so would waiting for the GIL held by a
device thread.

The test machine may be shared (other test suites on two cores): time the
GUI thread spent *runnable but not scheduled by the operating system* is
read from Linux's ``/proc/thread-self/schedstat`` and taken out of each gap.
A thread that sleeps (on a device, a lock, the GIL) is not runnable, so such
waits still count in full.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from koffer.cases import FingerCode
from koffer.devices.synthetic import fingerprint_pixels
from koffer.kiosk.heap import release_heap, settle_heap
from tests.gui.ausweis_helpers import Kit, fill_person, go_next, signature_strokes, start_ausweis
from tests.gui.conftest import MakeKiosk, login, settle, type_text

MAX_GAP_MS = 50.0


SCHEDSTAT = Path("/proc/thread-self/schedstat")


def run_queue_seconds() -> float:
    """Time this thread waited for a CPU while runnable (0 where unknown)."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Watchdog(QObject):
    """Measures the event loop's gaps with a 10 ms timer."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.ticks: list[tuple[float, float]] = []
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append((time.perf_counter(), run_queue_seconds()))

    def start(self) -> None:
        self.ticks.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def gaps_ms(self) -> list[float]:
        """Gaps between ticks, less the time the OS kept the runnable thread waiting."""
        return [
            ((b - a) - (rb - ra)) * 1000
            for (a, ra), (b, rb) in zip(self.ticks, self.ticks[1:], strict=False)
        ]

    def wall_gaps_ms(self) -> list[float]:
        return [(b - a) * 1000 for (a, _), (b, _) in zip(self.ticks, self.ticks[1:], strict=False)]


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


def test_gui_thread_never_blocks_during_capture_and_signing(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    person = start_ausweis(qtbot, window)
    fill_person(person)
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    settle(qtbot, kiosk)
    kit.scanner.configure(finger_after_polls=3)  # a finger arrives after a few polls
    # The simulator draws its synthetic prints in pure Python (a real scanner does
    # that in its own hardware): draw them before measuring, as the device would.
    for seed in range(4):
        fingerprint_pixels(kit.scanner.width, kit.scanner.height, 0.9, seed)

    # The kiosk freezes its start-up heap once the login screen is shown; do the
    # same here, or the test process's leftovers from other tests (hundreds of
    # thousands of objects) make one full GC pass take a few hundred ms.
    settle_heap()
    watchdog = Watchdog()
    watchdog.start()
    draft = fingers.session.draft
    for finger in (FingerCode.LEFT_INDEX, FingerCode.RIGHT_INDEX):
        fingers.capture_button.click()
        qtbot.waitUntil(lambda f=finger: draft.finger(f) is not None, timeout=15_000)
    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    qtbot.waitUntil(lambda: signature.pad is not None, timeout=5_000)
    duration = kit.pad.sign(signature_strokes())
    qtbot.waitUntil(
        lambda: signature.ink.touching_samples >= 120, timeout=int(duration * 1000) + 5_000
    )
    signature.confirm_button.click()
    qtbot.waitUntil(lambda: bool(draft.signature_attachments), timeout=5_000)
    settle(qtbot, kiosk)
    watchdog.stop()
    release_heap()

    gaps = watchdog.gaps_ms()
    assert len(gaps) > 50, "the watchdog did not run"
    assert max(gaps) <= MAX_GAP_MS, (
        f"GUI thread blocked for {max(gaps):.1f} ms "
        f"(wall-clock gap {max(watchdog.wall_gaps_ms()):.1f} ms)"
    )
