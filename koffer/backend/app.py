"""The back end's two ASGI apps (Starlette).

- **Intake** (client certificate REQUIRED by TLS): ``PUT /v1/envelopes/{id}``
  (body: envelope bytes; answer: signed receipt JSON, 201 new / 200 replay,
  4xx refusal JSON ``{"code", "message", "message_en"}``), ``GET /v1/keys``
  (current sealing key, receipt key) and ``GET /v1/health``.
- **Enrollment** (server certificate only, on its own port):
  ``GET /enroll/v1/ca`` (the CA certificate; the suitcase checks its SHA-256
  against the fingerprint in the token before trusting it) and
  ``POST /enroll/v1/device`` (one-time secret + CSR + device signing key +
  the token's URLs → client certificate and a statement of sealing key,
  receipt key, device id and URLs signed by the CA key, see
  :mod:`koffer.backend.enrollment_response`).

The client certificate reaches the app through the ASGI scope key
:data:`CLIENT_CERT_SCOPE_KEY`, set by :mod:`koffer.backend.server`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from koffer.backend.enrollment_response import signed_response
from koffer.backend.refusals import Refusal, storage_failed
from koffer.backend.service import Intake, IntakeResult
from koffer.crypto.enrollment import ONLINE_VALIDITY

log = logging.getLogger(__name__)

CLIENT_CERT_SCOPE_KEY = "koffer.client_cert_der"
MAX_ENVELOPE = 64 * 1024 * 1024
#: applied with ``fullmatch``: ``$`` would let ``<uuid>%0A`` through
_ID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _refusal(exc: Refusal) -> JSONResponse:
    headers = None if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
    return JSONResponse(exc.to_json(), status_code=exc.status, headers=headers)


@dataclass(frozen=True)
class IntakeLimits:
    """How much of the intake's memory one request, and all large ones together, may use."""

    #: largest envelope accepted (bytes); a larger ``Content-Length`` is refused unread
    max_envelope: int = MAX_ENVELOPE
    #: a body above this size goes to a temporary file in the data directory, not to memory
    spool_threshold: int = 1024 * 1024
    #: large bodies received or opened at the same time; one more is answered 503 +
    #: ``Retry-After`` (its body is read and discarded, so the client gets the answer)
    max_large_bodies: int = 4
    #: large envelopes opened (decrypted, validated) at the same time; each needs a few
    #: times its size in memory for a moment
    max_large_open: int = 1
    #: seconds the client is asked to wait after a 503 "busy"
    retry_after: int = 30


def _too_large() -> Refusal:
    return Refusal(413, "too_large", "Der Umschlag ist zu groß.", "The envelope is too large.")


def _stalled() -> Refusal:
    return Refusal(
        408,
        "body_timeout",
        "Der Umschlag kam nicht vollständig an: die Verbindung stockte. Er wird später "
        "erneut gesendet.",
        "The envelope did not arrive completely: the connection stalled.",
    )


def _busy(retry_after: int) -> Refusal:
    return Refusal(
        503,
        "busy",
        "Die Gegenstelle nimmt gerade viele große Umschläge an. Der Umschlag bleibt im "
        "Koffer gespeichert und wird später erneut gesendet.",
        "The back end is receiving many large envelopes right now; it will be sent again.",
        retry_after=retry_after,
    )


def _declared_length(request: Request) -> int | None:
    """``Content-Length`` as a number (None when absent); a malformed one is refused."""
    raw = request.headers.get("content-length")
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise Refusal(
            400, "bad_length", "Die Längenangabe der Anfrage ist ungültig.", "Bad Content-Length."
        )
    return int(raw)


class _LargeBodies:
    """Counts large bodies in flight (event loop) and gates their opening (worker threads)."""

    def __init__(self, limits: IntakeLimits) -> None:
        self.limits = limits
        self._in_flight = 0
        self._lock = threading.Lock()
        self._open = threading.BoundedSemaphore(limits.max_large_open)

    def try_enter(self) -> bool:
        with self._lock:
            if self._in_flight >= self.limits.max_large_bodies:
                return False
            self._in_flight += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def opening(self) -> threading.BoundedSemaphore:
        return self._open


