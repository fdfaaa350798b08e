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

The sync round itself lives in :mod:`koffer.queue.sync_round`, the value
types (:class:`OutboxEntry`, :class:`SyncReport`, :class:`Sender`) in
:mod:`koffer.queue.entries`; both are re-exported here.
"""

from __future__ import annotations

import builtins
import random
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from koffer.crypto import identity, receipts, sealing
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import StoreError
from koffer.queue.entries import OutboxEntry, Sender, SyncReport, entry_from_row
from koffer.queue.models import ACKNOWLEDGED, DEAD, PURGED, REJECTED, SEALED, SENDING, OutboxItem
from koffer.queue.settings import TransmissionSettings
from koffer.queue.sync_round import Clock, SyncRound, purge_row
from koffer.store.unlocked import UnlockedStore

__all__ = [
    "CASE_SEALED",
    "Clock",
    "Outbox",
    "OutboxEntry",
    "Sender",
    "SyncReport",
    "media_type",
]


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
        self._sync = SyncRound(store, self._settings, clock, self._rng)

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
            return entry_from_row(row)

    def seal_document(
        self,
        *,
        case_id: str,
        case_number: str,
        case_type: str,
        document: dict[str, Any],
        creds: DeviceCredentials,
        schema_version: int = 1,
    ) -> OutboxEntry:
        """Seal a record that is no store case (a Kassenabschluss) into the outbox.

        Exactly once per ``case_id``: an envelope already made for it is
        returned as it is.
        """
        now = self._clock()
        with self._store.transaction() as session:
            existing = session.scalars(
                select(OutboxItem).where(OutboxItem.case_id == case_id)
            ).first()
            if existing is not None:
                return entry_from_row(existing)
            sealed = sealing.seal(
                sealing.Payload(schema_version, document, ()),
                case_type=case_type,
                device_id=creds.device_id,
                signing_key=creds.signing_key,
                recipient_key=creds.hpke_public,
                created=now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            )
            row = OutboxItem(
                envelope_id=sealed.envelope_id,
                case_id=case_id,
                case_number=case_number,
                case_type=case_type,
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
            self._store.audit(
                "case_sealed",
                session=session,
                case_number=case_number,
                envelope_id=sealed.envelope_id,
            )
            return entry_from_row(row)

    # ------------------------------------------------------------- queries

    def list(self, states: Iterable[str] | None = None) -> builtins.list[OutboxEntry]:
        query = select(OutboxItem).order_by(OutboxItem.created_at, OutboxItem.envelope_id)
        if states is not None:
            query = query.where(OutboxItem.state.in_(list(states)))
        with self._store.transaction() as session:
            return [entry_from_row(row) for row in session.scalars(query)]

    def counts(self) -> dict[str, int]:
        with self._store.transaction() as session:
            rows = session.execute(
                select(OutboxItem.state, func.count()).group_by(OutboxItem.state)
            ).all()
        return {str(state): int(n) for state, n in rows}

    def stored_envelope(self, envelope_id: str) -> bytes | None:
        """The envelope's bytes, or ``None`` once it was purged (or never existed)."""
        with self._store.transaction() as session:
            row = session.get(OutboxItem, envelope_id)
            return None if row is None or row.envelope is None else bytes(row.envelope)

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
                purge_row(row, now)
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
        self._sync.acknowledge([(receipt.envelope_id, receipt)])
        return True

    # ------------------------------------------------------------- sync

    def sync_once(self, sender: Sender, limit: int | None = None) -> SyncReport:
        """Send every due envelope once; stop the batch at the first fatal error.

        Store transactions per batch: one marks the batch ``sending``; one per
        ``ack_batch_size`` sent envelopes keeps their receipts and purges them;
        failures are recorded one by one; unsent items go back to ``sealed``.
        With ``max_in_flight`` > 1 the sender is called from several threads
        at once (:class:`~koffer.queue.transmitter.Transmitter` allows that).
        The round itself is :meth:`koffer.queue.sync_round.SyncRound.run`.
        """
        return self._sync.run(sender, limit)
