"""ZVT (PA00P015 / PA00P016) wire format as pure functions over bytes.

APDU: ``CLASS INSTR LEN data``. ``LEN`` is one byte ``00``–``FE``, or ``FF``
followed by a little-endian u16 (up to 65535 data bytes).

BMP fields (a one-byte tag and a value): fixed length, BCD numbers
(:func:`bcd`), LLVAR/LLLVAR (two or three ``Fd`` prefix bytes counting the
bytes that follow), and BMP ``06``, a TLV container with BER tags and
lengths (``00``–``7F``, ``81 nn``, ``82 hi lo``).

Serial framing: ``10 02`` + APDU with every ``10`` doubled + ``10 03`` +
CRC low + CRC high. The CRC is CRC-16/KERMIT (reflected polynomial 8408,
initial value 0) over the APDU (un-doubled) plus ``03``. Each frame is
answered with a bare ``06`` (ACK) or ``15`` (NAK).

:class:`ApduFramer` (TCP) and :class:`SerialFramer` are incremental: bytes go
in as they arrive, whole APDUs (and, on serial, ACK/NAK bytes and bad
frames) come out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from koffer.errors import DeviceProtocolError

ACK_APDU = b"\x80\x00\x00"

DLE = 0x10
STX = 0x02
ETX = 0x03
ACK = 0x06
NAK = 0x15

EUR = 978
MAX_DATA = 0xFFFF


def _bad(detail: str) -> DeviceProtocolError:
    return DeviceProtocolError(
        "Das Kartenterminal hat unverständliche Daten gesendet. Bitte versuchen Sie es "
        "erneut; wenn der Fehler bleibt, starten Sie das Terminal neu.",
        message_en=f"The card terminal sent malformed data ({detail}).",
    )


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
        raise _bad("APDU length does not match")
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


# -------------------------------------------------------------------- BCD


def bcd(value: int, size: int) -> bytes:
    """``value`` as ``size`` bytes of packed BCD, most significant digit first."""
    digits = str(value)
    if value < 0 or len(digits) > 2 * size:
        raise ValueError(f"{value} does not fit in {size} BCD bytes")
    return bytes.fromhex(digits.zfill(2 * size))


def bcd_digits(raw: bytes) -> str:
    """The decimal digits of packed BCD (a non-decimal nibble is an error)."""
    text = raw.hex()
    if not text.isdigit():
        raise _bad("BCD digit out of range")
    return text


def from_bcd(raw: bytes) -> int:
    return int(bcd_digits(raw) or "0")


def password_bcd(password: str) -> bytes:
    """The 6-digit terminal password as 3 BCD bytes."""
    if len(password) != 6 or not password.isdigit():
        raise ValueError("the ZVT password has exactly 6 digits")
    return bytes.fromhex(password)


def masked_digits(raw: bytes) -> str:
    """PAN-style BCD: ``E`` is a masked digit (shown as ``*``), ``F`` padding."""
    out = []
    for char in raw.hex().upper():
        if char.isdigit():
            out.append(char)
        elif char == "E":
            out.append("*")
        elif char == "F":
            continue
        else:
            raise _bad("PAN digit out of range")
    return "".join(out)


# ---------------------------------------------------------------- LL(L)VAR


def llvar(value: bytes, digits: int = 2) -> bytes:
    """``Fd`` prefix bytes (one decimal digit each) counting the bytes of ``value``."""
    if len(value) >= 10**digits:
        raise ValueError("value too long for its length prefix")
    return bytes(0xF0 | int(d) for d in str(len(value)).zfill(digits)) + value


def read_llvar(data: bytes, offset: int, digits: int) -> tuple[bytes, int]:
    """The value at ``offset`` and the offset after it."""
    prefix = data[offset : offset + digits]
    if len(prefix) != digits or any((b & 0xF0) != 0xF0 or (b & 0x0F) > 9 for b in prefix):
        raise _bad("bad LLVAR prefix")
    size = int("".join(str(b & 0x0F) for b in prefix))
    start = offset + digits
    if start + size > len(data):
        raise _bad("LLVAR value runs past the end")
    return data[start : start + size], start + size


# -------------------------------------------------------------------- TLV


@dataclass(frozen=True)
class Tlv:
    """One TLV object; ``children`` are set for constructed tags (bit 6 of the
    first tag byte), ``value`` otherwise."""

    tag: int
    value: bytes = b""
    children: tuple[Tlv, ...] = ()

    @property
    def constructed(self) -> bool:
        return bool(_tag_bytes(self.tag)[0] & 0x20)

    def find(self, tag: int) -> list[Tlv]:
        return [child for child in self.children if child.tag == tag]


def _tag_bytes(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def _ber_length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    if size < 0x100:
        return bytes([0x81, size])
    if size <= 0xFFFF:
        return bytes([0x82, size >> 8, size & 0xFF])
    raise ValueError("TLV value too long")


def encode_tlv(objects: Iterable[Tlv]) -> bytes:
    out = bytearray()
    for obj in objects:
        body = encode_tlv(obj.children) if obj.constructed else obj.value
        out += _tag_bytes(obj.tag) + _ber_length(len(body)) + body
    return bytes(out)


def _read_tag(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise _bad("TLV tag missing")
    first = data[offset]
    tag = first
    offset += 1
    if first & 0x1F == 0x1F:
        while True:
            if offset >= len(data):
                raise _bad("TLV tag runs past the end")
            byte = data[offset]
            tag = (tag << 8) | byte
            offset += 1
            if not byte & 0x80:
                break
    return tag, offset


def _read_length(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise _bad("TLV length missing")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count not in (1, 2) or offset + 1 + count > len(data):
        raise _bad("bad TLV length")
    return int.from_bytes(data[offset + 1 : offset + 1 + count], "big"), offset + 1 + count


def decode_tlv(data: bytes) -> tuple[Tlv, ...]:
    out: list[Tlv] = []
    offset = 0
    while offset < len(data):
        tag, offset = _read_tag(data, offset)
        size, offset = _read_length(data, offset)
        if offset + size > len(data):
            raise _bad("TLV value runs past the end")
        body = data[offset : offset + size]
        offset += size
        if _tag_bytes(tag)[0] & 0x20:
            out.append(Tlv(tag, children=decode_tlv(body)))
        else:
            out.append(Tlv(tag, body))
    return tuple(out)


def tlv_container(objects: Sequence[Tlv]) -> bytes:
    """BMP ``06`` with its BER length and the encoded objects."""
    body = encode_tlv(objects)
    return b"\x06" + _ber_length(len(body)) + body


def read_tlv_container(data: bytes, offset: int) -> tuple[tuple[Tlv, ...], int]:
    """The TLV objects of a BMP ``06`` whose length starts at ``offset``."""
    size, start = _read_length(data, offset)
    if start + size > len(data):
        raise _bad("TLV container runs past the end")
    return decode_tlv(data[start : start + size]), start + size


def find_tlv(objects: Iterable[Tlv], tag: int) -> list[Tlv]:
    """Every object with ``tag``, searched depth-first."""
    found: list[Tlv] = []
    for obj in objects:
        if obj.tag == tag:
            found.append(obj)
        found.extend(find_tlv(obj.children, tag))
    return found


# -------------------------------------------------------------------- BMP

LLVAR = -2
LLLVAR = -3
TLV = -6

#: BMP tag -> fixed length in bytes, or LLVAR / LLLVAR / TLV (S15 ch. 13)
BMP_FORMATS: dict[int, int] = {
    0x01: 1,  # timeout
    0x02: 1,  # max. status infos
    0x03: 1,  # service byte
    0x04: 6,  # amount, BCD cents
    0x05: 1,  # pump number
    0x06: TLV,
    0x0B: 3,  # trace number
    0x0C: 3,  # time HHMMSS
    0x0D: 2,  # date MMDD
    0x0E: 2,  # expiry date YYMM
    0x17: 2,  # card sequence number
    0x19: 1,  # payment type
    0x22: LLVAR,  # PAN / EF_ID, BCD, E = masked
    0x23: LLVAR,  # track 2
    0x24: LLLVAR,  # track 3
    0x27: 1,  # result code
    0x29: 4,  # terminal ID
    0x2A: 15,  # VU number
    0x2D: LLVAR,  # track 1
    0x2E: LLLVAR,  # synchronous chip data
    0x37: 3,  # original trace number
    0x3A: 2,  # CVV/CVC
    0x3B: 8,  # AID
    0x3C: LLLVAR,  # additional data / text
    0x3D: 3,  # password
    0x49: 2,  # currency code
    0x60: LLLVAR,  # individual totals
    0x87: 2,  # receipt number
    0x88: 3,  # turnover record number
    0x8A: 1,  # card type
    0x8B: LLVAR,  # card name
    0x8C: 1,  # network operator card type
    0x92: LLLVAR,  # additional data ec-Cash
    0x9A: LLLVAR,  # geldkarte payment data
    0xA0: 1,  # result code AS
    0xA7: LLVAR,  # chip data
    0xAA: 3,  # date YYMMDD
    0xAF: LLLVAR,  # EF_Info
    0xBA: 5,  # AID parameter
}


@dataclass(frozen=True)
class Bmps:
    """Decoded BMP fields: ``fields`` by tag (last one wins), plus the TLV container."""

    fields: dict[int, bytes] = field(default_factory=dict)
    tlv: tuple[Tlv, ...] = ()

    def get(self, tag: int) -> bytes | None:
        return self.fields.get(tag)

    def number(self, tag: int) -> int | None:
        """A BCD field (amount, trace, receipt number …) as an integer."""
        raw = self.fields.get(tag)
        return None if raw is None else from_bcd(raw)

    def byte(self, tag: int) -> int | None:
        """A binary one-byte field (result code 27, card type 8A …)."""
        raw = self.fields.get(tag)
        return None if not raw else raw[0]


def encode_bmp(tag: int, value: bytes | Sequence[Tlv]) -> bytes:
    """One BMP: the tag, a length prefix where its format has one, the value."""
    fmt = BMP_FORMATS.get(tag)
    if fmt is None:
        raise ValueError(f"unknown BMP {tag:02X}")
    if fmt == TLV:
        if isinstance(value, bytes):
            raise TypeError("BMP 06 takes TLV objects")
        return tlv_container(value)
    if not isinstance(value, bytes):
        raise TypeError(f"BMP {tag:02X} takes bytes")
    if fmt == LLVAR:
        return bytes([tag]) + llvar(value, 2)
    if fmt == LLLVAR:
        return bytes([tag]) + llvar(value, 3)
    if len(value) != fmt:
        raise ValueError(f"BMP {tag:02X} has {fmt} bytes, not {len(value)}")
    return bytes([tag]) + value


def decode_bmps(data: bytes, offset: int = 0) -> Bmps:
    """Every BMP from ``offset`` to the end; an unknown tag is a protocol error."""
    fields: dict[int, bytes] = {}
    tlv: tuple[Tlv, ...] = ()
    while offset < len(data):
        tag = data[offset]
        fmt = BMP_FORMATS.get(tag)
        offset += 1
        if fmt is None:
            raise _bad(f"unknown BMP {tag:02X}")
        if fmt == TLV:
            tlv, offset = read_tlv_container(data, offset)
            continue
        if fmt in (LLVAR, LLLVAR):
            value, offset = read_llvar(data, offset, -fmt)
        else:
            value = data[offset : offset + fmt]
            if len(value) != fmt:
                raise _bad(f"BMP {tag:02X} cut short")
            offset += fmt
        fields[tag] = value
    return Bmps(fields, tlv)


def amount_bmp(cents: int) -> bytes:
    return encode_bmp(0x04, bcd(cents, 6))


def currency_bmp(code: int = EUR) -> bytes:
    return encode_bmp(0x49, bcd(code, 2))


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
        raise _bad("intermediate status without a code")
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
        raise _bad("print line without an attribute")
    return PrintLine(data[0], _text(data[1:]))


@dataclass(frozen=True)
class TextBlock:
    receipt_type: int  # 01 merchant, 02 customer, 03 administration (0 = not given)
    lines: tuple[str, ...]
    last: bool


def parse_text_block(data: bytes) -> TextBlock:
    """06 D3: ``06 <TLV>``, 1F07 receipt type, 25 = 09 attributes + 07 lines."""
    if not data or data[0] != 0x06:
        raise _bad("text block without a TLV container")
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
        raise _bad("status enquiry completion without a terminal status")
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
