"""ESC/POS encoders and status decoders: pure functions over bytes.

Text is encoded in a single-byte code page (CP858 by default: ä ö ü ß and €);
characters outside it are transliterated ("„" → '"', "ł" → "l") or replaced
by "?". Status replies to DLE EOT n are one byte with bits 1 and 4 always set
and bits 0 and 7 clear; anything else is a protocol error.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from koffer.devices.interfaces import (
    PrinterState,
    PrinterStatus,
    ReceiptCut,
    ReceiptFeed,
    ReceiptImage,
    ReceiptItem,
    ReceiptQr,
    ReceiptText,
)
from koffer.errors import DeviceProtocolError

ESC = 0x1B
GS = 0x1D
DLE = 0x10
EOT = 0x04
LF = 0x0A

#: ESC t n values of common code pages (Epson numbering)
CODE_PAGES: dict[str, int] = {"cp437": 0, "cp850": 2, "cp858": 19, "cp1252": 16}

_TRANSLITERATION = {
    "„": '"',
    "“": '"',
    "”": '"',
    "‚": "'",
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "*",
    "ẞ": "SS",
    "\u00a0": " ",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ø": "o",
    "Ø": "O",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
}


def init() -> bytes:
    """ESC @: reset the printer to its defaults."""
    return bytes([ESC, 0x40])


def select_code_page(code_page: str) -> bytes:
    return bytes([ESC, 0x74, CODE_PAGES[code_page]])


def transliterate(text: str, code_page: str = "cp858") -> str:
    """``text`` with every character the code page lacks replaced."""
    out: list[str] = []
    for char in text:
        try:
            char.encode(code_page)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        if char in _TRANSLITERATION:
            out.append(_TRANSLITERATION[char])
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        try:
            base.encode(code_page)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def encode_text(text: str, code_page: str = "cp858") -> bytes:
    """Text bytes in the code page (control characters other than LF dropped)."""
    clean = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
    return transliterate(clean, code_page).encode(code_page)


def bold(on: bool) -> bytes:
    return bytes([ESC, 0x45, 1 if on else 0])


def character_size(double: bool) -> bytes:
    """GS ! n: double width and height, or normal."""
    return bytes([GS, 0x21, 0x11 if double else 0x00])


def align(where: str) -> bytes:
    positions = {"left": 0, "center": 1, "right": 2}
    if where not in positions:
        raise ValueError(f"alignment must be left, center or right, not {where!r}")
    return bytes([ESC, 0x61, positions[where]])


def feed(lines: int = 1) -> bytes:
    """ESC d n: print and feed ``lines`` lines."""
    return bytes([ESC, 0x64, max(0, min(lines, 255))])


def cut(partial: bool = False) -> bytes:
    """GS V m: full (00) or partial (01) cut."""
    return bytes([GS, 0x56, 0x01 if partial else 0x00])


def raster_image(image: Image.Image, max_width: int = 576) -> bytes:
    """GS v 0: a 1-bit raster image, a set bit is a printed (black) dot."""
    picture = image.convert("L")
    if picture.width > max_width:
        height = max(1, round(picture.height * max_width / picture.width))
        picture = picture.resize((max_width, height))
    inverted = picture.point(lambda v: 255 if v < 128 else 0)
    mono = inverted.convert("1", dither=Image.Dither.NONE)
    width_bytes = (mono.width + 7) // 8
    data = mono.tobytes()
    return bytes([GS, 0x76, 0x30, 0x00]) + struct.pack("<HH", width_bytes, mono.height) + data


def qr_code(data: str, size: int = 6, error_correction: str = "M") -> bytes:
    """GS ( k: model 2, module size, error correction, store, print."""
    payload = data.encode("utf-8")
    if len(payload) > 7089:
        raise ValueError("QR data too long")
    level = {"L": 48, "M": 49, "Q": 50, "H": 51}[error_correction]
    store_len = len(payload) + 3
    return (
        bytes([GS, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0x00])
        + bytes([GS, 0x28, 0x6B, 3, 0, 0x31, 0x43, max(1, min(size, 16))])
        + bytes([GS, 0x28, 0x6B, 3, 0, 0x31, 0x45, level])
        + bytes([GS, 0x28, 0x6B, store_len & 0xFF, store_len >> 8, 0x31, 0x50, 0x30])
        + payload
        + bytes([GS, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30])
    )


def status_request(n: int) -> bytes:
    """DLE EOT n: real-time status (n = 1 printer, 2 offline cause, 3 error, 4 paper)."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n must be 1..4")
    return bytes([DLE, EOT, n])


