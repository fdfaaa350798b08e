"""Screen-image encodings of the STU pads: pure functions over Pillow images.

- ``mono``: 1 bit per pixel, rows packed MSB first, a set bit is a dark pixel
  (STU-430: 320 × 200 → 8,000 bytes). Bit polarity is (unverified): keep it
  configurable through :class:`ImageFormat`.
- ``rgb565``: 16 bits per pixel (STU-530 per the notes); byte order
  configurable, little-endian by default (unverified).
- ``bgr24``: 24 bits per pixel in B, G, R order (STU-540).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, ImageChops

from koffer.drivers.wacom_stu.codec import ImageMode
from koffer.errors import DeviceProtocolError


class ImageEncoding(StrEnum):
    MONO = "mono"
    RGB565 = "rgb565"
    BGR24 = "bgr24"


@dataclass(frozen=True)
class ImageFormat:
    encoding: ImageEncoding
    #: mono: a set bit means a dark pixel
    mono_set_is_dark: bool = True
    #: rgb565: most significant byte first
    rgb565_big_endian: bool = False

    @property
    def mode(self) -> ImageMode:
        return {
            ImageEncoding.MONO: ImageMode.MONO,
            ImageEncoding.RGB565: ImageMode.RGB565,
            ImageEncoding.BGR24: ImageMode.RGB24,
        }[self.encoding]


def payload_size(fmt: ImageFormat, size: tuple[int, int]) -> int:
    width, height = size
    if fmt.encoding is ImageEncoding.MONO:
        return (width + 7) // 8 * height
    if fmt.encoding is ImageEncoding.RGB565:
        return width * height * 2
    return width * height * 3


def encode_image(image: Image.Image, fmt: ImageFormat) -> bytes:
    """The upload payload for ``image`` (already at the pad's screen size)."""
    if fmt.encoding is ImageEncoding.MONO:
        grey = image.convert("L").point(lambda v: 255 if v < 128 else 0)
        # after point(): 255 = dark; mode "1" packs 255 as a set bit, MSB first
        mono = grey.convert("1", dither=Image.Dither.NONE)
        data = mono.tobytes()
        if not fmt.mono_set_is_dark:
            data = bytes(b ^ 0xFF for b in data)
        return data
    rgb = image.convert("RGB")
    if fmt.encoding is ImageEncoding.BGR24:
        return rgb.tobytes("raw", "BGR")
    red, green, blue = rgb.split()
    high = ImageChops.add(red.point(lambda v: v & 0xF8), green.point(lambda v: v >> 5))
    low = ImageChops.add(green.point(lambda v: ((v >> 2) & 0x7) << 5), blue.point(lambda v: v >> 3))
    pair = (high, low) if fmt.rgb565_big_endian else (low, high)
    return Image.merge("LA", pair).tobytes()


def decode_image(payload: bytes, fmt: ImageFormat, size: tuple[int, int]) -> Image.Image:
    """Rebuild an RGB image from an upload payload (used by the simulator)."""
    if len(payload) != payload_size(fmt, size):
        raise DeviceProtocolError(
            "Die Bilddaten haben die falsche Länge.",
            message_en=(
                f"Image payload is {len(payload)} bytes, expected {payload_size(fmt, size)}."
            ),
        )
    if fmt.encoding is ImageEncoding.MONO:
        data = payload if fmt.mono_set_is_dark else bytes(b ^ 0xFF for b in payload)
        # mode "1": set bit → 255; a set bit is dark, so invert to get the picture
        mono = Image.frombytes("1", size, data).convert("L").point(lambda v: 255 - v)
        return mono.convert("RGB")
    if fmt.encoding is ImageEncoding.BGR24:
        return Image.frombytes("RGB", size, payload, "raw", "BGR")
    data = payload
    if fmt.rgb565_big_endian:
        swapped = bytearray(payload)
        swapped[0::2], swapped[1::2] = payload[1::2], payload[0::2]
        data = bytes(swapped)
    # Pillow's "BGR;16" unpacker reads little-endian 5-6-5 with red in the top bits
    return Image.frombytes("RGB", size, data, "raw", "BGR;16")