class _Body:
    """A request body: bytes in memory, or a temporary file (mode 0600, deleted on close)."""

    def __init__(self) -> None:
        self.memory: list[bytes] = []
        self.file: IO[bytes] | None = None
        self.size = 0
        self.large = False

    def read(self) -> bytes:
        if self.file is None:
            return b"".join(self.memory)
        self.file.seek(0)
        return self.file.read()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        self.memory = []


async def _drain(request: Request, limit: int, stall_timeout: float) -> None:
    """Read and discard the rest of the body (so that a refusal reaches the client)."""
    stream = aiter(request.stream())
    size = 0
    while size <= limit:
        try:
            chunk = await asyncio.wait_for(anext(stream), stall_timeout)
        except (StopAsyncIteration, TimeoutError):
            return
        size += len(chunk)


async def _spool_body(
    request: Request, gate: _LargeBodies, spool_dir: Path, stall_timeout: float
) -> _Body:
    """The body, in memory while small and in a temporary file once large.

    Refused before buffering: a ``Content-Length`` above the limit (413), a
    large body while :attr:`IntakeLimits.max_large_bodies` others are in
    flight (503 with ``Retry-After``), a stall (408). The caller closes the
    body and, if :attr:`_Body.large`, calls :meth:`_LargeBodies.leave`.
    """
    limits = gate.limits
    declared = _declared_length(request)
    if declared is not None and declared > limits.max_envelope:
        raise _too_large()
    body = _Body()
    try:
        if declared is not None and declared > limits.spool_threshold:
            await _go_large(request, body, gate, spool_dir, stall_timeout)
        stream = aiter(request.stream())
        while True:
            try:
                chunk = await asyncio.wait_for(anext(stream), stall_timeout)
            except StopAsyncIteration:
                break
            except TimeoutError as exc:
                raise _stalled() from exc
            body.size += len(chunk)
            if body.size > limits.max_envelope:
                raise _too_large()
            if body.file is None and body.size > limits.spool_threshold:
                await _go_large(request, body, gate, spool_dir, stall_timeout)
            if body.file is not None:
                body.file.write(chunk)
            else:
                body.memory.append(chunk)
        return body
    except OSError as exc:
        # the spool file cannot be made or written (disk full): retry later
        body.close()
        if body.large:
            gate.leave()
        log.error("intake: spooling a request body failed: %s", type(exc).__name__)
        raise storage_failed() from exc
    except BaseException:
        body.close()
        if body.large:
            gate.leave()
        raise


async def _go_large(
    request: Request, body: _Body, gate: _LargeBodies, spool_dir: Path, stall_timeout: float
) -> None:
    if not gate.try_enter():
        await _drain(request, gate.limits.max_envelope, stall_timeout)
        raise _busy(gate.limits.retry_after)
    body.large = True
    body.file = tempfile.TemporaryFile(dir=spool_dir, prefix="intake-")
    for piece in body.memory:
        body.file.write(piece)
    body.memory = []


#: default seconds a request body may stall (no byte arriving) before it is refused
BODY_TIMEOUT = 30.0


