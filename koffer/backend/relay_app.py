"""The relay's station routes, added to the two apps of :mod:`koffer.backend.app`.

- Intake port (client certificate REQUIRED; a station's, not a device's):
  ``POST /station/v1/pull`` (body ``{"limit": N}``; answer
  ``{"envelopes": [{"device_id", "envelope_id", "envelope_hash",
  "received_at", "device_enrolled_at", "device_signing_key", "envelope"
  (base64)}]}``, only the station's own tenant) and ``POST /station/v1/ack``
  (``{"items": [{"device_id", "envelope_id", "envelope_hash"}]}`` →
  ``{"acknowledged": N}``).
- Enrollment port (server certificate only): ``POST /station/v1/register``
  (``{"secret", "csr", "hpke_public_key"}`` → station id, tenant, client
  certificate, CA, receipt key). The station has pinned the CA by the
  fingerprint in its token before it sends anything.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from koffer.backend.app import CLIENT_CERT_SCOPE_KEY, _read_body, _refusal
from koffer.backend.refusals import Refusal
from koffer.backend.relay import MAX_PULL, RelayIntake

#: largest station request (an acknowledgement of MAX_PULL items is far below it)
_MAX_REQUEST = 256 * 1024


def _bad_request() -> Refusal:
    return Refusal(
        400,
        "bad_request",
        "Die Anfrage der Station ist unvollständig.",
        "The station's request is incomplete.",
    )


async def _json(request: Request, body_timeout: float) -> dict[str, Any]:
    body = await _read_body(request, _MAX_REQUEST, body_timeout)
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise _bad_request() from exc
    if not isinstance(doc, dict):
        raise _bad_request()
    return doc


def add_station_routes(
    intake_asgi: Starlette, enroll_asgi: Starlette, relay: RelayIntake, body_timeout: float
) -> None:
    async def pull(request: Request) -> Response:
        try:
            doc = await _json(request, body_timeout)
            limit = doc.get("limit", MAX_PULL)
            if not isinstance(limit, int) or isinstance(limit, bool):
                raise _bad_request()
            cert = request.scope.get(CLIENT_CERT_SCOPE_KEY)
            envelopes = await run_in_threadpool(relay.pull, cert, limit)
        except Refusal as exc:
            return _refusal(exc)
        return JSONResponse({"envelopes": envelopes})

    async def ack(request: Request) -> Response:
        try:
            doc = await _json(request, body_timeout)
            raw = doc.get("items")
            if not isinstance(raw, list) or len(raw) > MAX_PULL:
                raise _bad_request()
            items: list[dict[str, str]] = []
            for item in raw:
                if not isinstance(item, dict):
                    raise _bad_request()
                fields = ("device_id", "envelope_id", "envelope_hash")
                if not all(isinstance(item.get(k), str) for k in fields):
                    raise _bad_request()
                items.append({k: str(item[k]) for k in fields})
            cert = request.scope.get(CLIENT_CERT_SCOPE_KEY)
            done = await run_in_threadpool(relay.acknowledge, cert, items)
        except Refusal as exc:
            return _refusal(exc)
        return JSONResponse({"acknowledged": done})

    async def register(request: Request) -> Response:
        try:
            doc = await _json(request, body_timeout)
            try:
                secret = str(doc["secret"])
                csr = str(doc["csr"]).encode()
                hpke_public = str(doc["hpke_public_key"]).encode()
            except KeyError as exc:
                raise _bad_request() from exc
            issued = await run_in_threadpool(relay.register_station, secret, csr, hpke_public)
        except Refusal as exc:
            return _refusal(exc)
        return JSONResponse(issued)

    intake_asgi.router.routes.append(Route("/station/v1/pull", pull, methods=["POST"]))
    intake_asgi.router.routes.append(Route("/station/v1/ack", ack, methods=["POST"]))
    enroll_asgi.router.routes.append(Route("/station/v1/register", register, methods=["POST"]))
