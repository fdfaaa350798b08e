"""Configuration entry points for the STU driver (loaded by the device registry).

``[devices.signature_pad]`` keys, ``type = "wacom-stu"``:

- ``vendor_id`` (int, default 0x056A), ``product_id`` (int, optional; default:
  any known STU product ID)
- ``timeout`` (seconds per USB transfer, default 2.0)
- ``image_encoding`` ("mono" | "rgb565" | "bgr24", optional; default from the
  model name in report 08)

``type = "simulator"`` (:func:`create_simulated`):

- ``model`` ("STU-430" | "STU-530" | "STU-540", default "STU-430")
- ``rate`` (pen reports per second, default 200)
"""

from __future__ import annotations

from typing import Any

from koffer.config import SectionReader
from koffer.devices.interfaces import DeviceDescriptor, DeviceKind
from koffer.drivers.wacom_stu.driver import WacomStuPad
from koffer.drivers.wacom_stu.image import ImageEncoding, ImageFormat
from koffer.drivers.wacom_stu.models import MODELS, WACOM_VENDOR_ID
from koffer.drivers.wacom_stu.simulator import make_stu_simulator
from koffer.drivers.wacom_stu.transport import enumerate_pads


def create(reader: SectionReader) -> WacomStuPad:
    vendor_id = reader.integer("vendor_id", WACOM_VENDOR_ID, minimum=0, maximum=0xFFFF)
    product_id = (
        reader.integer("product_id", minimum=0, maximum=0xFFFF)
        if reader.has("product_id")
        else None
    )
    timeout = reader.number("timeout", 2.0, minimum=0.05, maximum=60.0)
    encoding = (
        reader.choice("image_encoding", tuple(e.value for e in ImageEncoding))
        if reader.has("image_encoding")
        else None
    )
    reader.finish()
    return WacomStuPad(
        vendor_id=vendor_id,
        product_id=product_id,
        timeout=timeout,
        image_format=ImageFormat(ImageEncoding(encoding)) if encoding else None,
    )


def create_simulated(reader: SectionReader) -> WacomStuPad:
    model = reader.choice("model", tuple(MODELS), "STU-430")
    rate = reader.number("rate", 200.0, minimum=1.0, maximum=10000.0)
    reader.finish()
    sim, backend = make_stu_simulator(model)
    sim.rate = rate
    return WacomStuPad(backend=backend, type_name="simulator", simulator=sim)


def enumerate_devices(backend: Any = None) -> list[DeviceDescriptor]:
    """STU pads on USB (vendor 056A, known product IDs)."""
    descriptors = []
    for product_id, bus, address in enumerate_pads(backend):
        model = next((name for name, spec in MODELS.items() if product_id in spec.product_ids), "")
        descriptors.append(
            DeviceDescriptor(
                kind=DeviceKind.SIGNATURE_PAD,
                type="wacom-stu",
                path=f"usb:{bus:03d}:{address:03d}",
                model=model,
            )
        )
    return descriptors
