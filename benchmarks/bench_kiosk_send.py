"""Background sending in the kiosk: seal-to-receipt latency and GUI-thread stalls.

A kiosk controller (offscreen, no window) logs in to a demo store enrolled
with the embedded back end on loopback; the background sender starts. Then
CASES completed cases are sealed one after another on the store lane, each
followed by ``case_sealed`` (which wakes the sender), as the completion
screen does. Printed: the time from each seal until its receipt is back
(median, max; "receipt" = the back end has stored it), and the longest gap
of a 5 ms GUI timer meanwhile (the GUI thread must never wait on the
network; the harness's own polling on the GUI thread is included). Targets: 1.0 s per case to the
receipt on loopback; 50 ms longest GUI stall.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework.case_store import StoreGateway
from koffer.config import Config
from koffer.kiosk.context import KioskContext
from koffer.kiosk.controller import KioskController
from koffer.kiosk.demo.embedded_backend import start_for_demo
from koffer.kiosk.device_status import StaticDeviceSource
from koffer.kiosk.settings import KioskSettings
from koffer.queue.outbox import Outbox
from koffer.store import Store, StoreSettings

ACCOUNT = "demo"
PASSPHRASE = "demo-passphrase"
CASES = 10
TARGET_LATENCY_S = 1.0
TARGET_STALL_S = 0.050


def wait(app: QApplication, condition: object, timeout: float = 30.0) -> None:
    start = time.perf_counter()
    while not condition():  # type: ignore[operator]
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the kiosk did not reach the expected state")
        time.sleep(0.001)


def main() -> int:
    root = Path(tempfile.mkdtemp(prefix="koffer-bench-send-"))
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
    )
    kiosk = KioskController(app, context)
    kiosk.start()
    wait(app, lambda: bool(kiosk.accounts))
    kiosk.login(ACCOUNT, PASSPHRASE, lambda exc: print("login failed:", exc))
    wait(app, lambda: kiosk.outbox_sender.running)
    session = kiosk.session
    assert session is not None
    unlocked = session.store.unlocked
    services = kiosk.case_services

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()

    latencies: list[float] = []
    try:
        for n in range(CASES):
            case = sample_case(CaseType.ANMELDUNG, n, date.today())
            case_id = unlocked.create_case("anmeldung", case_to_dict(case), {}, state="completed")
            sealed_at: list[float] = []

            def seal(case_id: str = case_id) -> str:
                services.seal(unlocked, case_id)
                return case_id

            def sealed(case_id: str, sealed_at: list[float] = sealed_at) -> None:
                sealed_at.append(time.perf_counter())
                kiosk.case_sealed.emit(case_id)

            kiosk.run_in_store(seal, sealed)
            wait(app, lambda n=n: backend.received() == n + 1)
            latencies.append(time.perf_counter() - sealed_at[0])
        timer.stop()
        wait(app, lambda: Outbox(unlocked).counts() == {"purged": CASES})
        counts = Outbox(unlocked).counts()
    finally:
        kiosk.shutdown()
        backend.stop()
    median = statistics.median(latencies)
    stall = max(gaps) if gaps else 0.0
    print(f"background sending, {CASES} cases sealed one by one, loopback back end")
    print(f"outbox afterwards: {counts}")
    print(
        f"seal → receipt: median {median * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
        f"target {TARGET_LATENCY_S:.1f} s, ratio {median / TARGET_LATENCY_S:.2f}"
    )
    print(
        f"longest GUI-thread gap (5 ms timer): {stall * 1000:.1f} ms; "
        f"target {TARGET_STALL_S * 1000:.0f} ms, ratio {stall / TARGET_STALL_S:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
