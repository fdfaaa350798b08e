"""Key slots: the one place where a secret wraps and unwraps key material.

A *slot* holds key material wrapped under a key-encryption key derived from
a secret (an account's passphrase or the recovery code) with Argon2id. The
pair :func:`seal_slot` / :func:`open_slot` is the seam where another
protector (a TPM) can take over: everything else in the store only sees
``(secret, slot, binding) -> payload``.

What a slot protects depends on the role (:func:`slot_payload`)::

    admin, clerk   -> the store key K (cases, secrets, accounts)
    technician     -> the device key D = HKDF(K, "device-secrets") only
                      (device secrets such as the signing and TLS keys;
                      no case data key can be unwrapped with it)

The associated data binds the slot to the store, the holder and, from slot
version 2 on, the role: changing ``accounts.role`` (or the slot version) in
SQL makes the slot undecryptable, so the account becomes unusable, never
more powerful.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from koffer.crypto import keys
from koffer.crypto.kdf import Argon2Params, derive_key, new_salt
from koffer.errors import CryptoError, TpmUnavailableError
from koffer.store.tpm_slot import TPM_KIND, TpmProtector

#: slot versions: 1 = bound to the holder's name only (stores before 0003)
LEGACY_SLOT_VERSION = 1
SLOT_VERSION = 2
#: the protector of a passphrase slot (``accounts.slot_kind``)
PASSPHRASE_KIND = "passphrase"
#: the holder name of the recovery slot (not a valid account name)
RECOVERY_HOLDER = "#recovery"
#: roles whose slot holds the full store key
FULL_KEY_ROLES = frozenset({"admin", "clerk"})
#: HKDF purpose of the device key, held by every role
DEVICE_KEY_PURPOSE = "device-secrets"


@dataclass(frozen=True)
class SlotBinding:
    """What a slot is bound to: store, holder (account name) and role."""

    store_id: str
    holder: str
    role: str
    version: int = SLOT_VERSION
    kind: str = PASSPHRASE_KIND

    def aad(self) -> bytes:
        if self.version == LEGACY_SLOT_VERSION:
            parts = ["koffer.store-key.v1", self.store_id, self.holder]
        else:
            parts = ["koffer.slot.v2", self.store_id, self.holder, self.role, self.kind]
        return json.dumps(parts, ensure_ascii=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Slot:
    """A sealed slot as stored: salt, Argon2id cost and the wrapped payload."""

    salt: bytes
    params: Argon2Params
    wrapped: bytes
    #: the slot secret sealed in the TPM (slot kind ``tpm``); ``None``: passphrase only
    tpm_blob: bytes | None = None

    @property
    def kind(self) -> str:
        return PASSPHRASE_KIND if self.tpm_blob is None else TPM_KIND


def seal_slot(
    secret: str,
    payload: bytes,
    binding: SlotBinding,
    params: Argon2Params,
    tpm: TpmProtector | None = None,
) -> Slot:
    """Wrap ``payload`` under ``secret`` (one Argon2id run, fresh salt).

    With ``tpm`` the key-encryption key also needs a secret sealed in the
    TPM under an auth value derived from ``secret`` (:mod:`koffer.store.tpm_slot`).
    """
    salt = new_salt()
    kek = derive_key(secret, salt, params)
    if tpm is None:
        return Slot(salt=salt, params=params, wrapped=keys.wrap_key(kek, payload, binding.aad()))
    kek, blob = tpm.seal(kek)
    aad = replace(binding, kind=TPM_KIND).aad()
    return Slot(salt=salt, params=params, wrapped=keys.wrap_key(kek, payload, aad), tpm_blob=blob)


def open_slot(
    secret: str, slot: Slot, binding: SlotBinding, tpm: TpmProtector | None = None
) -> bytes:
    """The payload of ``slot``.

    :raises CryptoError: wrong secret, a slot bound to something else (an
        edited role, name or version) or a destroyed slot.
    :raises TpmError: (a :class:`CryptoError`) for a TPM slot: the TPM
        refused the passphrase (:class:`~koffer.errors.TpmAuthError`), is
        locked out, cannot be reached or is another TPM.
    """
    if len(slot.wrapped) != keys.WRAPPED_SIZE:
        raise CryptoError(
            "Für dieses Konto ist kein Schlüssel mehr vorhanden.",
            message_en="This account holds no key any more.",
        )
    kek = derive_key(secret, slot.salt, slot.params)
    if slot.tpm_blob is not None:
        if tpm is None:
            raise TpmUnavailableError(
                "Dieses Konto ist durch einen TPM-Sicherheitschip geschützt, der "
                "Datenbestand nennt aber keinen. Bitte wenden Sie sich an die Technik.",
                message_en="This account is TPM-protected but the store names no TPM.",
            )
        kek = tpm.open(kek, slot.tpm_blob)
    return keys.unwrap_key(kek, slot.wrapped, binding.aad())


def device_key(store_key: bytes) -> bytes:
    """The device key D (device secrets) derived from the store key K."""
    return keys.subkey(store_key, DEVICE_KEY_PURPOSE)


def slot_payload(store_key: bytes, role: str) -> bytes:
    """What the slot of an account with ``role`` holds (K or D)."""
    return store_key if role in FULL_KEY_ROLES else device_key(store_key)


@dataclass(frozen=True)
class KeyRing:
    """The keys an unlocked account holds: K (not for technicians) and D."""

    store_key: bytes | None
    device_key: bytes

    @classmethod
    def from_payload(cls, role: str, payload: bytes, version: int) -> KeyRing:
        if role in FULL_KEY_ROLES:
            return cls(store_key=payload, device_key=device_key(payload))
        if version == LEGACY_SLOT_VERSION:
            # a legacy slot holds K for every role; a technician keeps only D
            # (and the slot is re-sealed with D at this unlock)
            return cls(store_key=None, device_key=device_key(payload))
        return cls(store_key=None, device_key=payload)
