"""The real demo kiosk, steerable over stdin, for the AT-SPI and xdotool tests.

Run by the project's interpreter on an X display (``QT_QPA_PLATFORM=xcb``)::

    python tests/gui/atspi_kiosk.py --data-dir DIR tour SHOTS   # the screenshot tour
    python tests/gui/atspi_kiosk.py --data-dir DIR walk         # fullscreen, idle

``tour`` runs the demo's screenshot tour but stops on every screen it names:
it prints ``STEP <name>`` and waits for a ``continue`` line, so another
process can read the accessible tree while the Qt event loop keeps running
(stdin is watched by a :class:`QSocketNotifier`, nothing blocks). At the end
it prints ``DONE <exit code>``.

``walk`` shows the fullscreen demo and answers commands a clicking test
cannot give through the screen: ``sign`` writes the scripted signature on
the simulated pad (as the tour does) and prints ``SIGNED``; ``fit`` prints
``FIT <fullscreen|normal> <W>x<H>`` (the window state and its minimum size).

Every protocol line starts with ``KOFFER-TEST``; stdin closing ends the kiosk.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

PREFIX = "KOFFER-TEST"


def say(text: str) -> None:
    print(f"{PREFIX} {text}", flush=True)


class Commands:
    """Lines read from stdin without blocking the event loop."""

    def __init__(self, app: QApplication, handle: Callable[[str], None]) -> None:
        self._app = app
        self._handle = handle
        self._buffer = b""
        self._notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        chunk = os.read(sys.stdin.fileno(), 4096)
        if not chunk:  # the test went away: end the kiosk
            self._notifier.setEnabled(False)
            self._app.exit(3)
            return
        self._buffer += chunk
        while b"\n" in self._buffer:
            line, _, self._buffer = self._buffer.partition(b"\n")
            self._handle(line.decode().strip())


def _pausing_tour() -> type:
    from koffer.kiosk.demo import tour

    base: Any = tour.DemoTour

    class PausingTour(base):  # type: ignore[misc]
        """The demo tour, waiting for ``continue`` on every named screen."""

        _steps: list[tuple[str, Callable[[], None], Callable[[], bool]]]
        _ticks: int

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.waiting = ""
            self.released = ""
            self._steps = [
                (name, act, self._pausing(name, ready) if name else ready)
                for name, act, ready in self._steps
            ]

        def _pausing(self, name: str, ready: Callable[[], bool]) -> Callable[[], bool]:
            def check() -> bool:
                if not ready() or self.kiosk.tasks.pending:
                    return False
                if self.waiting != name:
                    self.waiting = name
                    say(f"STEP {name}")
                self._ticks = 0  # the reader's time does not count against the step
                return self.released == name

            return check

        def proceed(self) -> None:
            self.released = self.waiting

    return PausingTour


def sign(window: Any, timeout_s: float = 20) -> None:
    """Once the signature screen holds the pad, write the scripted signature on it;
    print ``SIGNED`` when the ink view shows it (as the tour waits), polled by a timer."""
    from PySide6.QtCore import QDeadlineTimer, QTimer

    from koffer.kiosk.demo.scripted_ausweis import INK_SAMPLES, pad_simulator, signature_strokes

    screen = window.navigator.page("ausweis_signature")
    deadline = QDeadlineTimer(int(timeout_s * 1000))
    timer = QTimer(window)
    timer.setInterval(50)
    signed: list[bool] = []

    def poll() -> None:
        if deadline.hasExpired():
            timer.stop()
            say("SIGN-TIMEOUT")
        elif not signed and screen.pad is not None:
            pad_simulator(window.kiosk).sign(signature_strokes())
            signed.append(True)
        elif signed and screen.ink.touching_samples >= INK_SAMPLES:
            timer.stop()
            say("SIGNED")

    timer.timeout.connect(poll)
    timer.start()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--language", choices=("de", "en"), default="de")
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("tour").add_argument("shots")
    sub.add_parser("walk")
    args = parser.parse_args()

    from koffer.commands.cli import main as koffer_main

    app = QApplication(sys.argv[:1])
    argv = ["demo", "--data-dir", args.data_dir, "--language", args.language]
    if args.mode == "tour":
        from koffer.kiosk.demo import tour

        pausing = _pausing_tour()
        tours: list[Any] = []

        class Recorded(pausing):  # type: ignore[misc, valid-type]
            def __init__(self, *a: Any, **kw: Any) -> None:
                super().__init__(*a, **kw)
                tours.append(self)
                self.finished.connect(lambda code: say(f"DONE {code}"))

        tour.DemoTour = Recorded  # type: ignore[misc]

        def handle(line: str) -> None:
            if line == "continue" and tours:
                tours[0].proceed()

        commands = Commands(app, handle)
        argv += ["--windowed", "--screenshots", args.shots]
    else:

        def handle(line: str) -> None:
            from koffer.kiosk.window import MainWindow

            window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
            if line == "sign":
                sign(window)
            elif line == "fit":
                hint = window.minimumSizeHint().expandedTo(window.minimumSize())
                state = "fullscreen" if window.isFullScreen() else "normal"
                say(f"FIT {state} {hint.width()}x{hint.height()}")
            elif line == "quit":
                app.exit(0)

        commands = Commands(app, handle)
    code = koffer_main(argv)
    del commands
    return code


if __name__ == "__main__":
    sys.exit(main())
