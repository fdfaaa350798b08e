"""``koffer kiosk`` and ``koffer demo``: build the context, the window, run Qt.

Heavy modules (the store, crypto, device drivers) are imported lazily so the
login screen appears fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

from koffer.config import Config, load_config
from koffer.kiosk.context import KioskContext
from koffer.kiosk.settings import KioskSettings
from koffer.paths import resolve_data_dir

log = logging.getLogger(__name__)

DEMO_ACCOUNT = "demo"
DEMO_PASSPHRASE = "demo-passphrase"


def _config(args: argparse.Namespace) -> Config:
    value = getattr(args, "config", None)
    return load_config(Path(value) if value else None)


def _data_dir(args: argparse.Namespace) -> Path:
    if args.mode == "demo" and not getattr(args, "data_dir", None):
        return Path(tempfile.mkdtemp(prefix="koffer-demo-"))
    return resolve_data_dir(getattr(args, "data_dir", None))


def build_context(args: argparse.Namespace) -> KioskContext:
    """The context for ``args`` (no Qt objects are created here)."""
    from koffer.kiosk.devices.hub import hub_from_config
    from koffer.kiosk.services import StoreGateway

    config = _config(args)
    settings = KioskSettings.from_config(config)
    data_dir = _data_dir(args)
    demo = args.mode == "demo"
    simulate = demo or bool(getattr(args, "simulate", False))
    # the devices, each on its own I/O worker; opened on the status bar's first probe
    devices = hub_from_config(config, simulate=simulate)
    store_settings = None
    if demo:
        from koffer.store import Store, StoreSettings

        store_settings = StoreSettings.insecure_fast()
        if not Store.exists(data_dir):
            Store.create(data_dir, DEMO_ACCOUNT, DEMO_PASSPHRASE, store_settings)
    return KioskContext(
        config=config,
        data_dir=data_dir,
        settings=settings,
        store=StoreGateway(data_dir, config, store_settings),
        devices=devices,
        language=getattr(args, "language", None) or settings.language,
        high_contrast=settings.high_contrast,
        mode=args.mode,
    )


def run(args: argparse.Namespace) -> int:
    """Run the kiosk until it is closed; returns the exit code."""
    if getattr(args, "offscreen", False):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    context = build_context(args)
    embedded = None
    if context.mode == "demo":
        # the reference back end on loopback, the demo suitcase enrolled with it
        from koffer.kiosk.embedded_backend import start_for_demo
        from koffer.store import StoreSettings

        embedded = start_for_demo(
            context.data_dir, DEMO_ACCOUNT, DEMO_PASSPHRASE, StoreSettings.insecure_fast()
        )
        context.connectivity = embedded.reachable

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from koffer.kiosk.controller import KioskController
    from koffer.kiosk.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not isinstance(app, QApplication):  # pragma: no cover - a QCoreApplication exists
        raise RuntimeError("a non-GUI Qt application is already running")
    app.setApplicationName("Bürgerservice-Koffer")
    kiosk = KioskController(app, context)
    window = MainWindow(kiosk)
    screenshots = getattr(args, "screenshots", None)
    size: tuple[int, int] = getattr(args, "size", None) or (1280, 720)
    from koffer.kiosk.heap import settle_heap

    settled: list[bool] = []

    def on_screen(name: str) -> None:
        # once the login screen is up, build the other screens while the clerk
        # types; then what is alive lives all session: freeze it
        if name == "login" and not settled:
            settled.append(True)
            window.build_screens_ahead(done=settle_heap)

    window.screen_shown.connect(on_screen)
    if getattr(args, "quit_when_ready", False):
        # exit after the event loop has painted the login screen once
        window.screen_shown.connect(
            lambda name: QTimer.singleShot(0, lambda: app.exit(0)) if name == "login" else None
        )
    if screenshots:
        from koffer.kiosk.screenshots import DemoTour

        tour = DemoTour(kiosk, window, Path(screenshots))
        tour.finished.connect(app.exit)
        window.resize(*size)
        window.show()
        tour.start()
    elif getattr(args, "windowed", False) or getattr(args, "offscreen", False):
        window.resize(*size)
        window.show()
    else:
        window.showFullScreen()
    kiosk.start()
    QTimer.singleShot(0, lambda: kiosk.go("login"))
    try:
        code = app.exec()
    finally:
        window.close()
        if embedded is not None:
            embedded.stop()
    return int(code)
