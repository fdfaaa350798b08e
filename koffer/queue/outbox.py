"""The durable outbox: sealing, states, back-off, sync batches.

States (``koffer.queue.models``)::

    sealed ──▶ sending ──▶ acknowledged ──▶ purged
      ▲  │        │
      │  │        └──▶ rejected      (the back end refused it for good; bytes kept)
      └──┴────────┘    (any other failure: back to sealed, next_attempt_at later)

- :meth:`Outbox.seal_case` seals a completed case and, in ONE store
  transaction, inserts the envelope, destroys the case's data key and sets
  the case state to ``sealed``. Afterwards the suitcase cannot read the case.
- :meth:`Outbox.sync_once` marks a whole batch ``sending`` in one
  transaction, sends it over one keep-alive connection and keeps each small
  group of receipts together with purging the envelopes in one transaction
  (``acknowledged`` is passed within that transaction; rows left in it by
  older versions are purged on recovery). Items not sent go back to ``sealed``.
- Envelopes never strand: only a definite refusal by the back end
  (:class:`~koffer.queue.transmitter.EnvelopeRejected`) takes an envelope out
  of the queue. Connection errors, time-outs, 5xx answers and bad receipts
  are retried with back-off for as long as it takes; after ``max_attempts``
  of them the envelope is reported overdue (audit ``envelope_overdue``) and
  still retried. ``dead_letter`` is no longer entered; rows older versions
  left in it (always from transient causes) go back to ``sealed`` on recovery.
- Clock changes: whenever the clock has moved backwards since an item was
  scheduled, its schedule moves back by the same amount, and no item waits
  longer than ``backoff_max`` from now (a sync with the clock years ahead
  cannot park envelopes in the future).
- :meth:`Outbox.recover` (called on open) puts ``sending`` items back to
  ``sealed`` (a crash mid-send), purges ``acknowledged`` items whose bytes
  are still there and re-queues the transient dead letters of older versions.
- Each send is idempotent by envelope id, so a resend after a crash returns
  the same receipt: every case reaches the back end exactly once.
"""

from __future__ import annotations

import builtins
import random
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from koffer.crypto import identity, receipts, sealing
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import FatalTransmissionError, StoreError, TransmissionError
from koffer.queue import backoff
from koffer.queue.models import (
    ACKNOWLEDGED,
    DEAD,
    PURGED,
    REJECTED,
    SEALED,
    SENDING,
    OutboxItem,
)
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import EnvelopeRejected
from koffer.store.unlocked import UnlockedStore

Clock = Callable[[], datetime]

#: case state after sealing (koffer.cases.state.CaseState.SEALED)
CASE_SEALED = "sealed"

_MEDIA_TYPES = {
    ".wsq": "image/x-wsq",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jp2": "image/jp2",
    ".png": "image/png",
    ".json": "application/json",
}


def media_type(name: str) -> str:
    dot = name.rfind(".")
    return (
        _MEDIA_TYPES.get(name[dot:].lower(), "application/octet-stream")
        if dot > 0
        else ("application/octet-stream")
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OutboxEntry:
    """Non-personal view of one outbox item (for lists and the kiosk)."""

    envelope_id: str
    case_number: str
    case_type: str
    state: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    last_error_en: str | None
    reject_code: str | None
    envelope_size: int
    has_envelope: bool
    receipt: dict[str, Any] | None
    acknowledged_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "envelope_id": self.envelope_id,
            "case_number": self.case_number,
            "case_type": self.case_type,
            "state": self.state,
            "created_at": self.created_at.isoformat(),
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat(),
            "last_error": self.last_error,
            "last_error_en": self.last_error_en,
            "reject_code": self.reject_code,
            "envelope_size": self.envelope_size,
            "envelope_stored": self.has_envelope,
            "receipt": self.receipt,
            "acknowledged_at": None
            if self.acknowledged_at is None
            else self.acknowledged_at.isoformat(),
        }


def _entry(row: OutboxItem) -> OutboxEntry:
    return OutboxEntry(
        envelope_id=row.envelope_id,
        case_number=row.case_number,
        case_type=row.case_type,
        state=row.state,
        created_at=row.created_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        last_error_en=row.last_error_en,
        reject_code=row.reject_code,
        envelope_size=row.envelope_size,
        has_envelope=row.envelope is not None,
        receipt=None if row.receipt is None else receipts.parse(row.receipt.encode()).to_json(),
        acknowledged_at=row.acknowledged_at,
    )


@dataclass
class SyncReport:
    sent: int = 0
    rejected: int = 0
    failed: int = 0
    #: always 0: transient failures no longer make dead letters (kept for the JSON)
    dead: int = 0
    stopped: str | None = None
    stopped_en: str | None = None
    envelope_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "rejected": self.rejected,
            "failed": self.failed,
            "dead_letter": self.dead,
            "stopped": self.stopped,
        }


