"""Signed receipts: the back end's proof that it stored an envelope.

A receipt body is canonical JSON::

    {"v": 1, "envelope_id": str, "envelope_hash": hex, "payload_hash": hex,
     "received_at": ISO-8601 UTC, "receipt_key_id": str}

signed with the back end's ECDSA P-256 receipt key over
``"koffer-receipt-v1" || 0x00 || body``. On the wire and in the suitcase's
audit log it travels as ``{"body": <object>, "signature": <base64>}``.

A relay (``koffer backend init --relay``) holds no HPKE private key and cannot
know the payload's hash; it signs a *sealed* receipt (:func:`issue_sealed`)::

    {"v": 2, "stored": "sealed", "envelope_id": str, "envelope_hash": hex,
     "received_at": ISO-8601 UTC, "receipt_key_id": str}

over the envelope's hash alone (same label and key). The envelope hash covers
the device-signed ciphertext, so it names the content just as firmly; the
suitcase accepts both kinds (:func:`verify` skips the payload hash for v2).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from koffer.crypto import identity
from koffer.crypto.sealing import canonical_json
from koffer.errors import CryptoError

LABEL = b"koffer-receipt-v1"
#: body version of a relay's receipt over the sealed envelope
SEALED_VERSION = 2


@dataclass(frozen=True)
class Receipt:
    envelope_id: str
    envelope_hash: str
    payload_hash: str
    received_at: str
    receipt_key_id: str
    signature: bytes
    #: 1: the back end opened the envelope (payload hash); 2: a relay stored it sealed
    version: int = 1

    @property
    def sealed(self) -> bool:
        """A relay's receipt: the envelope was stored unopened (no payload hash)."""
        return self.version == SEALED_VERSION

    def body(self) -> dict[str, Any]:
        if self.sealed:
            return {
                "v": SEALED_VERSION,
                "stored": "sealed",
                "envelope_id": self.envelope_id,
                "envelope_hash": self.envelope_hash,
                "received_at": self.received_at,
                "receipt_key_id": self.receipt_key_id,
            }
        return {
            "v": 1,
            "envelope_id": self.envelope_id,
            "envelope_hash": self.envelope_hash,
            "payload_hash": self.payload_hash,
            "received_at": self.received_at,
            "receipt_key_id": self.receipt_key_id,
        }

    def to_json(self) -> dict[str, Any]:
        return {"body": self.body(), "signature": base64.b64encode(self.signature).decode()}

    def to_bytes(self) -> bytes:
        return canonical_json(self.to_json())


def _bad_receipt() -> CryptoError:
    return CryptoError(
        "Die Empfangsbestätigung der Gegenstelle ist ungültig. Der Umschlag bleibt "
        "gespeichert und wird erneut gesendet.",
        message_en="The back end's receipt is invalid. The envelope stays queued.",
    )


def issue(
    key: identity.PrivateKey,
    *,
    envelope_id: str,
    envelope_hash: str,
    payload_hash: str,
    received_at: str,
) -> Receipt:
    """Sign a new receipt with the back end's receipt key."""
    unsigned = Receipt(
        envelope_id,
        envelope_hash,
        payload_hash,
        received_at,
        identity.key_id(key.public_key()),
        b"",
    )
    signature = identity.sign(key, LABEL, canonical_json(unsigned.body()))
    return Receipt(
        envelope_id, envelope_hash, payload_hash, received_at, unsigned.receipt_key_id, signature
    )


def issue_sealed(
    key: identity.PrivateKey, *, envelope_id: str, envelope_hash: str, received_at: str
) -> Receipt:
    """Sign a relay's receipt over the sealed envelope (no payload hash)."""
    unsigned = Receipt(
        envelope_id,
        envelope_hash,
        "",
        received_at,
        identity.key_id(key.public_key()),
        b"",
        SEALED_VERSION,
    )
    signature = identity.sign(key, LABEL, canonical_json(unsigned.body()))
    return Receipt(
        envelope_id,
        envelope_hash,
        "",
        received_at,
        unsigned.receipt_key_id,
        signature,
        SEALED_VERSION,
    )


def parse(data: bytes | dict[str, Any]) -> Receipt:
    """Parse the wire form; does not verify (see :func:`verify`)."""
    try:
        raw = json.loads(data) if isinstance(data, bytes) else data
        body = raw["body"]
        if body.get("v") == SEALED_VERSION:
            if body.get("stored") != "sealed" or set(body) != {
                "v",
                "stored",
                "envelope_id",
                "envelope_hash",
                "received_at",
                "receipt_key_id",
            }:
                raise ValueError("sealed receipt")
            return Receipt(
                envelope_id=str(body["envelope_id"]),
                envelope_hash=str(body["envelope_hash"]),
                payload_hash="",
                received_at=str(body["received_at"]),
                receipt_key_id=str(body["receipt_key_id"]),
                signature=base64.b64decode(raw["signature"], validate=True),
                version=SEALED_VERSION,
            )
        if body.get("v") != 1:
            raise ValueError("version")
        return Receipt(
            envelope_id=str(body["envelope_id"]),
            envelope_hash=str(body["envelope_hash"]),
            payload_hash=str(body["payload_hash"]),
            received_at=str(body["received_at"]),
            receipt_key_id=str(body["receipt_key_id"]),
            signature=base64.b64decode(raw["signature"], validate=True),
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise _bad_receipt() from exc


def verify(
    receipt: Receipt,
    key: identity.PublicKey,
    *,
    envelope_id: str,
    envelope_hash: str,
    payload_hash: str | None = None,
) -> None:
    """Check signature and that the receipt is for exactly this envelope.

    A relay's sealed receipt (v2) names no payload hash: the envelope hash,
    over the device-signed ciphertext, is what it vouches for.
    """
    if receipt.receipt_key_id != identity.key_id(key):
        raise _bad_receipt()
    try:
        identity.verify(key, LABEL, canonical_json(receipt.body()), receipt.signature)
    except CryptoError as exc:
        raise _bad_receipt() from exc
    if receipt.envelope_id != envelope_id or receipt.envelope_hash != envelope_hash:
        raise _bad_receipt()
    if payload_hash is not None and not receipt.sealed and receipt.payload_hash != payload_hash:
        raise _bad_receipt()
