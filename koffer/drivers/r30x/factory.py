"""Registry factories for the R30x driver (``type = "r30x"`` / ``"simulator"``).

``[devices.fingerprint]`` keys for ``type = "r30x"``:

- ``port`` (required): any pyserial port or URL (``/dev/ttyUSB0``,
  ``/dev/serial/by-id/...``, ``socket://host:port``, ``sim://r30x``)
- ``baudrate`` (57600), ``password`` (0), ``address`` (0xFFFFFFFF)
- ``ppi`` (500): the sensor resolution (R503: 508, **unverified**)
- ``reply_timeout`` (1.0 s), ``poll_interval`` (0.05 s)

For ``type = "simulator"``: ``model`` (``"r30x"`` 256×288 or ``"r503"``
192×192), ``quality`` (0.0–1.0), ``name`` (the shared simulator instance).
The simulator runs the real driver over the ``sim://`` pyserial URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

from koffer.config import SectionReader
from koffer.devices.interfaces import DeviceDescriptor, DeviceKind, FingerprintScanner
from koffer.drivers.r30x.driver import R30xScanner
from koffer.drivers.r30x.transport import usb_serial_ports
from koffer.errors import ConfigError

#: USB-serial bridges these modules usually sit behind (VID, PID) -> name
USB_SERIAL_BRIDGES: dict[tuple[int, int], str] = {
    (0x10C4, 0xEA60): "CP210x",
    (0x1A86, 0x7523): "CH340",
    (0x0403, 0x6001): "FT232R",
    (0x067B, 0x2303): "PL2303",
}


def create(reader: SectionReader) -> FingerprintScanner:
    port = reader.string("port")
    baudrate = reader.integer("baudrate", 57600, minimum=9600, maximum=115200)
    if baudrate % 9600:
        raise ConfigError(
            f"Konfiguration: [{reader.name}] baudrate muss ein Vielfaches von 9600 sein.",
            message_en=f"Configuration: [{reader.name}] baudrate must be a multiple of 9600.",
        )
    password = reader.integer("password", 0, minimum=0, maximum=0xFFFFFFFF)
    address = reader.integer("address", 0xFFFFFFFF, minimum=0, maximum=0xFFFFFFFF)
    ppi = reader.integer("ppi", 500, minimum=250, maximum=2000)
    reply_timeout = reader.number("reply_timeout", 1.0, minimum=0.05, maximum=60.0)
    poll_interval = reader.number("poll_interval", 0.05, minimum=0.0, maximum=5.0)
    reader.finish()
    return R30xScanner(
        port,
        baudrate=baudrate,
        password=password,
        address=address,
        ppi=ppi,
        reply_timeout=reply_timeout,
        poll_interval=poll_interval,
    )


def create_simulated(reader: SectionReader) -> FingerprintScanner:
    model = reader.choice("model", ("r30x", "r503"), "r30x")
    quality = reader.number("quality", 0.9, minimum=0.0, maximum=1.0)
    name = reader.string("name", "koffer-fingerprint")
    reader.finish()
    query = urlencode({"name": name, "quality": quality})
    return R30xScanner(
        f"sim://{model}?{query}",
        ppi=508 if model == "r503" else 500,
        poll_interval=0.02,
        type_name="simulator",
        simulated=True,
    )


def enumerate_devices() -> list[DeviceDescriptor]:
    """Serial ports behind a known USB-serial bridge (the module has no USB ID)."""
    found: list[DeviceDescriptor] = []
    for port in usb_serial_ports():
        bridge = USB_SERIAL_BRIDGES.get((port.vendor_id, port.product_id))
        if bridge is None:
            continue
        found.append(
            DeviceDescriptor(
                kind=DeviceKind.FINGERPRINT,
                type="r30x",
                path=port.device,
                model=f"R30x? ({bridge})",
                serial=port.serial_number,
            )
        )
    return found
