"""Account rows and the policy row: reading and writing slots, MACs, rules.

An account's authority (its role) is bound into its key slot's associated
data (:mod:`koffer.store.slots`) and, for admins re-sealing another
account's slot, into :func:`record_mac` under the store key. The lock-out
counters cannot be authenticated: they must be written *before* any key is
known (the reservation of an attempt). Somebody who can edit the database
file can reset them, but such a person has a copy of the disk and can guess
offline anyway (see ``docs/betrieb.md`` § 5).
"""

from __future__ import annotations

import hmac
import json
from datetime import datetime
from hashlib import sha256

from sqlalchemy.orm import Session

from koffer.crypto import keys
from koffer.crypto.kdf import Argon2Params
from koffer.errors import StoreError
from koffer.store.models import Account, RecoverySlot, StorePolicy
from koffer.store.policy import SecurityPolicy
from koffer.store.slots import SLOT_VERSION, Slot, SlotBinding


def slot_of(row: Account) -> Slot:
    return Slot(
        salt=row.kdf_salt,
        params=Argon2Params(
            memory_kib=row.kdf_memory_kib, iterations=row.kdf_iterations, lanes=row.kdf_lanes
        ),
        wrapped=row.wrapped_store_key,
        tpm_blob=row.tpm_blob,
    )


def binding_of(store_id: str, row: Account) -> SlotBinding:
    return SlotBinding(
        store_id=store_id,
        holder=row.name,
        role=row.role,
        version=row.slot_version,
        kind=row.slot_kind,
    )


def new_binding(store_id: str, name: str, role: str) -> SlotBinding:
    return SlotBinding(store_id=store_id, holder=name, role=role)


def apply_slot(row: Account, slot: Slot) -> None:
    """Store ``slot`` in ``row`` (a current-version passphrase slot)."""
    row.kdf_salt = slot.salt
    row.kdf_memory_kib = slot.params.memory_kib
    row.kdf_iterations = slot.params.iterations
    row.kdf_lanes = slot.params.lanes
    row.wrapped_store_key = slot.wrapped
    row.tpm_blob = slot.tpm_blob
    row.slot_version = SLOT_VERSION
    row.slot_kind = slot.kind


def destroy_slot(session: Session, row: Account) -> None:
    """Overwrite the wrapped key in place, then drop it (``secure_delete``)."""
    row.wrapped_store_key = bytes(keys.WRAPPED_SIZE)
    session.flush()
    row.wrapped_store_key = b""
    row.kdf_salt = bytes(len(row.kdf_salt))
    row.tpm_blob = None


def record_mac(store_key: bytes, store_id: str, row: Account) -> bytes:
    """HMAC-SHA256 over the account's authority, under a sub-key of K."""
    mac_key = keys.subkey(store_key, "account-record-mac")
    created = row.created_at.isoformat()
    message = json.dumps(
        ["koffer.account.v1", store_id, row.name, row.role, created],
        ensure_ascii=True,
        separators=(",", ":"),
    ).encode()
    return hmac.new(mac_key, message, sha256).digest()


def record_is_authentic(store_key: bytes, store_id: str, row: Account) -> bool:
    if row.record_mac is None:
        return False
    return hmac.compare_digest(row.record_mac, record_mac(store_key, store_id, row))


def read_policy(session: Session) -> SecurityPolicy:
    row = session.get(StorePolicy, 1)
    if row is None:
        raise StoreError(
            "Im Datenbestand fehlen die Sicherheitseinstellungen. Bitte wenden Sie sich an "
            "die Technik.",
            message_en="The store has no security policy.",
        )
    return SecurityPolicy(
        argon2=Argon2Params(
            memory_kib=row.argon2_memory_kib,
            iterations=row.argon2_iterations,
            lanes=row.argon2_lanes,
        ),
        max_failed_attempts=row.max_failed_attempts,
        throttle_base_seconds=row.throttle_base_seconds,
        throttle_max_seconds=row.throttle_max_seconds,
    )


def write_policy(session: Session, policy: SecurityPolicy, now: datetime) -> None:
    row = session.get(StorePolicy, 1)
    if row is None:
        row = StorePolicy(id=1)
        session.add(row)
    row.argon2_memory_kib = policy.argon2.memory_kib
    row.argon2_iterations = policy.argon2.iterations
    row.argon2_lanes = policy.argon2.lanes
    row.max_failed_attempts = policy.max_failed_attempts
    row.throttle_base_seconds = policy.throttle_base_seconds
    row.throttle_max_seconds = policy.throttle_max_seconds
    row.updated_at = now


def recovery_slot_of(row: RecoverySlot) -> Slot:
    return Slot(
        salt=row.kdf_salt,
        params=Argon2Params(
            memory_kib=row.kdf_memory_kib, iterations=row.kdf_iterations, lanes=row.kdf_lanes
        ),
        wrapped=row.wrapped_key,
    )


def put_recovery(session: Session, slot: Slot, now: datetime) -> None:
    row = session.get(RecoverySlot, 1)
    if row is None:
        row = RecoverySlot(id=1)
        session.add(row)
    row.kdf_salt = slot.salt
    row.kdf_memory_kib = slot.params.memory_kib
    row.kdf_iterations = slot.params.iterations
    row.kdf_lanes = slot.params.lanes
    row.wrapped_key = slot.wrapped
    row.created_at = now
