"""Enrollment material shared by the back end (issues) and the suitcase (redeems).

Token (printed by ``koffer backend enroll-device``, typed or pasted into
``koffer enroll --token``)::

    KOFFER1.<base64url(canonical JSON {"url", "enroll_url", "ca_sha256", "secret", "name"})>

It carries no key: the CA fingerprint lets the suitcase pin the back end's CA
before sending anything, and the one-time secret authorises exactly one CSR.

Response (online the body of ``POST /enroll/v1/device``, offline the file of
``koffer backend enroll-device --request … --response …``)::

    {"kind": "koffer-enrollment-response", "v": 2,
     "ca_cert": PEM, "client_cert": PEM,
     "statement": {...}, "signature": base64(DER ECDSA-P256-SHA256)}

The :class:`EnrollmentStatement` names everything the suitcase will trust
(device id and name, intake and enrollment URLs, CA fingerprint, client
certificate fingerprint, the device's own signing key, the back end's HPKE
key and key id, its receipt key, validity). The back end signs its canonical
JSON with its CA key (label :data:`RESPONSE_LABEL`);
:func:`verify_response` accepts it only under the CA whose fingerprint the
suitcase pinned beforehand (the token online, ``--ca-sha256`` offline), and
only if the client certificate was issued by that CA. Nothing outside the
signed statement and the two certificates is used.

:class:`DeviceCredentials` is everything a suitcase holds after enrollment;
:meth:`DeviceCredentials.to_bytes` is SECRET and must be stored encrypted
(``UnlockedStore.encrypt_secret``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from koffer.crypto import identity, tls
from koffer.crypto.sealing import canonical_json
from koffer.errors import ConfigError, CryptoError

TOKEN_PREFIX = "KOFFER1."
_HEX64 = re.compile(r"[0-9a-f]{64}")

RESPONSE_KIND = "koffer-enrollment-response"
RESPONSE_VERSION = 2
#: domain separation: a CA signature over a statement is never anything else
RESPONSE_LABEL = b"koffer/enrollment-response/v2"
#: how long a signed response may be used (online it is used at once; the
#: offline file travels on removable media)
ONLINE_VALIDITY = timedelta(hours=1)
OFFLINE_VALIDITY = timedelta(days=14)
#: tolerated clock difference between back end and suitcase
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True)
class EnrollmentToken:
    url: str
    enroll_url: str
    ca_sha256: str
    secret: str
    name: str

    def encode(self) -> str:
        doc = {
            "url": self.url,
            "enroll_url": self.enroll_url,
            "ca_sha256": self.ca_sha256,
            "secret": self.secret,
            "name": self.name,
        }
        return TOKEN_PREFIX + base64.urlsafe_b64encode(canonical_json(doc)).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> EnrollmentToken:
        text = text.strip()
        bad = ConfigError(
            "Der Einrichtungscode ist unvollständig oder falsch abgetippt. Bitte prüfen Sie ihn.",
            message_en="The enrollment code is incomplete or mistyped.",
        )
        if not text.startswith(TOKEN_PREFIX):
            raise bad
        body = text[len(TOKEN_PREFIX) :]
        try:
            raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            token = cls(
                url=str(raw["url"]),
                enroll_url=str(raw["enroll_url"]),
                ca_sha256=str(raw["ca_sha256"]).lower(),
                secret=str(raw["secret"]),
                name=str(raw["name"]),
            )
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise bad from exc
        if not _HEX64.fullmatch(token.ca_sha256) or not token.url.startswith("https://"):
            raise bad
        return token


def public_key_sha256(key: identity.PublicKey) -> str:
    """SHA-256 (hex) over a public key's SubjectPublicKeyInfo DER."""
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def _refused(detail: str, detail_en: str) -> CryptoError:
    return CryptoError(
        f"Die Einrichtungsantwort wurde abgelehnt: {detail} Am Koffer wurde nichts "
        "geändert. Bitte lassen Sie bei der Gegenstelle eine neue Einrichtung ausstellen "
        "und prüfen Sie den CA-Fingerabdruck.",
        message_en=f"The enrollment response was refused: {detail_en} Nothing was changed.",
    )


def _unsigned() -> CryptoError:
    return _refused(
        "Sie ist nicht von der Gegenstelle signiert oder unvollständig.",
        "it is unsigned or incomplete.",
    )


