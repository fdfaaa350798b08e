"""R30x / R503 / ZFM-20 wire protocol as pure functions over bytes.

Packet layout (every multi-byte field big-endian)::

    EF 01 | address (4) | PID (1) | LEN (2) | payload | SUM (2)

``LEN`` counts payload plus checksum. ``SUM`` is the low 16 bits of the sum
of PID, both LEN bytes and the payload. PIDs: 01 command, 02 data,
07 acknowledge, 08 last data packet. The first payload byte of an
acknowledge is the confirmation code.

Image data arrive as 4-bit grey, two pixels per byte, high nibble first.

The :class:`Framer` is incremental: bytes go in as they arrive, whole packets
come out. Leading line noise is skipped until the next ``EF 01`` header (up
to :data:`MAX_GARBAGE` bytes); a frame with a bad length, unknown PID or bad
checksum raises :class:`~koffer.errors.DeviceProtocolError` and the framer
drops the bad header so it can be fed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from koffer.errors import DeviceProtocolError

HEADER = b"\xef\x01"
DEFAULT_ADDRESS = 0xFFFFFFFF
#: largest payload a module sends (packet size 256)
MAX_PAYLOAD = 256
#: header + address + PID + LEN
PREFIX_SIZE = 9
#: line noise tolerated before a header before the stream counts as garbage
MAX_GARBAGE = 64


class Pid(IntEnum):
    COMMAND = 0x01
    DATA = 0x02
    ACK = 0x07
    END_DATA = 0x08


_PIDS = frozenset(int(p) for p in Pid)


class Command(IntEnum):
    GEN_IMG = 0x01
    IMG2TZ = 0x02
    UP_IMAGE = 0x0A
    READ_SYS_PARA = 0x0F
    VFY_PWD = 0x13
    TEMPLATE_NUM = 0x1D
    READ_PROD_INFO = 0x3C
    SOFT_RST = 0x3D


class Confirm(IntEnum):
    OK = 0x00
    PACKET_ERROR = 0x01
    NO_FINGER = 0x02
    IMAGE_FAILED = 0x03
    UPLOAD_FAILED = 0x0F
    WRONG_PASSWORD = 0x13
    NOT_SUPPORTED = 0x1A  # used by the simulator for unknown commands


#: packet-size code of ReadSysPara -> bytes per data packet
PACKET_SIZES: dict[int, int] = {0: 32, 1: 64, 2: 128, 3: 256}


@dataclass(frozen=True)
class Packet:
    address: int
    pid: int
    payload: bytes


def checksum(pid: int, payload: bytes) -> int:
    length = len(payload) + 2
    return (pid + (length >> 8) + (length & 0xFF) + sum(payload)) & 0xFFFF


def encode_packet(
    pid: int, payload: bytes, address: int = DEFAULT_ADDRESS, *, bad_checksum: bool = False
) -> bytes:
    """One packet on the wire (``bad_checksum`` is for fault injection)."""
    if not 0 <= len(payload) <= MAX_PAYLOAD:
        raise ValueError("payload too long")
    length = len(payload) + 2
    total = checksum(pid, payload)
    if bad_checksum:
        total ^= 0x5A5A
    return (
        HEADER
        + address.to_bytes(4, "big")
        + bytes([pid])
        + length.to_bytes(2, "big")
        + payload
        + total.to_bytes(2, "big")
    )


def encode_command(code: int, params: bytes = b"", address: int = DEFAULT_ADDRESS) -> bytes:
    return encode_packet(Pid.COMMAND, bytes([code]) + params, address)


def encode_ack(confirm: int, data: bytes = b"", address: int = DEFAULT_ADDRESS) -> bytes:
    return encode_packet(Pid.ACK, bytes([confirm]) + data, address)


def _bad(detail: str) -> DeviceProtocolError:
    return DeviceProtocolError(
        "Der Fingerabdruckscanner hat unverständliche Daten gesendet. "
        "Bitte versuchen Sie es erneut; wenn der Fehler bleibt, stecken Sie den Scanner neu ein.",
        message_en=f"The fingerprint scanner sent malformed data ({detail}). "
        "Please try again; if it persists, reconnect the scanner.",
    )


class Framer:
    """Incremental decoder: :meth:`feed` bytes, get whole packets."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._skipped = 0

    def reset(self) -> None:
        self._buf.clear()
        self._skipped = 0

    @property
    def pending(self) -> int:
        """Bytes buffered but not yet part of a whole packet."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[Packet]:
        self._buf.extend(data)
        packets: list[Packet] = []
        while True:
            start = self._buf.find(HEADER)
            if start < 0:
                # keep a trailing EF: it may be the first half of a header
                keep = 1 if self._buf.endswith(HEADER[:1]) else 0
                self._drop(len(self._buf) - keep)
                return packets
            if start:
                self._drop(start)
            if len(self._buf) < PREFIX_SIZE:
                return packets
            pid = self._buf[6]
            length = int.from_bytes(self._buf[7:9], "big")
            if pid not in _PIDS:
                self._reject(f"unknown PID {pid:#04x}")
            if not 2 <= length <= MAX_PAYLOAD + 2:
                self._reject(f"length {length} out of range")
            end = PREFIX_SIZE + length
            if len(self._buf) < end:
                return packets
            payload = bytes(self._buf[PREFIX_SIZE : end - 2])
            got = int.from_bytes(self._buf[end - 2 : end], "big")
            if got != checksum(pid, payload):
                self._reject("bad checksum", consumed=end)
            address = int.from_bytes(self._buf[2:6], "big")
            del self._buf[:end]
            self._skipped = 0
            packets.append(Packet(address, pid, payload))

    def _drop(self, count: int) -> None:
        if count <= 0:
            return
        del self._buf[:count]
        self._skipped += count
        if self._skipped > MAX_GARBAGE:
            self._skipped = 0
            raise _bad("no packet header in the byte stream")

    def _reject(self, detail: str, consumed: int = 2) -> None:
        del self._buf[:consumed]
        self._skipped = 0
        raise _bad(detail)


def decode_all(data: bytes) -> list[Packet]:
    """Every packet in ``data``; raises on the first protocol error."""
    framer = Framer()
    return framer.feed(data)


def reassemble(packets: Iterable[Packet]) -> bytes:
    """Join data packets (PID 02 …) up to and including the last one (PID 08)."""
    out = bytearray()
    for packet in packets:
        if packet.pid not in (Pid.DATA, Pid.END_DATA):
            raise _bad(f"unexpected PID {packet.pid:#04x} in data stream")
        out.extend(packet.payload)
        if packet.pid == Pid.END_DATA:
            return bytes(out)
    raise _bad("data stream ended without a last packet")


def split_data(data: bytes, packet_size: int, address: int = DEFAULT_ADDRESS) -> bytes:
    """``data`` as data packets of ``packet_size`` bytes, the last one PID 08."""
    chunks = [data[i : i + packet_size] for i in range(0, len(data), packet_size)] or [b""]
    out = bytearray()
    for index, chunk in enumerate(chunks):
        pid = Pid.END_DATA if index == len(chunks) - 1 else Pid.DATA
        out.extend(encode_packet(pid, chunk, address))
    return bytes(out)


# ------------------------------------------------------------------ pixels

_EXPAND = bytes(range(0, 256, 17))  # 4-bit level -> 8-bit grey (0x0 -> 0, 0xF -> 255)
_UNPACK_TABLE = [bytes((_EXPAND[b >> 4], _EXPAND[b & 0x0F])) for b in range(256)]


def unpack_4bit(data: bytes, width: int, height: int) -> bytes:
    """4-bit packed pixels (high nibble first) to 8-bit grey."""
    needed = (width * height + 1) // 2
    if len(data) < needed:
        raise _bad(f"image data too short ({len(data)} < {needed} bytes)")
    table = _UNPACK_TABLE
    pixels = b"".join([table[b] for b in data[:needed]])
    return pixels[: width * height]


def pack_4bit(pixels: bytes) -> bytes:
    """8-bit grey to 4-bit packed (high nibble first); the inverse of
    :func:`unpack_4bit` up to quantisation."""
    if len(pixels) % 2:
        pixels = pixels + b"\x00"
    return bytes(((pixels[i] >> 4) << 4) | (pixels[i + 1] >> 4) for i in range(0, len(pixels), 2))


# ------------------------------------------------------------ reply parsers


@dataclass(frozen=True)
class SystemParameters:
    status: int
    system_id: int
    library_size: int
    security_level: int
    address: int
    packet_size: int  # bytes
    baud_multiplier: int


def parse_sys_para(data: bytes) -> SystemParameters:
    """The 16 bytes after the confirmation code of ReadSysPara."""
    if len(data) < 16:
        raise _bad("short ReadSysPara reply")

    def u16(offset: int) -> int:
        return int.from_bytes(data[offset : offset + 2], "big")

    code = u16(12)
    return SystemParameters(
        status=u16(0),
        system_id=u16(2),
        library_size=u16(4),
        security_level=u16(6),
        address=int.from_bytes(data[8:12], "big"),
        packet_size=PACKET_SIZES.get(code, 128),
        baud_multiplier=u16(14),
    )


def encode_sys_para(params: SystemParameters) -> bytes:
    code = {v: k for k, v in PACKET_SIZES.items()}.get(params.packet_size, 2)
    return (
        params.status.to_bytes(2, "big")
        + params.system_id.to_bytes(2, "big")
        + params.library_size.to_bytes(2, "big")
        + params.security_level.to_bytes(2, "big")
        + params.address.to_bytes(4, "big")
        + code.to_bytes(2, "big")
        + params.baud_multiplier.to_bytes(2, "big")
    )


@dataclass(frozen=True)
class ProductInfo:
    """ReadProdInfo (R503 manual layout, 46 bytes; **unverified** on other models)."""

    model: str
    batch: str
    serial: str
    hardware_version: str
    sensor_type: str
    width: int
    height: int
    template_size: int
    database_size: int


def _ascii(data: bytes) -> str:
    return data.split(b"\x00", 1)[0].decode("ascii", "replace").strip()


def parse_prod_info(data: bytes) -> ProductInfo:
    if len(data) < 46:
        raise _bad("short ReadProdInfo reply")
    return ProductInfo(
        model=_ascii(data[0:16]),
        batch=_ascii(data[16:20]),
        serial=_ascii(data[20:28]),
        hardware_version=f"{data[28]}.{data[29]}",
        sensor_type=_ascii(data[30:38]),
        width=int.from_bytes(data[38:40], "big"),
        height=int.from_bytes(data[40:42], "big"),
        template_size=int.from_bytes(data[42:44], "big"),
        database_size=int.from_bytes(data[44:46], "big"),
    )


def encode_prod_info(info: ProductInfo) -> bytes:
    def text(value: str, size: int) -> bytes:
        return value.encode("ascii")[:size].ljust(size, b"\x00")

    major, _, minor = info.hardware_version.partition(".")
    return (
        text(info.model, 16)
        + text(info.batch, 4)
        + text(info.serial, 8)
        + bytes([int(major or 0) & 0xFF, int(minor or 0) & 0xFF])
        + text(info.sensor_type, 8)
        + info.width.to_bytes(2, "big")
        + info.height.to_bytes(2, "big")
        + info.template_size.to_bytes(2, "big")
        + info.database_size.to_bytes(2, "big")
    )
