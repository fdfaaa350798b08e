"""AES-256-GCM records, Argon2id derivation, key wrapping and HKDF sub-keys."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

import pytest

from koffer.crypto import aead, keys
from koffer.crypto.kdf import DEFAULT_PARAMS, Argon2Params, derive_key, new_salt
from koffer.errors import CryptoError

FAST = Argon2Params(memory_kib=64, iterations=1, lanes=1)


def test_aead_round_trip_and_fresh_nonce() -> None:
    key = keys.new_key()
    a = aead.encrypt(key, b"Meldeschein", b"ctx")
    b = aead.encrypt(key, b"Meldeschein", b"ctx")
    assert a != b  # random nonce
    assert len(a) == len(b"Meldeschein") + aead.OVERHEAD
    assert aead.decrypt(key, a, b"ctx") == b"Meldeschein"
    assert aead.decrypt(key, aead.encrypt(key, b"", b""), b"") == b""


@pytest.mark.parametrize("position", [0, 5, 11, 12, 20, -1])
def test_aead_any_flipped_byte_is_refused(position: int) -> None:
    key = keys.new_key()
    blob = bytearray(aead.encrypt(key, b"Personalausweisantrag", b"ctx"))
    blob[position] ^= 0x01
    with pytest.raises(CryptoError) as info:
        aead.decrypt(key, bytes(blob), b"ctx")
    assert "verändert" in info.value.message


def test_aead_wrong_context_key_or_truncation_is_refused() -> None:
    key = keys.new_key()
    blob = aead.encrypt(key, b"data", b"case-1|photo")
    with pytest.raises(CryptoError):
        aead.decrypt(key, blob, b"case-1|signature")
    with pytest.raises(CryptoError):
        aead.decrypt(keys.new_key(), blob, b"case-1|photo")
    with pytest.raises(CryptoError) as info:
        aead.decrypt(key, blob[:10], b"case-1|photo")
    assert "unvollständig" in info.value.message
    with pytest.raises(ValueError):
        aead.encrypt(b"short", b"x", b"")


def test_argon2id_is_deterministic_and_depends_on_everything() -> None:
    salt = new_salt()
    k = derive_key("Sommer im Dorf 2026", salt, FAST)
    assert len(k) == 32
    assert derive_key("Sommer im Dorf 2026", salt, FAST) == k
    assert derive_key("Sommer im Dorf 2027", salt, FAST) != k
    assert derive_key("Sommer im Dorf 2026", new_salt(), FAST) != k
    assert derive_key("Sommer im Dorf 2026", salt, Argon2Params(64, 2, 1)) != k


def test_argon2id_treats_nfc_and_nfd_passphrases_alike() -> None:
    salt = new_salt()
    nfc = unicodedata.normalize("NFC", "Grüße aus Åsa")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert derive_key(nfc, salt, FAST) == derive_key(nfd, salt, FAST)


def test_argon2_params_round_trip_and_checks() -> None:
    assert Argon2Params.from_dict(DEFAULT_PARAMS.to_dict()) == DEFAULT_PARAMS
    with pytest.raises(ValueError):
        Argon2Params(memory_kib=8, iterations=1, lanes=2)
    with pytest.raises(ValueError):
        Argon2Params(memory_kib=1024, iterations=0, lanes=1)


def test_wrap_unwrap_with_context() -> None:
    kek, key = keys.new_key(), keys.new_key()
    wrapped = keys.wrap_key(kek, key, b"account:admin")
    assert len(wrapped) == keys.WRAPPED_SIZE
    assert key not in wrapped
    assert keys.unwrap_key(kek, wrapped, b"account:admin") == key
    with pytest.raises(CryptoError):
        keys.unwrap_key(kek, wrapped, b"account:anna")
    with pytest.raises(CryptoError):
        keys.unwrap_key(keys.new_key(), wrapped, b"account:admin")
    with pytest.raises(CryptoError):
        keys.unwrap_key(kek, aead.encrypt(kek, b"short", b"x"), b"x")
    with pytest.raises(ValueError):
        keys.wrap_key(kek, b"too short", b"")


def _hkdf_reference(master: bytes, info: bytes) -> bytes:
    """RFC 5869 with an empty salt, written out with the standard library."""
    prk = hmac.new(b"\x00" * 32, master, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def test_subkey_is_hkdf_sha256_and_separates_purposes() -> None:
    master = bytes(range(32))
    a = keys.subkey(master, "case-data-keys")
    assert a == _hkdf_reference(master, b"koffer/subkey/v1/case-data-keys")
    assert keys.subkey(master, "case-data-keys") == a
    assert keys.subkey(master, "secret/device-identity") != a
    assert keys.subkey(keys.new_key(), "case-data-keys") != a
    with pytest.raises(ValueError):
        keys.subkey(master, "")
