"""Notice devices coming and going.

:class:`UdevMonitor` listens to kernel uevents through pyudev (subsystems
``usb``, ``tty``, ``hidraw``, ``video4linux``) on its own thread.
:class:`PollingMonitor` is the fallback where udev events never arrive
(containers, CI, missing permissions): about once a second it takes a
snapshot (USB devices through ``usb.core.find``, serial ports through
``serial.tools.list_ports``, ``/dev/video*``) and reports differences.

Both call plain Python callbacks with a :class:`HotplugEvent`, from their own
thread; the kiosk adapts them to Qt signals. Nothing here imports Qt.
:func:`start_monitor` picks udev when it works and the poller otherwise.
"""

from __future__ import annotations

import glob
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

log = logging.getLogger(__name__)

SUBSYSTEMS = ("usb", "tty", "hidraw", "video4linux")

Action = Literal["add", "remove"]


@dataclass(frozen=True)
class HotplugEvent:
    action: Action
    subsystem: str
    #: a stable key: "usb:VVVV:PPPP@bus.address", a port path, a /dev node
    key: str


Callback = Callable[[HotplugEvent], None]
Snapshot = Callable[[], Iterable[tuple[str, str]]]


class Monitor(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


# --------------------------------------------------------------- snapshots


def usb_snapshot() -> list[tuple[str, str]]:
    """(subsystem, key) of every USB device pyusb can see (empty without libusb)."""
    try:
        import usb.core

        devices = usb.core.find(find_all=True) or []
        return [
            ("usb", f"usb:{d.idVendor:04x}:{d.idProduct:04x}@{d.bus}.{d.address}") for d in devices
        ]
    except Exception:  # no backend (libusb) or no permission: nothing to see
        return []


def serial_snapshot() -> list[tuple[str, str]]:
    try:
        from serial.tools import list_ports

        return [("tty", port.device) for port in list_ports.comports()]
    except Exception:
        return []


def video_snapshot(pattern: str = "/dev/video*") -> list[tuple[str, str]]:
    return [("video4linux", path) for path in sorted(glob.glob(pattern))]


def default_snapshot() -> list[tuple[str, str]]:
    return usb_snapshot() + serial_snapshot() + video_snapshot()


def diff(before: set[tuple[str, str]], after: set[tuple[str, str]]) -> list[HotplugEvent]:
    """Events turning ``before`` into ``after`` (removals first, sorted)."""
    events = [HotplugEvent("remove", s, k) for s, k in sorted(before - after)]
    events += [HotplugEvent("add", s, k) for s, k in sorted(after - before)]
    return events


# ----------------------------------------------------------------- monitors


class PollingMonitor:
    """Calls ``callback`` for every difference between two snapshots."""

    def __init__(
        self,
        callback: Callback,
        *,
        interval: float = 1.0,
        snapshot: Snapshot = default_snapshot,
    ) -> None:
        self._callback = callback
        self._interval = interval
        self._snapshot = snapshot
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._known: set[tuple[str, str]] = set()

    def poll_once(self) -> list[HotplugEvent]:
        """Take a snapshot now and report the differences."""
        try:
            current = set(self._snapshot())
        except Exception:
            log.warning("device snapshot failed", exc_info=True)
            return []
        events = diff(self._known, current)
        self._known = current
        for event in events:
            try:
                self._callback(event)
            except Exception:
                log.warning("hot-plug callback failed", exc_info=True)
        return events

    def start(self) -> None:
        if self._thread is not None:
            return
        self._known = set(self._snapshot())  # devices present at start are not news
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="hotplug-poll", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.poll_once()


class UdevMonitor:
    """pyudev netlink monitor; :meth:`start` raises ``OSError`` where udev is unusable."""

    def __init__(self, callback: Callback) -> None:
        self._callback = callback
        self._observer: object | None = None

    def start(self) -> None:
        import pyudev

        context = pyudev.Context()
        monitor = pyudev.Monitor.from_netlink(context)
        for subsystem in SUBSYSTEMS:
            monitor.filter_by(subsystem=subsystem)

        def handle(action: str, device: pyudev.Device) -> None:
            if action not in ("add", "remove"):
                return
            key = device.device_node or device.sys_path
            self._callback(HotplugEvent(action, device.subsystem or "", key))  # type: ignore[arg-type]

        observer = pyudev.MonitorObserver(monitor, handle, name="hotplug-udev")
        observer.daemon = True
        observer.start()
        self._observer = observer

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]


def start_monitor(
    callback: Callback, *, prefer_udev: bool = True, interval: float = 1.0
) -> Monitor:
    """A running monitor: udev if possible, else the polling fallback.

    In a container the netlink socket may open but never deliver events, so
    udev is only tried where a udev daemon runs (``/run/udev/control``).
    """
    if prefer_udev and udev_available():
        udev = UdevMonitor(callback)
        try:
            udev.start()
        except Exception as exc:
            log.warning("udev hot-plug unavailable (%s); polling every %.1f s", exc, interval)
        else:
            return udev
    poller = PollingMonitor(callback, interval=interval)
    poller.start()
    return poller


def udev_available(control: str = "/run/udev/control") -> bool:
    """True where a udev daemon runs (it creates ``/run/udev/control``)."""
    return os.path.exists(control)
