"""Registry factories for the ZVT driver (``type = "zvt"`` / ``"simulator"``).

``[devices.payment_terminal]`` keys for ``type = "zvt"``:

- TCP: ``host`` (name or address) and ``port`` (integer, default 20007);
- serial: ``port`` (a device path or pyserial URL, a string) without
  ``host``; ``baudrate`` (9600) and ``stopbits`` (2; some terminals take 1);
- ``password`` (required): the terminal's 6-digit password, e.g. "000000";
- ``reply_timeout`` (T3, 5 s), ``completion_timeout`` (T4, 180 s),
  ``ack_timeout`` (T2, serial only, 5 s), ``model`` (text for technicians).

For ``type = "simulator"``: ``transport`` ("tcp" | "pty", default "tcp"),
``timings`` ("fast" | "realistic", default "fast"), ``password``
(default "000000"), ``name`` (the shared simulator instance: a terminal that
keeps its last transaction while devices are opened and closed), plus the
timeouts above. The simulator runs the real driver over loopback TCP or a
pseudo terminal.
"""

from __future__ import annotations

import threading

from koffer.config import SectionReader
from koffer.drivers.zvt.driver import ZvtTerminal
from koffer.drivers.zvt.sim_servers import PtyServer, SimulatedTerminal, TcpServer
from koffer.drivers.zvt.simulator import REALISTIC, Timings, ZvtSimulator
from koffer.drivers.zvt.transport import Link, SerialLink, TcpLink
from koffer.errors import ConfigError, DeviceDisconnected

_SHARED: dict[tuple[str, str], SimulatedTerminal] = {}
_SHARED_LOCK = threading.Lock()


def _password(reader: SectionReader, default: str | None = None) -> str:
    value = reader.string("password", default)
    if len(value) != 6 or not value.isdigit():
        raise ConfigError(
            f"Konfiguration: [{reader.name}] password muss aus genau 6 Ziffern bestehen, in "
            'Anführungszeichen (zum Beispiel "000000").',
            message_en=f"Configuration: [{reader.name}] password must be exactly 6 digits, quoted.",
        )
    return value


def _timeouts(reader: SectionReader) -> tuple[float, float]:
    reply = reader.number("reply_timeout", 5.0, minimum=0.1, maximum=60.0)
    completion = reader.number("completion_timeout", 180.0, minimum=0.1, maximum=3600.0)
    return reply, completion


def create(reader: SectionReader) -> ZvtTerminal:
    host = reader.optional_string("host")
    link: Link
    if host is not None:
        port = reader.integer("port", 20007, minimum=1, maximum=65535)
        link = TcpLink(host, port)
    else:
        if not reader.has("port"):
            raise ConfigError(
                f"Konfiguration: [{reader.name}] braucht host (und port) für TCP oder "
                "port (Gerätepfad) für eine serielle Verbindung.",
                message_en=f"Configuration: [{reader.name}] needs host (and port) for TCP "
                "or port (a device path) for serial.",
            )
        path = reader.string("port")
        baudrate = reader.integer("baudrate", 9600, minimum=1200, maximum=115200)
        stopbits = reader.integer("stopbits", 2, minimum=1, maximum=2)
        ack_timeout = reader.number("ack_timeout", 5.0, minimum=0.1, maximum=60.0)
        link = SerialLink(path, baudrate=baudrate, stopbits=stopbits, ack_timeout=ack_timeout)
    password = _password(reader)
    reply, completion = _timeouts(reader)
    model = reader.string("model", "ZVT")
    reader.finish()
    return ZvtTerminal(
        link,
        password=password,
        reply_timeout=reply,
        completion_timeout=completion,
        model=model,
    )


def shared_simulator(
    name: str, transport: str, timings: Timings, password: str
) -> SimulatedTerminal:
    """The simulator called ``name`` (its server starts when a device opens it)."""
    with _SHARED_LOCK:
        found = _SHARED.get((name, transport))
        if found is None:
            simulator = ZvtSimulator(password=password, timings=timings)
            server: TcpServer | PtyServer = (
                TcpServer(simulator) if transport == "tcp" else PtyServer(simulator)
            )
            found = SimulatedTerminal(simulator, server)
            _SHARED[(name, transport)] = found
        return found


class SimulatorLink:
    """The real TCP or serial link to a simulator whose server starts on open."""

    def __init__(self, shared: SimulatedTerminal) -> None:
        self.shared = shared
        self._link: Link | None = None

    @property
    def description(self) -> str:
        return self._link.description if self._link is not None else "simulator"

    @property
    def is_open(self) -> bool:
        return self._link is not None and self._link.is_open

    def _inner(self) -> Link:
        if self._link is None:
            raise DeviceDisconnected(
                "Das Kartenterminal ist nicht verbunden.",
                message_en="The card terminal is not connected.",
            )
        return self._link

    def open(self) -> None:
        server = self.shared.server
        with _SHARED_LOCK:
            server.start()
        if self._link is None:
            if isinstance(server, TcpServer):
                self._link = TcpLink("127.0.0.1", server.port)
            else:
                self._link = SerialLink(server.path, ack_timeout=2.0)
        self._link.open()

    def close(self) -> None:
        if self._link is not None:
            self._link.close()

    def send(self, apdu: bytes) -> None:
        self._inner().send(apdu)

    def receive(self, timeout: float) -> bytes | None:
        return self._inner().receive(timeout)


def create_simulated(reader: SectionReader) -> ZvtTerminal:
    transport = reader.choice("transport", ("tcp", "pty"), "tcp")
    timings = reader.choice("timings", ("fast", "realistic"), "fast")
    password = _password(reader, "000000")
    name = reader.string("name", "koffer-payment-terminal")
    reply, completion = _timeouts(reader)
    reader.finish()
    shared = shared_simulator(
        name, transport, REALISTIC if timings == "realistic" else Timings(), password
    )
    return ZvtTerminal(
        SimulatorLink(shared),
        password=password,
        reply_timeout=reply,
        completion_timeout=completion,
        type_name="simulator",
        model="ZVT-Simulator",
        simulator=shared.simulator,
    )
