"""Per-account wrapping of the store key under Argon2id(passphrase)."""

from __future__ import annotations

from dataclasses import dataclass

from koffer.crypto import keys
from koffer.crypto.kdf import Argon2Params, derive_key, new_salt
from koffer.store.casecrypto import store_key_aad
from koffer.store.models import Account


@dataclass(frozen=True)
class Credentials:
    """What an account row keeps to unwrap the store key."""

    salt: bytes
    params: Argon2Params
    wrapped_store_key: bytes

    def apply(self, row: Account) -> None:
        row.kdf_salt = self.salt
        row.kdf_memory_kib = self.params.memory_kib
        row.kdf_iterations = self.params.iterations
        row.kdf_lanes = self.params.lanes
        row.wrapped_store_key = self.wrapped_store_key


def make_credentials(
    passphrase: str, store_key: bytes, store_id: str, account: str, params: Argon2Params
) -> Credentials:
    """Wrap ``store_key`` for ``account`` under a fresh salt (one Argon2id run)."""
    salt = new_salt()
    kek = derive_key(passphrase, salt, params)
    wrapped = keys.wrap_key(kek, store_key, store_key_aad(store_id, account))
    return Credentials(salt=salt, params=params, wrapped_store_key=wrapped)


def params_of(row: Account) -> Argon2Params:
    return Argon2Params(
        memory_kib=row.kdf_memory_kib, iterations=row.kdf_iterations, lanes=row.kdf_lanes
    )


def open_credentials(
    passphrase: str, salt: bytes, params: Argon2Params, wrapped: bytes, store_id: str, account: str
) -> bytes:
    """The store key; :class:`~koffer.errors.CryptoError` if the passphrase is wrong."""
    kek = derive_key(passphrase, salt, params)
    return keys.unwrap_key(kek, wrapped, store_key_aad(store_id, account))
