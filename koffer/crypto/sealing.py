"""Sealed envelopes: a case, encrypted to the back end and signed by the device.

Everything here is a pure function over bytes.

Payload (the plaintext, format ``KOFP`` version 1)::

    b"KOFP" | u8 version | u32 manifest length | manifest | blob 1 | blob 2 | ...

The manifest is canonical JSON (UTF-8, sorted keys, no whitespace)::

    {"schema_version": ..., "case": {...the case dict...},
     "attachments": [{"name": str, "media_type": str, "length": int,
                      "sha256": hex}, ...]}      # sorted by name

Attachment blobs follow in manifest order. The same case and attachments
always give the same bytes (no pickle, no timestamps, no randomness).

Envelope (format ``KOFE`` version 1)::

    b"KOFE" | u8 version | u32 header length | header | u16 signature length |
    signature | ciphertext

The header is canonical JSON with the envelope id, device id, case type,
creation time, schema version, HPKE suite and the id of the back-end key the
payload is sealed to. The ciphertext is HPKE (RFC 9180, base mode,
DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) with
``info = "koffer-envelope-v1" || 0x00 || header``, so the header is bound to
the ciphertext. The device signs ``header length | header | ciphertext`` with
ECDSA P-256/SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke

from koffer.crypto import identity, strict_json
from koffer.errors import CryptoError

PAYLOAD_MAGIC = b"KOFP"
ENVELOPE_MAGIC = b"KOFE"
FORMAT_VERSION = 1
SUITE_NAME = "DHKEM-P256-HKDF-SHA256/HKDF-SHA256/AES-256-GCM"
INFO_LABEL = b"koffer-envelope-v1"
SIGNATURE_LABEL = b"koffer-envelope-signature-v1"
#: largest accepted header (bytes); headers are small
MAX_HEADER = 4096

_SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
#: every pattern is applied with ``fullmatch`` (``$`` would admit a trailing newline)
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
#: header fields: device id, case type, back-end key id, schema version (text form)
_DEVICE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CASE_TYPE_RE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_KEY_ID_RE = re.compile(r"[0-9a-f]{1,64}")
_SCHEMA_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
#: creation time: ISO 8601 date and time with an explicit offset (``Z`` or ``+hh:mm``)
_CREATED_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
#: the header is one flat object; the manifest nests the case (a few levels)
_HEADER_DEPTH = 1
_MANIFEST_DEPTH = 32


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes: UTF-8, sorted keys, no insignificant whitespace."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _malformed(what: str) -> CryptoError:
    return CryptoError(
        f"Der versiegelte Umschlag ist beschädigt ({what}). "
        "Er kann nicht geöffnet werden; bitte wenden Sie sich an die Fachadministration.",
        message_en=f"The sealed envelope is damaged ({what}).",
    )


# --------------------------------------------------------------------------- payload


@dataclass(frozen=True)
class Attachment:
    """One binary attachment (fingerprint WSQ, photo, signature image/strokes)."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Payload:
    """The plaintext of an envelope."""

    schema_version: int | str
    case: Mapping[str, Any]
    attachments: tuple[Attachment, ...] = ()

    def attachment(self, name: str) -> Attachment:
        for item in self.attachments:
            if item.name == name:
                return item
        raise KeyError(name)


def encode_payload(payload: Payload) -> bytes:
    """The canonical bytes of ``payload``."""
    items = sorted(payload.attachments, key=lambda a: a.name)
    names = [a.name for a in items]
    if len(set(names)) != len(names):
        raise ValueError("duplicate attachment name")
    for name in names:
        if not _NAME_RE.fullmatch(name):
            raise ValueError(f"invalid attachment name {name!r}")
    manifest = {
        "schema_version": payload.schema_version,
        "case": payload.case,
        "attachments": [
            {
                "name": a.name,
                "media_type": a.media_type,
                "length": len(a.data),
                "sha256": sha256_hex(a.data),
            }
            for a in items
        ],
    }
    head = canonical_json(manifest)
    parts = [PAYLOAD_MAGIC, struct.pack(">BI", FORMAT_VERSION, len(head)), head]
    parts.extend(a.data for a in items)
    return b"".join(parts)