def _bad_signature() -> CryptoError:
    return _refused(
        "Die Signatur passt nicht; die Antwort wurde verändert oder stammt nicht von der "
        "erwarteten Gegenstelle.",
        "the signature does not match (altered or another sender).",
    )


def _wrong_ca() -> CryptoError:
    return _refused(
        "Der Fingerabdruck des CA-Zertifikats stimmt nicht mit dem erwarteten überein.",
        "the CA fingerprint does not match the expected one.",
    )


def _foreign_client_cert() -> CryptoError:
    return _refused(
        "Das Gerätezertifikat wurde nicht von der erwarteten Gegenstelle ausgestellt oder "
        "ist nicht gültig.",
        "the client certificate was not issued by the pinned CA or is not valid.",
    )


def _expired() -> CryptoError:
    return _refused(
        "Sie ist abgelaufen oder noch nicht gültig (bitte auch die Uhrzeit des Laptops prüfen).",
        "it has expired or is not valid yet.",
    )


def iso(ts: datetime) -> str:
    return ts.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class EnrollmentStatement:
    """What the back end vouches for with its CA key (all values text)."""

    device_id: str
    name: str
    url: str
    enroll_url: str
    ca_sha256: str
    client_cert_sha256: str
    device_signing_key_sha256: str
    hpke_key_id: str
    hpke_public_key: str
    receipt_public_key: str
    issued_at: str
    not_after: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    def signed_bytes(self) -> bytes:
        return canonical_json({"v": RESPONSE_VERSION, **self.to_json()})

    @classmethod
    def from_json(cls, raw: Any) -> EnrollmentStatement:
        names = {f.name for f in fields(cls)}
        if not isinstance(raw, dict) or set(raw) != names | {"v"}:
            raise _unsigned()
        if raw["v"] != RESPONSE_VERSION or not all(isinstance(raw[n], str) for n in names):
            raise _unsigned()
        return cls(**{n: raw[n] for n in names})

    def validity(self) -> tuple[datetime, datetime]:
        try:
            start, end = (
                datetime.fromisoformat(self.issued_at),
                datetime.fromisoformat(self.not_after),
            )
        except ValueError as exc:
            raise _unsigned() from exc
        if start.tzinfo is None or end.tzinfo is None:
            raise _unsigned()
        return start, end


def sign_response(
    ca_key: identity.PrivateKey,
    ca_pem: bytes,
    client_cert_pem: bytes,
    statement: EnrollmentStatement,
) -> dict[str, Any]:
    """The response document (back end side)."""
    signature = identity.sign(ca_key, RESPONSE_LABEL, statement.signed_bytes())
    return {
        "kind": RESPONSE_KIND,
        "v": RESPONSE_VERSION,
        "ca_cert": ca_pem.decode(),
        "client_cert": client_cert_pem.decode(),
        "statement": {"v": RESPONSE_VERSION, **statement.to_json()},
        "signature": base64.b64encode(signature).decode(),
    }


@dataclass(frozen=True)
class VerifiedResponse:
    """A response whose signature, CA pin and client-certificate chain held."""

    statement: EnrollmentStatement
    ca_pem: bytes
    client_cert: x509.Certificate
    client_cert_pem: bytes


def _ca_public_key(ca: x509.Certificate) -> identity.PublicKey:
    key = ca.public_key()
    if not isinstance(key, identity.PublicKey) or not isinstance(key.curve, identity.CURVE):
        raise _wrong_ca()
    return key


