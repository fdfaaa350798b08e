"""ZVT (PA00P015 / PA00P016) wire format as pure functions over bytes.

APDU: ``CLASS INSTR LEN data``. ``LEN`` is one byte ``00``–``FE``, or ``FF``
followed by a little-endian u16 (up to 65535 data bytes).

BMP fields, BCD, LL(L)VAR and TLV are in :mod:`koffer.drivers.zvt.fields`
(re-exported here, so ``codec.bcd`` etc. keep working).

Serial framing: ``10 02`` + APDU with every ``10`` doubled + ``10 03`` +
CRC low + CRC high. The CRC is CRC-16/KERMIT (reflected polynomial 8408,
initial value 0) over the APDU (un-doubled) plus ``03``. Each frame is
answered with a bare ``06`` (ACK) or ``15`` (NAK).

:class:`ApduFramer` (TCP) and :class:`SerialFramer` are incremental: bytes go
in as they arrive, whole APDUs (and, on serial, ACK/NAK bytes and bad
frames) come out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from koffer.drivers.zvt.fields import (
    BMP_FORMATS as BMP_FORMATS,
)
from koffer.drivers.zvt.fields import (
    EUR as EUR,
)
from koffer.drivers.zvt.fields import (
    LLLVAR as LLLVAR,
)
from koffer.drivers.zvt.fields import (
    LLVAR as LLVAR,
)
from koffer.drivers.zvt.fields import (
    TLV as TLV,
)
from koffer.drivers.zvt.fields import (
    Bmps as Bmps,
)
from koffer.drivers.zvt.fields import (
    Tlv as Tlv,
)
from koffer.drivers.zvt.fields import (
    amount_bmp as amount_bmp,
)
from koffer.drivers.zvt.fields import (
    bcd as bcd,
)
from koffer.drivers.zvt.fields import (
    bcd_digits as bcd_digits,
)
from koffer.drivers.zvt.fields import (
    currency_bmp as currency_bmp,
)
from koffer.drivers.zvt.fields import (
    decode_bmps as decode_bmps,
)
from koffer.drivers.zvt.fields import (
    decode_tlv as decode_tlv,
)
from koffer.drivers.zvt.fields import (
    encode_bmp as encode_bmp,
)
from koffer.drivers.zvt.fields import (
    encode_tlv as encode_tlv,
)
from koffer.drivers.zvt.fields import (
    find_tlv as find_tlv,
)
from koffer.drivers.zvt.fields import (
    from_bcd as from_bcd,
)
from koffer.drivers.zvt.fields import (
    llvar as llvar,
)
from koffer.drivers.zvt.fields import (
    malformed as malformed,
)
from koffer.drivers.zvt.fields import (
    masked_digits as masked_digits,
)
from koffer.drivers.zvt.fields import (
    password_bcd as password_bcd,
)
from koffer.drivers.zvt.fields import (
    read_llvar as read_llvar,
)
from koffer.drivers.zvt.fields import (
    read_tlv_container as read_tlv_container,
)
from koffer.drivers.zvt.fields import (
    tlv_container as tlv_container,
)
from koffer.errors import DeviceProtocolError

ACK_APDU = b"\x80\x00\x00"

DLE = 0x10
STX = 0x02
ETX = 0x03
ACK = 0x06
NAK = 0x15

MAX_DATA = 0xFFFF


# ------------------------------------------------------------------- APDU


@dataclass(frozen=True)
class Apdu:
    cls: int
    ins: int
    data: bytes = b""

    @property
    def command(self) -> tuple[int, int]:
        return (self.cls, self.ins)

    def encode(self) -> bytes:
        return encode_apdu(self.cls, self.ins, self.data)


def encode_length(size: int) -> bytes:
    if not 0 <= size <= MAX_DATA:
        raise ValueError("APDU data too long")
    if size < 0xFF:
        return bytes([size])
    return bytes([0xFF, size & 0xFF, size >> 8])


def encode_apdu(cls: int, ins: int, data: bytes = b"") -> bytes:
    return bytes([cls, ins]) + encode_length(len(data)) + data


def apdu_size(buf: bytes | bytearray) -> int | None:
    """Total bytes of the APDU at the start of ``buf``, or None if not known yet."""
    if len(buf) < 3:
        return None
    if buf[2] != 0xFF:
        return 3 + buf[2]
    if len(buf) < 5:
        return None
    return 5 + (buf[3] | (buf[4] << 8))


def decode_apdu(raw: bytes) -> Apdu:
    size = apdu_size(raw)
    if size is None or size != len(raw):
        raise malformed("APDU length does not match")
    offset = 3 if raw[2] != 0xFF else 5
    return Apdu(raw[0], raw[1], bytes(raw[offset:]))


class ApduFramer:
    """Cuts a TCP byte stream (any segmentation) into APDUs."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def reset(self) -> None:
        self._buf.clear()

    def feed(self, data: bytes) -> list[Apdu]:
        self._buf += data
        out: list[Apdu] = []
        while True:
            size = apdu_size(self._buf)
            if size is None or len(self._buf) < size:
                return out
            out.append(decode_apdu(bytes(self._buf[:size])))
            del self._buf[:size]


