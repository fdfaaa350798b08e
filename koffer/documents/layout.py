"""A small flowing layout for A4 forms (DIN 5008 inspired).

Documents describe their content as blocks (headings, label/value fields,
paragraphs, tables, signature lines, a QR code); :class:`FormLayout` places
them on pages, breaking pages where needed, and draws the letterhead, the
information block and the footer ("Seite n von m") on each page. Nothing is
drawn until :meth:`FormLayout.render`, which is how the page total is known.

Geometry follows DIN 5008 form B loosely: left margin 25 mm, right margin
20 mm, the return address line ("Rücksendeangabe") 45 mm from the top edge,
the information block at 125 mm from the left edge, the subject line (title)
below the address field.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from koffer.documents.fonts import register_fonts
from koffer.documents.pdfa import A4, DocumentInfo, finish, new_canvas
from koffer.documents.settings import MunicipalitySettings
from koffer.documents.text import draw_segments, draw_text, text_width, wrap

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 25 * mm
RIGHT = PAGE_WIDTH - 20 * mm
WIDTH = RIGHT - LEFT
TOP_CONTENT_FIRST = PAGE_HEIGHT - 96 * mm
TOP_CONTENT_NEXT = PAGE_HEIGHT - 40 * mm
BOTTOM = 25 * mm
LABEL_WIDTH = 58 * mm

INK = (0.08, 0.08, 0.1)
GREY = (0.38, 0.38, 0.42)
RULE = (0.6, 0.6, 0.64)
ACCENT = (0.0, 0.27, 0.53)

Op = Callable[[Any], None]
Segments = Sequence[tuple[str, bool]]


@dataclass
class _Page:
    ops: list[Op] = field(default_factory=list)


class FormLayout:
    """Collects blocks and renders them as one PDF/A-2b document.

    :param municipality: letterhead
    :param title: document title (the "Betreff"), printed on the first page
    :param info_rows: (label, value) pairs of the information block, e.g.
        date and case number; never personal data
    :param footer_note: small text printed left in the footer of every page
    """

    def __init__(
        self,
        municipality: MunicipalitySettings,
        title: str,
        info_rows: Sequence[tuple[str, str]],
        footer_note: str = "",
        qr_data: str | None = None,
    ) -> None:
        self.fonts = register_fonts()
        self.qr_data = qr_data
        self.municipality = municipality
        self.title = title
        self.info_rows = list(info_rows)
        self.footer_note = footer_note
        self._logo = municipality.logo_image()
        self._pages: list[_Page] = [_Page()]
        self._y = TOP_CONTENT_FIRST
        self._title_block()

    # ------------------------------------------------------------ placement

    @property
    def remaining(self) -> float:
        """Vertical space left on the current page, in points."""
        return float(self._y - BOTTOM)

    def _add(self, op: Op) -> None:
        self._pages[-1].ops.append(op)

    def new_page(self) -> None:
        self._pages.append(_Page())
        self._y = TOP_CONTENT_NEXT

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit."""
        if height > self.remaining:
            self.new_page()

    def space(self, amount_mm: float) -> None:
        self._y -= amount_mm * mm

    # --------------------------------------------------------------- blocks

    def _title_block(self) -> None:
        y = self._y
        title = self.title
        bold = self.fonts.bold

        def op(c: Any) -> None:
            c.setFillColorRGB(*INK)
            draw_text(c, LEFT, y, title, bold, 15)

        self._add(op)
        self._y -= 11 * mm

    def heading(self, text: str) -> None:
        """A section heading with a thin rule under it."""
        self.keep(22 * mm)
        self._y -= 2 * mm
        y = self._y
        bold = self.fonts.bold

        def op(c: Any) -> None:
            c.setFillColorRGB(*ACCENT)
            draw_text(c, LEFT, y, text, bold, 11)
            c.setStrokeColorRGB(*RULE)
            c.setLineWidth(0.5)
            c.line(LEFT, y - 2 * mm, RIGHT, y - 2 * mm)

        self._add(op)
        self._y -= 8 * mm

    def field(
        self,
        label: str,
        value: str | Segments,
        *,
        label_width: float = LABEL_WIDTH,
        size: float = 10.5,
    ) -> None:
        """A label (left, grey) and its value (right, wrapped if long)."""
        regular = self.fonts.regular
        leading = size * 1.35
        if isinstance(value, str):
            lines: list[Segments] = [
                [(line, False)] for line in wrap(value or "–", regular, size, WIDTH - label_width)
            ]
        else:
            lines = [list(value) if value else [("–", False)]]
        label_lines = wrap(label, regular, 8.5, label_width - 3 * mm)
        height = max(len(lines) * leading, len(label_lines) * 8.5 * 1.3) + 1.0 * mm
        self.keep(height)
        y = self._y

        def op(c: Any) -> None:
            c.setFillColorRGB(*GREY)
            for i, line in enumerate(label_lines):
                draw_text(c, LEFT, y - i * 8.5 * 1.3, line, regular, 8.5)
            c.setFillColorRGB(*INK)
            c.setStrokeColorRGB(*INK)
            for i, segments in enumerate(lines):
                draw_segments(c, LEFT + label_width, y - i * leading, segments, regular, size)

        self._add(op)
        self._y -= height

    def paragraph(
        self, text: str, *, size: float = 10, bold: bool = False, indent: float = 0.0
    ) -> None:
        """Running text, wrapped to the text width."""
        font = self.fonts.bold if bold else self.fonts.regular
        leading = size * 1.4
        for line in wrap(text, font, size, WIDTH - indent):
            self.keep(leading)
            y = self._y

            def op(c: Any, y: float = y, line: str = line) -> None:
                c.setFillColorRGB(*INK)
                draw_text(c, LEFT + indent, y, line, font, size)

            self._add(op)
            self._y -= leading
        self._y -= 1.5 * mm

    def bullets(self, items: Sequence[str], *, size: float = 10) -> None:
        """A list with bullet points."""
        regular = self.fonts.regular
        leading = size * 1.4
        for item in items:
            lines = wrap(item, regular, size, WIDTH - 6 * mm)
            self.keep(leading * min(len(lines), 2))
            for index, line in enumerate(lines):
                self.keep(leading)
                y = self._y

                def op(c: Any, y: float = y, line: str = line, first: bool = index == 0) -> None:
                    c.setFillColorRGB(*INK)
                    if first:
                        draw_text(c, LEFT + 1 * mm, y, "•", regular, size)
                    draw_text(c, LEFT + 6 * mm, y, line, regular, size)

                self._add(op)
                self._y -= leading
            self._y -= 1 * mm
        self._y -= 1 * mm

    def amounts(self, rows: Sequence[tuple[str, str]], total: tuple[str, str] | None) -> None:
        """A two-column table with right-aligned amounts and an optional total row."""
        regular, bold = self.fonts.regular, self.fonts.bold
        size = 10.5
        leading = size * 1.5
        count = len(rows) + (1 if total else 0)
        self.keep(count * leading + 4 * mm)
        y0 = self._y

        def op(c: Any) -> None:
            c.setFillColorRGB(*INK)
            y = y0
            for label, amount in rows:
                draw_text(c, LEFT, y, label, regular, size)
                draw_text(c, RIGHT - text_width(amount, regular, size), y, amount, regular, size)
                y -= leading
            if total is not None:
                c.setStrokeColorRGB(*INK)
                c.setLineWidth(0.7)
                c.line(LEFT, y + leading - 4.2, RIGHT, y + leading - 4.2)
                y -= 1.5 * mm
                draw_text(c, LEFT, y, total[0], bold, size)
                draw_text(c, RIGHT - text_width(total[1], bold, size), y, total[1], bold, size)

        self._add(op)
        self._y -= count * leading + (3 * mm if total else 1 * mm)

    def signature_lines(self, labels: Sequence[str]) -> None:
        """Lines for handwritten signatures, with place/date line on the left."""
        regular = self.fonts.regular
        self.keep(26 * mm)
        self._y -= 14 * mm
        y = self._y
        columns = len(labels)
        gap = 10 * mm
        width = (WIDTH - gap * (columns - 1)) / columns

        def op(c: Any) -> None:
            c.setStrokeColorRGB(*INK)
            c.setLineWidth(0.6)
            c.setFillColorRGB(*GREY)
            for index, label in enumerate(labels):
                x = LEFT + index * (width + gap)
                c.line(x, y, x + width, y)
                for i, line in enumerate(wrap(label, regular, 8, width)):
                    draw_text(c, x, y - 3.6 * mm - i * 10, line, regular, 8)

        self._add(op)
        self._y -= 12 * mm

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_mm: Sequence[float],
        *,
        size: float = 8.5,
    ) -> None:
        """A simple table with a header row; cells wrap, rows never split."""
        regular, bold = self.fonts.regular, self.fonts.bold
        widths = [w * mm for w in widths_mm]
        scale = WIDTH / sum(widths)
        widths = [w * scale for w in widths]
        leading = size * 1.3
        pad = 1.2 * mm

        def cell_lines(row: Sequence[str], font: str) -> list[list[str]]:
            return [
                wrap(cell or "–", font, size, w - 2 * pad)
                for cell, w in zip(row, widths, strict=True)
            ]

        def draw_row(row_lines: list[list[str]], font: str, shade: bool) -> None:
            height = max(len(lines) for lines in row_lines) * leading + 2 * pad
            self.keep(height)
            top = self._y + size

            def op(c: Any) -> None:
                if shade:
                    c.setFillColorRGB(0.92, 0.94, 0.97)
                    c.rect(LEFT, top - height, WIDTH, height, stroke=0, fill=1)
                c.setStrokeColorRGB(*RULE)
                c.setLineWidth(0.4)
                c.line(LEFT, top - height, RIGHT, top - height)
                c.setFillColorRGB(*INK)
                x = LEFT
                for lines, width in zip(row_lines, widths, strict=True):
                    for i, line in enumerate(lines):
                        draw_text(c, x + pad, top - pad - size - i * leading + 1, line, font, size)
                    x += width

            self._add(op)
            self._y -= height

        draw_row(cell_lines(headers, bold), bold, True)
        for row in rows:
            draw_row(cell_lines(row, regular), regular, False)
        self._y -= 3 * mm

    # ------------------------------------------------------------- rendering

    def _letterhead(self, c: Any, page: int, pages: int) -> None:
        m = self.municipality
        regular, bold = self.fonts.regular, self.fonts.bold
        top = PAGE_HEIGHT - 20 * mm
        if self._logo is not None:
            image = self._logo
            max_w, max_h = 30 * mm, 22 * mm
            scale = min(max_w / image.width, max_h / image.height)
            w, h = image.width * scale, image.height * scale
            c.drawImage(ImageReader(image), RIGHT - w, top - h + 4 * mm, w, h)
        c.setFillColorRGB(*ACCENT)
        draw_text(c, LEFT, top, m.name, bold, 14)
        c.setFillColorRGB(*GREY)
        draw_text(c, LEFT, top - 5.5 * mm, m.authority, regular, 9.5)
        c.setStrokeColorRGB(*ACCENT)
        c.setLineWidth(1.2)
        c.line(LEFT, top - 9 * mm, RIGHT, top - 9 * mm)
        if page == 1:
            self._address_field(c)
            self._info_block(c, page, pages)
            if self.qr_data is not None:
                self._qr(c, self.qr_data)
        else:
            c.setFillColorRGB(*GREY)
            draw_text(c, LEFT, top - 15 * mm, self.title, regular, 9)
            label = f"Seite {page} von {pages}"
            draw_text(c, RIGHT - text_width(label, regular, 9), top - 15 * mm, label, regular, 9)

    def _address_field(self, c: Any) -> None:
        """Return-address line and the municipality's contact in the address field."""
        m = self.municipality
        regular = self.fonts.regular
        y = PAGE_HEIGHT - 50 * mm
        sender = " · ".join([m.name, *m.address])
        c.setFillColorRGB(*GREY)
        width = draw_text(c, LEFT, y, sender, regular, 7)
        c.setStrokeColorRGB(*GREY)
        c.setLineWidth(0.3)
        c.line(LEFT, y - 1.2 * mm, LEFT + min(width, 85 * mm), y - 1.2 * mm)
        c.setFillColorRGB(*INK)
        lines = [m.authority, *m.address]
        for i, line in enumerate(lines):
            draw_text(c, LEFT, y - 8 * mm - i * 4.6 * mm, line, regular, 10)

    def _qr(self, c: Any, data: str) -> None:
        """The QR code at the right edge above the title (first page)."""
        side = 22 * mm
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(data)
        code.make()
        count = code.getModuleCount()
        module = side / count
        x0 = RIGHT - side
        y0 = PAGE_HEIGHT - 93 * mm
        c.setFillColorRGB(*INK)
        path = c.beginPath()
        for row in range(count):
            for col in range(count):
                if code.isDark(row, col):
                    path.rect(x0 + col * module, y0 + side - (row + 1) * module, module, module)
        c.drawPath(path, stroke=0, fill=1)

    def _info_block(self, c: Any, page: int, pages: int) -> None:
        m = self.municipality
        regular = self.fonts.regular
        x = 120 * mm
        label_width = 26 * mm
        y = PAGE_HEIGHT - 50 * mm
        rows = list(self.info_rows)
        if m.phone:
            rows.append(("Telefon", m.phone))
        if m.email:
            rows.append(("E-Mail", m.email))
        if m.website:
            rows.append(("Internet", m.website))
        rows.append(("Seite", f"{page} von {pages}"))
        for i, (label, value) in enumerate(rows):
            c.setFillColorRGB(*GREY)
            draw_text(c, x, y - i * 4.8 * mm, label, regular, 8)
            c.setFillColorRGB(*INK)
            available = RIGHT - x - label_width
            size = min(9.0, 9.0 * available / max(text_width(value, regular, 9), 1.0))
            draw_text(c, x + label_width, y - i * 4.8 * mm, value, regular, size)

    def _footer(self, c: Any, page: int, pages: int) -> None:
        regular = self.fonts.regular
        y = 14 * mm
        c.setStrokeColorRGB(*RULE)
        c.setLineWidth(0.4)
        c.line(LEFT, y + 4 * mm, RIGHT, y + 4 * mm)
        c.setFillColorRGB(*GREY)
        if self.footer_note:
            draw_text(c, LEFT, y, self.footer_note, regular, 7.5)
        label = f"Seite {page} von {pages}"
        draw_text(c, RIGHT - text_width(label, regular, 7.5), y, label, regular, 7.5)

    def render(self, info: DocumentInfo) -> bytes:
        """Draw every page and return the PDF bytes."""
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, info)
        pages = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self._letterhead(canvas, number, pages)
            for op in page.ops:
                op(canvas)
            self._footer(canvas, number, pages)
            canvas.showPage()
        finish(canvas, info)
        return buffer.getvalue()


def format_date(value: Any) -> str:
    """German date format: 15.03.2026."""
    return f"{value:%d.%m.%Y}" if value is not None else "–"