def verify_response(
    answer: Mapping[str, Any], *, ca_sha256: str, now: datetime
) -> VerifiedResponse:
    """Check a response against the pinned CA fingerprint ``ca_sha256``.

    In this order: it is a signed version-2 response; its CA certificate has
    the pinned fingerprint (and the statement names it); the signature over the
    statement verifies under that CA's key; the client certificate's
    fingerprint is the one signed and it was issued by that CA and is valid
    now; the statement is within its validity.

    :raises CryptoError: any check failed (one German message per cause).
    """
    pinned = ca_sha256.strip().lower()
    if not _HEX64.fullmatch(pinned):
        raise _wrong_ca()
    try:
        if answer.get("kind") != RESPONSE_KIND or answer.get("v") != RESPONSE_VERSION:
            raise _unsigned()
        ca_pem = str(answer["ca_cert"]).encode()
        client_pem = str(answer["client_cert"]).encode()
        signature = base64.b64decode(str(answer["signature"]), validate=True)
        statement = EnrollmentStatement.from_json(answer["statement"])
    except (KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise _unsigned() from exc
    try:
        ca = tls.cert_from_pem(ca_pem)
        actual = tls.fingerprint(ca_pem)
    except (CryptoError, ValueError) as exc:
        raise _wrong_ca() from exc
    if actual != pinned or statement.ca_sha256 != pinned:
        raise _wrong_ca()
    try:
        identity.verify(_ca_public_key(ca), RESPONSE_LABEL, statement.signed_bytes(), signature)
    except CryptoError as exc:
        raise _bad_signature() from exc
    try:
        cert = tls.cert_from_pem(client_pem)
        same = tls.fingerprint(client_pem) == statement.client_cert_sha256
        cert.verify_directly_issued_by(ca)
    except (CryptoError, ValueError, TypeError, InvalidSignature) as exc:
        raise _foreign_client_cert() from exc
    if not same:
        raise _bad_signature()
    # freshly issued: a laptop clock somewhat behind the back end's is tolerated
    if not cert.not_valid_before_utc - CLOCK_SKEW <= now <= cert.not_valid_after_utc:
        raise _foreign_client_cert()
    start, end = statement.validity()
    if not start - CLOCK_SKEW <= now <= end:
        raise _expired()
    return VerifiedResponse(statement, ca_pem, cert, client_pem)


@dataclass(frozen=True)
class DeviceCredentials:
    device_id: str
    name: str
    backend_url: str
    ca_pem: bytes
    client_cert_pem: bytes
    tls_key: identity.PrivateKey
    signing_key: identity.PrivateKey
    hpke_key_id: str
    hpke_public: identity.PublicKey
    receipt_public: identity.PublicKey

    def to_bytes(self) -> bytes:
        return canonical_json(
            {
                "v": 1,
                "device_id": self.device_id,
                "name": self.name,
                "backend_url": self.backend_url,
                "ca_cert": self.ca_pem.decode(),
                "client_cert": self.client_cert_pem.decode(),
                "tls_key": identity.private_key_to_pem(self.tls_key).decode(),
                "signing_key": identity.private_key_to_pem(self.signing_key).decode(),
                "hpke_key_id": self.hpke_key_id,
                "hpke_public_key": identity.public_key_to_pem(self.hpke_public).decode(),
                "receipt_public_key": identity.public_key_to_pem(self.receipt_public).decode(),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> DeviceCredentials:
        try:
            raw = json.loads(data)
            return cls.from_parts(
                raw,
                tls_key=identity.private_key_from_pem(raw["tls_key"].encode()),
                signing_key=identity.private_key_from_pem(raw["signing_key"].encode()),
                backend_url=raw["backend_url"],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CryptoError(
                "Die gespeicherte Geräteidentität ist beschädigt. Bitte richten Sie das Gerät "
                "neu ein.",
                message_en="The stored device identity is damaged. Please re-enroll.",
            ) from exc

    @classmethod
    def from_parts(
        cls,
        response: dict[str, Any],
        *,
        tls_key: identity.PrivateKey,
        signing_key: identity.PrivateKey,
        backend_url: str,
    ) -> DeviceCredentials:
        """Build from an enrollment response (the back end's JSON) plus the local keys."""
        hpke_public = identity.public_key_from_pem(str(response["hpke_public_key"]).encode())
        if identity.key_id(hpke_public) != response["hpke_key_id"]:
            raise CryptoError(
                "Der Schlüssel der Gegenstelle passt nicht zu seiner Kennung.",
                message_en="The back end's key does not match its id.",
            )
        return cls(
            device_id=str(response["device_id"]),
            name=str(response["name"]),
            backend_url=backend_url.rstrip("/"),
            ca_pem=str(response["ca_cert"]).encode(),
            client_cert_pem=str(response["client_cert"]).encode(),
            tls_key=tls_key,
            signing_key=signing_key,
            hpke_key_id=str(response["hpke_key_id"]),
            hpke_public=hpke_public,
            receipt_public=identity.public_key_from_pem(
                str(response["receipt_public_key"]).encode()
            ),
        )