# ----------------------------------------------------------- ECR commands

#: config byte: ECR prints payment (02) and administration (04) receipts,
#: wants intermediate status (08), controls payment (10) and administration
#: (20); the PT sends the receipt text (80)
DEFAULT_CONFIG = 0xBE
#: TLV 26 (permitted ZVT commands) with 0A = 06 D3: the PT may send text blocks
PERMIT_TEXT_BLOCKS = Tlv(0x26, children=(Tlv(0x0A, b"\x06\xd3"),))


def registration(
    password: str,
    config: int = DEFAULT_CONFIG,
    currency: int = EUR,
    service: int | None = None,
    tlv: Sequence[Tlv] = (PERMIT_TEXT_BLOCKS,),
) -> bytes:
    """06 00: the currency has no BMP tag; a service byte or TLV requires it."""
    data = password_bcd(password) + bytes([config]) + bcd(currency, 2)
    if service is not None:
        data += encode_bmp(0x03, bytes([service]))
    if tlv:
        data += tlv_container(tlv)
    return encode_apdu(0x06, 0x00, data)


def authorization(
    cents: int, currency: int = EUR, payment_type: int | None = None, timeout: int | None = None
) -> bytes:
    """06 01: amount (BMP 04), currency (BMP 49), optional payment type and timeout."""
    data = amount_bmp(cents) + currency_bmp(currency)
    if payment_type is not None:
        data += encode_bmp(0x19, bytes([payment_type]))
    if timeout is not None:
        data += encode_bmp(0x01, bytes([timeout]))
    return encode_apdu(0x06, 0x01, data)


def reversal(password: str, receipt_number: int) -> bytes:
    """06 30: password, then BMP 87 receipt number of the payment to reverse."""
    return encode_apdu(
        0x06, 0x30, password_bcd(password) + encode_bmp(0x87, bcd(receipt_number, 2))
    )


def end_of_day(password: str) -> bytes:
    return encode_apdu(0x06, 0x50, password_bcd(password))


def abort() -> bytes:
    """06 B0: abort the running command (ECR → PT)."""
    return encode_apdu(0x06, 0xB0)


def status_enquiry(password: str, service: int | None = None) -> bytes:
    data = password_bcd(password)
    if service is not None:
        data += encode_bmp(0x03, bytes([service]))
    return encode_apdu(0x05, 0x01, data)


#: repeat-receipt service bits: 01 resend the last 04 0F, 02 do not print
REPEAT_STATUS_INFO = 0x01
REPEAT_NO_PRINT = 0x02


def repeat_receipt(password: str, service: int | None = None) -> bytes:
    """06 20: print the last receipt again; service bit 01 also resends its 04 0F."""
    data = password_bcd(password)
    if service is not None:
        data += encode_bmp(0x03, bytes([service]))
    return encode_apdu(0x06, 0x20, data)


def negative(error: int) -> bytes:
    """84 xx 00: the negative acknowledgement."""
    return encode_apdu(0x84, error)


# ----------------------------------------------------------- PT messages

INTERMEDIATE_STATUS = (0x04, 0xFF)
STATUS_INFORMATION = (0x04, 0x0F)
PRINT_LINE = (0x06, 0xD1)
PRINT_TEXT_BLOCK = (0x06, 0xD3)
COMPLETION = (0x06, 0x0F)
ABORT = (0x06, 0x1E)


@dataclass(frozen=True)
class IntermediateStatus:
    code: int
    timeout_minutes: int | None = None
    texts: tuple[str, ...] = ()


def _text(raw: bytes) -> str:
    return raw.decode("cp437").rstrip("\x00")


def parse_intermediate(data: bytes) -> IntermediateStatus:
    """04 FF: ``<status> [<timeout BCD minutes>] [06 TLV, tag 24 = display lines]``."""
    if not data:
        raise malformed("intermediate status without a code")
    code, rest = data[0], data[1:]
    timeout: int | None = None
    tlv: tuple[Tlv, ...] = ()
    if rest:
        try:
            if rest[0] != 0x06:
                raise ValueError
            tlv, end = read_tlv_container(rest, 1)
            if end != len(rest):
                raise ValueError
        except (ValueError, DeviceProtocolError):
            timeout = from_bcd(rest[:1])
            tlv = read_tlv_container(rest, 2)[0] if len(rest) > 1 and rest[1] == 0x06 else ()
    texts = tuple(_text(line.value) for box in find_tlv(tlv, 0x24) for line in box.find(0x07))
    return IntermediateStatus(code, timeout, texts)


@dataclass(frozen=True)
class PrintLine:
    attribute: int
    text: str

    @property
    def last(self) -> bool:
        """``1xxx xxxx`` other than 80 and FF: the last line of a receipt."""
        return bool(self.attribute & 0x80) and self.attribute not in (0x80, 0xFF)


