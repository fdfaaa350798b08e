"""Pen and pad types and the pad screen to sign on (pure, no device I/O).

:class:`PenSample` is one pen report; :class:`PadScreen` is what a signature
pad shows, with its touch :class:`ButtonArea` s. :func:`declaration_screen`
draws the screen every pad driver shows by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont


@dataclass(frozen=True)
class PenSample:
    """One pen report, scaled to the pad's screen pixels.

    ``x``/``y`` in screen pixels (float), ``pressure`` 0.0–1.0, ``time_ms``
    from the device clock (or the host clock where the device has none),
    ``sequence`` the device's report counter (or a host counter).
    """

    x: float
    y: float
    pressure: float
    touching: bool
    in_proximity: bool
    time_ms: int
    sequence: int


@dataclass(frozen=True)
class ButtonArea:
    """A touch area drawn into the pad's screen image ("OK", "Löschen" …)."""

    name: str
    left: int
    top: int
    right: int
    bottom: int

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x < self.right and self.top <= y < self.bottom


@dataclass(frozen=True)
class PadScreen:
    """What the pad shows: an image of the pad's screen size plus buttons."""

    image: Image.Image
    buttons: Sequence[ButtonArea] = ()


DECLARATION_TEXT = "Ich bestätige die Richtigkeit meiner Angaben."
DECLARATION_BUTTONS: tuple[tuple[str, str], ...] = (
    ("clear", "Löschen"),
    ("cancel", "Abbrechen"),
    ("ok", "OK"),
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


def _wrap(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def declaration_screen(
    size: tuple[int, int],
    text: str = DECLARATION_TEXT,
    buttons: Sequence[tuple[str, str]] = DECLARATION_BUTTONS,
) -> PadScreen:
    """A white screen with the declaration on top, a signing line and buttons.

    ``buttons`` are ``(name, label)`` pairs laid out left to right along the
    bottom edge; the returned :class:`ButtonArea` list uses the names.
    """
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    margin = max(4, width // 40)
    text_font = _font(height // 14)
    y = margin
    for line in _wrap(draw, text, text_font, width - 2 * margin):
        draw.text((margin, y), line, fill="black", font=text_font)
        y += int(height / 12)
    button_height = max(20, height // 6)
    line_y = height - button_height - 2 * margin
    draw.line((margin, line_y, width - margin, line_y), fill="black", width=1)
    draw.text((margin, line_y - height // 12), "X", fill="black", font=text_font)

    areas: list[ButtonArea] = []
    if buttons:
        gap = margin
        slot = (width - gap * (len(buttons) + 1)) // len(buttons)
        top = height - button_height - margin
        label_font = _font(button_height // 2)
        for i, (name, label) in enumerate(buttons):
            left = gap + i * (slot + gap)
            area = ButtonArea(name, left, top, left + slot, top + button_height)
            draw.rectangle((area.left, area.top, area.right - 1, area.bottom - 1), outline="black")
            text_w = draw.textlength(label, font=label_font)
            draw.text(
                (left + (slot - text_w) / 2, top + button_height / 4),
                label,
                fill="black",
                font=label_font,
            )
            areas.append(area)
    return PadScreen(image=image, buttons=tuple(areas))