def encode_receipt(
    items: Sequence[ReceiptItem], code_page: str = "cp858", max_width: int = 576
) -> bytes:
    """The complete job: init, code page, then each item in order."""
    out = bytearray(init() + select_code_page(code_page))
    for item in items:
        if isinstance(item, ReceiptText):
            out += align(item.align) + bold(item.bold) + character_size(item.double_size)
            text = item.text if item.text.endswith("\n") else item.text + "\n"
            out += encode_text(text, code_page)
            out += bold(False) + character_size(False) + align("left")
        elif isinstance(item, ReceiptImage):
            out += raster_image(item.image, max_width)
        elif isinstance(item, ReceiptQr):
            out += qr_code(item.data, item.size)
        elif isinstance(item, ReceiptFeed):
            out += feed(item.lines)
        elif isinstance(item, ReceiptCut):
            out += cut(item.partial)
        else:
            raise TypeError(f"unknown receipt item {item!r}")
    return bytes(out)


# ---------------------------------------------------------------- status


@dataclass(frozen=True)
class RawStatus:
    printer: int
    offline_cause: int
    paper: int


def decode_status_byte(n: int, data: bytes) -> int:
    """Check and return the one-byte reply to DLE EOT ``n``."""
    if len(data) != 1 or (data[0] & 0x93) != 0x12:
        raise DeviceProtocolError(
            "Der Bondrucker hat eine unverständliche Statusmeldung geschickt. "
            "Bitte schalten Sie ihn aus und wieder ein.",
            message_en=f"Receipt printer sent an invalid reply to DLE EOT {n}: {data.hex()}",
        )
    return data[0]


PAPER_OUT_DETAIL = "Papier ist leer. Bitte legen Sie eine neue Rolle ein."
PAPER_LOW_DETAIL = "Das Papier geht bald zu Ende. Bitte halten Sie eine neue Rolle bereit."
COVER_OPEN_DETAIL = "Die Abdeckung des Bondruckers ist offen. Bitte schließen Sie sie."
OFFLINE_DETAIL = "Der Bondrucker ist nicht bereit. Bitte prüfen Sie, ob er eingeschaltet ist."
ERROR_DETAIL = "Der Bondrucker meldet einen Fehler. Bitte schalten Sie ihn aus und wieder ein."


def status_from_bytes(raw: RawStatus) -> PrinterStatus:
    """Map DLE EOT 1, 2 and 4 replies to a :class:`PrinterStatus`."""
    reasons: list[str] = []
    if raw.printer & 0x08:
        reasons.append("offline")
    if raw.offline_cause & 0x04:
        reasons.append("cover-open")
    if raw.offline_cause & 0x20:
        reasons.append("paper-end-stop")
    if raw.offline_cause & 0x40:
        reasons.append("error")
    if (raw.paper & 0x60) == 0x60:
        reasons.append("paper-out")
    if raw.paper & 0x0C:
        reasons.append("paper-near-end")
    found = tuple(reasons)
    if "cover-open" in found:
        return PrinterStatus(PrinterState.COVER_OPEN, COVER_OPEN_DETAIL, found)
    if "paper-out" in found or "paper-end-stop" in found:
        return PrinterStatus(PrinterState.PAPER_OUT, PAPER_OUT_DETAIL, found)
    if "error" in found:
        return PrinterStatus(PrinterState.ERROR, ERROR_DETAIL, found)
    if "offline" in found:
        return PrinterStatus(PrinterState.OFFLINE, OFFLINE_DETAIL, found)
    if "paper-near-end" in found:
        return PrinterStatus(PrinterState.PAPER_LOW, PAPER_LOW_DETAIL, found)
    return PrinterStatus(PrinterState.READY, "", found)
