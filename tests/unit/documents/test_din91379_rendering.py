"""Every DIN 91379 letter and sequence renders and reads back as the same NFC text.

The PDF is produced with the real document text path (:func:`draw_text`) and
read back with poppler's ``pdftotext``. Extraction caveat, precisely: in its
default (physical layout) mode pdftotext drops the spaces of a line that
consists only of single letters separated by single spaces ("A B C" → "ABC"),
because it takes uniformly spaced glyphs for letter-spaced text. The list
test therefore uses ``-raw`` (content-stream order, no layout heuristics);
the name test uses the default mode on realistic words.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.documents.fonts import covers, register_fonts
from koffer.documents.pdfa import DocumentInfo, finish, new_canvas
from koffer.documents.text import clusters, draw_text, wrap
from tests.unit.documents.pdftools import needs_poppler, pdftotext, words

DATA = Path(__file__).resolve().parents[3] / "koffer" / "cases" / "data"
SHARED = Path("/work/shared/data/din91379")


def _list_file() -> Path:
    for folder in (DATA, SHARED):
        candidate = folder / "latin_letters_1.3.txt"
        if candidate.is_file():
            return candidate
    for candidate in DATA.rglob("latin_letters_1.3.txt"):
        return candidate
    pytest.skip("latin_letters_1.3.txt not found")


def _groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    current = ""
    for line in _list_file().read_text(encoding="utf-8").splitlines():
        if ";" in line and not line.startswith(" "):
            current = line.split(";")[0].strip()
            groups[current] = []
            continue
        if line.strip() == "Sequences":
            continue
        if current:
            groups[current].extend(line.split())
    return groups


def _render(lines: list[str]) -> bytes:
    fonts = register_fonts()
    info = DocumentInfo(title="DIN 91379", subject="test", created=datetime(2026, 1, 1, tzinfo=UTC))
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, info)
    y = 800.0
    for line in lines:
        if y < 60:
            canvas.showPage()
            y = 800.0
        draw_text(canvas, 40, y, line, fonts.regular, 11)
        y -= 16
    canvas.showPage()
    finish(canvas, info)
    return buffer.getvalue()


def _chunks(tokens: list[str], size: int = 20) -> list[str]:
    return [" ".join(tokens[i : i + size]) for i in range(0, len(tokens), size)]


def test_font_covers_every_normative_character() -> None:
    fonts = register_fonts()
    groups = _groups()
    missing = [
        token
        for name in ("bll", "bnlreq", "bnl", "bnlopt", "dc")
        for token in groups[name]
        if not covers(fonts.regular, token) or not covers(fonts.bold, token)
    ]
    assert missing == []
    assert len(groups["bll"]) > 600  # letters and sequences were parsed


@needs_poppler
def test_all_letters_and_sequences_extract_to_the_same_nfc_text() -> None:
    groups = _groups()
    tokens = groups["bll"] + groups["bnlreq"] + groups["bnl"] + groups["bnlopt"]
    expected = [unicodedata.normalize("NFC", t) for t in tokens]
    pdf = _render(_chunks(tokens))
    assert words(pdftotext(pdf, raw=True)) == expected


@needs_poppler
def test_extended_groups_extract_when_fallback_font_is_installed() -> None:
    if register_fonts().fallback is None:
        pytest.skip("fonts-dejavu-core is not installed: no fallback for ∞ ≤ ≥")
    groups = _groups()
    tokens = groups["gl"] + groups["cl"] + groups["enl"]
    pdf = _render(_chunks(tokens))
    assert words(pdftotext(pdf, raw=True)) == [unicodedata.normalize("NFC", t) for t in tokens]


@needs_poppler
def test_names_with_sequences_extract_in_default_layout_mode() -> None:
    names = [
        "Nœl Ľudmila Dvořák-Þórsdóttir",
        "Schmidt-Strauß L̥̄ena K͟hadija C̨̆elik",
        "Ǻsa Ẹ̄ma Ṣ̄ergio Ọ̈zdemir",
        "Dr. Ǿyvind Ƈǎrdenas-Ẳlvarez",
    ]
    pdf = _render(names)
    assert words(pdftotext(pdf)) == words(" ".join(names))


def test_decomposed_input_is_drawn_as_nfc() -> None:
    decomposed = "Mu\u0308ller"
    assert clusters(decomposed) == ["M", "ü", "l", "l", "e", "r"]
    assert clusters("L\u0325\u0304x") == ["L\u0325\u0304", "x"]


def test_wrap_breaks_at_spaces_and_inside_overlong_words() -> None:
    fonts = register_fonts()
    lines = wrap("Schmidt-Strauß-Straße 17a " + "X" * 80, fonts.regular, 10, 150)
    assert lines[0] == "Schmidt-Strauß-Straße 17a"
    assert all(len(line) <= 80 for line in lines)
    assert "".join(lines[1:]) == "X" * 80
