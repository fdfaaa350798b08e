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

from koffer.crypto import aead, keys
from koffer.crypto.kdf import FLOOR_MEMORY_KIB, FLOOR_MEMORY_PASSES, Argon2Params
from koffer.errors import CryptoError, StoreError
from koffer.store.models import Account, RecoverySlot, StorePolicy
from koffer.store.policy import (
    MAX_FAILED_CEILING,
    THROTTLE_BASE_FLOOR,
    THROTTLE_MAX_FLOOR,
    SecurityPolicy,
)
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
    return _policy_from(
        {
            "argon2_memory_kib": row.argon2_memory_kib,
            "argon2_iterations": row.argon2_iterations,
            "argon2_lanes": row.argon2_lanes,
            "max_failed_attempts": row.max_failed_attempts,
            "throttle_base_seconds": row.throttle_base_seconds,
            "throttle_max_seconds": row.throttle_max_seconds,
        }
    )


def _policy_key(device_key: bytes) -> bytes:
    return keys.subkey(device_key, "store-policy")


def _policy_aad(store_id: str) -> bytes:
    return json.dumps(["koffer.policy.v1", store_id], separators=(",", ":")).encode()


def seal_policy(device_key: bytes, store_id: str, policy: SecurityPolicy) -> bytes:
    """The policy, encrypted and authenticated under the device key."""
    text = json.dumps(policy.values(), sort_keys=True, separators=(",", ":")).encode()
    return aead.encrypt(_policy_key(device_key), text, _policy_aad(store_id))


def open_policy(device_key: bytes, store_id: str, sealed: bytes) -> SecurityPolicy:
    """Inverse of :func:`seal_policy`; :class:`CryptoError` if altered."""
    values = json.loads(aead.decrypt(_policy_key(device_key), sealed, _policy_aad(store_id)))
    return _policy_from(values)


def _policy_from(values: dict[str, float]) -> SecurityPolicy:
    return SecurityPolicy(
        argon2=Argon2Params(
            memory_kib=int(values["argon2_memory_kib"]),
            iterations=int(values["argon2_iterations"]),
            lanes=int(values["argon2_lanes"]),
        ),
        max_failed_attempts=int(values["max_failed_attempts"]),
        throttle_base_seconds=float(values["throttle_base_seconds"]),
        throttle_max_seconds=float(values["throttle_max_seconds"]),
    )


def floored(policy: SecurityPolicy) -> SecurityPolicy:
    """``policy`` raised to the minimums where it is below them."""
    argon2 = policy.argon2
    if not argon2.meets_floor():
        argon2 = Argon2Params(
            memory_kib=max(argon2.memory_kib, FLOOR_MEMORY_KIB),
            iterations=max(argon2.iterations, -(-FLOOR_MEMORY_PASSES // FLOOR_MEMORY_KIB)),
            lanes=argon2.lanes,
        )
    return SecurityPolicy(
        argon2=argon2,
        max_failed_attempts=min(max(policy.max_failed_attempts, 1), MAX_FAILED_CEILING),
        throttle_base_seconds=max(policy.throttle_base_seconds, THROTTLE_BASE_FLOOR),
        throttle_max_seconds=max(policy.throttle_max_seconds, THROTTLE_MAX_FLOOR),
    )


def verify_policy(session: Session, device_key: bytes, store_id: str, now: datetime) -> str | None:
    """Check the policy row against its sealed copy after a sign-in.

    A row edited in the database is put back to the authentic values; a
    missing copy (store from before 0003) is created from the row; a damaged
    copy raises the row to the minimums and is sealed again. Returns what
    was done (an audit event name) or ``None``.
    """
    row = session.get(StorePolicy, 1)
    if row is None:
        return None
    current = read_policy(session)
    if row.sealed is None:
        row.sealed = seal_policy(device_key, store_id, current)
        return "policy_sealed"
    try:
        authentic = open_policy(device_key, store_id, row.sealed)
    except CryptoError:
        write_policy(session, floored(current), now, device_key=device_key, store_id=store_id)
        return "policy_damaged"
    if authentic != current:
        write_policy(session, authentic, now, device_key=device_key, store_id=store_id)
        return "policy_restored"
    return None


def write_policy(
    session: Session,
    policy: SecurityPolicy,
    now: datetime,
    *,
    device_key: bytes | None = None,
    store_id: str = "",
) -> None:
    """Store ``policy`` (with its sealed copy when ``device_key`` is given)."""
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
    row.sealed = None if device_key is None else seal_policy(device_key, store_id, policy)


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
