"""The device side of the R30x wire protocol, for tests and demo mode.

:class:`R30xSimulator` parses command packets with the same
:mod:`~koffer.drivers.r30x.codec` the driver uses and queues reply bytes
with the time they become readable, so delays, line rate and stalls behave
like a real serial line. Two transports carry it to the unchanged driver:

- ``sim://r30x?...`` through pyserial's URL handlers
  (:mod:`koffer.drivers.r30x.urlhandler.protocol_sim`), in-process;
- a pseudo-terminal peer (:class:`~koffer.drivers.r30x.sim_pty.PtyPeer`)
  whose ``/dev/pts/N`` the driver opens like a USB serial adapter.

The control API (attributes and methods below) injects faults: finger
present or absent, image quality, slow replies, garbage bytes, a bad
checksum, a wrong address, a stall (no reply at all) and unplugging.
Thread-safe: the transport thread feeds and reads while a test flips faults.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from koffer.devices.synthetic import fingerprint_pixels
from koffer.drivers.r30x import codec
from koffer.drivers.r30x.codec import Command, Confirm, Pid
from koffer.errors import DeviceProtocolError


@dataclass
class SimulatorState:
    """Everything a test may change (read and write under ``lock``)."""

    finger_present: bool = True
    #: GenImg polls answered "no finger" before the finger arrives
    finger_after_polls: int = 0
    quality: float = 0.9
    #: seconds before each reply starts
    reply_delay: float = 0.0
    #: simulated line rate (bits per second, 10 bits per byte); 0 = instant
    line_rate: int = 0
    stalled: bool = False
    unplugged: bool = False
    garbage_before_next: bytes = b""
    corrupt_next: int = 0
    wrong_address_next: int = 0
    #: break off an image upload after this many data packets (then stall)
    stall_after_packets: int = -1
    password: int = 0


class R30xSimulator:
    """A simulated R30x/R503 module (see the module docstring)."""

    def __init__(
        self,
        *,
        width: int = 256,
        height: int = 288,
        packet_size: int = 128,
        address: int = codec.DEFAULT_ADDRESS,
        model: str = "R30x-SIM",
        serial: str = "SIM00001",
        prod_info: bool = True,
    ) -> None:
        self.width = width
        self.height = height
        self.packet_size = packet_size
        self.address = address
        self.model = model
        self.serial = serial
        self.prod_info = prod_info
        self.state = SimulatorState()
        self.lock = threading.Lock()
        self._ready = threading.Condition(self.lock)
        self._framer = codec.Framer()
        self._out: deque[tuple[float, bytes]] = deque()
        self._next_free = 0.0
        self._image_seed = 0
        self.commands_seen: list[int] = []

    # ------------------------------------------------------------ control API

    def configure(self, **changes: object) -> None:
        """Set :class:`SimulatorState` fields, e.g. ``configure(finger_present=False)``."""
        with self.lock:
            for key, value in changes.items():
                if not hasattr(self.state, key):
                    raise AttributeError(key)
                setattr(self.state, key, value)
            self._ready.notify_all()

    def unplug(self) -> None:
        with self.lock:
            self.state.unplugged = True
            self._out.clear()
            self._framer.reset()
            self._ready.notify_all()

    def plug(self) -> None:
        with self.lock:
            self.state.unplugged = False
            self.state.stalled = False
            self._out.clear()
            self._framer.reset()
            self._next_free = 0.0

    @property
    def unplugged(self) -> bool:
        with self.lock:
            return self.state.unplugged

    def reset_line(self) -> None:
        """Forget half-received commands and queued replies (port re-opened)."""
        with self.lock:
            self._out.clear()
            self._framer.reset()
            self._next_free = 0.0

    # --------------------------------------------------------- wire (device)

    def write(self, data: bytes) -> None:
        """Bytes from the host."""
        with self.lock:
            if self.state.unplugged:
                return
            try:
                packets = self._framer.feed(data)
            except DeviceProtocolError:
                self._queue(codec.encode_ack(Confirm.PACKET_ERROR, address=self.address))
                return
            for packet in packets:
                self._handle(packet)
            self._ready.notify_all()

    def read(self, size: int, timeout: float | None) -> bytes:
        """Up to ``size`` reply bytes, waiting at most ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.lock:
            while True:
                if self.state.unplugged:
                    return b""
                now = time.monotonic()
                out = bytearray()
                while self._out and self._out[0][0] <= now and len(out) < size:
                    ready, chunk = self._out.popleft()
                    take = size - len(out)
                    out.extend(chunk[:take])
                    if len(chunk) > take:
                        self._out.appendleft((ready, chunk[take:]))
                if out:
                    return bytes(out)
                wait = None if deadline is None else deadline - now
                if self._out:
                    first = self._out[0][0] - now
                    wait = first if wait is None else min(wait, first)
                if wait is not None and wait <= 0:
                    return b""
                self._ready.wait(wait)

    def pending(self) -> int:
        """Reply bytes readable right now."""
        with self.lock:
            now = time.monotonic()
            return sum(len(c) for t, c in self._out if t <= now)

    # -------------------------------------------------------------- internals

    def _queue(self, data: bytes) -> None:
        state = self.state
        now = time.monotonic()
        start = max(now + state.reply_delay, self._next_free)
        if state.line_rate <= 0:
            self._out.append((start, data))
            self._next_free = start
            return
        per_byte = 10.0 / state.line_rate
        step = 32
        for index in range(0, len(data), step):
            chunk = data[index : index + step]
            ready = start + (index + len(chunk)) * per_byte
            self._out.append((ready, chunk))
        self._next_free = start + len(data) * per_byte

    def _reply(self, confirm: int, data: bytes = b"") -> None:
        state = self.state
        address = self.address
        if state.wrong_address_next > 0:
            state.wrong_address_next -= 1
            address = (address ^ 0x00FF00FF) & 0xFFFFFFFF
        bad = False
        if state.corrupt_next > 0:
            state.corrupt_next -= 1
            bad = True
        garbage, state.garbage_before_next = state.garbage_before_next, b""
        packet = codec.encode_packet(Pid.ACK, bytes([confirm]) + data, address, bad_checksum=bad)
        self._queue(garbage + packet)

    def _handle(self, packet: codec.Packet) -> None:
        state = self.state
        if packet.pid != Pid.COMMAND or not packet.payload:
            self._reply(Confirm.PACKET_ERROR)
            return
        if packet.address != self.address:
            return  # a real module ignores packets for other addresses
        code, params = packet.payload[0], packet.payload[1:]
        self.commands_seen.append(code)
        if state.stalled:
            return
        if code == Command.VFY_PWD:
            ok = len(params) == 4 and int.from_bytes(params, "big") == state.password
            self._reply(Confirm.OK if ok else Confirm.WRONG_PASSWORD)
        elif code == Command.READ_SYS_PARA:
            params_out = codec.SystemParameters(
                status=0,
                system_id=0x0009,
                library_size=200,
                security_level=3,
                address=self.address,
                packet_size=self.packet_size,
                baud_multiplier=6,
            )
            self._reply(Confirm.OK, codec.encode_sys_para(params_out))
        elif code == Command.READ_PROD_INFO:
            if not self.prod_info:
                self._reply(Confirm.NOT_SUPPORTED)
                return
            info = codec.ProductInfo(
                model=self.model,
                batch="0001",
                serial=self.serial,
                hardware_version="1.2",
                sensor_type="SIM-OPT",
                width=self.width,
                height=self.height,
                template_size=1536,
                database_size=200,
            )
            self._reply(Confirm.OK, codec.encode_prod_info(info))
        elif code == Command.GEN_IMG:
            if state.finger_after_polls > 0:
                state.finger_after_polls -= 1
                self._reply(Confirm.NO_FINGER)
            elif state.finger_present:
                self._image_seed += 1
                self._reply(Confirm.OK)
            else:
                self._reply(Confirm.NO_FINGER)
        elif code == Command.UP_IMAGE:
            self._reply(Confirm.OK)
            pixels = fingerprint_pixels(
                self.width, self.height, round(state.quality, 2), self._image_seed % 4
            )
            data = codec.split_data(codec.pack_4bit(pixels), self.packet_size, self.address)
            if state.stall_after_packets >= 0:
                size = self.packet_size + 11
                data = data[: size * state.stall_after_packets]
                state.stalled = True
            self._queue(data)
        elif code == Command.TEMPLATE_NUM:
            self._reply(Confirm.OK, (0).to_bytes(2, "big"))
        elif code == Command.SOFT_RST:
            self._reply(Confirm.OK)
        else:
            self._reply(Confirm.NOT_SUPPORTED)


# ------------------------------------------------------- named simulators

_NAMED: dict[str, R30xSimulator] = {}
_NAMED_LOCK = threading.Lock()


def named_simulator(
    name: str, *, width: int = 256, height: int = 288, packet_size: int = 128
) -> R30xSimulator:
    """The simulator called ``name`` (created on first use).

    This is how a ``sim://r30x?name=…`` port and a test share one simulated
    module. Build options only apply on creation.
    """
    with _NAMED_LOCK:
        sim = _NAMED.get(name)
        if sim is None:
            sim = R30xSimulator(width=width, height=height, packet_size=packet_size)
            _NAMED[name] = sim
        return sim


def forget_simulator(name: str) -> None:
    with _NAMED_LOCK:
        _NAMED.pop(name, None)
