"""Byte transports for ESC/POS printers: USB (pyusb bulk) and serial (pyserial).

Both translate their library's exceptions into the koffer device-error tree;
the pyusb backend and the serial port (any pyserial port or URL) are
injectable, which is the seam the simulators use.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

import serial
import usb.core as pyusb

from koffer.drivers import usb
from koffer.drivers.usb import UsbNames
from koffer.errors import (
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
)

NAMES = UsbNames(
    de="Der Bondrucker",
    it="ihn",
    en="The receipt printer",
    missing_de="Kein Bondrucker gefunden. Bitte schließen Sie ihn per USB an und "
    "schalten Sie ihn ein.",
    missing_en="No USB receipt printer found.",
)


def _timeout_error() -> DeviceTimeout:
    return DeviceTimeout(
        "Der Bondrucker antwortet nicht. Bitte prüfen Sie Kabel und Stromversorgung.",
        message_en="The receipt printer did not answer in time.",
    )


def _gone_error() -> DeviceDisconnected:
    return DeviceDisconnected(
        "Der Bondrucker wurde getrennt. Bitte stecken Sie das Kabel wieder ein.",
        message_en="The receipt printer was disconnected.",
    )


class Transport(Protocol):
    """What the driver needs from a connection."""

    @property
    def is_open(self) -> bool: ...

    @property
    def description(self) -> str: ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes; empty if nothing arrived within ``timeout``."""
        ...

    def discard_input(self) -> None: ...


class UsbTransport:
    """Bulk OUT/IN endpoints of a USB printer-class interface."""

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        backend: Any = None,
        out_endpoint: int = 0x01,
        in_endpoint: int = 0x82,
        interface: int = 0,
        timeout: float = 5.0,
        chunk_size: int = 4096,
    ) -> None:
        self.vendor_id = vendor_id
        self.product_id = product_id
        self._backend = backend
        self._out = out_endpoint
        self._in = in_endpoint
        self._interface = interface
        self._timeout_ms = max(1, int(timeout * 1000))
        self._chunk = chunk_size
        self._dev: Any = None

    @property
    def is_open(self) -> bool:
        return self._dev is not None

    @property
    def description(self) -> str:
        return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def backend(self) -> Any:
        """The injected pyusb backend (None: libusb)."""
        return self._backend

    def open(self) -> None:
        if self._dev is not None:
            return
        dev = usb.find(
            NAMES, vendor_id=self.vendor_id, product_id=self.product_id, backend=self._backend
        )
        try:
            # on Linux the usblp kernel driver holds printer-class interfaces
            usb.detach_kernel_driver(dev, self._interface)
            usb.active_configuration(dev)
        except pyusb.USBError as exc:
            usb.dispose(dev)
            raise usb.translate(exc, NAMES) from exc
        usb.claim(dev, self._interface, NAMES)
        self._dev = dev

    def close(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            usb.release(dev, self._interface)

    def _device(self) -> Any:
        if self._dev is None:
            raise _gone_error()
        return self._dev

    def _fail(self, exc: pyusb.USBError) -> DeviceError:
        error = usb.translate(exc, NAMES)
        if isinstance(error, DeviceDisconnected | DeviceTimeout):
            self.close()
        return error

    def write(self, data: bytes) -> None:
        dev = self._device()
        try:
            for i in range(0, len(data), self._chunk):
                dev.write(self._out, data[i : i + self._chunk], self._timeout_ms)
        except pyusb.USBError as exc:
            raise self._fail(exc) from exc

    def read(self, size: int, timeout: float) -> bytes:
        dev = self._device()
        try:
            return bytes(dev.read(self._in, max(size, 64), max(1, int(timeout * 1000))))[:size]
        except pyusb.USBTimeoutError:
            return b""
        except pyusb.USBError as exc:
            raise self._fail(exc) from exc

    def discard_input(self) -> None:
        while self.read(64, 0.001):
            pass


class SerialTransport:
    """A serial line: a device path or any pyserial URL (``socket://``, ``spy://``…)."""

    def __init__(self, port: str, baudrate: int = 19200, *, timeout: float = 5.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self._timeout = timeout
        self._serial: Any = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    @property
    def description(self) -> str:
        return self.port

    def open(self) -> None:
        if self._serial is not None:
            return
        try:
            self._serial = serial.serial_for_url(
                self.port,
                baudrate=self.baudrate,
                timeout=self._timeout,
                write_timeout=self._timeout,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceNotFound(
                f"Der Bondrucker an {self.port} kann nicht geöffnet werden. "
                "Bitte prüfen Sie Kabel und Anschluss.",
                message_en=f"Cannot open receipt printer port {self.port}: {exc}",
            ) from exc

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass

    def _port(self) -> Any:
        if self._serial is None:
            raise _gone_error()
        return self._serial

    def _fail(self, exc: BaseException) -> DeviceError:
        self.close()
        if isinstance(exc, serial.SerialTimeoutException):
            return _timeout_error()
        return _gone_error()

    def write(self, data: bytes) -> None:
        port = self._port()
        try:
            port.write(data)
            port.flush()
        except (serial.SerialException, OSError) as exc:
            raise self._fail(exc) from exc

    def read(self, size: int, timeout: float) -> bytes:
        port = self._port()
        try:
            port.timeout = timeout
            return bytes(port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise self._fail(exc) from exc

    def discard_input(self) -> None:
        port = self._port()
        try:
            port.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise self._fail(exc) from exc
        time.sleep(0)


def enumerate_printers(backend: Any = None) -> list[tuple[int, int]]:
    """``(vendor_id, product_id)`` of USB printer-class devices (class 7 on any interface)."""

    def is_printer(dev: Any) -> bool:
        if dev.bDeviceClass == 7:
            return True
        try:
            return any(intf.bInterfaceClass == 7 for cfg in dev for intf in cfg)
        except (pyusb.USBError, ValueError, IndexError):
            return False

    return [
        (dev.idVendor, dev.idProduct) for dev in usb.find_all(match=is_printer, backend=backend)
    ]
