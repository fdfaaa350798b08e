"""Enrolling the suitcase at the back end (online and via removable media).

Online (:func:`enroll_online`):

1. fetch the CA certificate from the enrollment port (the TLS channel is not
   trusted yet) and compare its SHA-256 with the fingerprint in the token;
   a mismatch stops here, nothing is sent;
2. open a new connection that trusts only that CA (host name checked) and
   POST the one-time secret, a CSR for the TLS key and the signing public key;
3. check the answer (:func:`verified_credentials`): signed by the pinned CA
   over everything that is kept, client certificate issued by that CA for our
   TLS key, our signing key, the token's URLs.

Offline: :func:`offline_request` writes the public part of the request to a
file; the back end answers with a signed file (``koffer backend enroll-device
NAME --request FILE --response FILE``) that :func:`complete_offline` checks
the same way against the fingerprint given with ``--ca-sha256`` (mandatory:
the file itself travels on an untrusted medium).
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from koffer.crypto import identity, tls
from koffer.crypto.enrollment import (
    RESPONSE_KIND,
    DeviceCredentials,
    EnrollmentToken,
    public_key_sha256,
    verify_response,
)
from koffer.errors import ConfigError, CryptoError, TransmissionError


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


def _not_ours() -> CryptoError:
    return CryptoError(
        "Die Einrichtungsantwort gehört nicht zu diesem Koffer (andere Schlüssel oder andere "
        "Anfrage). Am Koffer wurde nichts geändert. Bitte verwenden Sie die Antwort auf die "
        "zuletzt geschriebene Anfrage.",
        message_en="The enrollment response does not belong to this suitcase's request.",
    )


def _redirected() -> CryptoError:
    return CryptoError(
        "Die Einrichtungsantwort nennt eine andere Adresse der Gegenstelle als der "
        "Einrichtungscode. Am Koffer wurde nichts geändert.",
        message_en="The enrollment response names another back-end address than the token.",
    )


def verified_credentials(
    answer: Any,
    keys: PendingKeys,
    *,
    ca_sha256: str,
    urls: tuple[str, str] | None = None,
    now: datetime | None = None,
) -> DeviceCredentials:
    """The credentials of a response, after every check (nothing unsigned is used).

    Signature, CA pin and client-certificate chain: :func:`verify_response`.
    Here: the certificate is for our TLS key and our device id, the signed
    device signing key is ours, the HPKE key matches its id, and (online)
    the signed URLs are the token's.
    """
    if not isinstance(answer, dict):
        raise CryptoError(
            "Die Antwort der Gegenstelle ist keine gültige Einrichtungsantwort.",
            message_en="The back end's answer is not a valid enrollment response.",
        )
    checked = verify_response(answer, ca_sha256=ca_sha256, now=now or datetime.now(UTC))
    st = checked.statement
    cert_key = checked.client_cert.public_key()
    if not isinstance(cert_key, identity.PublicKey) or public_key_sha256(
        cert_key
    ) != public_key_sha256(keys.tls_key.public_key()):
        raise _not_ours()
    if tls.common_name(checked.client_cert_pem) != st.device_id:
        raise _not_ours()
    if st.device_signing_key_sha256 != public_key_sha256(keys.signing_key.public_key()):
        raise _not_ours()
    if urls is not None and (st.url.rstrip("/"), st.enroll_url.rstrip("/")) != tuple(
        u.rstrip("/") for u in urls
    ):
        raise _redirected()
    hpke_public = identity.public_key_from_pem(st.hpke_public_key.encode())
    if identity.key_id(hpke_public) != st.hpke_key_id:
        raise CryptoError(
            "Der Schlüssel der Gegenstelle passt nicht zu seiner Kennung.",
            message_en="The back end's key does not match its id.",
        )
    return DeviceCredentials(
        device_id=st.device_id,
        name=st.name,
        backend_url=st.url.rstrip("/"),
        ca_pem=checked.ca_pem,
        client_cert_pem=checked.client_cert_pem,
        tls_key=keys.tls_key,
        signing_key=keys.signing_key,
        hpke_key_id=st.hpke_key_id,
        hpke_public=hpke_public,
        receipt_public=identity.public_key_from_pem(st.receipt_public_key.encode()),
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
    body = {
        "secret": token.secret,
        "url": token.url,
        "enroll_url": token.enroll_url,
        **keys.request(token.name),
    }
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
    try:
        answer = response.json()
    except ValueError as exc:
        raise CryptoError(
            "Die Antwort der Gegenstelle ist keine gültige Einrichtungsantwort.",
            message_en="The back end's answer is not a valid enrollment response.",
        ) from exc
    return verified_credentials(
        answer, keys, ca_sha256=token.ca_sha256, urls=(token.url, token.enroll_url)
    )


def offline_request(keys: PendingKeys, name: str) -> bytes:
    return json.dumps({"kind": "koffer-enrollment-request", "v": 1, **keys.request(name)}).encode()


def require_ca_sha256(value: str | None) -> str:
    """The ``--ca-sha256`` of an offline enrollment: mandatory, 64 hex digits."""
    text = (value or "").strip().lower()
    if not text:
        raise ConfigError(
            "Für die Offline-Einrichtung ist --ca-sha256 nötig: der CA-Fingerabdruck, den "
            "»koffer backend enroll-device« beim Schreiben der Antwort ausgegeben hat. Bitte "
            "übertragen Sie ihn auf einem zweiten Weg (z. B. telefonisch oder auf Papier).",
            message_en="Offline enrollment needs --ca-sha256 (the CA fingerprint).",
        )
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ConfigError(
            "Der CA-Fingerabdruck (--ca-sha256) muss aus 64 Hexadezimalzeichen bestehen. "
            "Bitte prüfen Sie die Eingabe.",
            message_en="The CA fingerprint (--ca-sha256) must be 64 hex digits.",
        )
    return text


def complete_offline(
    keys: PendingKeys,
    response: bytes,
    expected_ca_sha256: str | None,
    *,
    now: datetime | None = None,
) -> DeviceCredentials:
    """Check a response file from the back end.

    :raises ConfigError: ``expected_ca_sha256`` missing or malformed (it is
        mandatory: the file itself travels on an untrusted medium).
    :raises CryptoError: the response fails a check of :func:`verified_credentials`.
    """
    pinned = require_ca_sha256(expected_ca_sha256)
    try:
        answer = json.loads(response)
        if not isinstance(answer, dict) or answer.get("kind") != RESPONSE_KIND:
            raise ValueError("kind")
    except (ValueError, UnicodeError) as exc:
        raise CryptoError(
            "Die Einrichtungsdatei ist keine gültige Antwort der Gegenstelle.",
            message_en="The enrollment file is not a valid back-end response.",
        ) from exc
    return verified_credentials(answer, keys, ca_sha256=pinned, now=now)
