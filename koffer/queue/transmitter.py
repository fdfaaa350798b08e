"""Sending one envelope to the back end (httpx, mutual TLS, pinned CA).

:meth:`Transmitter.send` either returns a *verified* receipt or raises:

- :class:`EnvelopeRejected` — the back end refused this envelope for good: a
  4xx answer carrying the back end's refusal document (tampered, unknown key,
  invalid case, conflicting content), unless it says ``"final": false``. The
  item is marked rejected; its bytes stay on the suitcase. A 4xx without that
  document (a proxy's error page) and 408/425/429 are transient.
- :class:`~koffer.errors.FatalTransmissionError` — sending anything further
  in this batch is pointless (back end unreachable, certificate not trusted,
  device revoked or unknown). Items stay sealed.
- :class:`~koffer.errors.TransmissionError` — a transient problem with this
  item (server error, bad receipt); retried after back-off, never given up.

All messages are German, with English in ``message_en``.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from koffer.crypto import receipts, sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import CryptoError, FatalTransmissionError, TransmissionError
from koffer.queue import clockskew


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


#: 4xx statuses that mean "not now" rather than "never"
_TRANSIENT_4XX = {408, 425, 429}


@dataclass(frozen=True)
class _Refusal:
    code: str
    message: str
    message_en: str
    #: the back end's own refusal document, and it did not say ``"final": false``
    final: bool


def _server_refusal(response: httpx.Response) -> _Refusal | None:
    """The back end's refusal document ``{"code", "message", "message_en"[, "final"]}``.

    None when the body is not one (an error page of a proxy, say): then the
    back end itself has not refused anything.
    """
    try:
        doc: Any = response.json()
        code, message = doc["code"], doc["message"]
        message_en = doc.get("message_en", message)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not all(isinstance(v, str) and v for v in (code, message, message_en)):
        return None
    return _Refusal(code, message, message_en, final=doc.get("final", True) is not False)


def _cert_time_problem(exc: BaseException) -> int | None:
    """OpenSSL's verify code when the handshake failed on the certificate's validity period."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if (
            isinstance(cause, ssl.SSLCertVerificationError)
            and cause.verify_code in clockskew.TIME_VERIFY_CODES
        ):
            return int(cause.verify_code)
        cause = cause.__cause__ or cause.__context__
    return None


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
            "das Geräte-Zertifikat fehlt oder wird nicht anerkannt. Der Vorgang bleibt "
            "gespeichert; bitte richten Sie das Gerät gegebenenfalls neu ein.",
            message_en="The back end closed the connection without an answer, most likely "
            "because the device certificate is missing or not accepted. The case stays queued.",
        )
    return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Transmitter:
    """One httpx client bound to the enrolled identity. Use as a context manager.

    :meth:`send` may be called from several threads at once (the outbox does
    so with ``max_in_flight`` > 1); the client keeps one connection per send
    in flight and reuses them (keep-alive).

    ``clock`` is the suitcase's clock (injected in tests): every answer's
    ``Date`` header is compared with it (:attr:`clock_skew`), and a handshake
    that fails on the certificate's validity period is explained by
    :func:`koffer.queue.clockskew.diagnose` ("Die Uhr des Koffers geht … falsch").
    """

    def __init__(
        self,
        credentials: DeviceCredentials,
        *,
        timeouts: Timeouts | None = None,
        ssl_context: ssl.SSLContext | None = None,
        base_url: str | None = None,
        clock: clockskew.Clock = _utc_now,
        clock_tolerance: float = 120.0,
    ) -> None:
        self._creds = credentials
        self._clock = clock
        self._probe_timeout = (timeouts or Timeouts()).connect
        self._clock_tolerance = timedelta(seconds=clock_tolerance)
        self._base_url = base_url or credentials.backend_url
        #: local clock minus the back end's, from the last answer's ``Date`` (None: no answer yet)
        self.clock_skew: timedelta | None = None
        ctx = ssl_context or tls.client_context(
            credentials.ca_pem,
            client_cert_pem=credentials.client_cert_pem,
            client_key=credentials.tls_key,
        )
        self._client = httpx.Client(
            base_url=self._base_url,
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
            response = self._put(envelope_id, data)
        except httpx.TimeoutException as exc:
            raise FatalTransmissionError(
                "Die Gegenstelle antwortet nicht rechtzeitig. Der Vorgang bleibt gespeichert "
                "und wird später erneut gesendet.",
                message_en="The back end did not answer in time. The case stays queued.",
            ) from exc
        except httpx.TransportError as exc:
            verify_code = _cert_time_problem(exc)
            if verify_code is not None:
                raise self._clock_problem(verify_code) from exc
            tls_problem = _tls_error(exc)
            if tls_problem is not None:
                raise tls_problem from exc
            raise FatalTransmissionError(
                "Die Gegenstelle ist nicht erreichbar. Der Vorgang bleibt gespeichert und wird "
                "gesendet, sobald eine Verbindung besteht.",
                message_en="The back end is not reachable. The case stays queued.",
            ) from exc
        self._note_date(response)
        status = response.status_code
        if status in (200, 201):
            return self._verified(response.content, envelope_id, data, payload_hash)
        refusal = _server_refusal(response)
        if refusal is not None and (status in (401, 403) or refusal.code in _FATAL_CODES):
            raise FatalTransmissionError(refusal.message, message_en=refusal.message_en)
        if (
            refusal is not None
            and refusal.final
            and 400 <= status < 500
            and status not in _TRANSIENT_4XX
        ):
            # the one way out of the queue: the back end said no, for good
            raise EnvelopeRejected(
                refusal.message, message_en=refusal.message_en, code=refusal.code
            )
        if status in (401, 403):
            raise FatalTransmissionError(
                f"Die Gegenstelle verweigert den Zugang (Fehler {status}). Es wurde nichts "
                "gesendet; die Vorgänge bleiben gespeichert und werden später erneut gesendet. "
                "Wenn das so bleibt, wenden Sie sich bitte an die Fachadministration.",
                message_en=f"The back end refused access (error {status}). The cases stay "
                "queued and are sent again later.",
            )
        raise TransmissionError(
            f"Die Gegenstelle meldet einen vorübergehenden Fehler ({status}). Der Vorgang "
            "bleibt gespeichert und wird später automatisch erneut gesendet.",
            message_en=f"The back end reported a temporary error ({status}). The case "
            "stays queued and is sent again automatically.",
        )

    def _put(self, envelope_id: str, data: bytes) -> httpx.Response:
        """The PUT; sent once more on a new connection when a kept-alive one was dropped.

        Behind a TCP load balancer a relay node that dies (or restarts) drops
        the connections it served; the next request on such a connection ends
        "without sending a response". The PUT is idempotent (the same envelope
        gets the same receipt), so it is repeated once at once; a second drop
        is reported as before (most often a refused device certificate).
        """
        path = f"/v1/envelopes/{envelope_id}"
        headers = {"content-type": "application/octet-stream"}
        try:
            return self._client.put(path, content=data, headers=headers)
        except httpx.RemoteProtocolError as exc:
            if "without sending a response" not in str(exc):
                raise
        return self._client.put(path, content=data, headers=headers)

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
                "Die Empfangsbestätigung der Gegenstelle ist ungültig. Der Vorgang bleibt "
                "gespeichert und wird erneut gesendet.",
                message_en="The back end's receipt is invalid. The case stays queued.",
            ) from exc
        return receipt

    def reachable(self) -> bool:
        """Whether the back end answers its health check right now."""
        try:
            response = self._client.get("/v1/health")
        except httpx.HTTPError:
            return False
        self._note_date(response)
        return response.status_code == 200

    def _note_date(self, response: httpx.Response) -> None:
        found = clockskew.skew(self._clock(), response.headers.get("date"))
        if found is not None:
            self.clock_skew = found

    def clock_warning(self) -> TransmissionError | None:
        """A German warning when the last ``Date`` showed the clock off beyond the tolerance."""
        if self.clock_skew is None or abs(self.clock_skew) <= self._clock_tolerance:
            return None
        return clockskew.skew_warning(self.clock_skew)

    def _clock_problem(self, verify_code: int) -> FatalTransmissionError:
        """Why the certificate's validity period failed: ask once more, time check off."""
        ctx = clockskew.time_tolerant(
            tls.client_context(
                self._creds.ca_pem,
                client_cert_pem=self._creds.client_cert_pem,
                client_key=self._creds.tls_key,
            )
        )
        found = clockskew.probe(self._base_url, ctx, timeout=self._probe_timeout)
        if found.server_time is not None:
            self.clock_skew = self._clock() - found.server_time
        return clockskew.diagnose(self._clock(), verify_code, found, self._clock_tolerance)
