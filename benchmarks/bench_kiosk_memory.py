"""Idle resident memory of the kiosk (offscreen, logged in, dashboard shown).

Starts the kiosk in-process on a demo store, logs in, waits 3 s idle and reads
VmRSS from /proc/self/status. Target: 250 MB.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

TARGET_MB = 250.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from koffer.casework.case_store import StoreGateway
    from koffer.config import Config
    from koffer.devices.interfaces import DeviceKind
    from koffer.kiosk.context import KioskContext
    from koffer.kiosk.controller import KioskController
    from koffer.kiosk.device_status import DeviceState, StaticDeviceSource
    from koffer.kiosk.settings import KioskSettings
    from koffer.kiosk.window import MainWindow
    from koffer.store import Store, StoreSettings

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        settings = StoreSettings.insecure_fast()
        Store.create(data_dir, "bench", "bench-passphrase", settings)
        app = QApplication(sys.argv[:1])
        context = KioskContext(
            config=Config(),
            data_dir=data_dir,
            settings=KioskSettings(idle_lock_seconds=0),
            store=StoreGateway(data_dir, Config(), settings),
            devices=StaticDeviceSource({kind: DeviceState.OK for kind in DeviceKind}),
        )
        kiosk = KioskController(app, context)
        window = MainWindow(kiosk)
        window.resize(1280, 800)
        window.show()
        kiosk.start()
        kiosk.go("login")
        result: dict[str, float] = {}

        def log_in() -> None:
            kiosk.login("bench", "bench-passphrase", lambda exc: app.exit(1))
            window.build_screens_ahead()  # as koffer kiosk does: every screen exists

        def measure() -> None:
            result["screens"] = window.navigator.count()
            result["rss"] = rss_mb()
            app.exit(0)

        QTimer.singleShot(500, log_in)
        QTimer.singleShot(3500, measure)
        code = app.exec()
        window.close()
    if code:
        print("login failed")
        return 1
    rss = result["rss"]
    print(f"screens built: {result['screens']:.0f}")
    print(f"kiosk idle RSS: {rss:.1f} MB, target {TARGET_MB:.0f} MB, ratio {rss / TARGET_MB:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
