"""One sync round of the outbox: claim due envelopes, send them, record the outcome.

:class:`SyncRound` does the store work and the sends behind
:meth:`koffer.queue.outbox.Outbox.sync_once` (and keeps the receipts that
:meth:`~koffer.queue.outbox.Outbox.accept_receipt` takes from removable
media). Its transactions are what makes delivery exactly-once under a
crash: one marks the batch ``sending``; one per ``ack_batch_size`` receipts
keeps them and purges the envelopes; each failure is one; the items not
sent go back to ``sealed`` in one. A crash in between leaves items
``sending``, which :meth:`~koffer.queue.outbox.Outbox.recover` puts back.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from koffer.crypto import receipts
from koffer.errors import FatalTransmissionError, TransmissionError
from koffer.queue import backoff
from koffer.queue.entries import Sender, SyncReport
from koffer.queue.models import ACKNOWLEDGED, PURGED, REJECTED, SEALED, SENDING, OutboxItem
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import EnvelopeRejected
from koffer.store.unlocked import UnlockedStore

Clock = Callable[[], datetime]


def purge_row(row: OutboxItem, now: datetime) -> None:
    """Drop the envelope's bytes and mark the row ``purged`` (inside the caller's session)."""
    row.envelope = None
    row.state = PURGED
    row.purged_at = now
    row.updated_at = now


class SyncRound:
    """The sending side of one outbox; :meth:`run` is one sync round."""

    def __init__(
        self,
        store: UnlockedStore,
        settings: TransmissionSettings,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._rng = rng

    def run(self, sender: Sender, limit: int | None = None) -> SyncReport:
        """Send every due envelope once; stop the batch at the first fatal error.

        Store transactions per batch: one marks the batch ``sending``; one per
        ``ack_batch_size`` sent envelopes keeps their receipts and purges them;
        failures are recorded one by one; unsent items go back to ``sealed``.
        With ``max_in_flight`` > 1 the sender is called from several threads
        at once (:class:`~koffer.queue.transmitter.Transmitter` allows that).
        """
        report = SyncReport()
        claimed = self._claim_due(limit or self._settings.batch_size)
        unsent = {envelope_id for envelope_id, _data, _hash in claimed}
        received: list[tuple[str, receipts.Receipt]] = []

        def flush() -> None:
            done = self.acknowledge(received)
            received.clear()
            report.sent += len(done)
            report.envelope_ids.extend(done)

        try:
            for envelope_id, result in self._results(
                sender, claimed, lambda: report.stopped is not None
            ):
                unsent.discard(envelope_id)
                if isinstance(result, FatalTransmissionError):
                    self._fail(envelope_id, result, count=False)
                    report.failed += 1
                    if report.stopped is None:
                        report.stopped, report.stopped_en = result.message, result.message_en
                elif isinstance(result, TransmissionError):
                    state = self._fail(envelope_id, result, count=True)
                    if state == REJECTED:
                        report.rejected += 1
                    else:
                        report.failed += 1
                else:
                    received.append((envelope_id, result))
                    if len(received) >= self._settings.ack_batch_size:
                        flush()
        finally:
            flush()
            self._release_unsent(unsent)
        return report

    def acknowledge(self, acknowledged: list[tuple[str, receipts.Receipt]]) -> list[str]:
        """Keep the receipts, log them and purge the envelopes, in ONE transaction.

        A crash before the commit leaves the items ``sending``; ``recover``
        puts them back and the resend gets the same receipt (idempotent by id).
        Returns the envelope ids that were acknowledged now.
        """
        if not acknowledged:
            return []
        now = self._clock()
        done: list[str] = []
        with self._store.transaction() as session:
            for envelope_id, receipt in acknowledged:
                row = session.get(OutboxItem, envelope_id)
                if row is None or row.state in (ACKNOWLEDGED, PURGED):
                    continue
                row.receipt = receipt.to_bytes().decode()
                row.acknowledged_at = now
                row.last_error = row.last_error_en = None
                self._store.audit(
                    "envelope_acknowledged",
                    session=session,
                    case_number=row.case_number,
                    envelope_id=envelope_id,
                    payload_hash=receipt.payload_hash,
                    received_at=receipt.received_at,
                )
                purge_row(row, now)
                done.append(envelope_id)
        return done

    def _reschedule(self, session: Session, now: datetime) -> None:
        """Undo what a wrong clock did to the schedule (see :mod:`koffer.queue.outbox`).

        An item touched at a time later than ``now`` was scheduled by a clock
        that was ahead: its next attempt moves back by that difference. Then no
        item waits longer than ``backoff_max`` from now.
        """
        cap = now + timedelta(seconds=self._settings.backoff_max)
        rows = session.scalars(
            select(OutboxItem).where(
                OutboxItem.state == SEALED,
                or_(OutboxItem.next_attempt_at > cap, OutboxItem.updated_at > now),
            )
        )
        for row in rows:
            if row.updated_at > now:
                row.next_attempt_at -= row.updated_at - now
                row.updated_at = now
            row.next_attempt_at = min(row.next_attempt_at, cap)

    def _claim_due(self, limit: int) -> list[tuple[str, bytes, str]]:
        """Up to ``limit`` due items, marked ``sending`` in ONE transaction."""
        now = self._clock()
        with self._store.transaction() as session:
            self._reschedule(session, now)
            rows = session.scalars(
                select(OutboxItem)
                .where(OutboxItem.state == SEALED, OutboxItem.next_attempt_at <= now)
                .order_by(OutboxItem.next_attempt_at, OutboxItem.created_at)
                .limit(limit)
            ).all()
            claimed = []
            for row in rows:
                if row.envelope is None:
                    continue
                row.state = SENDING
                row.updated_at = now
                claimed.append((row.envelope_id, bytes(row.envelope), row.payload_hash))
            return claimed

    def _release_unsent(self, envelope_ids: Iterable[str]) -> None:
        """Claimed items that were not sent go back to ``sealed`` (no attempt counted)."""
        ids = list(envelope_ids)
        if not ids:
            return
        now = self._clock()
        with self._store.transaction() as session:
            for row in session.scalars(
                select(OutboxItem).where(
                    OutboxItem.envelope_id.in_(ids), OutboxItem.state == SENDING
                )
            ):
                row.state = SEALED
                row.updated_at = now

    def _fail(self, envelope_id: str, exc: TransmissionError, *, count: bool) -> str:
        now = self._clock()
        with self._store.transaction() as session:
            row = session.get(OutboxItem, envelope_id)
            if row is None:
                return SEALED
            row.last_error = exc.message
            row.last_error_en = exc.message_en
            row.updated_at = now
            if isinstance(exc, EnvelopeRejected):
                row.state = REJECTED
                row.reject_code = exc.code
                self._store.audit(
                    "envelope_rejected",
                    session=session,
                    case_number=row.case_number,
                    envelope_id=envelope_id,
                    code=exc.code,
                )
                return REJECTED
            if count:
                row.attempts += 1
                if row.attempts == self._settings.max_attempts:
                    # reported once; the envelope stays in the queue and is retried
                    self._store.audit(
                        "envelope_overdue",
                        session=session,
                        case_number=row.case_number,
                        envelope_id=envelope_id,
                        attempts=row.attempts,
                    )
            row.state = SEALED
            seconds = backoff.delay(
                max(row.attempts, 1),
                self._settings.backoff_base,
                self._settings.backoff_max,
                self._rng,
            )
            row.next_attempt_at = now + timedelta(seconds=seconds)
            return SEALED

    def _results(
        self,
        sender: Sender,
        claimed: list[tuple[str, bytes, str]],
        stopped: Callable[[], bool],
    ) -> Iterator[tuple[str, receipts.Receipt | TransmissionError]]:
        """Send ``claimed`` (up to ``max_in_flight`` at once); yield results as they come.

        The first envelope goes alone: most fatal errors (back end unreachable,
        device revoked, certificate refused) show there, and then nothing else
        is tried. Nothing new is started once ``stopped()`` is true; sends
        already in flight finish and are yielded. Store work stays with the
        caller's thread.
        """
        todo = iter(claimed)
        concurrent = self._settings.max_in_flight > 1 and len(claimed) > 2
        for envelope_id, data, payload_hash in todo:
            if stopped():
                return
            try:
                yield envelope_id, sender.send(envelope_id, data, payload_hash)
            except TransmissionError as exc:
                yield envelope_id, exc
            if concurrent:
                break
        if stopped() or not concurrent:
            return
        workers = min(self._settings.max_in_flight, len(claimed) - 1)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="koffer-send") as pool:
            running: dict[Future[receipts.Receipt], str] = {}

            def start_next() -> None:
                for envelope_id, data, payload_hash in todo:
                    running[pool.submit(sender.send, envelope_id, data, payload_hash)] = envelope_id
                    return

            for _ in range(workers):
                start_next()
            while running:
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    envelope_id = running.pop(future)
                    try:
                        result: receipts.Receipt | TransmissionError = future.result()
                    except TransmissionError as exc:
                        result = exc
                    yield envelope_id, result
                    if not stopped():
                        start_next()
