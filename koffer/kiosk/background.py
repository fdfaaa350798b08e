"""Running work off the GUI thread (the anki ``run_in_background`` shape).

An *op* is a plain callable that gets no widgets; it runs on a worker thread.
Its result (or exception) comes back on the GUI thread through a queued Qt
signal, where ``on_success`` or ``on_error`` is called.

Two kinds of lane exist:

- the general pool (any number of threads) for independent work;
- *serial lanes*: one thread each, so that operations on one resource run one
  at a time and in order (the encrypted store, one lane per device).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")

ErrorHandler = Callable[[BaseException], None]


class _Job(QRunnable):
    def __init__(self, job_id: int, op: Callable[[], Any], owner: Tasks) -> None:
        super().__init__()
        self._job_id = job_id
        self._op = op
        self._owner = owner
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._op()
        except BaseException as exc:
            self._owner._failed.emit(self._job_id, exc)
        else:
            self._owner._succeeded.emit(self._job_id, result)


class Tasks(QObject):
    """Background execution with results delivered on the GUI thread.

    ``on_error`` defaults to the handler given at construction (the kiosk's
    one error router).
    """

    _succeeded = Signal(int, object)
    _failed = Signal(int, object)
    #: number of operations still running changed (for busy indicators)
    busy_changed = Signal(int)

    def __init__(self, default_on_error: ErrorHandler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_on_error = default_on_error
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], ErrorHandler]] = {}
        self._lock = threading.Lock()
        self._pool = QThreadPool(self)
        self._lanes: dict[str, QThreadPool] = {}
        self._succeeded.connect(self._on_succeeded)
        self._failed.connect(self._on_failed)

    def lane(self, name: str) -> QThreadPool:
        """The single-thread pool ``name`` (created on first use)."""
        pool = self._lanes.get(name)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)  # keep the same OS thread for the lane
            self._lanes[name] = pool
        return pool

    def run_in_background(
        self,
        op: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        *,
        lane: str | None = None,
    ) -> int:
        """Run ``op`` off the GUI thread; returns a job id."""
        job_id = next(self._ids)
        with self._lock:
            self._pending[job_id] = (on_success, on_error or self._default_on_error)
            count = len(self._pending)
        pool = self._pool if lane is None else self.lane(lane)
        pool.start(_Job(job_id, op, self))
        self.busy_changed.emit(count)
        return job_id

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _take(self, job_id: int) -> tuple[Callable[[Any], None], ErrorHandler] | None:
        with self._lock:
            entry = self._pending.pop(job_id, None)
            count = len(self._pending)
        self.busy_changed.emit(count)
        return entry

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        entry = self._take(job_id)
        if entry is None:
            return
        on_success, on_error = entry
        try:
            on_success(result)
        except Exception as exc:  # a bug in a callback must not kill the kiosk
            on_error(exc)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: object) -> None:
        entry = self._take(job_id)
        if entry is None:
            return
        error = exc if isinstance(exc, BaseException) else RuntimeError(type(exc).__name__)
        entry[1](error)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every pool is idle (shut-down and tests only)."""
        ok = self._pool.waitForDone(msecs)
        for pool in self._lanes.values():
            ok = pool.waitForDone(msecs) and ok
        return ok
