"""One I/O worker thread per open device.

USB and serial libraries are not thread-safe, so every call into a device
runs on that device's own thread. :class:`DeviceWorker` is a single-thread
executor: :meth:`DeviceWorker.submit` returns a
:class:`concurrent.futures.Future`; the kiosk turns its completion into a Qt
signal. Drivers and pipelines may call :meth:`assert_in_device_thread` to
catch calls from the wrong thread early. :meth:`DeviceWorker.shutdown` closes
the device in its own thread and then stops the thread.

Example::

    with DeviceWorker(scanner) as worker:     # opens the device in its thread
        future = worker.submit(scanner.capture, prompt)
        image = future.result()
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from koffer.devices.interfaces import Device
from koffer.errors import DeviceError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


class WorkerStopped(DeviceError):
    def __init__(self) -> None:
        super().__init__(
            "Das Gerät wurde bereits geschlossen. Bitte starten Sie den Vorgang neu.",
            message_en="The device has already been closed. Start the operation again.",
        )


class DeviceWorker:
    """A dedicated thread that serialises all access to one :class:`Device`."""

    def __init__(self, device: Device, *, name: str | None = None) -> None:
        self.device = device
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._stopping = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, name=name or f"device-{device.kind.value}", daemon=True
        )
        self._thread.start()

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def submit(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Future[R]:
        """Run ``fn(*args, **kwargs)`` on the device thread."""
        future: Future[R] = Future()
        with self._lock:
            if self._stopping:
                raise WorkerStopped()
            self._jobs.put((future, fn, args, kwargs))
        return future

    def open(self) -> Future[None]:
        """Open the device on its thread."""
        return self.submit(self.device.open)

    def in_device_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def assert_in_device_thread(self) -> None:
        """Raise ``RuntimeError`` when called from any other thread."""
        if not self.in_device_thread():
            raise RuntimeError(
                f"device call from thread {threading.current_thread().name!r}, "
                f"expected {self._thread.name!r}"
            )

    def shutdown(self, *, timeout: float | None = 10.0) -> None:
        """Close the device in its thread, finish queued jobs, stop the thread.

        Jobs submitted after this are refused with :class:`WorkerStopped`.
        """
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            self._jobs.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def __enter__(self) -> DeviceWorker:
        self.open().result()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                break
            future, fn, args, kwargs = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # delivered to the caller through the future
                future.set_exception(exc)
            else:
                future.set_result(result)
        try:
            self.device.close()
        except Exception:
            log.warning("closing %s failed", self.device.kind, exc_info=True)
