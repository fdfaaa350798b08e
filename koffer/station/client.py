"""The station's side of the relay's HTTP interface (see :mod:`koffer.backend.relay_app`).

Registration pins the relay's CA by the fingerprint in the station token
before anything is sent (as the suitcase's enrollment does), then posts the
one-time secret, a CSR for the station's TLS key and the tenant's HPKE public
key over a connection that trusts only that CA. Pull and acknowledgement use
mutual TLS with the station's own client certificate.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from koffer.crypto import identity, tls
from koffer.crypto.enrollment import EnrollmentToken
from koffer.errors import CryptoError, TransmissionError


def _unreachable(exc: Exception) -> TransmissionError:
    return TransmissionError(
        f"Die Weiterleitungsstelle ist nicht erreichbar ({type(exc).__name__}). Bitte "
        "prüfen Sie die Verbindung und versuchen Sie es erneut.",
        message_en="The relay cannot be reached.",
    )


def _refused(response: httpx.Response) -> TransmissionError:
    try:
        doc = response.json()
        message, message_en = str(doc["message"]), str(doc["message_en"])
    except (ValueError, KeyError, TypeError):
        message = f"Die Weiterleitungsstelle hat abgelehnt (Fehler {response.status_code})."
        message_en = f"The relay refused (error {response.status_code})."
    return TransmissionError(message, message_en=message_en)


def _json(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise _refused(response)
    try:
        doc = response.json()
    except ValueError as exc:
        raise _bad_answer() from exc
    if not isinstance(doc, dict):
        raise _bad_answer()
    return doc


def _bad_answer() -> CryptoError:
    return CryptoError(
        "Die Antwort der Weiterleitungsstelle ist unvollständig oder ungültig.",
        message_en="The relay's answer is incomplete or invalid.",
    )


def fetch_pinned_ca(token: EnrollmentToken, timeout: float = 10.0) -> bytes:
    """The relay's CA, accepted only if its SHA-256 matches the token's."""
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
    if tls.fingerprint(response.content) != token.ca_sha256:
        raise CryptoError(
            "Die Weiterleitungsstelle weist sich mit einem unerwarteten Zertifikat aus. Die "
            "Einrichtung wurde abgebrochen; bitte prüfen Sie den Stationscode und das Netz.",
            message_en="The relay presented an unexpected certificate. Set-up aborted.",
        )
    return response.content


def register(
    token: EnrollmentToken,
    tls_key: identity.PrivateKey,
    hpke_public: identity.PublicKey,
    timeout: float = 10.0,
) -> tuple[bytes, dict[str, Any]]:
    """Register the station; returns the pinned CA and the relay's answer (checked)."""
    ca_pem = fetch_pinned_ca(token, timeout)
    body = {
        "secret": token.secret,
        "csr": tls.make_csr(tls_key, "station").decode(),
        "hpke_public_key": identity.public_key_to_pem(hpke_public).decode(),
    }
    try:
        with httpx.Client(
            verify=tls.client_context(ca_pem), timeout=timeout, trust_env=False
        ) as client:
            response = client.post(f"{token.enroll_url}/station/v1/register", json=body)
    except httpx.HTTPError as exc:
        raise _unreachable(exc) from exc
    answer = _json(response)
    try:
        cert_pem = str(answer["client_cert"]).encode()
        cert_key = tls.cert_from_pem(cert_pem).public_key()
        identity.public_key_from_pem(str(answer["receipt_public_key"]).encode())
        tenant, station_id = str(answer["tenant"]), str(answer["station_id"])
        key_id = str(answer["hpke_key_id"])
    except (KeyError, TypeError, CryptoError) as exc:
        raise _bad_answer() from exc
    if (
        not isinstance(cert_key, identity.PublicKey)
        or identity.key_id(cert_key) != identity.key_id(tls_key.public_key())
        or tls.common_name(cert_pem) != station_id
        or key_id != identity.key_id(hpke_public)
        or tenant != token.name
    ):
        raise _bad_answer()
    return ca_pem, answer


class RelayClient:
    """Pull and acknowledge over mutual TLS with the station's certificate."""

    def __init__(
        self,
        url: str,
        ca_pem: bytes,
        client_cert_pem: bytes,
        tls_key: identity.PrivateKey,
        timeout: float = 30.0,
    ) -> None:
        ctx = tls.client_context(ca_pem, client_cert_pem=client_cert_pem, client_key=tls_key)
        self._client = httpx.Client(base_url=url, verify=ctx, timeout=timeout, trust_env=False)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.post(path, json=body)
        except httpx.HTTPError as exc:
            raise _unreachable(exc) from exc
        return _json(response)

    def pull(self, limit: int) -> list[dict[str, Any]]:
        envelopes = self._post("/station/v1/pull", {"limit": limit}).get("envelopes")
        if not isinstance(envelopes, list) or not all(isinstance(e, dict) for e in envelopes):
            raise _bad_answer()
        return envelopes

    def acknowledge(self, items: list[dict[str, str]]) -> int:
        done = self._post("/station/v1/ack", {"items": items}).get("acknowledged")
        if not isinstance(done, int):
            raise _bad_answer()
        return done
