"""The back end's HTTP/1.1 protocol: uvicorn's h11 protocol plus two duties.

- **Request-head deadline.** uvicorn has no timeout for an incomplete request:
  its keep-alive timer only covers the idle time between requests and is
  cancelled by the first byte received, so a client that trickles a request
  head (slowloris) or says nothing after the TLS handshake keeps the
  connection open for ever. Here the request head must be complete within
  ``header_timeout`` seconds, counted from the connection (after the TLS
  handshake) and, on a kept-alive connection, from the first byte of each
  further request. Otherwise the connection is aborted. The deadline ends with
  the head: the body and the application's work are not limited by it.
- **Peer certificate.** uvicorn does not pass the client certificate to the
  app, so the DER client certificate is put into the ASGI scope under
  :data:`koffer.backend.app.CLIENT_CERT_SCOPE_KEY` for every request.

uvicorn builds one protocol object per connection from a class; use
:func:`protocol_class` to get one for a given deadline.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from koffer.backend import app as app_module

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]


class KofferH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head deadline and the peer certificate."""

    #: seconds a client has to complete a request head (set by :func:`protocol_class`)
    header_timeout: float = 10.0

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._head_timer: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------ uvicorn hooks

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._attach_peer_cert(transport)
        self._arm_head_deadline()

    def data_received(self, data: bytes) -> None:
        if self._head_timer is None and self.conn.their_state is h11.IDLE:
            self._arm_head_deadline()  # first byte of a further request
        super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._disarm_head_deadline()  # the head is complete (or the connection is over)
        elif self._head_timer is None and self.conn.trailing_data[0]:
            self._arm_head_deadline()  # a pipelined request has begun

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)

    # ------------------------------------------------------------ the deadline

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_deadline_passed)

    def _disarm_head_deadline(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_deadline_passed(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        log.info(
            "closing a connection: request head not complete within %.1f s", self.header_timeout
        )
        # abort, not close: a TLS close waits for the peer's close_notify, which
        # a hostile client may withhold
        self.transport.abort()

    # ------------------------------------------------------------ peer certificate

    def _attach_peer_cert(self, transport: asyncio.Transport) -> None:
        ssl_object = transport.get_extra_info("ssl_object")
        cert = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        inner = self.app

        async def with_cert(
            scope: Scope,
            receive: Callable[[], Awaitable[Any]],
            send: Callable[[Any], Awaitable[None]],
        ) -> None:
            scope[app_module.CLIENT_CERT_SCOPE_KEY] = cert
            await inner(scope, receive, send)

        self.app = with_cert


def protocol_class(header_timeout: float) -> type[KofferH11Protocol]:
    """A :class:`KofferH11Protocol` subclass with ``header_timeout`` seconds."""
    return type(
        "KofferH11ProtocolWithDeadline", (KofferH11Protocol,), {"header_timeout": header_timeout}
    )
