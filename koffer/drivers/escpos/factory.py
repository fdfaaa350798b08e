"""Configuration entry points for the ESC/POS driver (loaded by the device registry).

``[devices.receipt_printer]``:

- ``type = "escpos-usb"`` (:func:`create_usb`): ``vendor_id``, ``product_id``
  (ints, required), ``out_endpoint`` (default 0x01), ``in_endpoint`` (0x82),
  ``interface`` (0), plus the profile keys below.
- ``type = "escpos-serial"`` (:func:`create_serial`): ``port`` (any pyserial
  port or URL, required), ``baudrate`` (default 19200), plus the profile keys.
- ``type = "simulator"`` (:func:`create_simulated`): ``transport`` ("usb" |
  "pty", default "usb"), ``paper`` ("ok" | "low" | "out", default "ok").

Profile keys: ``timeout`` (seconds, default 5), ``code_page`` ("cp858",
"cp437", "cp850", "cp1252"; default "cp858"), ``max_width`` (dots, default
576 for 80 mm paper; 384 for 58 mm), ``model`` (text shown to technicians).
"""

from __future__ import annotations

from typing import Any

from koffer.config import SectionReader
from koffer.devices.interfaces import DeviceDescriptor, DeviceKind
from koffer.drivers.escpos.codec import CODE_PAGES
from koffer.drivers.escpos.driver import EscPosPrinter
from koffer.drivers.escpos.sim_links import PtyPeer, PtySerialTransport, make_usb_printer
from koffer.drivers.escpos.simulator import EscPosSimulator
from koffer.drivers.escpos.transport import SerialTransport, UsbTransport, enumerate_printers


def _profile(reader: SectionReader) -> dict[str, Any]:
    return {
        "code_page": reader.choice("code_page", tuple(CODE_PAGES), "cp858"),
        "max_width": reader.integer("max_width", 576, minimum=8, maximum=2048),
        "model": reader.string("model", "ESC/POS"),
    }


def create_usb(reader: SectionReader) -> EscPosPrinter:
    vendor_id = reader.integer("vendor_id", minimum=0, maximum=0xFFFF)
    product_id = reader.integer("product_id", minimum=0, maximum=0xFFFF)
    out_ep = reader.integer("out_endpoint", 0x01, minimum=0, maximum=0x0F)
    in_ep = reader.integer("in_endpoint", 0x82, minimum=0x80, maximum=0x8F)
    interface = reader.integer("interface", 0, minimum=0, maximum=31)
    timeout = reader.number("timeout", 5.0, minimum=0.1, maximum=120.0)
    profile = _profile(reader)
    reader.finish()
    transport = UsbTransport(
        vendor_id,
        product_id,
        out_endpoint=out_ep,
        in_endpoint=in_ep,
        interface=interface,
        timeout=timeout,
    )
    return EscPosPrinter(transport, type_name="escpos-usb", **profile)


def create_serial(reader: SectionReader) -> EscPosPrinter:
    port = reader.string("port")
    baudrate = reader.integer("baudrate", 19200, minimum=300, maximum=4_000_000)
    timeout = reader.number("timeout", 5.0, minimum=0.1, maximum=120.0)
    profile = _profile(reader)
    reader.finish()
    transport = SerialTransport(port, baudrate, timeout=timeout)
    return EscPosPrinter(transport, type_name="escpos-serial", **profile)


def create_simulated(reader: SectionReader) -> EscPosPrinter:
    kind = reader.choice("transport", ("usb", "pty"), "usb")
    paper = reader.choice("paper", ("ok", "low", "out"), "ok")
    reader.finish()
    sim = EscPosSimulator()
    sim.set_paper(paper)
    if kind == "usb":
        _, device, backend = make_usb_printer(sim)
        transport: Any = UsbTransport(
            device.vendor_id, device.product_id, backend=backend, timeout=2.0
        )
    else:
        transport = PtySerialTransport(PtyPeer(sim), timeout=2.0)
    return EscPosPrinter(
        transport, type_name="simulator", model="ESC/POS (Simulator)", simulator=sim
    )


def enumerate_devices(backend: Any = None) -> list[DeviceDescriptor]:
    """USB printer-class devices (class 7 on any interface)."""
    return [
        DeviceDescriptor(
            kind=DeviceKind.RECEIPT_PRINTER,
            type="escpos-usb",
            path=f"usb:{vendor_id:04x}:{product_id:04x}",
        )
        for vendor_id, product_id in enumerate_printers(backend)
    ]
