"""The links that carry the ZVT simulator: a TCP server and a pseudo-terminal.

The real driver talks to :class:`TcpServer` through a socket on loopback and
to :class:`PtyServer` through pyserial on the pty's slave end, exactly as to
a terminal on the network or on RS-232. The terminal itself is
:class:`~koffer.drivers.zvt.simulator.ZvtSimulator`.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType

from koffer.drivers.zvt import codec
from koffer.drivers.zvt.sim_link import LinkGone, SimLink
from koffer.drivers.zvt.simulator import ZvtSimulator

# --------------------------------------------------------------------- TCP


class _TcpSimLink(SimLink):
    def __init__(self, conn: socket.socket, stop: threading.Event) -> None:
        self.conn = conn
        self.stop = stop
        self.framer = codec.ApduFramer()
        self.pending: deque[bytes] = deque()

    def send(self, apdu: bytes) -> None:
        try:
            self.conn.sendall(apdu)
        except OSError as exc:
            raise LinkGone() from exc

    def send_garbage(self, data: bytes) -> None:
        self.send(data)

    def receive(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        while not self.pending:
            if self.stop.is_set():
                raise LinkGone()
            left = deadline - time.monotonic()
            try:
                self.conn.settimeout(max(0.001, min(left, 0.1)))
                data = self.conn.recv(4096)
            except TimeoutError:
                if left <= 0:
                    return None
                continue
            except OSError as exc:
                raise LinkGone() from exc
            if not data:
                raise LinkGone()
            try:
                self.pending.extend(a.encode() for a in self.framer.feed(data))
            except Exception as exc:
                raise LinkGone() from exc
        return self.pending.popleft()

    def unread(self, apdu: bytes) -> None:
        self.pending.appendleft(apdu)

    def drop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.shutdown(socket.SHUT_RDWR)
        self.conn.close()


class TcpServer:
    """The simulator on ``127.0.0.1:<port>`` (port 0 = any free one)."""

    def __init__(self, simulator: ZvtSimulator, port: int = 0) -> None:
        self.simulator = simulator
        self._wanted_port = port
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.port = 0
        self.connections = 0

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self._wanted_port))
        listener.listen(1)
        listener.settimeout(0.1)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._stop.clear()
        self._thread = threading.Thread(target=self._accept, name="zvt-sim-tcp", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _accept(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _TcpSimLink(conn, self._stop)
            try:
                self.simulator.serve(link)
            finally:
                with contextlib.suppress(OSError):
                    conn.close()

    def __enter__(self) -> TcpServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# --------------------------------------------------------------------- pty


class _PtySimLink(SimLink):
    """The PT's serial link layer on the pty master."""

    def __init__(self, master: int, stop: threading.Event) -> None:
        self.master = master
        self.stop = stop
        self.framer = codec.SerialFramer()
        self.frames: deque[bytes] = deque()
        self.acks: deque[bool] = deque()
        self.muted = False

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.master, view)
                view = view[written:]
            except BlockingIOError:
                time.sleep(0.001)
            except OSError as exc:
                raise LinkGone() from exc

    def _pump(self, wait: float) -> None:
        if self.stop.is_set():
            raise LinkGone()
        try:
            ready, _, _ = select.select([self.master], [], [], max(0.0, wait))
        except (OSError, ValueError) as exc:
            raise LinkGone() from exc
        if not ready:
            return
        try:
            data = os.read(self.master, 4096)
        except BlockingIOError:
            return
        except OSError as exc:
            raise LinkGone() from exc
        for event in self.framer.feed(data):
            if isinstance(event, codec.Frame):
                self.muted = False  # the ECR is back: the cable is in again
                self._write(bytes([codec.ACK]))
                self.frames.append(event.apdu)
            elif isinstance(event, codec.BadFrame):
                self._write(bytes([codec.NAK]))
            else:
                self.acks.append(isinstance(event, codec.LinkAck))

    def send(self, apdu: bytes) -> None:
        if self.muted:
            raise LinkGone()
        frame = codec.encode_frame(apdu)
        for _ in range(3):
            self.acks.clear()
            self._write(frame)
            deadline = time.monotonic() + 2.0
            while not self.acks and time.monotonic() < deadline:
                self._pump(0.02)
            if self.acks and self.acks.popleft():
                return
        raise LinkGone()

    def send_garbage(self, data: bytes) -> None:
        bad = bytes([codec.DLE, codec.STX]) + data + bytes([codec.DLE, codec.ETX, 0, 0])
        for _ in range(3):  # a frame with a wrong CRC, repeated after each NAK
            self.acks.clear()
            self._write(bad)
            deadline = time.monotonic() + 0.5
            while not self.acks and time.monotonic() < deadline:
                self._pump(0.02)

    def receive(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        while not self.frames:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._pump(min(left, 0.05))
        return self.frames.popleft()

    def unread(self, apdu: bytes) -> None:
        self.frames.appendleft(apdu)

    def drop(self) -> None:
        """A pulled RS-232 cable: silence until the ECR sends a frame again."""
        self.muted = True
        self.frames.clear()


class PtyServer:
    """The simulator on a pseudo terminal; the driver opens :attr:`path`."""

    def __init__(self, simulator: ZvtSimulator) -> None:
        self.simulator = simulator
        self._master = -1
        self._slave = -1
        self.path = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        tty.setraw(self._master)
        os.set_blocking(self._master, False)
        self.path = os.ttyname(self._slave)
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="zvt-sim-pty", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout=5)
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1

    def _serve(self) -> None:
        link = _PtySimLink(self._master, self._stop)
        while not self._stop.is_set():
            self.simulator.serve(link)

    def __enter__(self) -> PtyServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass
class SimulatedTerminal:
    """A simulator and the server carrying it (what the factory builds)."""

    simulator: ZvtSimulator
    server: TcpServer | PtyServer
    extra: dict[str, str] = field(default_factory=dict)