class Sender(Protocol):
    """What :meth:`Outbox.sync_once` needs from a transmitter."""

    def send(self, envelope_id: str, data: bytes, payload_hash: str | None) -> receipts.Receipt: ...


#: states :meth:`Outbox.requeue` accepts (envelope bytes still stored)
_REQUEUEABLE = (SEALED, REJECTED, DEAD)


def _transient_dead_end() -> Any:
    """Rows older versions took out of the queue for a transient cause.

    Every dead letter was one (too many 5xx answers, time-outs or bad
    receipts); a rejection with an ``http_<status>`` code came from an answer
    without the back end's refusal document (a proxy's error page, say), so
    the back end never said it was final.
    """
    return (OutboxItem.envelope.is_not(None)) & (
        (OutboxItem.state == DEAD)
        | ((OutboxItem.state == REJECTED) & OutboxItem.reject_code.like("http\\_%", escape="\\"))
    )


class Outbox:
    def __init__(
        self,
        store: UnlockedStore,
        settings: TransmissionSettings | None = None,
        *,
        clock: Clock = _utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._settings = settings or TransmissionSettings()
        self._clock = clock
        self._rng = rng or random.Random()

    @classmethod
    def open(cls, store: UnlockedStore, settings: TransmissionSettings | None = None) -> Outbox:
        outbox = cls(store, settings)
        outbox.recover()
        return outbox

    # ------------------------------------------------------------- sealing

    def seal_case(
        self, case_id: str, creds: DeviceCredentials, *, schema_version: int | str | None = None
    ) -> OutboxEntry:
        """Seal the case into the outbox and crypto-shred it, in one transaction."""
        now = self._clock()
        with self._store.transaction() as session:
            stored = self._store.load_case(case_id, session=session)
            attachments = [
                sealing.Attachment(
                    name,
                    media_type(name),
                    self._store.load_attachment(case_id, name, session=session),
                )
                for name in stored.attachment_names
            ]
            version = schema_version
            if version is None:
                version = stored.payload.get("schema_version", 1)
            payload = sealing.Payload(version, stored.payload, tuple(attachments))
            sealed = sealing.seal(
                payload,
                case_type=stored.case_type,
                device_id=creds.device_id,
                signing_key=creds.signing_key,
                recipient_key=creds.hpke_public,
                created=now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            )
            row = OutboxItem(
                envelope_id=sealed.envelope_id,
                case_id=case_id,
                case_number=stored.case_number,
                case_type=stored.case_type,
                state=SEALED,
                created_at=now,
                updated_at=now,
                attempts=0,
                next_attempt_at=now,
                envelope=sealed.data,
                envelope_size=len(sealed.data),
                envelope_hash=sealed.envelope_hash,
                payload_hash=sealed.payload_hash,
            )
            session.add(row)
            session.flush()
            self._store.destroy_case_key(case_id, session=session)
            self._store.set_state(case_id, CASE_SEALED, session=session)
            self._store.audit(
                "case_sealed",
                session=session,
                case_number=stored.case_number,
                envelope_id=sealed.envelope_id,
            )
            return _entry(row)

    # ------------------------------------------------------------- queries

    def list(self, states: Iterable[str] | None = None) -> builtins.list[OutboxEntry]:
        query = select(OutboxItem).order_by(OutboxItem.created_at, OutboxItem.envelope_id)
        if states is not None:
            query = query.where(OutboxItem.state.in_(list(states)))
        with self._store.transaction() as session:
            return [_entry(row) for row in session.scalars(query)]

    def counts(self) -> dict[str, int]:
        with self._store.transaction() as session:
            rows = session.execute(
                select(OutboxItem.state, func.count()).group_by(OutboxItem.state)
            ).all()
        return {str(state): int(n) for state, n in rows}

    def envelope(self, envelope_id: str) -> bytes:
        with self._store.transaction() as session:
            row = session.get(OutboxItem, envelope_id)
            if row is None or row.envelope is None:
                raise StoreError(
                    "Dieser Umschlag ist nicht (mehr) im Postausgang gespeichert.",
                    message_en="This envelope is not (any more) stored in the outbox.",
                )
            return bytes(row.envelope)

    def next_due(self) -> datetime | None:
        with self._store.transaction() as session:
            value: datetime | None = session.scalar(
                select(func.min(OutboxItem.next_attempt_at)).where(OutboxItem.state == SEALED)
            )
        if isinstance(value, str):  # aggregate bypasses the type decorator
            value = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        return value

    # ------------------------------------------------------------- transitions

    def recover(self) -> int:
        """Crash recovery: sending → sealed; acknowledged with bytes → purged."""
        now = self._clock()
        fixed = 0
        with self._store.transaction() as session:
            for row in session.scalars(select(OutboxItem).where(OutboxItem.state == SENDING)):
                row.state = SEALED
                row.updated_at = now
                fixed += 1
            for row in session.scalars(select(OutboxItem).where(OutboxItem.state == ACKNOWLEDGED)):
                self._purge_row(row, now)
                fixed += 1
            for row in session.scalars(select(OutboxItem).where(_transient_dead_end())):
                # an older version gave up on it for a transient cause: send it again
                row.state = SEALED
                row.reject_code = None
                row.next_attempt_at = now
                row.updated_at = now
                self._store.audit(
                    "envelope_requeued",
                    session=session,
                    case_number=row.case_number,
                    envelope_id=row.envelope_id,
                    reason="transient",
                )
                fixed += 1
        return fixed

    def release(self) -> int:
        """Make every waiting sealed item due now (the back end is reachable again)."""
        now = self._clock()
        with self._store.transaction() as session:
            rows = list(
                session.scalars(
                    select(OutboxItem).where(
                        OutboxItem.state == SEALED, OutboxItem.next_attempt_at > now
                    )
                )
            )
            for row in rows:
                row.next_attempt_at = now
        return len(rows)

    def requeue(self, envelope_id: str) -> None:
        """Send this envelope at the next sync (administrator action).

        A rejected (or old dead-letter) envelope goes back into the queue; a
        sealed one that waits for its next attempt becomes due now. Its
        failure count starts again.
        """
        now = self._clock()
        with self._store.transaction() as session:
            row = session.get(OutboxItem, envelope_id)
            if row is None or row.state not in _REQUEUEABLE or row.envelope is None:
                raise StoreError(
                    "Dieser Umschlag kann nicht erneut eingereiht werden: er ist schon "
                    "zugestellt, wird gerade gesendet oder ist nicht im Postausgang. "
                    "»koffer outbox list« zeigt den Stand.",
                    message_en="This envelope cannot be requeued: it has been delivered, "
                    "is being sent or is not in the outbox.",
                )
            self._requeue_row(session, row, now)

    def requeue_all(self) -> int:
        """:meth:`requeue` every envelope still on the suitcase; returns how many."""
        now = self._clock()
        with self._store.transaction() as session:
            rows = list(
                session.scalars(
                    select(OutboxItem).where(
                        OutboxItem.state.in_(_REQUEUEABLE), OutboxItem.envelope.is_not(None)
                    )
                )
            )
            for row in rows:
                self._requeue_row(session, row, now)
        return len(rows)

    def _requeue_row(self, session: Session, row: OutboxItem, now: datetime) -> None:
        previous = row.state
        row.state = SEALED
        row.attempts = 0
        row.next_attempt_at = now
        row.updated_at = now
        if previous != SEALED:
            row.reject_code = None
            self._store.audit(
                "envelope_requeued",
                session=session,
                case_number=row.case_number,
                envelope_id=row.envelope_id,
                reason="administrator",
            )

    def _reschedule(self, session: Session, now: datetime) -> None:
        """Undo what a wrong clock did to the schedule (see the module docstring).

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

    @staticmethod
    def _purge_row(row: OutboxItem, now: datetime) -> None:
        row.envelope = None
        row.state = PURGED
        row.purged_at = now
        row.updated_at = now

    def _claim_due(self, limit: int) -> builtins.list[tuple[str, bytes, str]]:
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
        ids = builtins.list(envelope_ids)
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

    def _acknowledge(self, envelope_id: str, receipt: receipts.Receipt) -> None:
        self._acknowledge_many([(envelope_id, receipt)])

    def _acknowledge_many(
        self, acknowledged: builtins.list[tuple[str, receipts.Receipt]]
    ) -> builtins.list[str]:
        """Keep the receipts, log them and purge the envelopes, in ONE transaction.

        A crash before the commit leaves the items ``sending``; :meth:`recover`
        puts them back and the resend gets the same receipt (idempotent by id).
        Returns the envelope ids that were acknowledged now.
        """
        if not acknowledged:
            return []
        now = self._clock()
        done: builtins.list[str] = []
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
                self._purge_row(row, now)
                done.append(envelope_id)
        return done

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

    def accept_receipt(self, receipt: receipts.Receipt, receipt_key: identity.PublicKey) -> bool:
        """Take a receipt that came back on removable media; False if not applicable."""
        with self._store.transaction() as session:
            row = session.get(OutboxItem, receipt.envelope_id)
            if row is None or row.state in (ACKNOWLEDGED, PURGED):
                return False
            receipts.verify(
                receipt,
                receipt_key,
                envelope_id=row.envelope_id,
                envelope_hash=row.envelope_hash,
                payload_hash=row.payload_hash,
            )
        self._acknowledge(receipt.envelope_id, receipt)
        return True

    # ------------------------------------------------------------- sync

    def _results(
        self,
        sender: Sender,
        claimed: builtins.list[tuple[str, bytes, str]],
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

    def sync_once(self, sender: Sender, limit: int | None = None) -> SyncReport:
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
        received: builtins.list[tuple[str, receipts.Receipt]] = []

        def flush() -> None:
            done = self._acknowledge_many(received)
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
