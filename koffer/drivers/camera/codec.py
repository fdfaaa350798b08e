"""Pure pixel conversions for the V4L2 driver."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from koffer.errors import DeviceProtocolError


def fourcc(code: str) -> int:
    """The V4L2 pixel-format number of a four-character code."""
    if len(code) != 4:
        raise ValueError("a FourCC has four characters")
    a, b, c, d = (ord(ch) for ch in code)
    return a | (b << 8) | (c << 16) | (d << 24)


def fourcc_name(value: int) -> str:
    return "".join(chr((value >> shift) & 0xFF) for shift in (0, 8, 16, 24))


def _bad(what: str) -> DeviceProtocolError:
    return DeviceProtocolError(
        "Die Kamera hat ein unlesbares Bild geliefert. Bitte versuchen Sie es erneut.",
        message_en=f"The camera delivered an unreadable frame ({what}).",
    )


def yuyv_to_rgb(data: bytes, width: int, height: int) -> Image.Image:
    """YUYV 4:2:2 (Y0 U Y1 V per two pixels) to an RGB image."""
    needed = width * height * 2
    if width <= 0 or height <= 0 or width % 2 or len(data) < needed:
        raise _bad(f"YUYV frame of {len(data)} bytes for {width}x{height}")
    data = data[:needed]
    y = bytes(data[0::2])
    u_half = bytes(data[1::4])
    v_half = bytes(data[3::4])
    half = (width // 2, height)
    u = Image.frombytes("L", half, u_half).resize((width, height), Image.Resampling.NEAREST)
    v = Image.frombytes("L", half, v_half).resize((width, height), Image.Resampling.NEAREST)
    ycbcr = Image.merge("YCbCr", (Image.frombytes("L", (width, height), y), u, v))
    return ycbcr.convert("RGB")


def rgb_to_yuyv(image: Image.Image) -> bytes:
    """The inverse (used to test the decoder and by simulators)."""
    ycbcr = image.convert("RGB").convert("YCbCr")
    y, cb, cr = (band.tobytes() for band in ycbcr.split())
    out = bytearray(len(y) * 2)
    out[0::2] = y
    out[1::4] = cb[0::2]
    out[3::4] = cr[0::2]
    return bytes(out)


def mjpeg_to_rgb(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _bad("MJPEG frame") from exc
