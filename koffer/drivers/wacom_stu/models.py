"""Known STU models: USB product IDs and per-model upload settings.

Product IDs come from the device notes (the STU-540 is also reported as 00A7,
unverified); the model name is always taken from report 08.
"""

from __future__ import annotations

from dataclasses import dataclass

from koffer.drivers.wacom_stu.codec import BLOCK_DATA_LARGE, BLOCK_DATA_SMALL
from koffer.drivers.wacom_stu.image import ImageEncoding, ImageFormat

WACOM_VENDOR_ID = 0x056A


@dataclass(frozen=True)
class ModelSpec:
    name: str
    product_ids: tuple[int, ...]
    image_format: ImageFormat
    block_data: int


MODELS: dict[str, ModelSpec] = {
    "STU-430": ModelSpec(
        "STU-430", (0x00A4, 0x00A6), ImageFormat(ImageEncoding.MONO), BLOCK_DATA_SMALL
    ),
    "STU-530": ModelSpec("STU-530", (0x00A5,), ImageFormat(ImageEncoding.RGB565), BLOCK_DATA_SMALL),
    "STU-540": ModelSpec(
        "STU-540", (0x00A8, 0x00A7), ImageFormat(ImageEncoding.BGR24), BLOCK_DATA_LARGE
    ),
}

KNOWN_PRODUCT_IDS: frozenset[int] = frozenset(
    pid for spec in MODELS.values() for pid in spec.product_ids
)


def spec_for(model_name: str) -> ModelSpec | None:
    """The spec whose name starts ``model_name`` (report 08 may pad or suffix)."""
    for name, spec in MODELS.items():
        if model_name.upper().startswith(name):
            return spec
    return None
