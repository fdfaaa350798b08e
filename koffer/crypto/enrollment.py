"""Enrollment material shared by the back end (issues) and the suitcase (redeems).

Token (printed by ``koffer backend enroll-device``, typed or pasted into
``koffer enroll --token``)::

    KOFFER1.<base64url(canonical JSON {"url", "enroll_url", "ca_sha256", "secret", "name"})>

It carries no key: the CA fingerprint lets the suitcase pin the back end's CA
before sending anything, and the one-time secret authorises exactly one CSR.

:class:`DeviceCredentials` is everything a suitcase holds after enrollment;
:meth:`DeviceCredentials.to_bytes` is SECRET and must be stored encrypted
(``UnlockedStore.encrypt_secret``).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from koffer.crypto import identity
from koffer.crypto.sealing import canonical_json
from koffer.errors import ConfigError, CryptoError

TOKEN_PREFIX = "KOFFER1."


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
        if len(token.ca_sha256) != 64 or not token.url.startswith("https://"):
            raise bad
        return token


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
