"""Photo capture with basic checks — **keine zertifizierte Qualitätsprüfung**.

The checks are simple heuristics, not a biometric (ICAO / BSI TR-03121)
photo quality assessment, and are labelled so wherever they are shown:

- face found: skin-coloured pixels (YCbCr: 77 ≤ Cb ≤ 127, 133 ≤ Cr ≤ 173)
  forming one roughly elliptical blob (fill ratio of its bounding box at
  least 0.5, height/width between 1.0 and 2.2). Works on the simulator's
  drawn faces and on well-lit real faces; it will fail on some skin tones
  and backgrounds — a clerk always looks at the photo;
- centred: the blob's centre within 10 % (horizontal) / 15 % (vertical) of
  the frame centre;
- size: blob height 35–85 % of the frame height;
- brightness: mean luminance 70–210.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageStat

from koffer.devices.interfaces import Camera

LABEL = "keine zertifizierte Qualitätsprüfung"
ANALYSIS_WIDTH = 160


@dataclass(frozen=True)
class PhotoCheck:
    face_found: bool
    centred: bool
    size_ok: bool
    brightness_ok: bool
    brightness: float
    #: German hints for the clerk, empty when all checks pass
    problems: tuple[str, ...] = ()
    label: str = LABEL

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class PhotoResult:
    jpeg: bytes
    width: int
    height: int
    check: PhotoCheck


def check_photo(image: Image.Image) -> PhotoCheck:
    """The heuristics of the module docstring (pure)."""
    rgb = image.convert("RGB")
    scale = ANALYSIS_WIDTH / rgb.width
    small = rgb.resize((ANALYSIS_WIDTH, max(1, round(rgb.height * scale))))
    w, h = small.size
    brightness = float(ImageStat.Stat(small.convert("L")).mean[0])
    _, cb, cr = (band.tobytes() for band in small.convert("YCbCr").split())
    xs: list[int] = []
    ys: list[int] = []
    for index in range(w * h):
        if 77 <= cb[index] <= 127 and 133 <= cr[index] <= 173:
            xs.append(index % w)
            ys.append(index // w)
    face = centred = size_ok = False
    if len(xs) > 0.01 * w * h:
        left, right, top, bottom = min(xs), max(xs) + 1, min(ys), max(ys) + 1
        box_w, box_h = right - left, bottom - top
        fill = len(xs) / (box_w * box_h)
        aspect = box_h / box_w
        face = fill >= 0.5 and 1.0 <= aspect <= 2.2
        if face:
            cx, cy = (left + right) / 2 / w, (top + bottom) / 2 / h
            centred = abs(cx - 0.5) <= 0.10 and abs(cy - 0.5) <= 0.15
            size_ok = 0.35 <= box_h / h <= 0.85
    brightness_ok = 70.0 <= brightness <= 210.0
    problems: list[str] = []
    if not face:
        problems.append("Kein Gesicht erkannt. Bitte schauen Sie in die Kamera.")
    else:
        if not centred:
            problems.append("Das Gesicht ist nicht mittig. Bitte rücken Sie zur Mitte.")
        if not size_ok:
            problems.append("Das Gesicht ist zu klein oder zu groß. Bitte Abstand anpassen.")
    if not brightness_ok:
        problems.append("Das Bild ist zu dunkel oder zu hell. Bitte Beleuchtung prüfen.")
    return PhotoCheck(face, centred, size_ok, brightness_ok, brightness, tuple(problems))


def encode_jpeg(image: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def capture_photo(camera: Camera) -> PhotoResult:
    """One still, checked and JPEG-encoded (in memory only)."""
    still = camera.still()
    return PhotoResult(encode_jpeg(still), still.width, still.height, check_photo(still))
