"""The back end's connections do not wait for delayed ACKs (TCP_NODELAY)."""

from __future__ import annotations

import asyncio
import socket

from koffer.backend.server import bind


def _accepted_nodelay(listener: socket.socket) -> int:
    """TCP_NODELAY of the server side of one connection accepted by asyncio."""

    async def scenario() -> int:
        seen: list[int] = []

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _reader, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    return asyncio.run(scenario())


def test_connections_accepted_on_the_back_end_socket_have_nodelay() -> None:
    assert _accepted_nodelay(bind("127.0.0.1", 0)) != 0


def test_a_protocol_0_listener_would_leave_nagle_on() -> None:
    """The control: without IPPROTO_TCP asyncio does not set TCP_NODELAY."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    assert _accepted_nodelay(listener) == 0
