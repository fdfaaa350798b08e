"""The device hub: one I/O worker per configured device, status, hot-plug.

Nothing here imports Qt, so :func:`koffer.kiosk.main.build_context` can build
it before the application exists. The hub is a
:class:`~koffer.kiosk.device_status.DeviceStatusSource`: its :meth:`probe`
(called off the GUI thread by the status model) starts it on first use,
tries to (re)open devices that are missing and checks the open ones through
their own worker. Hot-plug events (udev or the polling fallback, on their
own thread) and failures reported by the screens reach every listener added
with :meth:`add_listener`; the Qt bridge turns that into a queued signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import ParamSpec, TypeVar

from koffer.config import Config
from koffer.devices.config import DeviceSettings, open_device
from koffer.devices.hotplug import HotplugEvent, Monitor, start_monitor
from koffer.devices.interfaces import Device, DeviceKind
from koffer.devices.worker import DeviceWorker
from koffer.errors import DeviceDisconnected, DeviceError, DeviceNotFound, KofferError
from koffer.kiosk.device_status import DeviceState

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

Listener = Callable[[], None]
MonitorFactory = Callable[[Callable[[HotplugEvent], None]], Monitor]


def state_for(exc: BaseException) -> DeviceState:
    """The status a failed device call leaves the device in."""
    if isinstance(exc, DeviceNotFound | DeviceDisconnected):
        return DeviceState.MISSING
    return DeviceState.ERROR


def _no_device(kind: DeviceKind) -> DeviceNotFound:
    return DeviceNotFound(
        "Dieses Gerät ist nicht eingerichtet. Bitte wenden Sie sich an die Technik.",
        message_en=f"No {kind.value} device is configured.",
    )


class DeviceHub:
    """The configured devices of this suitcase, each behind its own worker.

    ``probe_wait`` bounds how long a probe waits for a busy worker (a device
    in the middle of a capture keeps its last state).
    """

    def __init__(
        self,
        settings: DeviceSettings,
        *,
        monitor: MonitorFactory | None = start_monitor,
        probe_wait: float = 0.5,
    ) -> None:
        self.settings = settings
        self._monitor_factory = monitor
        self._monitor: Monitor | None = None
        self._probe_wait = probe_wait
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._devices: dict[DeviceKind, Device] = {}
        self._workers: dict[DeviceKind, DeviceWorker] = {}
        self._states: dict[DeviceKind, DeviceState] = {
            device.kind: DeviceState.UNKNOWN for device in settings.devices
        }
        self._build_errors: dict[DeviceKind, KofferError] = {}
        self._listeners: list[Listener] = []

    # -- life cycle ---------------------------------------------------------

    def start(self) -> None:
        """Build every device and its worker and begin opening them (non-blocking)."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
        for config in self.settings.devices:
            try:
                device = open_device(config.kind, self.settings)
            except KofferError as exc:
                log.warning("device %s cannot be built: %s", config.kind.value, exc.message_en)
                self._build_errors[config.kind] = exc
                self._states[config.kind] = DeviceState.ERROR
                continue
            self._devices[config.kind] = device
            worker = DeviceWorker(device, name=f"device-{config.kind.value}")
            self._workers[config.kind] = worker
            worker.submit(self._open_quietly, config.kind)
        if self._monitor_factory is not None:
            try:
                self._monitor = self._monitor_factory(self._hotplug)
            except Exception:
                log.warning("hot-plug monitor unavailable; polling only", exc_info=True)

    def close(self) -> None:
        """Stop hot-plug, close every device in its own thread, stop the workers."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.stop()
        for worker in self._workers.values():
            worker.shutdown(timeout=5.0)
        self._listeners.clear()

    def __enter__(self) -> DeviceHub:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- access -------------------------------------------------------------

    def kinds(self) -> Sequence[DeviceKind]:
        return [device.kind for device in self.settings.devices]

    def has(self, kind: DeviceKind) -> bool:
        return kind in self._states

    def device(self, kind: DeviceKind) -> Device:
        """The device object (call it only on its worker: :meth:`submit`)."""
        self.start()
        device = self._devices.get(kind)
        if device is None:
            raise self._build_errors.get(kind) or _no_device(kind)
        return device

    def worker(self, kind: DeviceKind) -> DeviceWorker:
        self.start()
        worker = self._workers.get(kind)
        if worker is None:
            raise self._build_errors.get(kind) or _no_device(kind)
        return worker

    def submit(
        self, kind: DeviceKind, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
    ) -> Future[R]:
        """Run ``fn`` on the worker of ``kind``; the device is opened first if needed."""
        worker = self.worker(kind)
        device = self._devices[kind]

        def job() -> R:
            if not device.is_open:
                self._open(kind)
            try:
                return fn(*args, **kwargs)
            except DeviceDisconnected:
                device.close()  # so that the next call reopens it
                raise

        return worker.submit(job)

    def state(self, kind: DeviceKind) -> DeviceState:
        return self._states.get(kind, DeviceState.UNKNOWN)

    def states(self) -> dict[DeviceKind, DeviceState]:
        return dict(self._states)

    # -- status -------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """``listener()`` runs (on any thread) whenever a re-probe is due."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def report(self, kind: DeviceKind, exc: BaseException | None) -> None:
        """A device call on ``kind`` succeeded (``None``) or failed with ``exc``."""
        if kind not in self._states:
            return
        new = DeviceState.OK if exc is None else state_for(exc)
        if exc is not None and not isinstance(exc, DeviceError):
            return  # a bug or a cancelled capture says nothing about the device
        self._set(kind, new)

    def probe(self) -> Mapping[DeviceKind, DeviceState]:
        """Check every device through its worker (blocking; not on the GUI thread)."""
        self.start()
        pending: dict[DeviceKind, Future[None]] = {}
        for kind, worker in self._workers.items():
            try:
                pending[kind] = worker.submit(self._check, kind)
            except DeviceError:
                self._set(kind, DeviceState.ERROR, notify=False)
        for kind, future in pending.items():
            try:
                future.result(timeout=self._probe_wait)
            except FutureTimeout:
                continue  # busy with a capture: keep the last state
            except BaseException as exc:
                self._set(kind, state_for(exc), notify=False)
            else:
                self._set(kind, DeviceState.OK, notify=False)
        return self.states()

    # -- internals (device threads) -------------------------------------------

    def _open(self, kind: DeviceKind) -> None:
        device = self._devices[kind]
        try:
            device.open()
        except BaseException as exc:
            self._set(kind, state_for(exc))
            raise
        self._set(kind, DeviceState.OK)

    def _open_quietly(self, kind: DeviceKind) -> None:
        try:
            self._open(kind)
        except Exception as exc:
            log.info("device %s not ready: %s", kind.value, type(exc).__name__)

    def _check(self, kind: DeviceKind) -> None:
        device = self._devices[kind]
        if not device.is_open:
            device.open()
        device.info()

    def _set(self, kind: DeviceKind, state: DeviceState, *, notify: bool = True) -> None:
        with self._lock:
            changed = self._states.get(kind) != state
            self._states[kind] = state
        if changed and notify:
            self._notify()

    def _hotplug(self, event: HotplugEvent) -> None:
        log.debug("hot-plug %s %s", event.action, event.subsystem)
        self._notify()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:
                log.warning("device listener failed", exc_info=True)


def hub_from_config(config: Config, *, simulate: bool) -> DeviceHub:
    """A hub for the ``[devices]`` of ``config`` (simulators with ``simulate``)."""
    return DeviceHub(DeviceSettings.from_config(config, simulate=simulate, validate=False))
