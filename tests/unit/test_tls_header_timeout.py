"""The request-head deadline of the back end (koffer.backend.http_protocol), on real loopback TLS.

The enrollment port needs no client certificate, so raw TLS sockets can speak
HTTP/1.1 to it byte by byte.
"""

from __future__ import annotations

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
from koffer.errors import ConfigError
from tests.unit.raw_http import read_response

TIMEOUT = 0.5
HEALTH = b"GET /enroll/v1/ca HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    BackendDir(tmp_path / "backend").init("https://127.0.0.1:1")
    with Backend.open(tmp_path / "backend", validator=accept_any) as backend:
        yield backend


@pytest.fixture
def server(backend: Backend) -> Iterator[BackendServer]:
    config = Config(raw={"backend": {"header_timeout_seconds": TIMEOUT}})
    with BackendServer(backend, settings=ServerSettings.from_config(config)) as srv:
        yield srv


def _connect(backend: Backend, server: BackendServer) -> ssl.SSLSocket:
    ctx = tls.client_context(backend.intake.public_material()["ca_cert"].encode())
    raw = socket.create_connection(("127.0.0.1", server.enroll_port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def _wait_closed(sock: ssl.SSLSocket, limit: float) -> float:
    """Seconds until the server closed the connection (fails if it does not within limit)."""
    start = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        pytest.fail(f"connection still open after {limit} s")
    except (ConnectionError, ssl.SSLError):
        pass  # aborted: reset or TLS EOF without close_notify
    return time.monotonic() - start


def _response(sock: ssl.SSLSocket) -> bytes:
    """The head of one complete response (its body read as well)."""
    return read_response(sock)[0]


def test_partial_head_is_cut_off_after_the_timeout(backend: Backend, server: BackendServer) -> None:
    sock = _connect(backend, server)
    try:
        start = time.monotonic()
        sock.sendall(b"GET /enroll/v1/ca HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        elapsed = _wait_closed(sock, TIMEOUT + 5)
    finally:
        sock.close()
    assert time.monotonic() - start >= TIMEOUT * 0.9
    assert elapsed < TIMEOUT + 5


def test_silence_after_the_handshake_is_cut_off(backend: Backend, server: BackendServer) -> None:
    sock = _connect(backend, server)
    try:
        start = time.monotonic()
        _wait_closed(sock, TIMEOUT + 5)
    finally:
        sock.close()
    assert time.monotonic() - start >= TIMEOUT * 0.9


def test_a_head_trickled_in_time_is_answered(backend: Backend, server: BackendServer) -> None:
    sock = _connect(backend, server)
    try:
        for piece in (HEALTH[:10], HEALTH[10:30], HEALTH[30:]):
            sock.sendall(piece)
            time.sleep(TIMEOUT / 5)
        assert _response(sock).startswith(b"HTTP/1.1 200")
    finally:
        sock.close()


def test_idle_keep_alive_is_not_cut_but_the_next_head_is_timed(
    backend: Backend, server: BackendServer
) -> None:
    sock = _connect(backend, server)
    try:
        sock.sendall(HEALTH)
        assert _response(sock).startswith(b"HTTP/1.1 200")
        time.sleep(TIMEOUT * 2.5)  # idle: the keep-alive timeout (30 s) applies, not the deadline
        sock.sendall(HEALTH)
        assert _response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /enroll/v1/ca HTTP/1.1\r\n")  # a third head that never completes
        start = time.monotonic()
        _wait_closed(sock, TIMEOUT + 5)
    finally:
        sock.close()
    assert time.monotonic() - start >= TIMEOUT * 0.9


def test_a_slow_body_is_not_limited_by_the_head_deadline(
    backend: Backend, server: BackendServer
) -> None:
    body = b'{"secret": "x"}'
    sock = _connect(backend, server)
    try:
        sock.sendall(
            b"POST /enroll/v1/device HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        time.sleep(TIMEOUT * 2)
        sock.sendall(body)
        status = _response(sock).split(b" ", 2)[1]
    finally:
        sock.close()
    assert status.startswith(b"4"), status  # answered (refused: no such secret), not aborted


def test_server_keeps_serving_after_cutting_off(backend: Backend, server: BackendServer) -> None:
    stalled = [_connect(backend, server) for _ in range(5)]
    try:
        for sock in stalled:
            sock.sendall(b"GET / HTTP/1.1\r\n")
        for sock in stalled:
            _wait_closed(sock, TIMEOUT + 5)
    finally:
        for sock in stalled:
            sock.close()
    sock = _connect(backend, server)
    try:
        sock.sendall(HEALTH)
        assert _response(sock).startswith(b"HTTP/1.1 200")
    finally:
        sock.close()


# ---------------------------------------------------------------- settings


def test_settings_defaults_and_values() -> None:
    assert ServerSettings.from_config(Config()) == ServerSettings(10.0, 30)
    config = Config(raw={"backend": {"header_timeout_seconds": 2, "keep_alive_timeout_seconds": 5}})
    assert ServerSettings.from_config(config) == ServerSettings(2.0, 5)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"header_timeout_seconds": 0}, "header_timeout_seconds muss mindestens"),
        ({"header_timeout_seconds": "10"}, "header_timeout_seconds muss eine Zahl"),
        ({"keep_alive_timeout_seconds": 1.5}, "keep_alive_timeout_seconds muss eine ganze Zahl"),
        ({"header_timeout": 10}, "unbekannter Schlüssel 'header_timeout'"),
    ],
)
def test_bad_settings_are_refused_in_german(table: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        ServerSettings.from_config(Config(raw={"backend": table}))
    assert words in info.value.message
    assert "[backend]" in info.value.message
    assert info.value.message_en
