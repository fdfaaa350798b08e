"""Fingerprint image quality, 0–100.

Two scorers share :class:`QualityScorer`:

- :class:`Nfiq2Scorer` runs NIST's ``nfiq2`` command-line tool when it is on
  ``PATH``. The image goes to it through an in-memory file
  (``memfd_create``), never through a file on disk. The command line and its
  output format (the score as the last integer printed) are **unverified**:
  check them against the installed NFIQ 2 version.
- :class:`EstimateScorer` is our own estimator, **nicht zertifiziert**
  (not certified, not NFIQ 2 and not comparable to it). On a 500 ppi image it
  looks at 16 × 16 pixel blocks and combines

  * foreground ratio: share of blocks with real grey-level variation
    (standard deviation above 12 and not nearly white);
  * orientation coherence: how consistently the grey-level gradients in a
    foreground block point one way (1.0 for clean parallel ridges, near 0
    for noise or smudge), averaged over the foreground;
  * contrast: mean standard deviation of the foreground blocks, saturating
    at 45 grey levels.

  ``score = 100 × coherence × min(1, contrast / 45) × min(1, foreground / 0.35)``.
  Everything heavy runs inside Pillow (Sobel filters, box resampling), so a
  256 × 288 image takes a few milliseconds.
"""

from __future__ import annotations

import logging
import math
import os
import re
import shutil
import subprocess
from array import array
from collections.abc import Sequence
from typing import Protocol

from PIL import Image, ImageFilter, ImageMath

from koffer.devices.interfaces import GreyImage

log = logging.getLogger(__name__)

ESTIMATE_METHOD = "Schätzung (nicht zertifiziert)"
NFIQ2_METHOD = "nfiq2"
VENDOR_METHOD = "hersteller"

BLOCK = 16


class QualityScorer(Protocol):
    method: str

    def score(self, image: GreyImage) -> int:
        """Quality 0–100 of a 500 ppi 8-bit image."""
        ...


_SOBEL_X = (-1, 0, 1, -2, 0, 2, -1, 0, 1)
_SOBEL_Y = (-1, -2, -1, 0, 0, 0, 1, 2, 1)


def _signed(image: Image.Image) -> Image.Image:
    result: Image.Image = ImageMath.lambda_eval(lambda a: a["float"](a["x"]) - 128.0, x=image)
    return result


def estimate_quality(image: GreyImage) -> int:
    """The documented estimator (see the module docstring)."""
    grey = image.to_pil()
    width, height = grey.size
    bw, bh = width // BLOCK, height // BLOCK
    if bw < 2 or bh < 2:
        return 0
    gx = _signed(grey.filter(ImageFilter.Kernel((3, 3), _SOBEL_X, scale=8, offset=128)))
    gy = _signed(grey.filter(ImageFilter.Kernel((3, 3), _SOBEL_Y, scale=8, offset=128)))
    floats = grey.convert("F")
    products = {
        "xx": ImageMath.lambda_eval(lambda a: a["x"] * a["x"], x=gx),
        "yy": ImageMath.lambda_eval(lambda a: a["y"] * a["y"], y=gy),
        "xy": ImageMath.lambda_eval(lambda a: a["x"] * a["y"], x=gx, y=gy),
        "i": floats,
        "ii": ImageMath.lambda_eval(lambda a: a["i"] * a["i"], i=floats),
    }
    box = (0, 0, bw * BLOCK, bh * BLOCK)
    means: dict[str, Sequence[float]] = {
        key: array("f", img.resize((bw, bh), Image.Resampling.BOX, box=box).tobytes())
        for key, img in products.items()
    }
    foreground = 0
    coherence_sum = 0.0
    contrast_sum = 0.0
    for n in range(bw * bh):
        mean = means["i"][n]
        std = math.sqrt(max(0.0, means["ii"][n] - mean * mean))
        if std <= 12.0 or mean > 235.0:
            continue
        foreground += 1
        xx, yy, xy = means["xx"][n], means["yy"][n], means["xy"][n]
        energy = xx + yy
        if energy > 1e-6:
            coherence_sum += math.sqrt((xx - yy) ** 2 + 4 * xy * xy) / energy
        contrast_sum += std
    if foreground == 0:
        return 0
    ratio = foreground / (bw * bh)
    coherence = coherence_sum / foreground
    contrast = contrast_sum / foreground
    value = 100.0 * coherence * min(1.0, contrast / 45.0) * min(1.0, ratio / 0.35)
    return max(0, min(100, round(value)))


class EstimateScorer:
    method = ESTIMATE_METHOD

    def score(self, image: GreyImage) -> int:
        return estimate_quality(image)


class Nfiq2Scorer:
    """NFIQ 2 through its command-line tool (see the module docstring)."""

    method = NFIQ2_METHOD

    def __init__(self, executable: str = "nfiq2", timeout: float = 30.0) -> None:
        self.executable = executable
        self.timeout = timeout

    @staticmethod
    def available(executable: str = "nfiq2") -> bool:
        return shutil.which(executable) is not None

    def score(self, image: GreyImage) -> int:
        import io

        buffer = io.BytesIO()
        image.to_pil().save(buffer, "PNG", dpi=(image.ppi, image.ppi))
        fd = os.memfd_create("fingerprint.png")
        try:
            os.write(fd, buffer.getvalue())
            path = f"/proc/self/fd/{fd}"
            result = subprocess.run(
                [self.executable, "-i", path],
                capture_output=True,
                text=True,
                timeout=self.timeout,
                pass_fds=(fd,),
                check=False,
            )
        finally:
            os.close(fd)
        numbers = re.findall(r"\b\d{1,3}\b", result.stdout)
        if result.returncode != 0 or not numbers:
            log.warning("nfiq2 failed (exit %s); using the estimator", result.returncode)
            return estimate_quality(image)
        return max(0, min(100, int(numbers[-1])))


def default_scorer() -> QualityScorer:
    """NFIQ 2 when its tool is installed, else the (uncertified) estimator."""
    if Nfiq2Scorer.available():
        return Nfiq2Scorer()
    return EstimateScorer()
