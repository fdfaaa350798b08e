"""A private X display with its own session bus and AT-SPI, the real kiosk on it,
and its accessible tree read by ``atspi_dump.py`` under Debian's Python.

Every process started here is ended when the context manager exits, also on
failure: Xvfb, the session bus, the AT-SPI bus launcher (with the
accessibility bus and registry it starts, in its process group) and the kiosk.
"""

from __future__ import annotations

import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
PREFIX = "KOFFER-TEST "


def require_desktop_tools(*extra: str) -> None:
    """Skip unless Xvfb, dbus, AT-SPI and Debian's python3-gi are installed."""
    missing = [tool for tool in ("Xvfb", "dbus-daemon", *extra) if shutil.which(tool) is None]
    if not Path(BUS_LAUNCHER).exists():
        missing.append(BUS_LAUNCHER)
    probe = (
        subprocess.run(
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Atspi', '2.0')"],
            capture_output=True,
            check=False,
        )
        if Path(SYSTEM_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        missing.append("python3-gi with gir1.2-atspi-2.0")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (scripts/debian-packages.txt)")


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)  # polling interval, not synchronisation


def _stop(process: subprocess.Popen[Any], group: bool = False) -> None:
    if process.poll() is None:
        try:
            if group:
                os.killpg(process.pid, signal.SIGTERM)
            else:
                process.terminate()
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait(timeout=10)
    elif group:  # the leader is gone; its bus and registry may still run
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class Desktop:
    """An X display with a session bus and the AT-SPI bus: ``env`` reaches all three."""

    env: dict[str, str]
    width: int
    height: int


@contextmanager
def desktop(tmp: Path, width: int, height: int) -> Iterator[Desktop]:
    """Xvfb at ``width``×``height``, a private session bus and the AT-SPI bus launcher."""
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBUS_", "AT_SPI", "WAYLAND", "QT_QPA", "XDG_RUNTIME"))
        and key not in ("DISPLAY", "XAUTHORITY")
    }
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env["HOME"] = str(tmp / "home")  # nothing of the person running the tests is read
    (tmp / "home").mkdir(exist_ok=True)
    with ExitStack() as stack:
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=stack.enter_context((tmp / "xvfb.log").open("wb")),
        )
        os.close(write_fd)
        stack.callback(_stop, xvfb)
        try:
            display = b""
            deadline = time.monotonic() + 30
            while not display.endswith(b"\n"):
                ready, _, _ = select.select(
                    [read_fd], [], [], max(0.0, deadline - time.monotonic())
                )
                chunk = os.read(read_fd, 64) if ready else b""
                if not chunk:
                    raise AssertionError("Xvfb did not report its display")
                display += chunk
        finally:
            os.close(read_fd)
        env["DISPLAY"] = f":{int(display)}"
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=stack.enter_context((tmp / "dbus.log").open("wb")),
            env=env,
        )
        stack.callback(_stop, bus)
        assert bus.stdout is not None
        stack.enter_context(bus.stdout)
        address = bus.stdout.readline().decode().strip()
        assert address, "the session bus did not start"
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        launcher = subprocess.Popen(
            [BUS_LAUNCHER, "--launch-immediately"],
            stdout=subprocess.DEVNULL,
            stderr=stack.enter_context((tmp / "at-spi.log").open("wb")),
            env=env,
            start_new_session=True,  # its bus and registry stay in its process group
        )
        stack.callback(_stop, launcher, True)

        def a11y_bus_up() -> bool:
            probe = subprocess.run(
                [SYSTEM_PYTHON, str(HERE / "atspi_dump.py"), "--probe"],
                env=env,
                capture_output=True,
                timeout=30,
                check=False,
            )
            return probe.returncode == 0

        wait_until(a11y_bus_up, 30, "the AT-SPI bus and registry")
        yield Desktop(env, width, height)


