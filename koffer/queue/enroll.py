"""Enrolling the suitcase at the back end (online and via removable media).

Online (:func:`enroll_online`):

1. fetch the CA certificate from the enrollment port (the TLS channel is not
   trusted yet) and compare its SHA-256 with the fingerprint in the token;
   a mismatch stops here, nothing is sent;
2. open a new connection that trusts only that CA (host name checked) and
   POST the one-time secret, a CSR for the TLS key and the signing public key;
3. check the answer (same CA, certificate for our TLS key, key id matches).

Offline: :func:`offline_request` writes the public part of the request to a
file; the back end answers with a file (``koffer backend enroll-device NAME
--request FILE --response FILE``) that :func:`complete_offline` checks.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from typing import Any

import httpx

from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials, EnrollmentToken
from koffer.errors import CryptoError, TransmissionError


@dataclass(frozen=True)
class PendingKeys:
    """Keys made for an enrollment that is not complete yet (offline flow)."""

    tls_key: identity.PrivateKey
    signing_key: identity.PrivateKey

    @classmethod
    def generate(cls) -> PendingKeys:
        return cls(identity.generate_key(), identity.generate_key())

    def request(self, name: str) -> dict[str, str]:
        return {
            "csr": tls.make_csr(self.tls_key, name).decode(),
            "signing_key": identity.public_key_to_pem(self.signing_key.public_key()).decode(),
        }

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "tls_key": identity.private_key_to_pem(self.tls_key).decode(),
                "signing_key": identity.private_key_to_pem(self.signing_key).decode(),
            }
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> PendingKeys:
        raw = json.loads(data)
        return cls(
            identity.private_key_from_pem(raw["tls_key"].encode()),
            identity.private_key_from_pem(raw["signing_key"].encode()),
        )


def _unreachable(exc: Exception) -> TransmissionError:
    return TransmissionError(
        f"Die Gegenstelle ist zur Einrichtung nicht erreichbar ({type(exc).__name__}). "
        "Bitte prüfen Sie die Verbindung und versuchen Sie es erneut.",
        message_en="The back end cannot be reached for enrollment.",
    )


def _check_answer(answer: dict[str, Any], keys: PendingKeys, ca_pem: bytes | None) -> None:
    try:
        cert = tls.cert_from_pem(str(answer["client_cert"]).encode())
        got_ca = str(answer["ca_cert"]).encode()
    except KeyError as exc:
        raise CryptoError(
            "Die Antwort der Gegenstelle ist unvollständig.",
            message_en="The back end's answer is incomplete.",
        ) from exc
    if ca_pem is not None and tls.fingerprint(got_ca) != tls.fingerprint(ca_pem):
        raise CryptoError(
            "Die Gegenstelle hat ein anderes CA-Zertifikat geschickt als erwartet.",
            message_en="The back end sent another CA certificate than expected.",
        )
    if identity.public_key_to_pem(cert.public_key()) != identity.public_key_to_pem(  # type: ignore[arg-type]
        keys.tls_key.public_key()
    ):
        raise CryptoError(
            "Das ausgestellte Zertifikat gehört nicht zu diesem Gerät.",
            message_en="The issued certificate does not belong to this device.",
        )


def fetch_pinned_ca(token: EnrollmentToken, timeout: float = 10.0) -> bytes:
    """The back end's CA, accepted only if its fingerprint matches the token."""
    insecure = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # checked below by fingerprint
    insecure.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        with httpx.Client(verify=insecure, timeout=timeout, trust_env=False) as client:
            response = client.get(f"{token.enroll_url}/enroll/v1/ca")
            response.raise_for_status()
    except httpx.HTTPError as exc:
        raise _unreachable(exc) from exc
    ca_pem = response.content
    if tls.fingerprint(ca_pem) != token.ca_sha256:
        raise CryptoError(
            "Die Gegenstelle weist sich mit einem unerwarteten Zertifikat aus. Die Einrichtung "
            "wurde abgebrochen; bitte prüfen Sie den Einrichtungscode und das Netz.",
            message_en="The back end presented an unexpected certificate. Enrollment aborted.",
        )
    return ca_pem


def enroll_online(
    token: EnrollmentToken, keys: PendingKeys | None = None, timeout: float = 10.0
) -> DeviceCredentials:
    keys = keys or PendingKeys.generate()
    ca_pem = fetch_pinned_ca(token, timeout)
    body = {"secret": token.secret, **keys.request(token.name)}
    try:
        with httpx.Client(
            verify=tls.client_context(ca_pem), timeout=timeout, trust_env=False
        ) as client:
            response = client.post(f"{token.enroll_url}/enroll/v1/device", json=body)
    except httpx.HTTPError as exc:
        raise _unreachable(exc) from exc
    if response.status_code != 200:
        try:
            doc = response.json()
            message, message_en = str(doc["message"]), str(doc["message_en"])
        except (ValueError, KeyError, TypeError):
            message = f"Die Einrichtung wurde abgelehnt (Fehler {response.status_code})."
            message_en = f"Enrollment refused (error {response.status_code})."
        raise TransmissionError(message, message_en=message_en)
    answer = response.json()
    _check_answer(answer, keys, ca_pem)
    return DeviceCredentials.from_parts(
        answer, tls_key=keys.tls_key, signing_key=keys.signing_key, backend_url=token.url
    )


def offline_request(keys: PendingKeys, name: str) -> bytes:
    return json.dumps({"kind": "koffer-enrollment-request", "v": 1, **keys.request(name)}).encode()


def complete_offline(
    keys: PendingKeys, response: bytes, expected_ca_sha256: str | None = None
) -> DeviceCredentials:
    try:
        answer = json.loads(response)
        if answer.get("kind") != "koffer-enrollment-response":
            raise ValueError("kind")
        url = str(answer["url"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CryptoError(
            "Die Einrichtungsdatei ist keine gültige Antwort der Gegenstelle.",
            message_en="The enrollment file is not a valid back-end response.",
        ) from exc
    ca_pem = str(answer.get("ca_cert", "")).encode()
    if expected_ca_sha256 and tls.fingerprint(ca_pem) != expected_ca_sha256.lower():
        raise CryptoError(
            "Der Fingerabdruck des CA-Zertifikats stimmt nicht. Die Einrichtung wurde abgebrochen.",
            message_en="The CA fingerprint does not match. Enrollment aborted.",
        )
    _check_answer(answer, keys, None)
    return DeviceCredentials.from_parts(
        answer, tls_key=keys.tls_key, signing_key=keys.signing_key, backend_url=url
    )
