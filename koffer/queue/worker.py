"""The background outbox worker (plain :mod:`threading`, no Qt).

It sends due envelopes, sleeps until the next one is due (or the poll
interval), and after a connection failure probes the back end's health check
so that waiting items are released as soon as it is reachable again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import KofferError
from koffer.queue.outbox import Outbox, SyncReport
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Timeouts, Transmitter

log = logging.getLogger(__name__)


class OutboxWorker:
    def __init__(
        self,
        outbox: Outbox,
        creds: DeviceCredentials,
        settings: TransmissionSettings,
        *,
        on_report: Callable[[SyncReport], None] | None = None,
    ) -> None:
        self._outbox = outbox
        self._creds = creds
        self._settings = settings
        self._on_report = on_report
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_report: SyncReport | None = None
        self.online = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="koffer-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Send now (e.g. right after a case was sealed)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def wait(self) -> None:
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def _sleep_seconds(self) -> float:
        due = self._outbox.next_due()
        if due is None:
            return self._settings.poll_interval
        seconds = (due - datetime.now(UTC)).total_seconds()
        return max(0.0, min(seconds, self._settings.poll_interval))

    def _run(self) -> None:
        timeouts = Timeouts(
            connect=self._settings.connect_timeout, read=self._settings.read_timeout
        )
        with Transmitter(
            self._creds, timeouts=timeouts, clock_tolerance=self._settings.clock_tolerance
        ) as tx:
            while not self._stop.is_set():
                try:
                    if not self.online and tx.reachable():
                        self.online = True
                        self._outbox.release()
                    report = self._outbox.sync_once(tx)
                    self.last_report = report
                    warning = tx.clock_warning()
                    if warning is not None:
                        log.warning("outbox worker: %s", warning.message_en)
                    if report.stopped is not None:
                        self.online = False
                    if self._on_report is not None:
                        self._on_report(report)
                    wait = 0.0 if report.sent and report.stopped is None else None
                except KofferError as exc:
                    log.warning("outbox worker: %s", exc.message_en)
                    wait = None
                if wait is None:
                    wait = self._sleep_seconds() if self.online else self._settings.poll_interval
                self._wake.wait(wait)
                self._wake.clear()
