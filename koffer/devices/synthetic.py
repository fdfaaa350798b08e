"""Synthetic test images shared by the simulators (no personal data).

- :func:`fingerprint_image`: a whorl-like ridge pattern inside an elliptical
  finger area, with a ``quality`` knob (0.0 = smeared and noisy, 1.0 = clean
  ridges). It is not a real fingerprint and never resembles one of a person.
- :func:`face_image`: a drawn face (oval, eyes, mouth) on a plain background,
  with offset, size and brightness knobs, or no face at all.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter


@lru_cache(maxsize=32)
def fingerprint_pixels(width: int, height: int, quality: float = 0.9, seed: int = 0) -> bytes:
    """8-bit grey pixels (row-major) of a synthetic fingerprint.

    Ridges are dark on a light background; outside the finger the image is
    white, as on a flat scanner.
    """
    quality = min(1.0, max(0.0, quality))
    rng = random.Random(seed)
    cx = width * (0.5 + rng.uniform(-0.04, 0.04))
    cy = height * (0.48 + rng.uniform(-0.04, 0.04))
    rx, ry = width * 0.42, height * 0.45
    period = 9.0 + rng.uniform(-0.8, 0.8)  # about 9 px between ridges at 500 ppi
    swirl = rng.uniform(0.8, 1.6)
    contrast = 40 + 80 * quality
    noise = 10 + 100 * (1.0 - quality)
    two_pi_over_period = 2 * math.pi / period
    sin, atan2, hypot = math.sin, math.atan2, math.hypot
    gauss = rng.gauss
    rows: list[bytes] = []
    for y in range(height):
        dy = y - cy
        ny = (dy / ry) ** 2
        row = bytearray(width)
        for x in range(width):
            dx = x - cx
            inside = (dx / rx) ** 2 + ny
            if inside > 1.0:
                row[x] = 255
                continue
            r = hypot(dx, dy * 0.85)
            phase = r * two_pi_over_period + swirl * atan2(dy, dx)
            value = 128 - contrast * sin(phase) + gauss(0.0, noise)
            # pressure fades towards the finger's edge
            value += 90 * inside**4
            row[x] = 0 if value < 0 else 255 if value > 255 else int(value)
        rows.append(bytes(row))
    pixels = b"".join(rows)
    if quality < 0.5:
        # smear: a blurred, washed-out print
        image = Image.frombytes("L", (width, height), pixels)
        image = image.filter(ImageFilter.GaussianBlur(radius=1.0 + 4.0 * (0.5 - quality)))
        pixels = image.tobytes()
    return pixels


def fingerprint_image(width: int, height: int, quality: float = 0.9, seed: int = 0) -> Image.Image:
    return Image.frombytes("L", (width, height), fingerprint_pixels(width, height, quality, seed))


def face_image(
    width: int = 640,
    height: int = 480,
    *,
    face: bool = True,
    offset: tuple[float, float] = (0.0, 0.0),
    scale: float = 1.0,
    brightness: float = 1.0,
) -> Image.Image:
    """An RGB frame with a drawn face.

    ``offset`` moves the face by a fraction of the frame size, ``scale``
    changes its size (1.0: the face is about half the frame height),
    ``brightness`` multiplies every pixel (0.3 is a dark room).
    """
    image = Image.new("RGB", (width, height), (170, 178, 190))
    draw = ImageDraw.Draw(image)
    if face:
        cx = width * (0.5 + offset[0])
        cy = height * (0.5 + offset[1])
        fh = height * 0.5 * scale
        fw = fh * 0.75
        draw.ellipse((cx - fw / 2, cy - fh / 2, cx + fw / 2, cy + fh / 2), fill=(224, 172, 140))
        eye_y = cy - fh * 0.12
        for ex in (cx - fw * 0.2, cx + fw * 0.2):
            r = fw * 0.06
            draw.ellipse((ex - r, eye_y - r, ex + r, eye_y + r), fill=(50, 40, 35))
        draw.line((cx, cy - fh * 0.05, cx, cy + fh * 0.1), fill=(190, 140, 110), width=3)
        mw = fw * 0.32
        draw.arc(
            (cx - mw / 2, cy + fh * 0.12, cx + mw / 2, cy + fh * 0.28),
            start=20,
            end=160,
            fill=(150, 60, 60),
            width=4,
        )
    if brightness != 1.0:
        image = image.point(lambda v: max(0, min(255, int(v * brightness))))
    return image
