"""USB HID transport for STU pads (pyusb): feature reports and pen reports.

The only module of the STU family that touches pyusb. Feature reports go
through SET_REPORT / GET_REPORT control transfers, pen reports arrive on the
interrupt IN endpoint. Finding, claiming and releasing, and the translation
of pyusb errors, are the shared :mod:`koffer.drivers.usb`. The pyusb backend
is injectable: ``None`` uses libusb,
:class:`~koffer.drivers.usbsim.SimulatedUsbBackend` hosts the simulator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import usb.core as pyusb
import usb.util as usb_util

from koffer.drivers import usb
from koffer.drivers.usb import UsbNames
from koffer.drivers.wacom_stu.models import KNOWN_PRODUCT_IDS, WACOM_VENDOR_ID
from koffer.errors import DeviceDisconnected, DeviceProtocolError, DeviceTimeout

T = TypeVar("T")

_SET_REPORT = (0x21, 0x09)
_GET_REPORT = (0xA1, 0x01)

NAMES = UsbNames(
    de="Das Unterschriftenfeld",
    it="es",
    en="The signature pad",
    missing_de="Kein Unterschriftenfeld gefunden. Bitte schließen Sie das Wacom-Pad "
    "per USB an und versuchen Sie es erneut.",
    missing_en="No Wacom STU signature pad found on USB.",
)


class HidTransport:
    """One STU pad's HID interface; construct unopened, then :meth:`open`.

    A transfer that finds the pad gone (or timing out on a feature report)
    releases the device, so :attr:`is_open` is false afterwards.
    """

    def __init__(
        self,
        *,
        backend: Any = None,
        vendor_id: int = WACOM_VENDOR_ID,
        product_id: int | None = None,
        timeout: float = 2.0,
    ) -> None:
        self._backend = backend
        self._vendor_id = vendor_id
        self._product_id = product_id
        self._timeout_ms = max(1, int(timeout * 1000))
        self._dev: Any = None
        self._endpoint = 0x81
        self._interface = 0

    @property
    def is_open(self) -> bool:
        return self._dev is not None

    def open(self) -> None:
        if self._dev is not None:
            return
        dev = self._find()
        self._dev = dev
        try:
            self._usb(lambda: self._prepare(dev))
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            usb.release(dev, self._interface)

    def _find(self) -> Any:
        product = self._product_id

        def match(d: Any) -> bool:
            return (
                (d.idProduct == product)
                if product is not None
                else (d.idProduct in KNOWN_PRODUCT_IDS)
            )

        return usb.find(NAMES, vendor_id=self._vendor_id, match=match, backend=self._backend)

    def _prepare(self, dev: Any) -> None:
        usb.detach_kernel_driver(dev, self._interface)
        cfg = usb.active_configuration(dev)
        intf = cfg[(self._interface, 0)]
        endpoint = usb_util.find_descriptor(
            intf,
            custom_match=lambda e: (
                usb_util.endpoint_direction(e.bEndpointAddress) == usb_util.ENDPOINT_IN
                and usb_util.endpoint_type(e.bmAttributes) == usb_util.ENDPOINT_TYPE_INTR
            ),
        )
        if endpoint is None:
            raise DeviceProtocolError(
                "Das Unterschriftenfeld hat keinen Stift-Datenkanal. "
                "Bitte prüfen Sie, ob es ein Wacom STU ist.",
                message_en="Signature pad has no interrupt IN endpoint.",
            )
        self._endpoint = int(endpoint.bEndpointAddress)
        usb.claim(dev, self._interface, NAMES)

    def _usb(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except pyusb.USBError as exc:
            error = usb.translate(exc, NAMES)
            if isinstance(error, DeviceDisconnected | DeviceTimeout):
                self.close()
            raise error from exc

    def device(self) -> Any:
        """The open pyusb device; :class:`DeviceDisconnected` when not open."""
        if self._dev is None:
            raise DeviceDisconnected(
                "Das Unterschriftenfeld ist nicht verbunden. Bitte öffnen Sie es erneut.",
                message_en="The signature pad is not open.",
            )
        return self._dev

    def get_report(self, report_id: int, length: int) -> bytes:
        dev = self.device()
        data = self._usb(
            lambda: dev.ctrl_transfer(
                *_GET_REPORT, 0x0300 | report_id, self._interface, length, self._timeout_ms
            )
        )
        return bytes(data)

    def set_report(self, report: bytes) -> None:
        dev = self.device()
        self._usb(
            lambda: dev.ctrl_transfer(
                *_SET_REPORT, 0x0300 | report[0], self._interface, report, self._timeout_ms
            )
        )

    def read_report(self, timeout_ms: int) -> bytes | None:
        """One pen report from the interrupt endpoint; ``None`` if none came in time."""
        dev = self.device()
        try:
            data = dev.read(self._endpoint, 64, timeout_ms)
        except pyusb.USBTimeoutError:
            return None
        except pyusb.USBError as exc:
            error = usb.translate(exc, NAMES)
            if isinstance(error, DeviceDisconnected):
                self.close()
            raise error from exc
        return bytes(data)


def enumerate_pads(backend: Any = None) -> list[tuple[int, int, int]]:
    """``(product_id, bus, address)`` of every STU pad on USB (vendor 056A, known IDs)."""
    return [
        (dev.idProduct, dev.bus, dev.address)
        for dev in usb.find_all(
            vendor_id=WACOM_VENDOR_ID,
            match=lambda d: d.idProduct in KNOWN_PRODUCT_IDS,
            backend=backend,
        )
    ]
