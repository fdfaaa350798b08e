"""``koffer kiosk`` and ``koffer demo``: build the context, the window, run Qt.

Heavy modules (the store, crypto, device drivers) are imported lazily so the
login screen appears fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from koffer.config import Config, load_config
from koffer.kiosk.context import KioskContext
from koffer.kiosk.demo import DEMO_ACCOUNT, DEMO_PASSPHRASE, notices
from koffer.kiosk.demo.scratch import SCRATCH_FLAG, scratch_data_dir
from koffer.kiosk.settings import KioskSettings
from koffer.paths import resolve_data_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def _config(args: argparse.Namespace) -> Config:
    value = getattr(args, "config", None)
    return load_config(Path(value) if value else None)


def _data_dir(args: argparse.Namespace) -> Path:
    if args.mode == "demo" and not getattr(args, "data_dir", None):
        raise ValueError("the demo's data directory comes from scratch_data_dir()")
    return resolve_data_dir(getattr(args, "data_dir", None))


def build_context(args: argparse.Namespace) -> KioskContext:
    """The context for ``args`` (no Qt objects are created here)."""
    from koffer.cases.settings import RuleSettings
    from koffer.casework.case_store import StoreGateway
    from koffer.kiosk.devices.hub import hub_from_config

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
        rules=RuleSettings.from_config(config),
    )


def run(args: argparse.Namespace) -> int:
    """Run the kiosk until it is closed; returns the exit code.

    ``koffer demo`` without ``--data-dir`` runs in a scratch directory that is
    removed afterwards (:mod:`koffer.kiosk.demo.scratch`), also on Ctrl-C.
    """
    stop = _StopRequest()
    stop.install()
    try:
        with scratch_data_dir(args) as effective:
            return _run(effective, stop)
    finally:
        stop.uninstall()


class _StopRequest:
    """SIGINT (Ctrl-C) and SIGTERM end the kiosk like closing the window.

    A signal never raises in the middle of something: interrupting an import
    of PySide6 crashes the interpreter (and then nothing is cleaned up). The
    handler only records the request; during start-up :meth:`check` turns it
    into ``KeyboardInterrupt`` between steps, and once the event loop exists
    it ends the loop (queued, so a request before ``app.exec()`` counts too).
    Python runs handlers only between bytecodes, so while Qt waits a timer
    lets the interpreter in regularly.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}
        self._app: QApplication | None = None
        self._timer: QTimer | None = None

    def install(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)

    def uninstall(self) -> None:
        for sig, old in self._previous.items():
            signal.signal(sig, old)
        self._previous.clear()

    def _handle(self, signum: int, _frame: object) -> None:
        self.signum = signum
        if self._app is not None:
            self._post_exit(self._app, signum)

    @staticmethod
    def _post_exit(app: QApplication, signum: int) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: app.exit(128 + signum))

    def check(self) -> None:
        """Between start-up steps: stop now if a signal came."""
        if self.signum is not None:
            raise KeyboardInterrupt

    def attach(self, app: QApplication) -> None:
        from PySide6.QtCore import QTimer

        self._app = app
        self._timer = QTimer()
        self._timer.timeout.connect(lambda: None)
        self._timer.start(200)
        if self.signum is not None:
            self._post_exit(app, self.signum)

    def detach(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._app = self._timer = None


def _run(args: argparse.Namespace, stop: _StopRequest) -> int:
    if getattr(args, "offscreen", False):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    context = build_context(args)
    stop.check()
    embedded = None
    try:
        if context.mode == "demo":
            # the reference back end on loopback, the demo suitcase enrolled with it
            from koffer.kiosk.demo.embedded_backend import start_for_demo
            from koffer.store import StoreSettings

            embedded = start_for_demo(
                context.data_dir, DEMO_ACCOUNT, DEMO_PASSPHRASE, StoreSettings.insecure_fast()
            )
            context.connectivity = embedded.reachable
            stop.check()
        return _run_qt(args, context, stop)
    finally:
        if embedded is not None:
            embedded.stop()


def _run_qt(args: argparse.Namespace, context: KioskContext, stop: _StopRequest) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not isinstance(app, QApplication):  # pragma: no cover - a QCoreApplication exists
        raise RuntimeError("a non-GUI Qt application is already running")
    app.setApplicationName("Bürgerservice-Koffer")
    stop.attach(app)
    try:
        return _run_window(args, context, app)
    finally:
        stop.detach()


def _run_window(args: argparse.Namespace, context: KioskContext, app: QApplication) -> int:
    from PySide6.QtCore import QTimer

    from koffer.kiosk.controller import KioskController
    from koffer.kiosk.window import MainWindow

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
    if context.mode == "demo":
        scratch = bool(getattr(args, SCRATCH_FLAG, False))
        announced: list[bool] = []

        def announce(name: str) -> None:
            if name == "login" and not announced:
                announced.append(True)
                running = notices.running(
                    scratch, _cli_language(args), screenshots=bool(screenshots)
                )
                print(running, file=sys.stderr, flush=True)
                hint = notices.watch_hint(
                    bool(getattr(args, "offscreen", False)),
                    os.environ,
                    _cli_language(args),
                    screenshots=bool(screenshots),
                )
                if hint is not None:
                    print(hint, file=sys.stderr, flush=True)

        window.screen_shown.connect(announce)
    if getattr(args, "quit_when_ready", False):
        # exit after the event loop has painted the login screen once
        window.screen_shown.connect(
            lambda name: QTimer.singleShot(0, lambda: app.exit(0)) if name == "login" else None
        )
    tour = None
    if screenshots:
        from koffer.kiosk.demo.tour import DemoTour

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
    if tour is not None:
        saved = notices.screenshots_saved(tour.out_dir, len(tour.saved), _cli_language(args))
        print(saved, flush=True)
    return int(code)


def _cli_language(args: argparse.Namespace) -> str:
    """The language of the command line (``--lang``) for what the demo prints."""
    return "en" if getattr(args, "lang", "de") == "en" else "de"
