"""The store's tables (ORM mapping; the schema itself is in the migrations).

Nothing personal is stored in plaintext: personal data lives only inside the
encrypted ``payload`` and attachment ``blob`` columns. Everything else is
non-personal metadata (ids, case numbers, types, states, times, account
names of staff, key material in wrapped form).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from koffer.store.db import Base, UTCDateTime


class StoreInfo(Base):
    __tablename__ = "store_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    format_version: Mapped[int] = mapped_column(Integer)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    disabled: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_memory_kib: Mapped[int] = mapped_column(Integer)
    kdf_iterations: Mapped[int] = mapped_column(Integer)
    kdf_lanes: Mapped[int] = mapped_column(Integer)
    #: the key slot's payload, wrapped (empty once the account is disabled)
    wrapped_store_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: attempts reserved and still running (counted before Argon2id runs)
    pending_attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: 1: bound to the name only (before 0003), 2: bound to name and role
    slot_version: Mapped[int] = mapped_column(Integer, default=2)
    #: the protector of the slot (``passphrase``)
    slot_kind: Mapped[str] = mapped_column(String(16), default="passphrase")
    #: HMAC (store key) over name, role and creation time; NULL: not yet known
    record_mac: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    #: the slot secret sealed in the TPM (slot kind ``tpm``); NULL without TPM
    tpm_blob: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class StoreTpm(Base):
    """The TPM the store is bound to (:mod:`koffer.store.tpm_slot`)."""

    __tablename__ = "store_tpm"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tcti: Mapped[str] = mapped_column(String(256))
    parent_handle: Mapped[int] = mapped_column(Integer)
    #: the TPM's lockout auth, encrypted under the store key (NULL: not ours)
    wrapped_lockout_auth: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StorePolicy(Base):
    """Argon2id cost, lock-out and throttling: the store's own rules."""

    __tablename__ = "store_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    argon2_memory_kib: Mapped[int] = mapped_column(Integer)
    argon2_iterations: Mapped[int] = mapped_column(Integer)
    argon2_lanes: Mapped[int] = mapped_column(Integer)
    max_failed_attempts: Mapped[int] = mapped_column(Integer)
    throttle_base_seconds: Mapped[float] = mapped_column(Float)
    throttle_max_seconds: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the same values, encrypted and authenticated under the device key
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class RecoverySlot(Base):
    """The store key wrapped under the recovery code printed at ``init``."""

    __tablename__ = "recovery_slot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_memory_kib: Mapped[int] = mapped_column(Integer)
    kdf_iterations: Mapped[int] = mapped_column(Integer)
    kdf_lanes: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseCounter(Base):
    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class CaseRecord(Base):
    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_number: Mapped[str] = mapped_column(String(16), unique=True)
    case_type: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    wrapped_data_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    shredded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AttachmentRecord(Base):
    __tablename__ = "attachments"

    case_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class AuditRecord(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    account: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