def parse_print_line(data: bytes) -> PrintLine:
    """06 D1: ``<attribute> <text>`` (no CR/LF)."""
    if not data:
        raise malformed("print line without an attribute")
    return PrintLine(data[0], _text(data[1:]))


@dataclass(frozen=True)
class TextBlock:
    receipt_type: int  # 01 merchant, 02 customer, 03 administration (0 = not given)
    lines: tuple[str, ...]
    last: bool


def parse_text_block(data: bytes) -> TextBlock:
    """06 D3: ``06 <TLV>``, 1F07 receipt type, 25 = 09 attributes + 07 lines."""
    if not data or data[0] != 0x06:
        raise malformed("text block without a TLV container")
    tlv, _ = read_tlv_container(data, 1)
    kinds = find_tlv(tlv, 0x1F07)
    receipt_type = kinds[0].value[0] if kinds and kinds[0].value else 0
    lines: list[str] = []
    last = False
    for block in find_tlv(tlv, 0x25):
        for obj in block.children:
            if obj.tag == 0x07:
                lines.append(_text(obj.value))
            elif obj.tag == 0x09 and obj.value and obj.value[0] & 0x80:
                last = True
    return TextBlock(receipt_type, tuple(lines), last)


@dataclass(frozen=True)
class TerminalState:
    """The completion of 05 01: terminal status byte and software version."""

    status: int
    software: str = ""


def parse_status_completion(data: bytes) -> TerminalState:
    """06 0F after 05 01: ``[SW version LLLVAR] <terminal status> [06 TLV]``."""
    offset = 0
    software = ""
    if data and (data[0] & 0xF0) == 0xF0:
        raw, offset = read_llvar(data, 0, 3)
        software = _text(raw)
    if offset >= len(data):
        raise malformed("status enquiry completion without a terminal status")
    return TerminalState(data[offset], software)


# ------------------------------------------------------------- serial link


def crc(data: bytes) -> int:
    """CRC-16/KERMIT: reflected polynomial 8408, initial value 0, no final XOR."""
    value = 0
    for byte in data:
        value ^= byte
        for _ in range(8):
            value = (value >> 1) ^ 0x8408 if value & 1 else value >> 1
    return value


def encode_frame(apdu: bytes) -> bytes:
    """``10 02`` + APDU (``10`` doubled) + ``10 03`` + CRC low, CRC high."""
    check = crc(apdu + bytes([ETX]))
    body = apdu.replace(bytes([DLE]), bytes([DLE, DLE]))
    return bytes([DLE, STX]) + body + bytes([DLE, ETX, check & 0xFF, check >> 8])


@dataclass(frozen=True)
class Frame:
    apdu: bytes


@dataclass(frozen=True)
class LinkAck:
    pass


@dataclass(frozen=True)
class LinkNak:
    pass


@dataclass(frozen=True)
class BadFrame:
    """A frame with a wrong CRC or a stray DLE: answer NAK."""

    reason: str


SerialEvent = Frame | LinkAck | LinkNak | BadFrame


class SerialFramer:
    """Incremental decoder of the serial link: frames, ACK and NAK bytes.

    Bytes outside a frame other than ``06``/``15``/``10 02`` are line noise
    and counted in :attr:`noise`.
    """

    def __init__(self, max_apdu: int = MAX_DATA + 5) -> None:
        self.max_apdu = max_apdu
        self.noise = 0
        self.reset()

    def reset(self) -> None:
        self._state = "idle"
        self._body = bytearray()
        self._crc = bytearray()

    @property
    def in_frame(self) -> bool:
        return self._state != "idle"

    def feed(self, data: bytes) -> list[SerialEvent]:
        out: list[SerialEvent] = []
        for byte in data:
            event = self._step(byte)
            if event is not None:
                out.append(event)
        return out

    def _step(self, byte: int) -> SerialEvent | None:
        state = self._state
        if state == "idle":
            if byte == ACK:
                return LinkAck()
            if byte == NAK:
                return LinkNak()
            if byte == DLE:
                self._state = "start"
            else:
                self.noise += 1
            return None
        if state == "start":
            if byte == STX:
                self._state = "body"
                self._body.clear()
            else:
                self._state = "idle"
                self.noise += 2
            return None
        if state == "body":
            if byte == DLE:
                self._state = "dle"
            else:
                self._body.append(byte)
            return self._check_size()
        if state == "dle":
            if byte == DLE:
                self._body.append(DLE)
                self._state = "body"
                return self._check_size()
            if byte == ETX:
                self._state = "crc"
                self._crc.clear()
                return None
            self.reset()
            return BadFrame("stray DLE in a frame")
        # crc
        self._crc.append(byte)
        if len(self._crc) < 2:
            return None
        apdu = bytes(self._body)
        received = self._crc[0] | (self._crc[1] << 8)
        self.reset()
        if received != crc(apdu + bytes([ETX])):
            return BadFrame("CRC mismatch")
        return Frame(apdu)

    def _check_size(self) -> SerialEvent | None:
        if len(self._body) > self.max_apdu:
            self.reset()
            return BadFrame("frame too long")
        return None
