"""Background sending: the session's outbox worker, reporting to the GUI thread.

:class:`BackgroundSender` wraps :class:`koffer.queue.worker.OutboxWorker`
(a plain thread that sends whenever the back end is reachable). The worker
calls back on its own thread; the callback only emits a Qt signal, so every
report arrives on the GUI thread as a :class:`SendStatus`. Nothing here
blocks the GUI thread: starting spawns the thread, stopping (which joins it)
runs on the background pool, waking sets an event.

Reports of a worker that was stopped (lock, logout) are dropped: each start
begins a new generation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal, Slot

from koffer.kiosk.background import Tasks

if TYPE_CHECKING:
    from koffer.crypto.enrollment import DeviceCredentials
    from koffer.queue.outbox import Outbox, SyncReport
    from koffer.queue.settings import TransmissionSettings
    from koffer.queue.worker import OutboxWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendStatus:
    """One report of the background sender (non-personal)."""

    report: SyncReport
    #: the back end answered its health check and the batch was not stopped
    online: bool
    at: datetime
    #: why sending stopped (German, English): this pass, or an earlier one
    #: while the back end has not been reachable since
    stopped: str | None = None
    stopped_en: str | None = None

    @property
    def changed_outbox(self) -> bool:
        """Whether this pass changed any outbox item (sent, failed, …)."""
        r = self.report
        return bool(r.sent or r.rejected or r.failed or r.dead)

    def problem(self, language: str) -> str | None:
        """Why sending stopped, in ``language`` (None when nothing stopped it)."""
        if self.stopped is None:
            return None
        return self.stopped_en if language == "en" and self.stopped_en else self.stopped


class BackgroundSender(QObject):
    """Starts, wakes and stops the outbox worker of the current session."""

    #: a report of the running worker (SendStatus), on the GUI thread
    reported = Signal(object)
    #: the worker started (True) or was stopped (False)
    running_changed = Signal(bool)
    #: emitted on the worker's thread; queued to the GUI thread
    _from_worker = Signal(int, object, bool)

    def __init__(self, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._worker: OutboxWorker | None = None
        self._generation = 0
        self.status: SendStatus | None = None
        self._from_worker.connect(self._deliver)

    @property
    def running(self) -> bool:
        return self._worker is not None

    def follow(self, slot: Callable[[SendStatus], None]) -> None:
        """Connect ``slot`` to :attr:`reported` and hand it the last status, if any.

        Screens are built on first use, possibly after the worker reported.
        """
        self.reported.connect(slot)
        if self.status is not None:
            slot(self.status)

    def start(
        self, outbox: Outbox, creds: DeviceCredentials, settings: TransmissionSettings
    ) -> None:
        """Start sending for the session (stops a previous worker first)."""
        from koffer.queue.worker import OutboxWorker

        self.stop()
        self._generation += 1
        generation = self._generation
        holder: list[OutboxWorker] = []

        def on_report(report: SyncReport) -> None:  # the worker's thread
            online = bool(holder) and holder[0].online
            try:
                self._from_worker.emit(generation, report, online)
            except RuntimeError:  # the kiosk is gone (shut down while sending)
                log.info("background sender report dropped after shut-down")

        worker = OutboxWorker(outbox, creds, settings, on_report=on_report)
        holder.append(worker)
        self._worker = worker
        worker.start()
        log.info("background sender started")
        self.running_changed.emit(True)

    def wake(self) -> bool:
        """Send now (after sealing, "Jetzt senden"); False if no worker runs."""
        worker = self._worker
        if worker is None:
            return False
        worker.wake()
        return True

    def stop(self) -> None:
        """Stop the worker; joining it happens off the GUI thread."""
        worker, self._worker = self._worker, None
        self._generation += 1
        self.status = None
        if worker is None:
            return
        self._tasks.run_in_background(worker.stop, lambda _result: None)
        log.info("background sender stopping")
        self.running_changed.emit(False)

    @Slot(int, object, bool)
    def _deliver(self, generation: int, report: object, online: bool) -> None:
        if generation != self._generation or self._worker is None:
            return  # a stopped worker's last words
        sync = cast("SyncReport", report)
        stopped, stopped_en = sync.stopped, sync.stopped_en
        previous = self.status
        if stopped is None and not online and not sync.sent and previous is not None:
            # nothing was due and the back end is still unreachable: keep the reason
            stopped, stopped_en = previous.stopped, previous.stopped_en
        status = SendStatus(sync, online, datetime.now(UTC), stopped, stopped_en)
        self.status = status
        self.reported.emit(status)
