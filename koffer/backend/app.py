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
import re
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from koffer.backend.enrollment_response import signed_response
from koffer.backend.service import Intake, Refusal
from koffer.crypto.enrollment import ONLINE_VALIDITY

CLIENT_CERT_SCOPE_KEY = "koffer.client_cert_der"
MAX_ENVELOPE = 64 * 1024 * 1024
_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _refusal(exc: Refusal) -> JSONResponse:
    return JSONResponse(exc.to_json(), status_code=exc.status)


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


def intake_app(intake: Intake, *, body_timeout: float = BODY_TIMEOUT) -> Starlette:
    async def put_envelope(request: Request) -> Response:
        envelope_id = str(request.path_params["envelope_id"])
        try:
            if not _ID_RE.match(envelope_id):
                raise Refusal(400, "bad_id", "Ungültige Umschlagnummer.", "Invalid envelope id.")
            cert = request.scope.get(CLIENT_CERT_SCOPE_KEY)
            body = await _read_body(request, MAX_ENVELOPE, body_timeout)
            result = await run_in_threadpool(intake.receive, envelope_id, body, cert)
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
