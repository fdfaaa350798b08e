"""The back end's connections do not wait for delayed ACKs (TCP_NODELAY)."""

from __future__ import annotations

import asyncio
import socket

from koffer.backend.http_protocol import set_nodelay
from koffer.backend.server import bind


def test_listening_socket_is_tcp_so_asyncio_sets_nodelay_on_accept() -> None:
    sock = bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_accepted_connection_gets_nodelay() -> None:
    async def scenario() -> tuple[int, int]:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # protocol 0
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        seen: list[tuple[int, int]] = []

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                before = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                set_nodelay(transport)
                after = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                seen.append((before, after))
                transport.close()

        loop = asyncio.get_running_loop()
        server = await loop.create_server(Probe, sock=listener)
        _reader, writer = await asyncio.open_connection(*listener.getsockname())
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    before, after = asyncio.run(scenario())
    assert before == 0  # a protocol-0 listener: asyncio left Nagle on
    assert after != 0
