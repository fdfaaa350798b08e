"""ZVT field encodings as pure functions: BCD, LL(L)VAR, BER-TLV and BMP fields.

BMP fields are a one-byte tag and a value: fixed length, BCD numbers
(:func:`bcd`), LLVAR/LLLVAR (two or three ``Fd`` prefix bytes counting the
bytes that follow), and BMP ``06``, a TLV container with BER tags and
lengths (``00``–``7F``, ``81 nn``, ``82 hi lo``). The APDUs around them are
in :mod:`koffer.drivers.zvt.codec`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from koffer.errors import DeviceProtocolError

EUR = 978


def malformed(detail: str) -> DeviceProtocolError:
    """The error for bytes from the terminal that do not parse."""
    return DeviceProtocolError(
        "Das Kartenterminal hat unverständliche Daten gesendet. Bitte versuchen Sie es "
        "erneut; wenn der Fehler bleibt, starten Sie das Terminal neu.",
        message_en=f"The card terminal sent malformed data ({detail}).",
    )


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
        raise malformed("BCD digit out of range")
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
            raise malformed("PAN digit out of range")
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
        raise malformed("bad LLVAR prefix")
    size = int("".join(str(b & 0x0F) for b in prefix))
    start = offset + digits
    if start + size > len(data):
        raise malformed("LLVAR value runs past the end")
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
        raise malformed("TLV tag missing")
    first = data[offset]
    tag = first
    offset += 1
    if first & 0x1F == 0x1F:
        while True:
            if offset >= len(data):
                raise malformed("TLV tag runs past the end")
            byte = data[offset]
            tag = (tag << 8) | byte
            offset += 1
            if not byte & 0x80:
                break
    return tag, offset


def _read_length(data: bytes, offset: int) -> tuple[int, int]:
    if offset >= len(data):
        raise malformed("TLV length missing")
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count not in (1, 2) or offset + 1 + count > len(data):
        raise malformed("bad TLV length")
    return int.from_bytes(data[offset + 1 : offset + 1 + count], "big"), offset + 1 + count


def decode_tlv(data: bytes) -> tuple[Tlv, ...]:
    out: list[Tlv] = []
    offset = 0
    while offset < len(data):
        tag, offset = _read_tag(data, offset)
        size, offset = _read_length(data, offset)
        if offset + size > len(data):
            raise malformed("TLV value runs past the end")
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
        raise malformed("TLV container runs past the end")
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
            raise malformed(f"unknown BMP {tag:02X}")
        if fmt == TLV:
            tlv, offset = read_tlv_container(data, offset)
            continue
        if fmt in (LLVAR, LLLVAR):
            value, offset = read_llvar(data, offset, -fmt)
        else:
            value = data[offset : offset + fmt]
            if len(value) != fmt:
                raise malformed(f"BMP {tag:02X} cut short")
            offset += fmt
        fields[tag] = value
    return Bmps(fields, tlv)


def amount_bmp(cents: int) -> bytes:
    return encode_bmp(0x04, bcd(cents, 6))


def currency_bmp(code: int = EUR) -> bytes:
    return encode_bmp(0x49, bcd(code, 2))
