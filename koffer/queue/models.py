"""Outbox tables (on the store's shared ``Base``; migration ``0002_outbox``).

``outbox`` holds one row per sealed envelope. Only non-personal metadata is
plain; ``envelope`` is already HPKE-sealed to the back end (the suitcase
itself cannot open it) and is set to NULL once a receipt is verified.

``device_secrets`` holds the enrolled identity (and pending offline keys),
each blob encrypted under the store key (``UnlockedStore.encrypt_secret``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from koffer.store.db import Base, UTCDateTime

#: outbox states
SEALED = "sealed"
SENDING = "sending"
ACKNOWLEDGED = "acknowledged"
PURGED = "purged"
REJECTED = "rejected"
DEAD = "dead_letter"
STATES = (SEALED, SENDING, ACKNOWLEDGED, PURGED, REJECTED, DEAD)


class OutboxItem(Base):
    __tablename__ = "outbox"

    envelope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    case_number: Mapped[str] = mapped_column(String(40))
    case_type: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    reject_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    envelope_size: Mapped[int] = mapped_column(Integer)
    envelope_hash: Mapped[str] = mapped_column(String(64))
    payload_hash: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[str | None] = mapped_column(Text, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DeviceSecret(Base):
    __tablename__ = "device_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
