"""ESC/POS encoders and status decoders: pure functions over bytes.

Text is encoded in a single-byte code page (CP858 by default: ä ö ü ß and €);
characters outside it are transliterated ("„" → '"', "ł" → "l") or replaced
by "?". Lines longer than the print head are wrapped here at word boundaries
(Font A is 12 dots wide: 48 columns on the 576 dots of 80 mm paper, 24 at
double size), so the printer never breaks a word. Status replies to DLE EOT n
are one byte with bits 1 and 4 always set and bits 0 and 7 clear; anything
else is a protocol error.

A job ends with ``GS V 65/66 n`` (function B): the printer itself feeds the
last printed line past the blade, which sits about 15 mm above the print line
on a TM-T88, and then cuts. ``GS V 0`` after a few line feeds would leave the
last lines on the next receipt.
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

#: dots per character of Font A (12 × 24); Font B is 9 dots wide (64 columns on 576)
FONT_A_DOTS = 12

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


def _printable(text: str) -> str:
    return "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")


def encode_text(text: str, code_page: str = "cp858") -> bytes:
    """Text bytes in the code page (control characters other than LF dropped)."""
    return transliterate(_printable(text), code_page).encode(code_page)


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


def cut(partial: bool = True, extra_feed: int = 0) -> bytes:
    """GS V m n (function B): feed to the cutting position plus ``extra_feed``
    motion units, then cut; m = 66 partial (one point left uncut), 65 full."""
    return bytes([GS, 0x56, 66 if partial else 65, max(0, min(extra_feed, 255))])


def columns(max_width: int = 576, double_size: bool = False) -> int:
    """Characters of Font A per printed line on a head of ``max_width`` dots."""
    per_char = FONT_A_DOTS * (2 if double_size else 1)
    return max(1, max_width // per_char)


def wrap_line(text: str, width: int) -> list[str]:
    """``text`` (no LF) broken into lines of at most ``width`` characters.

    Breaks at spaces; a word longer than a whole line is split. Spaces at a
    break are dropped; an empty line stays one empty line.
    """
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def wrap_text(text: str, width: int) -> str:
    """Every line of ``text`` wrapped to ``width`` (LFs kept)."""
    return "\n".join(wrapped for line in text.split("\n") for wrapped in wrap_line(line, width))


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
            clean = transliterate(_printable(text), code_page)
            out += wrap_text(clean, columns(max_width, item.double_size)).encode(code_page)
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
    """The replies to DLE EOT 1, 2, 4 and 3 (error status, read last)."""

    printer: int
    offline_cause: int
    paper: int
    error: int = 0x12


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
CUTTER_DETAIL = (
    "Das Schneidwerk des Bondruckers ist blockiert. Bitte öffnen Sie die Abdeckung, "
    "entfernen Sie eingeklemmtes Papier und schließen Sie die Abdeckung wieder."
)


def status_from_bytes(raw: RawStatus) -> PrinterStatus:
    """Map DLE EOT 1, 2, 3 and 4 replies to a :class:`PrinterStatus`.

    DLE EOT 3 (error status): bit 2 mechanical (recoverable) error, bit 3
    autocutter error, bit 5 unrecoverable error, bit 6 automatically
    recoverable error (Epson TM series).
    """
    reasons: list[str] = []
    if raw.printer & 0x08:
        reasons.append("offline")
    if raw.offline_cause & 0x04:
        reasons.append("cover-open")
    if raw.offline_cause & 0x20:
        reasons.append("paper-end-stop")
    if raw.offline_cause & 0x40:
        reasons.append("error")
    if raw.error & 0x04:
        reasons.append("mechanical-error")
    if raw.error & 0x08:
        reasons.append("cutter-error")
    if raw.error & 0x20:
        reasons.append("unrecoverable-error")
    if raw.error & 0x40:
        reasons.append("auto-recoverable-error")
    if (raw.paper & 0x60) == 0x60:
        reasons.append("paper-out")
    if raw.paper & 0x0C:
        reasons.append("paper-near-end")
    found = tuple(reasons)
    if "cutter-error" in found:
        return PrinterStatus(PrinterState.ERROR, CUTTER_DETAIL, found)
    if "cover-open" in found:
        return PrinterStatus(PrinterState.COVER_OPEN, COVER_OPEN_DETAIL, found)
    if "paper-out" in found or "paper-end-stop" in found:
        return PrinterStatus(PrinterState.PAPER_OUT, PAPER_OUT_DETAIL, found)
    if any(
        r in found
        for r in ("error", "mechanical-error", "unrecoverable-error", "auto-recoverable-error")
    ):
        return PrinterStatus(PrinterState.ERROR, ERROR_DETAIL, found)
    if "offline" in found:
        return PrinterStatus(PrinterState.OFFLINE, OFFLINE_DETAIL, found)
    if "paper-near-end" in found:
        return PrinterStatus(PrinterState.PAPER_LOW, PAPER_LOW_DETAIL, found)
    return PrinterStatus(PrinterState.READY, "", found)
