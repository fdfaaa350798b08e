"""Wacom STU report codec: pure functions over bytes.

Report layouts follow the facts in the project's device notes (the vendor
SDK's report list): the first byte of every report is its ID; capability and
pen reports are big-endian, set reports little-endian. Every decoder raises
:class:`~koffer.errors.DeviceProtocolError` for bytes that do not fit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from koffer.errors import DeviceProtocolError


class ReportId(IntEnum):
    PEN_DATA = 0x01
    STATUS = 0x03
    RESET = 0x04
    INFORMATION = 0x08
    CAPABILITY = 0x09
    CLEAR_SCREEN = 0x20
    INKING_MODE = 0x21
    START_IMAGE_DATA = 0x25
    IMAGE_DATA_BLOCK = 0x26
    END_IMAGE_DATA = 0x27
    HANDWRITING_DISPLAY_AREA = 0x2A
    PEN_DATA_OPTION_MODE = 0x32
    PEN_DATA_TIME_COUNT_SEQUENCE = 0x34


class StatusCode(IntEnum):
    READY = 0x00
    IMAGE = 0x01
    CAPTURE = 0x02
    BOOT = 0x04
    ROM_BUSY = 0x05
    RESET = 0xFF


class ResultCode(IntEnum):
    OK = 0x00
    WRONG_REPORT_ID = 0x01
    WRONG_STATE = 0x02
    BAD_PARAMETER = 0x04
    IMAGE_ENCODING = 0x10
    IMAGE_ENCODING_SIZE = 0x11
    IMAGE_ENCODING_FORMAT = 0x12
    WRONG_AREA = 0x15


class ImageMode(IntEnum):
    """Values of report 25 StartImageData."""

    MONO = 0x00
    MONO_ZLIB = 0x01
    RGB565 = 0x02
    RGB24 = 0x04


class PenDataOption(IntEnum):
    NONE = 0x00
    TIME_COUNT = 0x01
    SEQUENCE = 0x02
    TIME_COUNT_SEQUENCE = 0x03


#: encodingFlag bits of the capability report
ENCODING_ZLIB = 0x01
ENCODING_1BIT = 0x02
ENCODING_16BIT = 0x04
ENCODING_24BIT = 0x08

#: data bytes per ImageDataBlock report (256-byte report) on USB for 430/530
BLOCK_DATA_SMALL = 253
#: data bytes per block on the STU-540 (2,560-byte report)
BLOCK_DATA_LARGE = 2557


def _need(data: bytes, report: int, length: int) -> None:
    if len(data) < length or data[0] != report:
        raise DeviceProtocolError(
            "Das Unterschriftenfeld hat eine unerwartete Antwort geschickt. "
            "Bitte stecken Sie es neu ein.",
            message_en=(
                f"Signature pad sent an unexpected reply (wanted report {report:02X}, "
                f"{length} bytes; got {len(data)} bytes)."
            ),
        )


# ---------------------------------------------------------------- get reports


@dataclass(frozen=True)
class Information:
    model: str
    firmware_major: int
    firmware_minor: int
    secure_ic: int
    secure_ic_version: bytes

    @property
    def firmware(self) -> str:
        return f"{self.firmware_major}.{self.firmware_minor:02d}"


INFORMATION_LENGTH = 17


def encode_information(info: Information) -> bytes:
    name = info.model.encode("ascii")[:9].ljust(9, b"\0")
    return (
        bytes([ReportId.INFORMATION])
        + name
        + bytes([info.firmware_major & 0xFF, info.firmware_minor & 0xFF, info.secure_ic & 0xFF])
        + info.secure_ic_version[:4].ljust(4, b"\0")
    )


def decode_information(data: bytes) -> Information:
    _need(data, ReportId.INFORMATION, INFORMATION_LENGTH)
    raw = data[1:10].split(b"\0", 1)[0]
    if not all(0x20 <= b < 0x7F for b in raw):
        raise DeviceProtocolError(
            "Das Unterschriftenfeld meldet einen ungültigen Gerätenamen. "
            "Bitte stecken Sie es neu ein.",
            message_en="Signature pad reported an invalid model name.",
        )
    return Information(
        model=raw.decode("ascii"),
        firmware_major=data[10],
        firmware_minor=data[11],
        secure_ic=data[12],
        secure_ic_version=bytes(data[13:17]),
    )


@dataclass(frozen=True)
class Capability:
    max_x: int
    max_y: int
    max_pressure: int
    screen_width: int
    screen_height: int
    max_report_rate: int
    resolution: int
    encoding_flag: int


CAPABILITY_LENGTH = 17
_CAPABILITY = struct.Struct(">BHHHHHBHB")


def encode_capability(cap: Capability) -> bytes:
    body = _CAPABILITY.pack(
        ReportId.CAPABILITY,
        cap.max_x,
        cap.max_y,
        cap.max_pressure,
        cap.screen_width,
        cap.screen_height,
        cap.max_report_rate,
        cap.resolution,
        cap.encoding_flag,
    )
    return body.ljust(CAPABILITY_LENGTH, b"\0")


def decode_capability(data: bytes) -> Capability:
    _need(data, ReportId.CAPABILITY, _CAPABILITY.size)
    _, mx, my, mp, sw, sh, rate, res, enc = _CAPABILITY.unpack_from(data)
    if 0 in (mx, my, mp, sw, sh):
        raise DeviceProtocolError(
            "Das Unterschriftenfeld meldet ungültige Abmessungen. Bitte stecken Sie es neu ein.",
            message_en="Signature pad reported a zero size in its capability report.",
        )
    return Capability(mx, my, mp, sw, sh, rate, res, enc)


@dataclass(frozen=True)
class Status:
    status: int
    last_result: int
    status_word: int = 0

    @property
    def ready(self) -> bool:
        return self.status == StatusCode.READY


STATUS_LENGTH = 5


def encode_status(status: Status) -> bytes:
    return struct.pack(
        "<BBBH", ReportId.STATUS, status.status, status.last_result, status.status_word
    )


def decode_status(data: bytes) -> Status:
    _need(data, ReportId.STATUS, STATUS_LENGTH)
    _, code, result, word = struct.unpack_from("<BBBH", data)
    return Status(code, result, word)


# ---------------------------------------------------------------- set reports


def encode_reset(hard: bool = False) -> bytes:
    return bytes([ReportId.RESET, 0x01 if hard else 0x00])


def encode_clear_screen() -> bytes:
    return bytes([ReportId.CLEAR_SCREEN, 0x00])


def encode_inking_mode(on: bool) -> bytes:
    return bytes([ReportId.INKING_MODE, 0x01 if on else 0x00])


def encode_start_image(mode: ImageMode) -> bytes:
    return bytes([ReportId.START_IMAGE_DATA, int(mode)])


def encode_image_block(chunk: bytes, block_data: int = BLOCK_DATA_SMALL) -> bytes:
    """One ImageDataBlock report: ID, LE u16 length, data padded to the block."""
    if not 0 < len(chunk) <= block_data:
        raise ValueError("image block must hold 1..block_data bytes")
    return (
        bytes([ReportId.IMAGE_DATA_BLOCK])
        + struct.pack("<H", len(chunk))
        + chunk.ljust(block_data, b"\0")
    )


def decode_image_block(data: bytes) -> bytes:
    _need(data, ReportId.IMAGE_DATA_BLOCK, 3)
    (length,) = struct.unpack_from("<H", data, 1)
    if length == 0 or 3 + length > len(data):
        raise DeviceProtocolError(
            "Bilddaten für das Unterschriftenfeld sind beschädigt.",
            message_en="Image data block length does not fit the report.",
        )
    return bytes(data[3 : 3 + length])


def image_blocks(payload: bytes, block_data: int = BLOCK_DATA_SMALL) -> list[bytes]:
    """Split an encoded image into ImageDataBlock reports."""
    return [
        encode_image_block(payload[i : i + block_data], block_data)
        for i in range(0, len(payload), block_data)
    ]


def encode_end_image(abandon: bool = False) -> bytes:
    return bytes([ReportId.END_IMAGE_DATA, 0x01 if abandon else 0x00])


def encode_handwriting_area(left: int, top: int, right: int, bottom: int) -> bytes:
    return bytes([ReportId.HANDWRITING_DISPLAY_AREA]) + struct.pack(
        "<HHHH", left, top, right, bottom
    )


def decode_handwriting_area(data: bytes) -> tuple[int, int, int, int]:
    _need(data, ReportId.HANDWRITING_DISPLAY_AREA, 9)
    left, top, right, bottom = struct.unpack_from("<HHHH", data, 1)
    return left, top, right, bottom


def encode_pen_data_option(mode: PenDataOption) -> bytes:
    return bytes([ReportId.PEN_DATA_OPTION_MODE, int(mode)])


# ---------------------------------------------------------------- pen reports


@dataclass(frozen=True)
class RawPenData:
    """A decoded pen report in tablet units."""

    in_proximity: bool
    switch: int
    pressure: int
    x: int
    y: int
    time_count: int | None = None
    sequence: int | None = None

    @property
    def touching(self) -> bool:
        return self.switch != 0


PEN_DATA_LENGTH = 7
PEN_DATA_TCS_LENGTH = 11


def encode_pen_data(pen: RawPenData) -> bytes:
    """Report 01, or report 34 when ``time_count`` and ``sequence`` are set."""
    b0 = (0x80 if pen.in_proximity else 0) | ((pen.switch & 0x7) << 4) | ((pen.pressure >> 8) & 0xF)
    body = struct.pack(">BBHH", b0, pen.pressure & 0xFF, pen.x, pen.y)
    if pen.time_count is None or pen.sequence is None:
        return bytes([ReportId.PEN_DATA]) + body
    return (
        bytes([ReportId.PEN_DATA_TIME_COUNT_SEQUENCE])
        + body
        + struct.pack(">HH", pen.time_count & 0xFFFF, pen.sequence & 0xFFFF)
    )


def decode_pen_report(data: bytes) -> RawPenData:
    """Decode input report 01 (PenData) or 34 (PenDataTimeCountSequence)."""
    if not data:
        raise DeviceProtocolError(
            "Das Unterschriftenfeld hat leere Stiftdaten geschickt.",
            message_en="Signature pad sent an empty pen report.",
        )
    report = data[0]
    if report == ReportId.PEN_DATA:
        _need(data, report, PEN_DATA_LENGTH)
    elif report == ReportId.PEN_DATA_TIME_COUNT_SEQUENCE:
        _need(data, report, PEN_DATA_TCS_LENGTH)
    else:
        raise DeviceProtocolError(
            "Das Unterschriftenfeld hat unbekannte Stiftdaten geschickt.",
            message_en=f"Signature pad sent unknown input report {report:02X}.",
        )
    b0, b1, x, y = struct.unpack_from(">BBHH", data, 1)
    pen = RawPenData(
        in_proximity=bool(b0 & 0x80),
        switch=(b0 >> 4) & 0x7,
        pressure=((b0 & 0xF) << 8) | b1,
        x=x,
        y=y,
    )
    if report == ReportId.PEN_DATA:
        return pen
    time_count, sequence = struct.unpack_from(">HH", data, 7)
    return RawPenData(
        pen.in_proximity, pen.switch, pen.pressure, pen.x, pen.y, time_count, sequence
    )


def sequence_gap(previous: int | None, current: int) -> int:
    """How many reports were lost between two 16-bit sequence numbers."""
    if previous is None:
        return 0
    return (current - previous - 1) & 0xFFFF
