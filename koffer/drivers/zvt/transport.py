"""The links to a ZVT terminal: TCP and RS-232. The only module touching
sockets and pyserial.

Both carry whole APDUs (:class:`Link`). TCP sends them raw and copes with
any segmentation (:class:`~koffer.drivers.zvt.codec.ApduFramer`); serial
wraps each in ``DLE STX … DLE ETX CRC`` and runs the line acknowledgement:
every received frame is answered at once with ``06`` (or ``15`` for a bad
CRC), every sent frame waits up to T2 for the peer's ``06`` and is repeated
at most twice after a ``15`` or silence (S16 §3.2–3.5).

Socket, pyserial and OS errors are translated here, once: failing to connect
is :class:`DeviceNotFound`, a link that breaks later is
:class:`DeviceDisconnected`, a link that keeps failing its frames is
:class:`DeviceProtocolError`. Nothing here logs bytes (they carry payment
data).
"""

from __future__ import annotations

import socket
import termios
import time
from collections import deque
from typing import Protocol

import serial

from koffer.drivers.zvt import codec
from koffer.errors import DeviceDisconnected, DeviceNotFound, DeviceProtocolError, DeviceTimeout

#: serial repeats after a NAK or a missing ACK (S16 §3.5)
MAX_REPEATS = 2


class Link(Protocol):
    """One APDU at a time to and from the terminal."""

    @property
    def is_open(self) -> bool: ...

    @property
    def description(self) -> str: ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def send(self, apdu: bytes) -> None: ...

    def receive(self, timeout: float) -> bytes | None:
        """The next APDU, or None when ``timeout`` seconds pass without one."""
        ...


def _not_found(where: str) -> DeviceNotFound:
    return DeviceNotFound(
        "Das Kartenterminal ist nicht erreichbar. Bitte prüfen Sie, ob es eingeschaltet "
        "und verbunden ist, und die Angaben unter [devices.payment_terminal] in der "
        "Konfiguration.",
        message_en=f"The card terminal cannot be reached at {where}. Check that it is on "
        "and connected, and [devices.payment_terminal] in the configuration.",
    )


def _gone() -> DeviceDisconnected:
    return DeviceDisconnected(
        "Die Verbindung zum Kartenterminal ist unterbrochen. Bitte prüfen Sie Kabel "
        "und Netzwerk und versuchen Sie es erneut.",
        message_en="The connection to the card terminal broke. Check cable and network "
        "and try again.",
    )


def _not_open() -> DeviceDisconnected:
    return DeviceDisconnected(
        "Das Kartenterminal ist nicht verbunden.",
        message_en="The card terminal is not connected.",
    )


