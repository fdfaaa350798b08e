"""A stalled request body is refused with 408 after ``[backend] body_timeout_seconds``.

Real loopback TLS against :class:`koffer.backend.server.BackendServer`; raw TLS
sockets send the body piece by piece.
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.server_settings import ServerSettings
from koffer.backend.validation import accept_any
from koffer.config import Config
from koffer.crypto import tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment.enroll import PendingKeys, complete_offline, offline_request
from koffer.errors import ConfigError
from tests.unit.raw_http import read_response

STALL = 0.6


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    BackendDir(tmp_path / "backend").init("https://127.0.0.1:1")
    with Backend.open(tmp_path / "backend", validator=accept_any) as backend:
        yield backend


@pytest.fixture
def server(backend: Backend) -> Iterator[BackendServer]:
    config = Config(raw={"backend": {"body_timeout_seconds": STALL}})
    with BackendServer(backend, settings=ServerSettings.from_config(config)) as srv:
        yield srv


def _device(backend: Backend) -> DeviceCredentials:
    keys = PendingKeys.generate()
    return complete_offline(
        keys,
        backend.enroll_offline("k1", offline_request(keys, "k1")),
        tls.fingerprint(backend.intake.keys.ca_pem),
    )


def _connect(ctx: ssl.SSLContext, port: int) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def _answer(sock: ssl.SSLSocket) -> tuple[int, dict[str, str]]:
    """Status and JSON body of one response."""
    head, body = read_response(sock)
    return int(head.split()[1]), json.loads(body)


def _put_head(envelope_id: str, length: int) -> bytes:
    return (
        f"PUT /v1/envelopes/{envelope_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def test_a_stalled_envelope_is_refused_with_408(backend: Backend, server: BackendServer) -> None:
    creds = _device(backend)
    ctx = tls.client_context(
        creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
    )
    sock = _connect(ctx, server.port)
    try:
        start = time.monotonic()
        sock.sendall(_put_head("00000000-0000-4000-8000-000000000001", 10_000) + b"x" * 100)
        status, body = _answer(sock)
        waited = time.monotonic() - start
    finally:
        sock.close()
    assert status == 408
    assert body["code"] == "body_timeout"
    assert "erneut gesendet" in body["message"] and body["message_en"]
    assert STALL * 0.9 <= waited < STALL + 5
    # nothing half-received was stored: the back end still answers and has no case
    assert backend.intake.stats()["total"] == 0


def test_a_slow_but_steady_body_is_not_cut_off(backend: Backend, server: BackendServer) -> None:
    """The limit is on the gap between pieces, not on the whole body."""
    ctx = tls.client_context(backend.intake.public_material()["ca_cert"].encode())
    body = json.dumps({"secret": "wrong", "csr": "x", "signing_key": "y"}).encode()
    head = (
        "POST /enroll/v1/device HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock = _connect(ctx, server.enroll_port)
    try:
        sock.sendall(head)
        pieces = [body[i : i + 8] for i in range(0, len(body), 8)]
        step = STALL / 3
        for piece in pieces:  # longer in total than STALL, never a gap of STALL
            sock.sendall(piece)
            time.sleep(step)
        assert len(pieces) * step > STALL
        status, answer = _answer(sock)
    finally:
        sock.close()
    assert status != 408, answer
    assert answer["code"] != "body_timeout"


def test_the_setting_is_checked() -> None:
    assert ServerSettings().body_timeout == 30.0
    with pytest.raises(ConfigError, match="body_timeout_seconds"):
        ServerSettings.from_config(Config(raw={"backend": {"body_timeout_seconds": 0}}))
