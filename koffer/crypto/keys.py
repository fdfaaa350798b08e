"""Keys: random generation, wrapping under a key-encryption key, sub-keys.

Wrapping is AES-256-GCM (:mod:`koffer.crypto.aead`) with an associated-data
context that names what the key is for, so that a wrapped key copied to
another place (another account, another case) does not unwrap.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from koffer.crypto import aead
from koffer.errors import CryptoError

KEY_SIZE = 32
#: length of a wrapped 32-byte key
WRAPPED_SIZE = KEY_SIZE + aead.OVERHEAD

_HKDF_INFO_PREFIX = b"koffer/subkey/v1/"


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_SIZE)


def wrap_key(kek: bytes, key: bytes, aad: bytes) -> bytes:
    """Encrypt ``key`` under the key-encryption key ``kek``."""
    if len(key) != KEY_SIZE:
        raise ValueError(f"only {KEY_SIZE}-byte keys are wrapped")
    return aead.encrypt(kek, key, aad)


def unwrap_key(kek: bytes, blob: bytes, aad: bytes) -> bytes:
    """The key inside ``blob``.

    :raises CryptoError: wrong ``kek`` (e.g. wrong passphrase), wrong context
        or a damaged blob.
    """
    key = aead.decrypt(kek, blob, aad)
    if len(key) != KEY_SIZE:
        raise CryptoError(
            "Ein gespeicherter Schlüssel hat eine falsche Länge. Bitte wenden Sie sich "
            "an die Technik.",
            message_en="A stored key has the wrong length. Please contact support.",
        )
    return key


def subkey(master: bytes, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` derived from ``master`` (HKDF-SHA256).

    Different purposes give independent keys; the same purpose always gives
    the same key.
    """
    if not purpose:
        raise ValueError("a sub-key needs a purpose")
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=None,
        info=_HKDF_INFO_PREFIX + purpose.encode("utf-8"),
    )
    return hkdf.derive(master)