class TcpLink:
    """Raw APDUs over a TCP connection the ECR opens (PT port 20007)."""

    def __init__(self, host: str, port: int = 20007, connect_timeout: float = 5.0) -> None:
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self._socket: socket.socket | None = None
        self._framer = codec.ApduFramer()
        self._pending: deque[bytes] = deque()

    @property
    def description(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def is_open(self) -> bool:
        return self._socket is not None

    def open(self) -> None:
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise _not_found(self.description) from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket = sock

    def close(self) -> None:
        sock, self._socket = self._socket, None
        self._framer.reset()
        self._pending.clear()
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def _sock(self) -> socket.socket:
        if self._socket is None:
            raise _not_open()
        return self._socket

    def send(self, apdu: bytes) -> None:
        sock = self._sock()
        try:
            sock.settimeout(self.connect_timeout)
            sock.sendall(apdu)
        except OSError as exc:
            self.close()
            raise _gone() from exc

    def receive(self, timeout: float) -> bytes | None:
        sock = self._sock()
        deadline = time.monotonic() + timeout
        while not self._pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                sock.settimeout(left)
                data = sock.recv(4096)
            except TimeoutError:
                return None
            except OSError as exc:
                self.close()
                raise _gone() from exc
            if not data:
                self.close()
                raise _gone()
            try:
                apdus = self._framer.feed(data)
            except DeviceProtocolError:
                self.close()
                raise
            self._pending.extend(a.encode() for a in apdus)
        return self._pending.popleft()


#: what pyserial lets through when a port vanishes (termios.error is no OSError)
_PORT_ERRORS = (serial.SerialException, OSError, termios.error)


class SerialLink:
    """DLE/STX/ETX frames with CRC and line acknowledgement over pyserial."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        stopbits: int = 2,
        ack_timeout: float = 5.0,
        poll: float = 0.02,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.stopbits = stopbits
        self.ack_timeout = ack_timeout
        self.poll = poll
        self._serial: serial.SerialBase | None = None
        self._framer = codec.SerialFramer()
        self._frames: deque[bytes] = deque()
        self._acks: deque[bool] = deque()
        self._bad_frames = 0

    @property
    def description(self) -> str:
        return self.port

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        self.close()
        try:
            self._serial = serial.serial_for_url(
                self.port,
                baudrate=self.baudrate,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_TWO if self.stopbits == 2 else serial.STOPBITS_ONE,
                timeout=self.poll,
                write_timeout=5.0,
            )
            self._serial.reset_input_buffer()
        except (*_PORT_ERRORS, ValueError) as exc:
            self.close()
            raise _not_found(self.port) from exc

    def close(self) -> None:
        port, self._serial = self._serial, None
        self._framer.reset()
        self._frames.clear()
        self._acks.clear()
        if port is not None:
            try:
                port.close()
            except _PORT_ERRORS:
                pass

    def _port(self) -> serial.SerialBase:
        if self._serial is None:
            raise _not_open()
        return self._serial

    def _write(self, data: bytes) -> None:
        port = self._port()
        try:
            port.write(data)
            port.flush()
        except _PORT_ERRORS as exc:
            self.close()
            raise _gone() from exc

    def _pump(self, wait: float) -> None:
        """Read what arrived within ``wait``; acknowledge frames at once."""
        del wait  # reads block for at most ``poll`` seconds
        port = self._port()
        try:
            waiting = port.in_waiting
            data: bytes = port.read(waiting or 1)
        except _PORT_ERRORS as exc:
            self.close()
            raise _gone() from exc
        for event in self._framer.feed(data):
            if isinstance(event, codec.Frame):
                self._bad_frames = 0
                self._write(bytes([codec.ACK]))
                self._frames.append(event.apdu)
            elif isinstance(event, codec.BadFrame):
                self._bad_frames += 1
                if self._bad_frames > MAX_REPEATS:
                    self._bad_frames = 0
                    raise DeviceProtocolError(
                        "Das Kartenterminal sendet fehlerhafte Daten (Prüfsumme falsch). "
                        "Bitte prüfen Sie das Kabel und starten Sie das Terminal neu.",
                        message_en="The card terminal kept sending frames with a bad CRC.",
                    )
                self._write(bytes([codec.NAK]))
            elif isinstance(event, codec.LinkAck):
                self._acks.append(True)
            else:
                self._acks.append(False)

    def send(self, apdu: bytes) -> None:
        frame = codec.encode_frame(apdu)
        for _ in range(1 + MAX_REPEATS):
            self._acks.clear()
            self._write(frame)
            deadline = time.monotonic() + self.ack_timeout
            while not self._acks and time.monotonic() < deadline:
                self._pump(min(self.poll, max(0.0, deadline - time.monotonic())))
            if self._acks and self._acks.popleft():
                return
        raise DeviceProtocolError(
            "Das Kartenterminal nimmt keine Daten an (Übertragungsfehler). Bitte prüfen "
            "Sie das Kabel und starten Sie das Terminal neu.",
            message_en="The card terminal did not acknowledge a frame after two repeats.",
        )

    def receive(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + timeout
        while not self._frames:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._pump(min(self.poll, left))
        return self._frames.popleft()


def no_answer() -> DeviceTimeout:
    return DeviceTimeout(
        "Das Kartenterminal antwortet nicht. Bitte prüfen Sie, ob es eingeschaltet und "
        "verbunden ist, und versuchen Sie es erneut.",
        message_en="The card terminal did not answer in time.",
    )
