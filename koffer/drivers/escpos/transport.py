"""Byte transports for ESC/POS printers: USB (pyusb bulk) and serial (pyserial).

Both translate their library's exceptions into the koffer device-error tree;
the pyusb backend and the serial port (any pyserial port or URL) are
injectable, which is the seam the simulators use.
"""

from __future__ import annotations

import errno
import time
from typing import Any, Protocol

import serial
import usb.core
import usb.util

from koffer.errors import (
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceProtocolError,
    DeviceTimeout,
)

NAME_DE = "Der Bondrucker"
NAME_EN = "The receipt printer"


def _timeout_error() -> DeviceTimeout:
    return DeviceTimeout(
        f"{NAME_DE} antwortet nicht. Bitte prüfen Sie Kabel und Stromversorgung.",
        message_en=f"{NAME_EN} did not answer in time.",
    )


def _gone_error() -> DeviceDisconnected:
    return DeviceDisconnected(
        f"{NAME_DE} wurde getrennt. Bitte stecken Sie das Kabel wieder ein.",
        message_en=f"{NAME_EN} was disconnected.",
    )


def translate_usb(exc: BaseException) -> DeviceError:
    code = getattr(exc, "errno", None)
    if isinstance(exc, usb.core.USBTimeoutError) or code == errno.ETIMEDOUT:
        return _timeout_error()
    if code in (errno.ENODEV, errno.ENXIO, errno.ESHUTDOWN, errno.ENOENT):
        return _gone_error()
    if code in (errno.EACCES, errno.EPERM, errno.EBUSY):
        return DeviceNotFound(
            f"{NAME_DE} ist angeschlossen, kann aber nicht benutzt werden "
            "(keine Berechtigung oder von einem anderen Programm belegt). "
            "Bitte wenden Sie sich an die Technik.",
            message_en=f"{NAME_EN} is connected but access is denied or busy.",
        )
    if code == errno.EPIPE:
        return DeviceProtocolError(
            f"{NAME_DE} hat die Daten abgelehnt. Bitte schalten Sie ihn aus und wieder ein.",
            message_en=f"{NAME_EN} stalled the endpoint.",
        )
    return DeviceError(
        f"{NAME_DE} meldet einen USB-Fehler. Bitte stecken Sie ihn neu ein.",
        message_en=f"{NAME_EN} reported a USB error: {exc}",
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
        try:
            dev = usb.core.find(
                idVendor=self.vendor_id, idProduct=self.product_id, backend=self._backend
            )
        except usb.core.NoBackendError as exc:
            raise DeviceNotFound(
                "Für den Bondrucker fehlt die USB-Bibliothek (libusb). "
                "Bitte wenden Sie sich an die Technik.",
                message_en="No pyusb backend (libusb) available.",
            ) from exc
        except usb.core.USBError as exc:
            raise translate_usb(exc) from exc
        if dev is None:
            raise DeviceNotFound(
                "Kein Bondrucker gefunden. Bitte schließen Sie ihn per USB an und "
                "schalten Sie ihn ein.",
                message_en=(
                    f"No USB receipt printer {self.vendor_id:04x}:{self.product_id:04x} found."
                ),
            )
        try:
            try:
                # on Linux the usblp kernel driver holds printer-class interfaces
                if dev.is_kernel_driver_active(self._interface):
                    dev.detach_kernel_driver(self._interface)
            except NotImplementedError:
                pass
            try:
                dev.get_active_configuration()
            except usb.core.USBError:
                dev.set_configuration()
            usb.util.claim_interface(dev, self._interface)
        except usb.core.USBError as exc:
            usb.util.dispose_resources(dev)
            raise translate_usb(exc) from exc
        self._dev = dev

    def close(self) -> None:
        dev, self._dev = self._dev, None
        if dev is None:
            return
        try:
            usb.util.release_interface(dev, self._interface)
        except (usb.core.USBError, ValueError):
            pass
        try:
            usb.util.dispose_resources(dev)
        except usb.core.USBError:
            pass

    def _device(self) -> Any:
        if self._dev is None:
            raise _gone_error()
        return self._dev

    def _fail(self, exc: usb.core.USBError) -> DeviceError:
        error = translate_usb(exc)
        if isinstance(error, DeviceDisconnected | DeviceTimeout):
            self.close()
        return error

    def write(self, data: bytes) -> None:
        dev = self._device()
        try:
            for i in range(0, len(data), self._chunk):
                dev.write(self._out, data[i : i + self._chunk], self._timeout_ms)
        except usb.core.USBError as exc:
            raise self._fail(exc) from exc

    def read(self, size: int, timeout: float) -> bytes:
        dev = self._device()
        try:
            return bytes(dev.read(self._in, max(size, 64), max(1, int(timeout * 1000))))[:size]
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
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
