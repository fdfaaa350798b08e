"""Sending one envelope to the back end (httpx, mutual TLS, pinned CA).

:meth:`Transmitter.send` either returns a *verified* receipt or raises:

- :class:`EnvelopeRejected` — the back end refused this envelope for good
  (tampered, unknown key, invalid case, conflicting content). The item is
  marked rejected; its bytes stay on the suitcase.
- :class:`~koffer.errors.FatalTransmissionError` — sending anything further
  in this batch is pointless (back end unreachable, certificate not trusted,
  device revoked or unknown). Items stay sealed.
- :class:`~koffer.errors.TransmissionError` — a transient problem with this
  item (server error, bad receipt); retried after back-off.

All messages are German, with English in ``message_en``.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from typing import Any

import httpx

from koffer.crypto import receipts, sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import CryptoError, FatalTransmissionError, TransmissionError


class EnvelopeRejected(TransmissionError):
    """The back end refused this envelope permanently."""

    def __init__(self, message: str, *, message_en: str, code: str) -> None:
        super().__init__(message, message_en=message_en)
        self.code = code


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


_FATAL_CODES = {"revoked", "unknown_device", "no_client_certificate", "wrong_device"}


def _server_refusal(response: httpx.Response) -> tuple[str, str, str]:
    try:
        doc: Any = response.json()
        return str(doc["code"]), str(doc["message"]), str(doc.get("message_en", doc["message"]))
    except (ValueError, KeyError, TypeError):
        return (
            f"http_{response.status_code}",
            f"Die Gegenstelle hat mit Fehler {response.status_code} geantwortet.",
            f"The back end answered with error {response.status_code}.",
        )


def _tls_error(exc: Exception) -> FatalTransmissionError | None:
    text = str(exc).lower()
    cause = exc.__cause__ or exc.__context__
    while cause is not None:
        text += " " + str(cause).lower()
        cause = cause.__cause__ or cause.__context__
    if "certificate_verify_failed" in text or "certificate verify failed" in text:
        return FatalTransmissionError(
            "Das Zertifikat der Gegenstelle ist nicht vertrauenswürdig. Es wurde nichts "
            "gesendet. Bitte prüfen Sie die Netzwerkverbindung und wenden Sie sich an die "
            "Fachadministration.",
            message_en="The back end's certificate is not trusted. Nothing was sent.",
        )
    if (
        "certificate required" in text
        or "certificate_required" in text
        or "alert" in text
        or "disconnected without sending a response" in text
    ):
        return FatalTransmissionError(
            "Die Gegenstelle hat die Verbindung ohne Antwort beendet. Häufigste Ursache: "
            "das Geräte-Zertifikat fehlt oder wird nicht anerkannt. Der Fall bleibt "
            "gespeichert; bitte richten Sie das Gerät gegebenenfalls neu ein.",
            message_en="The back end closed the connection without an answer, most likely "
            "because the device certificate is missing or not accepted. The case stays queued.",
        )
    return None


class Transmitter:
    """One httpx client bound to the enrolled identity. Use as a context manager.

    :meth:`send` may be called from several threads at once (the outbox does
    so with ``max_in_flight`` > 1); the client keeps one connection per send
    in flight and reuses them (keep-alive).
    """

    def __init__(
        self,
        credentials: DeviceCredentials,
        *,
        timeouts: Timeouts | None = None,
        ssl_context: ssl.SSLContext | None = None,
        base_url: str | None = None,
    ) -> None:
        self._creds = credentials
        ctx = ssl_context or tls.client_context(
            credentials.ca_pem,
            client_cert_pem=credentials.client_cert_pem,
            client_key=credentials.tls_key,
        )
        self._client = httpx.Client(
            base_url=base_url or credentials.backend_url,
            verify=ctx,
            timeout=(timeouts or Timeouts()).to_httpx(),
            http2=False,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Transmitter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def send(self, envelope_id: str, data: bytes, payload_hash: str | None) -> receipts.Receipt:
        """PUT the envelope (idempotent); return the verified receipt."""
        try:
            response = self._client.put(
                f"/v1/envelopes/{envelope_id}",
                content=data,
                headers={"content-type": "application/octet-stream"},
            )
        except httpx.TimeoutException as exc:
            raise FatalTransmissionError(
                "Die Gegenstelle antwortet nicht rechtzeitig. Der Fall bleibt gespeichert "
                "und wird später erneut gesendet.",
                message_en="The back end did not answer in time. The case stays queued.",
            ) from exc
        except httpx.TransportError as exc:
            tls_problem = _tls_error(exc)
            if tls_problem is not None:
                raise tls_problem from exc
            raise FatalTransmissionError(
                "Die Gegenstelle ist nicht erreichbar. Der Fall bleibt gespeichert und wird "
                "gesendet, sobald eine Verbindung besteht.",
                message_en="The back end is not reachable. The case stays queued.",
            ) from exc
        if response.status_code in (200, 201):
            return self._verified(response.content, envelope_id, data, payload_hash)
        code, message, message_en = _server_refusal(response)
        if response.status_code in (401, 403) or code in _FATAL_CODES:
            raise FatalTransmissionError(message, message_en=message_en)
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise EnvelopeRejected(message, message_en=message_en, code=code)
        raise TransmissionError(
            f"Die Gegenstelle meldet einen vorübergehenden Fehler ({response.status_code}). "
            "Der Fall wird später erneut gesendet.",
            message_en=f"The back end reported a temporary error ({response.status_code}).",
        )

    def _verified(
        self, body: bytes, envelope_id: str, data: bytes, payload_hash: str | None
    ) -> receipts.Receipt:
        try:
            receipt = receipts.parse(json.loads(body))
            receipts.verify(
                receipt,
                self._creds.receipt_public,
                envelope_id=envelope_id,
                envelope_hash=sealing.sha256_hex(data),
                payload_hash=payload_hash,
            )
        except (ValueError, CryptoError) as exc:
            raise TransmissionError(
                "Die Empfangsbestätigung der Gegenstelle ist ungültig. Der Fall bleibt "
                "gespeichert und wird erneut gesendet.",
                message_en="The back end's receipt is invalid. The case stays queued.",
            ) from exc
        return receipt

    def reachable(self) -> bool:
        """Whether the back end answers its health check right now."""
        try:
            return self._client.get("/v1/health").status_code == 200
        except httpx.HTTPError:
            return False
