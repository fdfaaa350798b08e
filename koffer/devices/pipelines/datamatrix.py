"""Read a DataMatrix code (the E-Passbild code) from a camera image.

The decoder is zxing-cpp, a maintained C++ library with Python bindings that
ship in the wheel. The text found is returned as it is; checking what it
says belongs to the case (:mod:`koffer.cases.photo_code`). The image stays in
memory; nothing is written to disk and the text is never logged (it holds
the photo's decryption key).
"""

from __future__ import annotations

import zxingcpp
from PIL import Image

from koffer.errors import ValidationError

__all__ = ["read_datamatrix"]


def read_datamatrix(image: Image.Image) -> str:
    """The text of the one DataMatrix code in ``image``.

    :raises ValidationError: when no code, or more than one, is found.
    """
    found = zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.DataMatrix)
    )
    codes = [barcode for barcode in found if barcode.valid]
    if not codes:
        raise ValidationError(
            "Im Bild wurde kein Passbild-Code gefunden. Bitte halten Sie den Code ruhig und "
            "vollständig vor die Kamera oder geben Sie ihn ein.",
            message_en=(
                "No photo code was found in the image. Please hold the code still and "
                "completely in front of the camera, or type it."
            ),
        )
    if len(codes) > 1:
        raise ValidationError(
            "Im Bild sind mehrere Codes zu sehen. Bitte zeigen Sie nur den Passbild-Code.",
            message_en="Several codes are visible. Please show only the photo code.",
        )
    return codes[0].text