async def _read_body(request: Request, limit: int, stall_timeout: float) -> bytes:
    """The whole body; refused when larger than ``limit`` or stalled for ``stall_timeout`` s.

    The time limit is on the gap between two pieces of the body, not on the
    whole body, so that a large envelope on a slow but working link arrives,
    while a client that stops sending does not hold a connection and a
    thread's worth of memory for ever.
    """
    chunks: list[bytes] = []
    size = 0
    stream = aiter(request.stream())
    while True:
        try:
            chunk = await asyncio.wait_for(anext(stream), stall_timeout)
        except StopAsyncIteration:
            break
        except TimeoutError as exc:
            raise Refusal(
                408,
                "body_timeout",
                "Der Umschlag kam nicht vollständig an: die Verbindung stockte. Er wird später "
                "erneut gesendet.",
                "The envelope did not arrive completely: the connection stalled.",
            ) from exc
        size += len(chunk)
        if size > limit:
            raise Refusal(
                413,
                "too_large",
                "Der Umschlag ist zu groß.",
                "The envelope is too large.",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def intake_app(
    intake: Intake,
    *,
    spool_dir: Path,
    body_timeout: float = BODY_TIMEOUT,
    limits: IntakeLimits | None = None,
) -> Starlette:
    """The intake app; large request bodies are spooled to files in ``spool_dir`` (0700)."""
    gate = _LargeBodies(limits if limits is not None else IntakeLimits())
    spool_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if spool_dir.stat().st_mode & 0o777 != 0o700:
        # only when needed: relay nodes may run on a read-only data directory
        # whose spool/ alone is writable (docs/scale-out.md)
        spool_dir.chmod(0o700)

    def receive(envelope_id: str, body: _Body, cert: bytes | None) -> Callable[[], IntakeResult]:
        def run() -> IntakeResult:
            if not body.large:
                return intake.receive(envelope_id, body.read(), cert)
            with gate.opening():
                return intake.receive(envelope_id, body.read(), cert)

        return run

    async def put_envelope(request: Request) -> Response:
        envelope_id = str(request.path_params["envelope_id"])
        try:
            if not _ID_RE.fullmatch(envelope_id):
                raise Refusal(400, "bad_id", "Ungültige Umschlagnummer.", "Invalid envelope id.")
            cert = request.scope.get(CLIENT_CERT_SCOPE_KEY)
            body = await _spool_body(request, gate, spool_dir, body_timeout)
            try:
                result = await run_in_threadpool(receive(envelope_id, body, cert))
            finally:
                body.close()
                if body.large:
                    gate.leave()
        except Refusal as exc:
            return _refusal(exc)
        return Response(result.receipt, status_code=result.status, media_type="application/json")

    async def keys(_request: Request) -> Response:
        return JSONResponse(intake.public_material())

    async def health(_request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/v1/envelopes/{envelope_id}", put_envelope, methods=["PUT"]),
            Route("/v1/keys", keys, methods=["GET"]),
            Route("/v1/health", health, methods=["GET"]),
        ]
    )


def enrollment_app(intake: Intake, *, body_timeout: float = BODY_TIMEOUT) -> Starlette:
    async def ca(_request: Request) -> Response:
        return PlainTextResponse(
            intake.public_material()["ca_cert"], media_type="application/x-pem-file"
        )

    async def device(request: Request) -> Response:
        try:
            body = await _read_body(request, 64 * 1024, body_timeout)
            try:
                doc: dict[str, Any] = json.loads(body)
                secret = str(doc["secret"])
                csr = str(doc["csr"]).encode()
                signing_key = str(doc["signing_key"]).encode()
                url, enroll_url = str(doc["url"]), str(doc["enroll_url"])
                if not (url.startswith("https://") and enroll_url.startswith("https://")):
                    raise ValueError("url")
            except (ValueError, KeyError, TypeError) as exc:
                raise Refusal(
                    400,
                    "bad_request",
                    "Die Einrichtungsanfrage ist unvollständig.",
                    "The enrollment request is incomplete.",
                ) from exc
            issued = await run_in_threadpool(intake.enroll, secret, csr, signing_key)
        except Refusal as exc:
            return _refusal(exc)
        signed = signed_response(
            intake.keys,
            issued,
            signing_key_pem=signing_key,
            url=url,
            enroll_url=enroll_url,
            validity=ONLINE_VALIDITY,
        )
        return JSONResponse(signed)

    return Starlette(
        routes=[
            Route("/enroll/v1/ca", ca, methods=["GET"]),
            Route("/enroll/v1/device", device, methods=["POST"]),
        ]
    )
