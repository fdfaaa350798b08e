"""Reading one HTTP/1.1 response from a raw (TLS) socket, for tests that send bytes by hand."""

from __future__ import annotations

import socket


def read_response(sock: socket.socket, timeout: float = 10.0) -> tuple[bytes, bytes]:
    """Head and Content-Length body of one response (fails if the peer closes early)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        assert part, f"closed after {data!r}"
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        part = sock.recv(65536)
        assert part
        body += part
    return head, body
