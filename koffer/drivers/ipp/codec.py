"""IPP/1.1–2.0 message encoding and decoding (RFC 8010), hand-written.

A message is version (2 bytes), operation-id or status-code (2), request-id
(4), attribute groups (delimiter tag 01 operation, 02 job, 04 printer, 05
unsupported …, 03 end), then document data. Each attribute is value-tag (1),
name-length (2), name, value-length (2), value; an empty name adds another
value to the previous attribute. Collections (34 … 37 with member names 4A)
are decoded into :class:`Collection`.

:func:`decode` raises :class:`IppDecodeError` (a ``DeviceProtocolError``) for
every malformed input and nothing else.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum

from koffer.errors import DeviceProtocolError


class Operation(IntEnum):
    PRINT_JOB = 0x0002
    VALIDATE_JOB = 0x0004
    CREATE_JOB = 0x0005
    SEND_DOCUMENT = 0x0006
    CANCEL_JOB = 0x0008
    GET_JOB_ATTRIBUTES = 0x0009
    GET_JOBS = 0x000A
    GET_PRINTER_ATTRIBUTES = 0x000B


class Status(IntEnum):
    OK = 0x0000
    OK_IGNORED_OR_SUBSTITUTED = 0x0001
    OK_CONFLICTING = 0x0002
    CLIENT_ERROR_BAD_REQUEST = 0x0400
    CLIENT_ERROR_FORBIDDEN = 0x0401
    CLIENT_ERROR_NOT_AUTHENTICATED = 0x0402
    CLIENT_ERROR_NOT_POSSIBLE = 0x0404
    CLIENT_ERROR_NOT_FOUND = 0x0406
    CLIENT_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED = 0x040A
    SERVER_ERROR_INTERNAL = 0x0500
    SERVER_ERROR_OPERATION_NOT_SUPPORTED = 0x0501
    SERVER_ERROR_NOT_ACCEPTING_JOBS = 0x0506
    SERVER_ERROR_BUSY = 0x0507


class GroupTag(IntEnum):
    OPERATION = 0x01
    JOB = 0x02
    END = 0x03
    PRINTER = 0x04
    UNSUPPORTED = 0x05


class ValueTag(IntEnum):
    UNSUPPORTED = 0x10
    UNKNOWN = 0x12
    NO_VALUE = 0x13
    INTEGER = 0x21
    BOOLEAN = 0x22
    ENUM = 0x23
    OCTET_STRING = 0x30
    DATE_TIME = 0x31
    RESOLUTION = 0x32
    RANGE = 0x33
    BEGIN_COLLECTION = 0x34
    TEXT_WITH_LANGUAGE = 0x35
    NAME_WITH_LANGUAGE = 0x36
    END_COLLECTION = 0x37
    TEXT = 0x41
    NAME = 0x42
    KEYWORD = 0x44
    URI = 0x45
    URI_SCHEME = 0x46
    CHARSET = 0x47
    NATURAL_LANGUAGE = 0x48
    MIME_MEDIA_TYPE = 0x49
    MEMBER_NAME = 0x4A


class JobState(IntEnum):
    PENDING = 3
    PENDING_HELD = 4
    PROCESSING = 5
    PROCESSING_STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9


class PrinterStateCode(IntEnum):
    IDLE = 3
    PROCESSING = 4
    STOPPED = 5


_STRING_TAGS = frozenset(
    {
        ValueTag.TEXT,
        ValueTag.NAME,
        ValueTag.KEYWORD,
        ValueTag.URI,
        ValueTag.URI_SCHEME,
        ValueTag.CHARSET,
        ValueTag.NATURAL_LANGUAGE,
        ValueTag.MIME_MEDIA_TYPE,
        ValueTag.MEMBER_NAME,
    }
)


@dataclass(frozen=True)
class TextWithLanguage:
    language: str
    text: str


@dataclass(frozen=True)
class Resolution:
    cross_feed: int
    feed: int
    units: int  # 3 dots per inch, 4 dots per cm


@dataclass(frozen=True)
class Range:
    lower: int
    upper: int


@dataclass(frozen=True)
class RawValue:
    """A value kept as bytes: octetString, dateTime, or an unknown tag."""

    data: bytes


@dataclass(frozen=True)
class OutOfBand:
    """unsupported / unknown / no-value (the tag says it all)."""


@dataclass(frozen=True)
class Collection:
    members: tuple[Attribute, ...]

    def get(self, name: str) -> Attribute | None:
        return next((m for m in self.members if m.name == name), None)


Value = int | bool | str | TextWithLanguage | Resolution | Range | RawValue | OutOfBand | Collection


@dataclass(frozen=True)
class Attribute:
    name: str
    tag: int
    values: tuple[Value, ...]

    @property
    def value(self) -> Value:
        return self.values[0]


@dataclass
class AttributeGroup:
    tag: int
    attributes: list[Attribute] = field(default_factory=list)

    def get(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass
class Message:
    """A request (``code`` = operation-id) or response (``code`` = status-code)."""

    code: int
    request_id: int
    groups: list[AttributeGroup] = field(default_factory=list)
    data: bytes = b""
    version: tuple[int, int] = (2, 0)

    def group(self, tag: int) -> AttributeGroup | None:
        return next((g for g in self.groups if g.tag == tag), None)

    def find(self, name: str, tag: int | None = None) -> Attribute | None:
        """The first attribute called ``name`` (in group ``tag`` if given)."""
        for group in self.groups:
            if tag is not None and group.tag != tag:
                continue
            attr = group.get(name)
            if attr is not None:
                return attr
        return None

    def strings(self, name: str) -> tuple[str, ...]:
        attr = self.find(name)
        if attr is None:
            return ()
        out: list[str] = []
        for v in attr.values:
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, TextWithLanguage):
                out.append(v.text)
        return tuple(out)

    def string(self, name: str, default: str = "") -> str:
        values = self.strings(name)
        return values[0] if values else default

    def integer(self, name: str) -> int | None:
        attr = self.find(name)
        if attr is None:
            return None
        value = attr.values[0]
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class IppDecodeError(DeviceProtocolError):
    """Bytes that are not a valid IPP message."""


def _bad(reason: str) -> IppDecodeError:
    return IppDecodeError(
        "Der Drucker hat eine unverständliche Antwort geschickt. "
        "Bitte prüfen Sie die Druckeradresse und versuchen Sie es erneut.",
        message_en=f"Invalid IPP message: {reason}",
    )


# ------------------------------------------------------------------ encoding


def _encode_value(tag: int, value: Value) -> bytes:
    if isinstance(value, OutOfBand):
        return b""
    if tag == ValueTag.BOOLEAN:
        return b"\x01" if value else b"\x00"
    if tag in (ValueTag.INTEGER, ValueTag.ENUM):
        if not isinstance(value, int):
            raise TypeError(f"tag {tag:02x} needs an int")
        return struct.pack(">i", value)
    if isinstance(value, TextWithLanguage):
        lang, text = value.language.encode("utf-8"), value.text.encode("utf-8")
        return struct.pack(">H", len(lang)) + lang + struct.pack(">H", len(text)) + text
    if isinstance(value, Resolution):
        return struct.pack(">iib", value.cross_feed, value.feed, value.units)
    if isinstance(value, Range):
        return struct.pack(">ii", value.lower, value.upper)
    if isinstance(value, RawValue):
        return value.data
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"cannot encode {value!r} with tag {tag:02x}")


def _encode_attribute(attr: Attribute, out: bytearray) -> None:
    for i, value in enumerate(attr.values):
        name = attr.name.encode("utf-8") if i == 0 else b""
        if isinstance(value, Collection):
            out += bytes([ValueTag.BEGIN_COLLECTION]) + struct.pack(">H", len(name)) + name
            out += b"\x00\x00"
            for member in value.members:
                member_name = member.name.encode("utf-8")
                out += bytes([ValueTag.MEMBER_NAME]) + b"\x00\x00"
                out += struct.pack(">H", len(member_name)) + member_name
                _encode_attribute(Attribute("", member.tag, member.values), out)
            out += bytes([ValueTag.END_COLLECTION]) + b"\x00\x00\x00\x00"
            continue
        body = _encode_value(attr.tag, value)
        out += bytes([attr.tag]) + struct.pack(">H", len(name)) + name
        out += struct.pack(">H", len(body)) + body


def encode(message: Message) -> bytes:
    out = bytearray(
        struct.pack(
            ">BBHI", message.version[0], message.version[1], message.code, message.request_id
        )
    )
    for group in message.groups:
        out.append(group.tag)
        for attr in group.attributes:
            _encode_attribute(attr, out)
    out.append(GroupTag.END)
    out += message.data
    return bytes(out)


# ------------------------------------------------------------------ decoding


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise _bad("message ends early")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        value: int = struct.unpack(">H", self.take(2))[0]
        return value

    def peek(self) -> int | None:
        return self.data[self.pos] if self.pos < len(self.data) else None


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad("text is not UTF-8") from exc


def _decode_value(tag: int, raw: bytes) -> Value:
    if 0x10 <= tag <= 0x1F:
        return OutOfBand()
    if tag in (ValueTag.INTEGER, ValueTag.ENUM):
        if len(raw) != 4:
            raise _bad("integer must be 4 bytes")
        value: int = struct.unpack(">i", raw)[0]
        return value
    if tag == ValueTag.BOOLEAN:
        if len(raw) != 1 or raw[0] > 1:
            raise _bad("boolean must be one byte 0 or 1")
        return raw[0] == 1
    if tag == ValueTag.RESOLUTION:
        if len(raw) != 9:
            raise _bad("resolution must be 9 bytes")
        x, y, units = struct.unpack(">iib", raw)
        return Resolution(x, y, units)
    if tag == ValueTag.RANGE:
        if len(raw) != 8:
            raise _bad("rangeOfInteger must be 8 bytes")
        lower, upper = struct.unpack(">ii", raw)
        return Range(lower, upper)
    if tag in (ValueTag.TEXT_WITH_LANGUAGE, ValueTag.NAME_WITH_LANGUAGE):
        inner = _Reader(raw)
        language = _text(inner.take(inner.u16()))
        text = _text(inner.take(inner.u16()))
        if inner.pos != len(raw):
            raise _bad("trailing bytes in text-with-language")
        return TextWithLanguage(language, text)
    if tag in _STRING_TAGS:
        return _text(raw)
    return RawValue(raw)


def _read_collection(reader: _Reader, depth: int) -> Collection:
    if depth > 16:
        raise _bad("collections nested too deep")
    members: list[Attribute] = []
    while True:
        tag = reader.u8()
        name_length = reader.u16()
        reader.take(name_length)
        raw = reader.take(reader.u16())
        if tag == ValueTag.END_COLLECTION:
            return Collection(tuple(members))
        if tag == ValueTag.MEMBER_NAME:
            members.append(Attribute(_text(raw), 0, ()))
            continue
        if not members:
            raise _bad("collection value without member name")
        if tag == ValueTag.BEGIN_COLLECTION:
            value: Value = _read_collection(reader, depth + 1)
        elif tag < 0x10:
            raise _bad("delimiter tag inside a collection")
        else:
            value = _decode_value(tag, raw)
        last = members[-1]
        members[-1] = Attribute(
            last.name, tag if not last.values else last.tag, (*last.values, value)
        )


def decode(data: bytes) -> Message:
    """Parse an IPP request or response."""
    reader = _Reader(data)
    major, minor = reader.u8(), reader.u8()
    if major not in (1, 2):
        raise _bad(f"unsupported IPP version {major}.{minor}")
    code = reader.u16()
    request_id: int = struct.unpack(">I", reader.take(4))[0]
    message = Message(code=code, request_id=request_id, version=(major, minor))
    group: AttributeGroup | None = None
    while True:
        tag = reader.u8()
        if tag == GroupTag.END:
            message.data = data[reader.pos :]
            return message
        if tag < 0x10:
            if tag == 0:
                raise _bad("reserved delimiter tag 00")
            group = AttributeGroup(tag)
            message.groups.append(group)
            continue
        if group is None:
            raise _bad("attribute before the first group")
        name = _text(reader.take(reader.u16()))
        raw = reader.take(reader.u16())
        if tag == ValueTag.BEGIN_COLLECTION:
            value: Value = _read_collection(reader, 1)
        elif tag in (ValueTag.END_COLLECTION, ValueTag.MEMBER_NAME):
            raise _bad("collection tag outside a collection")
        else:
            value = _decode_value(tag, raw)
        if name:
            group.attributes.append(Attribute(name, tag, (value,)))
        else:
            if not group.attributes:
                raise _bad("additional value without an attribute")
            last = group.attributes[-1]
            group.attributes[-1] = Attribute(last.name, last.tag, (*last.values, value))


# ------------------------------------------------------------------ builders


def operation_attributes(printer_uri: str, user: str = "koffer") -> list[Attribute]:
    return [
        Attribute("attributes-charset", ValueTag.CHARSET, ("utf-8",)),
        Attribute("attributes-natural-language", ValueTag.NATURAL_LANGUAGE, ("de",)),
        Attribute("printer-uri", ValueTag.URI, (printer_uri,)),
        Attribute("requesting-user-name", ValueTag.NAME, (user,)),
    ]


def get_printer_attributes(
    printer_uri: str, request_id: int, requested: tuple[str, ...]
) -> Message:
    attrs = operation_attributes(printer_uri)
    attrs.append(Attribute("requested-attributes", ValueTag.KEYWORD, requested))
    return Message(
        Operation.GET_PRINTER_ATTRIBUTES, request_id, [AttributeGroup(GroupTag.OPERATION, attrs)]
    )


def print_job(
    printer_uri: str, request_id: int, job_name: str, document: bytes, document_format: str
) -> Message:
    attrs = operation_attributes(printer_uri)
    attrs.append(Attribute("job-name", ValueTag.NAME, (job_name,)))
    attrs.append(Attribute("document-format", ValueTag.MIME_MEDIA_TYPE, (document_format,)))
    return Message(
        Operation.PRINT_JOB, request_id, [AttributeGroup(GroupTag.OPERATION, attrs)], document
    )


def job_request(operation: Operation, printer_uri: str, request_id: int, job_id: int) -> Message:
    """Get-Job-Attributes or Cancel-Job for ``job_id``."""
    attrs = operation_attributes(printer_uri)
    attrs.insert(3, Attribute("job-id", ValueTag.INTEGER, (job_id,)))
    if operation == Operation.GET_JOB_ATTRIBUTES:
        attrs.append(
            Attribute(
                "requested-attributes",
                ValueTag.KEYWORD,
                ("job-id", "job-state", "job-state-reasons", "job-state-message"),
            )
        )
    return Message(operation, request_id, [AttributeGroup(GroupTag.OPERATION, attrs)])
