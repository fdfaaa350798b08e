"""Drawing text so that every DIN 91379 letter looks right *and* reads back.

reportlab's shaping (``uharfbuzz``) positions combining marks correctly, but
it places them with text rise and kerning offsets. Text extraction (poppler's
``pdftotext``, screen readers, copy & paste) then sees a stray accent next to
its base letter. So this module splits text into grapheme clusters (a base
letter plus its combining marks, after NFC):

- runs of single-code-point clusters are written as plain text;
- each cluster with combining marks is shaped by harfbuzz (through
  reportlab's ``shapeStr``) and wrapped in a marked-content span with
  ``/ActualText`` (ISO 32000-1, 14.9.4) carrying the cluster's Unicode text,
  followed by a zero-width space inside the span, so that the span ends
  exactly at the pen position after the base letter.

Code points the main font lacks are drawn with the fallback font (see
:mod:`koffer.documents.fonts`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import shapeStr

from koffer.documents.fonts import covers, font_for

_ZWSP = "\u200b"
_WHITESPACE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def normalize(text: str) -> str:
    """NFC, with tabs and line breaks turned into spaces."""
    return unicodedata.normalize("NFC", text.translate(_WHITESPACE))


def clusters(text: str) -> list[str]:
    """Grapheme clusters: a base character followed by its combining marks."""
    out: list[str] = []
    for char in normalize(text):
        if out and unicodedata.combining(char):
            out[-1] += char
        else:
            out.append(char)
    return out


@lru_cache(maxsize=8192)
def _width(text: str, font: str, size: float) -> float:
    if covers(font, text):
        # combining marks have no advance: the plain width is the drawn width
        return float(stringWidth(text, font, size))
    return sum(
        float(stringWidth(cluster, font_for(font, cluster), size)) for cluster in clusters(text)
    )


def text_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points when drawn with :func:`draw_text`."""
    return _width(normalize(text), font, size)


def _runs(text: str, font: str) -> Iterator[tuple[str, str, bool]]:
    """(text, font, needs_shaping) pieces in drawing order."""
    run = ""
    run_font = font
    for cluster in clusters(text):
        cluster_font = font_for(font, cluster)
        if len(cluster) > 1:
            if run:
                yield run, run_font, False
                run = ""
            yield cluster, cluster_font, True
            continue
        if run and cluster_font != run_font:
            yield run, run_font, False
            run = ""
        run_font = cluster_font
        run += cluster
    if run:
        yield run, run_font, False


def _actual_text(cluster: str) -> str:
    return "<FEFF" + cluster.encode("utf-16-be").hex().upper() + ">"


def draw_text(canvas: Any, x: float, y: float, text: str, font: str, size: float) -> float:
    """Draw one line of ``text`` with its baseline at ``y``; returns its width."""
    textobject = canvas.beginText(x, y)
    current = None
    for piece, piece_font, shaped in _runs(text, font):
        if piece_font != current:
            textobject.setFont(piece_font, size)
            current = piece_font
        if not shaped:
            textobject.textOut(piece)
            continue
        textobject._code.append(f"/Span <</ActualText {_actual_text(piece)}>> BDC")
        textobject.textOut(shapeStr(piece, piece_font, size, force=True))
        if covers(piece_font, _ZWSP):
            textobject.textOut(_ZWSP)
        textobject._code.append("EMC")
    canvas.drawText(textobject)
    return text_width(text, font, size)


def draw_segments(
    canvas: Any,
    x: float,
    y: float,
    segments: Sequence[tuple[str, bool]],
    font: str,
    size: float,
) -> float:
    """Draw ``(text, underlined)`` segments one after the other; returns the width."""
    cursor = x
    for text, underlined in segments:
        width = draw_text(canvas, cursor, y, text, font, size)
        if underlined and width > 0:
            canvas.saveState()
            canvas.setLineWidth(max(0.5, size * 0.06))
            offset = size * 0.14
            canvas.line(cursor, y - offset, cursor + width, y - offset)
            canvas.restoreState()
        cursor += width
    return cursor - x


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (at spaces if possible)."""
    lines: list[str] = []
    for raw in unicodedata.normalize("NFC", text).splitlines() or [""]:
        paragraph = raw.replace("\t", " ")
        line = ""
        line_width = 0.0
        space = text_width(" ", font, size)
        for word in paragraph.split(" "):
            word_width = text_width(word, font, size)
            candidate_width = line_width + space + word_width if line else word_width
            if candidate_width <= max_width:
                line = f"{line} {word}" if line else word
                line_width = candidate_width
                continue
            if line:
                lines.append(line)
            line = ""
            line_width = 0.0
            # a single word longer than the line: break between clusters
            for cluster in clusters(word):
                if line and text_width(line + cluster, font, size) > max_width:
                    lines.append(line)
                    line = ""
                line += cluster
            line_width = text_width(line, font, size)
        lines.append(line)
    return lines
