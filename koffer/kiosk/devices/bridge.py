"""Device calls from the GUI: run on the device's worker, answer through signals.

:class:`QtDevices` is the one object screens use for devices. ``call(kind,
fn, …, on_success, on_error)`` submits ``fn`` to the device's own
:class:`~koffer.devices.worker.DeviceWorker`; the future's completion (on
the device thread) emits a queued signal, so the callbacks run on the GUI
thread. :class:`PenPump` streams pen samples as a chain of short reads, so
other calls to the pad (clear, show) interleave with the stream.

Hot-plug and failures reach the status bar: the hub's listener emits a
queued signal that calls the status model's thread-safe ``notify``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import sys
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from koffer.devices.interfaces import DeviceKind, PenSample, SignaturePad
from koffer.errors import DeviceError, DeviceNotFound
from koffer.kiosk.devices.hub import DeviceHub

log = logging.getLogger(__name__)

T = TypeVar("T")

OBJECT_NAME = "koffer_devices"

#: GIL switch interval while devices run: a device or encoding thread that is
#: busy in Python hands the GIL back to the GUI thread within 1 ms (default 5 ms,
#: which, repeated for every Qt call that releases the GIL, stalls painting)
SWITCH_INTERVAL = 0.001


def _unavailable() -> DeviceNotFound:
    return DeviceNotFound(
        "Es sind keine Geräte eingerichtet. Bitte wenden Sie sich an die Technik.",
        message_en="No devices are configured.",
    )


class QtDevices(QObject):
    """The GUI side of the :class:`DeviceHub` (lives on the GUI thread)."""

    _finished = Signal(int, int, object)
    #: something about the devices changed (hot-plug, a failure): re-probe
    changed = Signal()

    def __init__(self, hub: DeviceHub | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.hub = hub
        self._ids = itertools.count(1)
        self._pending: dict[
            int, tuple[DeviceKind, Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._finished.connect(self._deliver)
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        if hub is not None:
            hub.add_listener(self.changed.emit)  # any thread -> queued to the GUI

    @classmethod
    def of(cls, kiosk: QObject) -> QtDevices:
        """The bridge of ``kiosk`` (created on first use, a child of it).

        ``kiosk.context.devices`` is the hub when the kiosk runs with real or
        simulated devices; with any other status source there are no devices.
        """
        found = kiosk.findChild(QtDevices, OBJECT_NAME)
        if isinstance(found, QtDevices):
            return found
        context = getattr(kiosk, "context", None)
        source = getattr(context, "devices", None)
        bridge = cls(source if isinstance(source, DeviceHub) else None, kiosk)
        status = getattr(kiosk, "devices", None)
        notify = getattr(status, "notify", None)
        if callable(notify):
            bridge.changed.connect(notify)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(bridge.close)
        return bridge

    @property
    def available(self) -> bool:
        return self.hub is not None

    def has(self, kind: DeviceKind) -> bool:
        return self.hub is not None and self.hub.has(kind)

    def call(
        self,
        kind: DeviceKind,
        fn: Callable[..., T],
        *args: Any,
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> int:
        """Run ``fn(*args)`` on the worker of ``kind``; callbacks on the GUI thread."""
        job_id = next(self._ids)
        self._pending[job_id] = (kind, on_success, on_error)
        try:
            if self.hub is None:
                raise _unavailable()
            future = self.hub.submit(kind, fn, *args)
        except BaseException as exc:
            self._finished.emit(job_id, 0, exc)
            return job_id
        future.add_done_callback(functools.partial(self._done, job_id))
        return job_id

    def with_device(
        self,
        kind: DeviceKind,
        fn: Callable[[Any], T],
        *,
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> int:
        """Run ``fn(device)`` on the worker of ``kind`` (see :meth:`call`)."""
        hub = self.hub

        def job() -> T:
            if hub is None:
                raise _unavailable()
            return fn(hub.device(kind))

        return self.call(kind, job, on_success=on_success, on_error=on_error)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _done(self, job_id: int, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is None:
            self._finished.emit(job_id, 1, future.result())
        else:
            self._finished.emit(job_id, 0, exc)

    @Slot(int, int, object)
    def _deliver(self, job_id: int, ok: int, value: object) -> None:
        entry = self._pending.pop(job_id, None)
        if entry is None:
            return
        kind, on_success, on_error = entry
        if self.hub is not None:
            self.hub.report(
                kind, None if ok else value if isinstance(value, BaseException) else None
            )
        if ok:
            on_success(value)
        else:
            on_error(value if isinstance(value, BaseException) else RuntimeError(str(value)))

    def forget(self, job_id: int) -> None:
        """Drop the callbacks of ``job_id`` (the screen went away)."""
        self._pending.pop(job_id, None)

    def close(self) -> None:
        hub = self.hub
        if hub is not None:
            hub.remove_listener(self.changed.emit)
            hub.close()


class PenPump(QObject):
    """Streams pen samples of the signature pad while running.

    Each read is a short job on the pad's worker (``read_samples(poll)``);
    the next one is queued from the device thread as soon as one ends, so
    there is no gap and other pad calls take turns with the reads.
    ``samples`` arrives on the GUI thread; ``failed`` once, then it stops.
    """

    samples = Signal(object)
    failed = Signal(object)
    _batch = Signal(object)
    _error = Signal(object)

    def __init__(
        self, devices: QtDevices, poll: float = 0.02, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._devices = devices
        self._poll = poll
        self._running = False
        self._generation = 0
        self._batch.connect(self._deliver)
        self._error.connect(self._fail)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._generation += 1
        self._next(self._generation)

    def stop(self) -> None:
        self._running = False
        self._generation += 1

    def _next(self, generation: int) -> None:
        hub = self._devices.hub
        if hub is None:
            self._error.emit(_unavailable())
            return
        if not self._running or generation != self._generation:
            return
        try:
            pad = hub.device(DeviceKind.SIGNATURE_PAD)
            if not isinstance(pad, SignaturePad):
                raise _unavailable()
            future = hub.submit(DeviceKind.SIGNATURE_PAD, pad.read_samples, self._poll)
        except BaseException as exc:
            self._error.emit(exc)
            return
        future.add_done_callback(lambda f: self._read(f, generation))

    def _read(self, future: Future[list[PenSample]], generation: int) -> None:
        # device thread
        if generation != self._generation:
            return
        exc = future.exception()
        if exc is not None:
            self._error.emit(exc)
            return
        batch = future.result()
        if batch:
            self._batch.emit(batch)
        self._next(generation)

    @Slot(object)
    def _deliver(self, batch: list[PenSample]) -> None:
        if self._running:
            self.samples.emit(batch)

    @Slot(object)
    def _fail(self, exc: object) -> None:
        if not self._running:
            return
        self._running = False
        hub = self._devices.hub
        if hub is not None and isinstance(exc, BaseException):
            hub.report(DeviceKind.SIGNATURE_PAD, exc)
        if isinstance(exc, DeviceError | BaseException):
            self.failed.emit(exc)
