"""Signature capture: pen samples → strokes → checks → image for documents.

- :func:`strokes_from_samples` (pure) splits samples at pen-up;
- :func:`check_signature` (pure) refuses empty or trivial signatures
  (too few samples, too short a pen path, too small a bounding box) with a
  German :class:`~koffer.errors.ValidationError`;
- :func:`render_png` draws the strokes antialiased (4× supersampling), the
  line width following the pressure;
- :class:`Signature` keeps the raw samples and serialises to JSON;
- :func:`collect_signature` reads a :class:`SignaturePad` until the person
  taps the "ok" button (the "clear" button starts again).
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

from PIL import Image, ImageDraw

from koffer.devices.interfaces import CaptureCancelled, PenSample, Prompt, SignaturePad
from koffer.errors import DeviceTimeout, ValidationError

FORMAT_VERSION = 1
OK_BUTTONS = frozenset({"ok", "OK", "bestaetigen", "confirm"})
CLEAR_BUTTONS = frozenset({"clear", "loeschen", "Löschen", "retry"})


@dataclass(frozen=True)
class Stroke:
    samples: tuple[PenSample, ...]

    def length(self) -> float:
        return sum(math.hypot(b.x - a.x, b.y - a.y) for a, b in pairwise(self.samples))


@dataclass(frozen=True)
class Signature:
    """A captured signature: raw samples plus the pad's screen size."""

    samples: tuple[PenSample, ...]
    width: int
    height: int

    @property
    def strokes(self) -> list[Stroke]:
        return strokes_from_samples(self.samples)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "width": self.width,
            "height": self.height,
            "samples": [asdict(s) for s in self.samples],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signature:
        if data.get("version") != FORMAT_VERSION:
            raise ValidationError(
                "Die gespeicherte Unterschrift hat ein unbekanntes Format.",
                message_en="The stored signature has an unknown format.",
            )
        samples = tuple(PenSample(**s) for s in data["samples"])
        return cls(samples, int(data["width"]), int(data["height"]))


def strokes_from_samples(samples: Iterable[PenSample]) -> list[Stroke]:
    """Consecutive touching samples form one stroke (pen down … pen up)."""
    strokes: list[Stroke] = []
    current: list[PenSample] = []
    for sample in samples:
        if sample.touching:
            current.append(sample)
        elif current:
            strokes.append(Stroke(tuple(current)))
            current = []
    if current:
        strokes.append(Stroke(tuple(current)))
    return strokes


@dataclass(frozen=True)
class SignatureLimits:
    min_samples: int = 20
    #: total pen path, as a fraction of the pad's width
    min_path: float = 0.25
    #: bounding box, as fractions of the pad's width and height
    min_box_width: float = 0.12
    min_box_height: float = 0.04


def check_signature(signature: Signature, limits: SignatureLimits | None = None) -> None:
    """Raise :class:`ValidationError` for an empty or trivial signature."""
    limits = limits or SignatureLimits()
    strokes = signature.strokes
    touching = [s for stroke in strokes for s in stroke.samples]
    if not touching:
        raise ValidationError(
            "Es wurde keine Unterschrift erfasst. Bitte unterschreiben Sie auf dem Pad.",
            message_en="No signature was captured. Please sign on the pad.",
        )
    path = sum(stroke.length() for stroke in strokes)
    xs = [s.x for s in touching]
    ys = [s.y for s in touching]
    box_w, box_h = max(xs) - min(xs), max(ys) - min(ys)
    if (
        len(touching) < limits.min_samples
        or path < limits.min_path * signature.width
        or box_w < limits.min_box_width * signature.width
        or box_h < limits.min_box_height * signature.height
    ):
        raise ValidationError(
            "Die Unterschrift ist zu kurz oder zu klein. Bitte löschen Sie sie und "
            "unterschreiben Sie noch einmal vollständig.",
            message_en="The signature is too short or too small. Clear it and sign again.",
        )


def render_png(
    signature: Signature,
    *,
    crop: bool = True,
    margin: int = 10,
    min_width: float = 1.0,
    max_width: float = 4.0,
    supersample: int = 4,
) -> bytes:
    """The signature as a PNG (black ink on white, 8-bit grey)."""
    k = supersample
    strokes = signature.strokes
    if crop and strokes:
        points = [s for stroke in strokes for s in stroke.samples]
        left = max(0.0, min(s.x for s in points) - margin)
        top = max(0.0, min(s.y for s in points) - margin)
        right = min(float(signature.width), max(s.x for s in points) + margin)
        bottom = min(float(signature.height), max(s.y for s in points) + margin)
    else:
        left, top, right, bottom = 0.0, 0.0, float(signature.width), float(signature.height)
    width = max(1, math.ceil(right - left))
    height = max(1, math.ceil(bottom - top))
    big = Image.new("L", (width * k, height * k), 255)
    draw = ImageDraw.Draw(big)

    def point(s: PenSample) -> tuple[float, float]:
        return ((s.x - left) * k, (s.y - top) * k)

    for stroke in strokes:
        samples = stroke.samples
        for a, b in pairwise(samples):
            pressure = (a.pressure + b.pressure) / 2
            line = (min_width + (max_width - min_width) * pressure) * k
            draw.line((point(a), point(b)), fill=0, width=max(1, round(line)))
            r = line / 2
            bx, by = point(b)
            draw.ellipse((bx - r, by - r, bx + r, by + r), fill=0)
        if len(samples) == 1:
            x, y = point(samples[0])
            r = max_width * k / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    image = big.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _button_at(pad: SignaturePad, sample: PenSample) -> str | None:
    if not sample.touching:
        return None
    for button in pad.buttons():
        if button.contains(sample.x, sample.y):
            return button.name
    return None


def collect_signature(
    pad: SignaturePad,
    prompt: Prompt,
    *,
    timeout: float = 120.0,
    poll: float = 0.05,
    limits: SignatureLimits | None = None,
) -> Signature:
    """Read samples until the "ok" button is tapped; check and return them.

    Taps on buttons are not part of the signature. "clear" starts again. A
    trivial signature at "ok" is refused through ``prompt`` and the person
    may sign again.
    """
    width, height = pad.screen_size()
    prompt.show("sign_now", "Bitte unterschreiben Sie auf dem Unterschriften-Pad.")
    samples: list[PenSample] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if prompt.cancelled():
            raise CaptureCancelled()
        for sample in pad.read_samples(poll):
            button = _button_at(pad, sample)
            if button in CLEAR_BUTTONS:
                samples.clear()
                pad.clear()
            elif button in OK_BUTTONS:
                signature = Signature(tuple(samples), width, height)
                try:
                    check_signature(signature, limits)
                except ValidationError as exc:
                    prompt.show("signature_rejected", exc.message)
                    samples.clear()
                    break
                return signature
            elif button is None:
                samples.append(sample)
    raise DeviceTimeout(
        "Es wurde keine Unterschrift bestätigt. Bitte versuchen Sie es erneut.",
        message_en="No signature was confirmed in time. Please try again.",
    )


def samples_between(samples: Sequence[PenSample], start: int, end: int) -> list[PenSample]:
    """Samples whose ``sequence`` is in ``[start, end)`` (for replay tools)."""
    return [s for s in samples if start <= s.sequence < end]