def decode_payload(data: bytes) -> Payload:
    """Parse and check canonical payload bytes (the inverse of :func:`encode_payload`)."""
    if len(data) < 9 or data[:4] != PAYLOAD_MAGIC:
        raise _malformed("Inhalt")
    version, head_len = struct.unpack(">BI", data[4:9])
    if version != FORMAT_VERSION or 9 + head_len > len(data):
        raise _malformed("Inhaltsversion")
    try:
        manifest = strict_json.loads(
            data[9 : 9 + head_len], max_bytes=head_len, max_depth=_MANIFEST_DEPTH
        )
    except strict_json.StrictJSONError as exc:
        raise _malformed("Inhaltsverzeichnis") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("case"), dict):
        raise _malformed("Inhaltsverzeichnis")
    pos = 9 + head_len
    attachments: list[Attachment] = []
    entries = manifest.get("attachments")
    if not isinstance(entries, list):
        raise _malformed("Anlagen")
    for entry in entries:
        try:
            name, media_type = str(entry["name"]), str(entry["media_type"])
            length, digest = int(entry["length"]), str(entry["sha256"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _malformed("Anlagen") from exc
        if not _NAME_RE.fullmatch(name):
            raise _malformed("Anlagenname")
        blob = data[pos : pos + length]
        if len(blob) != length or sha256_hex(blob) != digest:
            raise _malformed("Anlage")
        attachments.append(Attachment(name, media_type, blob))
        pos += length
    if pos != len(data):
        raise _malformed("überzählige Daten")
    schema = manifest.get("schema_version")
    if not isinstance(schema, (int, str)) or isinstance(schema, bool):
        raise _malformed("Schemaversion")
    return Payload(schema_version=schema, case=manifest["case"], attachments=tuple(attachments))


# --------------------------------------------------------------------------- envelope


@dataclass(frozen=True)
class EnvelopeHeader:
    envelope_id: str
    device_id: str
    case_type: str
    created: str
    schema_version: int | str
    key_id: str
    suite: str = SUITE_NAME
    version: int = FORMAT_VERSION

    def to_bytes(self) -> bytes:
        return canonical_json(
            {
                "v": self.version,
                "envelope_id": self.envelope_id,
                "device_id": self.device_id,
                "case_type": self.case_type,
                "created": self.created,
                "schema_version": self.schema_version,
                "key_id": self.key_id,
                "suite": self.suite,
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> EnvelopeHeader:
        """Parse and check header bytes: limits first, then types, patterns, canonical form."""
        try:
            raw = strict_json.loads(data, max_bytes=MAX_HEADER, max_depth=_HEADER_DEPTH)
        except strict_json.StrictJSONError as exc:
            raise _malformed("Kopfdaten") from exc
        if not isinstance(raw, dict):
            raise _malformed("Kopfdaten")
        texts = ("envelope_id", "device_id", "case_type", "created", "key_id", "suite")
        if any(not isinstance(raw.get(name), str) for name in texts):
            raise _malformed("Kopfdaten")
        version, schema = raw.get("v"), raw.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise _malformed("Kopfdaten")
        if not isinstance(schema, (int, str)) or isinstance(schema, bool):
            raise _malformed("Kopfdaten")
        header = cls(
            envelope_id=raw["envelope_id"],
            device_id=raw["device_id"],
            case_type=raw["case_type"],
            created=raw["created"],
            schema_version=schema,
            key_id=raw["key_id"],
            suite=raw["suite"],
            version=version,
        )
        if header.to_bytes() != data:
            raise _malformed("Kopfdaten nicht kanonisch")
        if header.version != FORMAT_VERSION or header.suite != SUITE_NAME:
            raise _malformed("unbekannte Version")
        if not _UUID_RE.fullmatch(header.envelope_id):
            raise _malformed("Umschlagnummer")
        checks = (
            (_DEVICE_ID_RE, header.device_id, "Gerätekennung"),
            (_CASE_TYPE_RE, header.case_type, "Fallart"),
            (_KEY_ID_RE, header.key_id, "Schlüsselkennung"),
            (_CREATED_RE, header.created, "Erstellungszeit"),
        )
        for pattern, value, what in checks:
            if not pattern.fullmatch(value):
                raise _malformed(what)
        if isinstance(schema, str) and not _SCHEMA_RE.fullmatch(schema):
            raise _malformed("Schemaversion")
        return header


@dataclass(frozen=True)
class Envelope:
    header: EnvelopeHeader
    header_bytes: bytes
    signature: bytes
    ciphertext: bytes

    def to_bytes(self) -> bytes:
        return b"".join(
            [
                ENVELOPE_MAGIC,
                struct.pack(">BI", FORMAT_VERSION, len(self.header_bytes)),
                self.header_bytes,
                struct.pack(">H", len(self.signature)),
                self.signature,
                self.ciphertext,
            ]
        )

    def signed_bytes(self) -> bytes:
        return _signed_bytes(self.header_bytes, self.ciphertext)


def _signed_bytes(header: bytes, ciphertext: bytes) -> bytes:
    return struct.pack(">I", len(header)) + header + ciphertext


def _info(header: bytes) -> bytes:
    return INFO_LABEL + b"\x00" + header


def parse_envelope(data: bytes) -> Envelope:
    """Split envelope bytes; checks framing and header, not crypto."""
    if len(data) < 9 or data[:4] != ENVELOPE_MAGIC:
        raise _malformed("Kennung")
    version, head_len = struct.unpack(">BI", data[4:9])
    if version != FORMAT_VERSION or head_len > MAX_HEADER or 9 + head_len + 2 > len(data):
        raise _malformed("Rahmen")
    header_bytes = data[9 : 9 + head_len]
    pos = 9 + head_len
    (sig_len,) = struct.unpack(">H", data[pos : pos + 2])
    pos += 2
    signature = data[pos : pos + sig_len]
    if len(signature) != sig_len:
        raise _malformed("Signatur")
    ciphertext = data[pos + sig_len :]
    if not ciphertext:
        raise _malformed("kein Inhalt")
    return Envelope(EnvelopeHeader.from_bytes(header_bytes), header_bytes, signature, ciphertext)


def new_envelope_id() -> str:
    return str(uuid.uuid4())


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class SealedEnvelope:
    """The result of :func:`seal`: wire bytes plus the non-personal metadata."""

    envelope_id: str
    header: EnvelopeHeader
    data: bytes
    envelope_hash: str
    payload_hash: str


def seal(
    payload: Payload,
    *,
    case_type: str,
    device_id: str,
    signing_key: identity.PrivateKey,
    recipient_key: identity.PublicKey,
    envelope_id: str | None = None,
    created: str | None = None,
) -> SealedEnvelope:
    """Encrypt ``payload`` to ``recipient_key`` and sign it with ``signing_key``."""
    plaintext = encode_payload(payload)
    header = EnvelopeHeader(
        envelope_id=envelope_id or new_envelope_id(),
        device_id=device_id,
        case_type=case_type,
        created=created or utc_now_iso(),
        schema_version=payload.schema_version,
        key_id=identity.key_id(recipient_key),
    )
    header_bytes = header.to_bytes()
    ciphertext = _SUITE.encrypt(plaintext, recipient_key, info=_info(header_bytes))
    signature = identity.sign(signing_key, SIGNATURE_LABEL, _signed_bytes(header_bytes, ciphertext))
    env = Envelope(header, header_bytes, signature, ciphertext)
    data = env.to_bytes()
    return SealedEnvelope(
        envelope_id=header.envelope_id,
        header=header,
        data=data,
        envelope_hash=sha256_hex(data),
        payload_hash=sha256_hex(plaintext),
    )


def verify_envelope(envelope: Envelope, device_key: identity.PublicKey) -> None:
    """Raise :class:`CryptoError` unless the device signature is valid."""
    identity.verify(device_key, SIGNATURE_LABEL, envelope.signed_bytes(), envelope.signature)


def unknown_key_error(key_id: str) -> CryptoError:
    return CryptoError(
        f"Der Umschlag ist an einen unbekannten Schlüssel der Gegenstelle gerichtet "
        f"(Schlüssel-ID {key_id}). Bitte richten Sie das Gerät neu ein.",
        message_en=f"The envelope is sealed to an unknown back-end key ({key_id}).",
    )


def open_envelope(
    envelope: Envelope, private_keys: Mapping[str, identity.PrivateKey]
) -> tuple[Payload, str]:
    """Decrypt with the back-end key named in the header; returns payload and its hash.

    The signature must have been checked with :func:`verify_envelope` first.
    """
    payload, plaintext = open_envelope_bytes(envelope, private_keys)
    return payload, sha256_hex(plaintext)


def open_envelope_bytes(
    envelope: Envelope, private_keys: Mapping[str, identity.PrivateKey]
) -> tuple[Payload, bytes]:
    """Like :func:`open_envelope`, but returns the checked payload bytes themselves.

    For a receiver that keeps the payload: it stores exactly the bytes whose
    hash it acknowledges, without encoding the payload again.
    """
    key = private_keys.get(envelope.header.key_id)
    if key is None:
        raise unknown_key_error(envelope.header.key_id)
    try:
        plaintext = _SUITE.decrypt(envelope.ciphertext, key, info=_info(envelope.header_bytes))
    except (InvalidTag, ValueError) as exc:
        raise CryptoError(
            "Der Umschlag kann nicht entschlüsselt werden: Inhalt oder Kopfdaten wurden verändert.",
            message_en="The envelope cannot be decrypted: content or header was altered.",
        ) from exc
    payload = decode_payload(plaintext)
    if payload.schema_version != envelope.header.schema_version:
        raise _malformed("Schemaversion passt nicht zu den Kopfdaten")
    return payload, plaintext


def attachments_from(items: Sequence[tuple[str, str, bytes]]) -> tuple[Attachment, ...]:
    """Convenience: ``[(name, media_type, data), ...]`` → attachments."""
    return tuple(Attachment(n, m, d) for n, m, d in items)
