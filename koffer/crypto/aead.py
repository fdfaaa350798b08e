"""AES-256-GCM authenticated encryption of records.

A blob is ``nonce (12 bytes) || ciphertext || tag (16 bytes)``. The nonce is
random per call. The associated data (``aad``) binds the blob to its place
(case id, item name …): a blob moved to another place no longer decrypts.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from koffer.errors import CryptoError

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16
#: bytes a blob is longer than its plaintext
OVERHEAD = NONCE_SIZE + TAG_SIZE


def _check_key(key: bytes) -> None:
    if len(key) != KEY_SIZE:
        raise ValueError(f"AES-256-GCM needs a {KEY_SIZE}-byte key, got {len(key)} bytes")


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt ``plaintext`` under ``key``, authenticating ``aad`` as well."""
    _check_key(key)
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Decrypt a blob made by :func:`encrypt`.

    :raises CryptoError: the blob was changed, moved to another place
        (``aad`` differs) or made with another key.
    """
    _check_key(key)
    if len(blob) < OVERHEAD:
        raise CryptoError(
            "Verschlüsselte Daten sind unvollständig. Bitte wenden Sie sich an die "
            "Technik; die Daten können so nicht gelesen werden.",
            message_en="Encrypted data is truncated and cannot be read. Please contact support.",
        )
    nonce, body = blob[:NONCE_SIZE], blob[NONCE_SIZE:]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise CryptoError(
            "Verschlüsselte Daten sind beschädigt, wurden verändert oder gehören nicht "
            "an diese Stelle. Bitte wenden Sie sich an die Technik.",
            message_en="Encrypted data is damaged, was altered or belongs elsewhere. "
            "Please contact support.",
        ) from exc