@dataclass
class Kiosk:
    """The running ``atspi_kiosk.py``: its protocol lines and its accessible tree."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    reader: subprocess.Popen[str] | None = None
    trees: queue.Queue[str] = field(default_factory=queue.Queue)

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())
        self.process.stdin.flush()

    def expect(self, start: str, timeout: float = 30) -> str:
        """The next protocol line; it must start with ``start``."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"the kiosk said nothing for {timeout} s (expected {start})"
            ) from None
        assert line.startswith(start), f"expected {start!r}, the kiosk said {line!r}"
        return line

    def tree(self) -> list[dict[str, Any]]:
        """The showing part of the accessible tree, read through AT-SPI by Debian's
        Python (one reader process that stays, so each read costs no start-up)."""
        if self.reader is None:
            self.reader = subprocess.Popen(
                [SYSTEM_PYTHON, str(HERE / "atspi_dump.py"), "--pid", str(self.pid), "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self.env,
                text=True,
            )
            assert self.reader.stdout is not None
            threading.Thread(
                target=_pump_all, args=(self.reader.stdout, self.trees), daemon=True
            ).start()
        assert self.reader.stdin is not None
        self.reader.stdin.write("\n")
        self.reader.stdin.flush()
        try:
            line = self.trees.get(timeout=60)
        except queue.Empty:
            raise AssertionError("the AT-SPI reader did not answer within 60 s") from None
        data = json.loads(line)
        return list(data["nodes"]) if data["found"] else []

    def close_reader(self) -> None:
        if self.reader is not None:
            assert self.reader.stdin is not None and self.reader.stdout is not None
            try:
                self.reader.stdin.close()  # the reader ends when its stdin closes
            except BrokenPipeError:
                pass
            try:
                self.reader.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _stop(self.reader)
            self.reader.stdout.close()
            self.reader = None


def _pump_all(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def _pump(stream: IO[bytes], lines: queue.Queue[str]) -> None:
    for raw in stream:
        line = raw.decode(errors="replace").rstrip("\n")
        if line.startswith(PREFIX):
            lines.put(line.removeprefix(PREFIX))


@contextmanager
def kiosk(session: Desktop, tmp: Path, *args: str) -> Iterator[Kiosk]:
    """Start ``atspi_kiosk.py ARGS`` on ``session`` (the xcb platform, accessibility on)."""
    env = {
        **session.env,
        "QT_QPA_PLATFORM": "xcb",
        "QT_ACCESSIBILITY": "1",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "PYTHONPATH": str(HERE.parent.parent),
    }
    data = tmp / "data"
    with (tmp / "kiosk.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "atspi_kiosk.py"), "--data-dir", str(data), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
        )
    running = Kiosk(process, session.env)
    assert process.stdin is not None and process.stdout is not None
    pump = threading.Thread(target=_pump, args=(process.stdout, running.lines), daemon=True)
    pump.start()
    try:
        yield running
    finally:
        running.close_reader()
        try:
            process.stdin.close()  # the kiosk ends itself when stdin closes
        except BrokenPipeError:
            pass
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _stop(process)
        pump.join(timeout=10)
        process.stdout.close()


def kiosk_log(tmp: Path) -> str:
    path = tmp / "kiosk.log"
    if not path.exists():
        return ""
    noise = 'does not implement "GetApplicationBusAddress"'
    lines = [line for line in path.read_text(errors="replace").splitlines() if noise not in line]
    return "\n".join(lines)[-3000:]


def _viewport(nodes: list[dict[str, Any]], index: int, area: str) -> dict[str, Any] | None:
    """The innermost ancestor of ``nodes[index]`` named ``area`` (the list is in tree order)."""
    depth = nodes[index]["depth"]
    for position in range(index - 1, -1, -1):
        node = nodes[position]
        if node["depth"] < depth:
            if node["name"] == area:
                return node
            depth = node["depth"]
    return None


def _clipped(nodes: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """``nodes[index]`` with its extents cut to its list's: Qt reports an entry of a
    choice box's list as wide as its text, beyond the list."""
    node = nodes[index]
    if node["role"] not in ("list item", "table cell"):
        return node
    for position in range(index - 1, -1, -1):
        parent = nodes[position]
        if parent["depth"] < node["depth"]:
            left = max(node["x"], parent["x"])
            top = max(node["y"], parent["y"])
            right = min(node["x"] + node["width"], parent["x"] + parent["width"])
            bottom = min(node["y"] + node["height"], parent["y"] + parent["height"])
            return {**node, "x": left, "y": top, "width": right - left, "height": bottom - top}
    return node


class Walker:
    """Drives the kiosk like a person at the screen: ``xdotool`` clicks and typing
    on controls found by their accessible name and extents (read through AT-SPI)."""

    def __init__(self, app: Kiosk, session: Desktop) -> None:
        self.app = app
        self.session = session

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env=self.session.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return result.stdout

    def window(self) -> str:
        """The kiosk's X window (the one top-level window of its process)."""
        found = wait_until(
            lambda: self.xdotool("search", "--onlyvisible", "--pid", str(self.app.pid)).split(),
            30,
            "the kiosk's window",
        )
        return str(found[0])

    def control(self, name: str, role: str | None = None, timeout: float = 20) -> dict[str, Any]:
        """The showing, enabled, focusable control named (or labelled) ``name``, once there.

        Its ``viewport`` is the scrolled page area it lies in (``None``: in none).
        """

        def find() -> dict[str, Any] | None:
            nodes = self.app.tree()
            for index, node in enumerate(nodes):
                if (
                    node["showing"]
                    and node["enabled"]
                    and node["focusable"]
                    and (node["name"] == name or name in node["labels"])
                    and (role is None or node["role"] == role)
                ):
                    seen = _clipped(nodes, index)
                    if seen["width"] > 0 and seen["height"] > 0:
                        return {**seen, "viewport": _viewport(nodes, index, self.page_area)}
            return None

        return dict(wait_until(find, timeout, f"the control {name!r} ({role or 'any role'})"))

    def shows(self, name: str, timeout: float = 20) -> dict[str, Any]:
        """Wait until some showing element (a label too) is named ``name``."""
        return dict(
            wait_until(
                lambda: next(
                    (n for n in self.app.tree() if n["showing"] and n["name"] == name), None
                ),
                timeout,
                f"{name!r} on the screen",
            )
        )

    def step(self, title: str, timeout: float = 20) -> None:
        """Wait for the wizard heading "Schritt N von M: ``title``"."""
        pattern = re.compile(rf"Schritt \d+ von \d+: {re.escape(title)}")
        wait_until(
            lambda: any(n["showing"] and pattern.fullmatch(n["name"]) for n in self.app.tree()),
            timeout,
            f"the step {title!r}",
        )

    def reveal(self, name: str, role: str | None = None, timeout: float = 20) -> dict[str, Any]:
        """The control, scrolled into its page's view with the mouse wheel if needed."""
        node = self.control(name, role, timeout)
        deadline = time.monotonic() + timeout
        while True:
            view = node["viewport"]
            if view is None or (
                node["y"] >= view["y"] and node["y"] + node["height"] <= view["y"] + view["height"]
            ):
                return node
            assert time.monotonic() < deadline, f"could not scroll {name!r} into view"
            button = "5" if node["y"] > view["y"] else "4"  # wheel down / up
            x, y = view["x"] + view["width"] // 2, view["y"] + view["height"] // 2
            self.xdotool("mousemove", str(x), str(y), "click", button)
            node = self.control(name, role, timeout)

    #: the accessible name of a scrolled page area (koffer.kiosk.accessibility)
    page_area = "Inhalt der Seite"

    def click(self, name: str, role: str | None = None, timeout: float = 20) -> dict[str, Any]:
        node = self.reveal(name, role, timeout)
        x = node["x"] + node["width"] // 2
        y = node["y"] + node["height"] // 2
        inside = (
            node["x"] >= 0
            and node["y"] >= 0
            and node["x"] + node["width"] <= self.session.width
            and node["y"] + node["height"] <= self.session.height
        )
        assert inside, f"{name!r} lies outside the screen: {node}"
        # one xdotool call: the server takes the motion, then the click, in order
        # (no --sync: it waits for a motion that never comes when the pointer is there)
        self.xdotool("mousemove", str(x), str(y), "click", "1")
        return node

    def type(self, name: str, text: str, role: str | None = None) -> None:
        """Click into the field named ``name`` and type ``text``."""
        self.click(name, role)
        self.xdotool("type", "--delay", "2", text)
