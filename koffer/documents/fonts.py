"""The fonts of every document: Noto Sans, shipped inside the package.

Noto Sans (SIL Open Font License 1.1, see ``fonts/OFL.txt``) covers every
normative DIN 91379 letter, sequence and non-letter (groups bll, N1–N3, dc)
and positions combining marks through its GPOS ``mark``/``mkmk`` features.
It lacks three characters of the non-normative group E1 (∞ ≤ ≥); for those,
and for anything else it does not cover, DejaVu Sans from the Debian package
``fonts-dejavu-core`` is used as a fallback when it is installed.

Registration with reportlab is global and idempotent; every document calls
:func:`register_fonts` first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from koffer.errors import ConfigError

FONT_DIR = Path(__file__).resolve().parent / "fonts"

REGULAR = "KofferSans"
BOLD = "KofferSans-Bold"
FALLBACK = "KofferFallback"

_FILES = {
    REGULAR: FONT_DIR / "NotoSans-Regular.ttf",
    BOLD: FONT_DIR / "NotoSans-Bold.ttf",
}

#: where Debian's fonts-dejavu-core puts the fallback font
FALLBACK_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

_lock = threading.Lock()


@dataclass(frozen=True)
class FontSet:
    """The registered font names and whether the fallback is available."""

    regular: str
    bold: str
    fallback: str | None


@cache
def register_fonts() -> FontSet:
    """Register the document fonts with reportlab (once per process)."""
    with _lock:
        for name, path in _FILES.items():
            if not path.is_file():
                raise ConfigError(
                    f"Die Schriftdatei {path.name} fehlt im Programmpaket. "
                    "Bitte installieren Sie den Bürgerservice-Koffer neu.",
                    message_en=f"The font file {path.name} is missing from the package. "
                    "Please reinstall the Bürgerservice-Koffer.",
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        fallback: str | None = None
        if FALLBACK_FILE.is_file():
            pdfmetrics.registerFont(TTFont(FALLBACK, str(FALLBACK_FILE)))
            fallback = FALLBACK
        return FontSet(REGULAR, BOLD, fallback)


@cache
def _charmap(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def covers(font_name: str, char: str) -> bool:
    """True if ``font_name`` has a glyph for every code point of ``char``."""
    cmap = _charmap(font_name)
    return all(ord(c) in cmap for c in char)


def font_for(font_name: str, cluster: str) -> str:
    """``font_name`` if it covers ``cluster``, else the fallback (if it does)."""
    if covers(font_name, cluster):
        return font_name
    fallback = register_fonts().fallback
    if fallback is not None and covers(fallback, cluster):
        return fallback
    return font_name
