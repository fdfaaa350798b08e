"""The outbox's value types: an item's non-personal view, a sync report, the sender.

Nothing here touches the store; :mod:`koffer.queue.outbox` and
:mod:`koffer.queue.sync_round` build and return these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from koffer.crypto import receipts
from koffer.queue.models import OutboxItem


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


def entry_from_row(row: OutboxItem) -> OutboxEntry:
    """The :class:`OutboxEntry` of a stored row (call inside its session)."""
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
    """What :meth:`koffer.queue.outbox.Outbox.sync_once` needs from a transmitter."""

    def send(self, envelope_id: str, data: bytes, payload_hash: str | None) -> receipts.Receipt: ...
