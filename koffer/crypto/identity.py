"""Device and back-end identities: ECDSA P-256 keys, key ids, signatures.

Every signature in the product (envelopes, receipts) is ECDSA over NIST P-256
with SHA-256 (BSI TR-02102-1), DER-encoded. Each signed message starts with a
domain-separation label so that a signature made for one purpose can never be
replayed as another.

Keys are serialised here as unencrypted PKCS#8 PEM *bytes only*; callers keep
them encrypted at rest (the suitcase under its store key, the back end in its
0600 key file).
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from koffer.errors import CryptoError

CURVE = ec.SECP256R1

PrivateKey = ec.EllipticCurvePrivateKey
PublicKey = ec.EllipticCurvePublicKey


def generate_key() -> PrivateKey:
    """A fresh P-256 private key."""
    return ec.generate_private_key(CURVE())


def private_key_to_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_key_to_pem(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _bad_key() -> CryptoError:
    return CryptoError(
        "Ein gespeicherter Schlüssel ist beschädigt oder hat das falsche Format. "
        "Bitte richten Sie das Gerät neu ein.",
        message_en="A stored key is damaged or has the wrong format. Please re-enroll.",
    )


def private_key_from_pem(data: bytes) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise _bad_key() from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, CURVE):
        raise _bad_key()
    return key


def public_key_from_pem(data: bytes) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise _bad_key() from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, CURVE):
        raise _bad_key()
    return key


def key_id(key: PublicKey) -> str:
    """A short stable id: the first 16 bytes of SHA-256 over the SPKI DER, hex."""
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:32]


def sign(key: PrivateKey, label: bytes, message: bytes) -> bytes:
    """ECDSA-P256-SHA256 signature over ``label || 0x00 || message``."""
    return key.sign(label + b"\x00" + message, ec.ECDSA(hashes.SHA256()))


def verify(key: PublicKey, label: bytes, message: bytes, signature: bytes) -> None:
    """Raise :class:`CryptoError` unless ``signature`` is valid."""
    try:
        key.verify(signature, label + b"\x00" + message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise CryptoError(
            "Die Signatur ist ungültig: die Daten wurden verändert oder stammen "
            "nicht vom angegebenen Absender.",
            message_en="Invalid signature: the data was altered or has another sender.",
        ) from exc
