"""The serial link layer of the driver on a real pseudo terminal: every
received frame acknowledged at once, NAK for a bad CRC, a sent frame repeated
at most twice; TCP segmentation and a closed socket."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable, Iterator

import pytest

from koffer.drivers.zvt import codec
from koffer.drivers.zvt.transport import SerialLink, TcpLink
from koffer.errors import DeviceDisconnected, DeviceProtocolError

Peer = Callable[[bytes], bytes]


class PtyPeer:
    """The terminal side as a function: bytes from the ECR in, bytes back."""

    def __init__(self, answer: Peer, first: bytes = b"") -> None:
        self.answer = answer
        self.first = first
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def send_first(self) -> None:
        os.write(self.master, self.first)

    def wait_received(self, size: int) -> bytes:
        """What the ECR sent, once at least ``size`` bytes are in (or after 5 s)."""
        deadline = time.monotonic() + 5.0
        while len(self.received) < size and time.monotonic() < deadline:
            time.sleep(0.01)
        return bytes(self.received)

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if not ready:
                continue
            data = os.read(self.master, 4096)
            self.received += data
            reply = self.answer(data)
            if reply:
                os.write(self.master, reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def make_peer() -> Iterator[Callable[..., PtyPeer]]:
    peers: list[PtyPeer] = []

    def make(answer: Peer, first: bytes = b"") -> PtyPeer:
        peer = PtyPeer(answer, first)
        peers.append(peer)
        return peer

    yield make
    for peer in peers:
        peer.close()


ACK = bytes([codec.ACK])
NAK = bytes([codec.NAK])


def test_a_nak_makes_the_frame_go_again(make_peer: Callable[..., PtyPeer]) -> None:
    answers = [NAK, ACK]
    peer = make_peer(lambda data: answers.pop(0) if answers else b"")
    link = SerialLink(peer.path, ack_timeout=1.0)
    link.open()
    try:
        link.send(codec.abort())
        frame = codec.encode_frame(codec.abort())
        assert peer.wait_received(2 * len(frame)) == frame + frame
    finally:
        link.close()


def test_no_ack_after_two_repeats_is_a_transmission_error(
    make_peer: Callable[..., PtyPeer],
) -> None:
    peer = make_peer(lambda data: NAK)
    link = SerialLink(peer.path, ack_timeout=0.3)
    link.open()
    try:
        with pytest.raises(DeviceProtocolError) as info:
            link.send(codec.abort())
        assert "Übertragungsfehler" in info.value.message
        frame = codec.encode_frame(codec.abort())
        assert peer.wait_received(3 * len(frame)) == frame * 3
    finally:
        link.close()


def test_received_frames_are_acknowledged_and_bad_ones_refused(
    make_peer: Callable[..., PtyPeer],
) -> None:
    good = codec.encode_frame(codec.ACK_APDU)
    bad = good[:-1] + bytes([good[-1] ^ 0xFF])
    peer = make_peer(lambda data: b"", bad + good)
    link = SerialLink(peer.path, ack_timeout=0.5)
    link.open()
    try:
        peer.send_first()
        assert link.receive(2.0) == codec.ACK_APDU
        assert peer.wait_received(2) == NAK + ACK
        assert link.receive(0.1) is None
    finally:
        link.close()


def test_a_terminal_that_keeps_sending_bad_frames_is_a_protocol_error(
    make_peer: Callable[..., PtyPeer],
) -> None:
    bad = codec.encode_frame(codec.ACK_APDU)[:-1] + b"\x00"
    peer = make_peer(lambda data: bad if data == NAK else b"", bad)
    link = SerialLink(peer.path, ack_timeout=0.5)
    link.open()
    try:
        peer.send_first()
        with pytest.raises(DeviceProtocolError) as info:
            link.receive(3.0)
        assert "Prüfsumme" in info.value.message
        assert peer.wait_received(2) == NAK + NAK
    finally:
        link.close()


def test_tcp_reassembles_segments_and_reports_a_closed_socket() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    apdu = codec.encode_apdu(0x06, 0xD3, bytes(300))  # the FF lo hi length form

    def serve() -> None:
        conn, _ = listener.accept()
        for start in range(0, len(apdu), 7):
            conn.sendall(apdu[start : start + 7])
        conn.sendall(codec.ACK_APDU[:2])
        conn.sendall(codec.ACK_APDU[2:])
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    link = TcpLink("127.0.0.1", listener.getsockname()[1])
    link.open()
    try:
        assert link.receive(2.0) == apdu
        assert link.receive(2.0) == codec.ACK_APDU
        with pytest.raises(DeviceDisconnected):
            link.receive(2.0)
        assert not link.is_open
    finally:
        link.close()
        thread.join(timeout=2)
        listener.close()
