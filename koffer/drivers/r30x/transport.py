"""The serial seam of the R30x driver: any pyserial port or URL.

``serial.serial_for_url`` accepts device paths (``/dev/ttyUSB0``,
``/dev/pts/3``), pyserial URLs (``socket://``, ``spy://``, ``loop://``) and the
simulator's ``sim://r30x?...``. The only module of the family that uses
pyserial (port discovery included; the ``sim://`` URL handler package
aside). pyserial and OS errors are translated here:
failing to open is :class:`DeviceNotFound`, failing later is
:class:`DeviceDisconnected`.
"""

from __future__ import annotations

import termios
from dataclasses import dataclass
from typing import Protocol

import serial
from serial.tools import list_ports

from koffer.errors import DeviceDisconnected, DeviceNotFound


class Transport(Protocol):
    def open(self) -> None: ...
    def close(self) -> None: ...
    @property
    def is_open(self) -> bool: ...
    def write(self, data: bytes) -> None: ...
    def read_some(self) -> bytes:
        """Whatever arrived (at least one byte), or ``b""`` after a short wait."""
        ...

    def discard_input(self) -> None: ...


#: what pyserial lets through when a port vanishes (termios.error is no OSError)
_PORT_ERRORS = (serial.SerialException, OSError, termios.error)


def _gone(exc: BaseException) -> DeviceDisconnected:
    return DeviceDisconnected(
        "Die Verbindung zum Fingerabdruckscanner ist unterbrochen. "
        "Bitte prüfen Sie das Kabel und versuchen Sie es erneut.",
        message_en=f"Lost the connection to the fingerprint scanner ({type(exc).__name__}). "
        "Check the cable and try again.",
    )


class SerialTransport:
    """pyserial behind :class:`Transport`."""

    def __init__(self, port: str, baudrate: int = 57600, poll: float = 0.02) -> None:
        self.port = port
        self.baudrate = baudrate
        self.poll = poll
        self._serial: serial.SerialBase | None = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        if self.port.lower().startswith("sim://"):
            from koffer.drivers.r30x import urlhandler

            urlhandler.install()
        try:
            self._serial = serial.serial_for_url(
                self.port, baudrate=self.baudrate, timeout=self.poll, write_timeout=2.0
            )
        except (*_PORT_ERRORS, ValueError) as exc:
            raise DeviceNotFound(
                "Der Fingerabdruckscanner wurde nicht gefunden. Bitte schließen Sie ihn an "
                "und prüfen Sie den Anschluss in der Konfiguration ([devices.fingerprint] port).",
                message_en="Fingerprint scanner not found. Connect it and check "
                "[devices.fingerprint] port in the configuration.",
            ) from exc

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except _PORT_ERRORS:
                pass

    def _port(self) -> serial.SerialBase:
        if self._serial is None:
            raise DeviceDisconnected(
                "Der Fingerabdruckscanner ist nicht geöffnet.",
                message_en="The fingerprint scanner is not open.",
            )
        return self._serial

    def write(self, data: bytes) -> None:
        port = self._port()
        try:
            port.write(data)
        except _PORT_ERRORS as exc:
            self.close()
            raise _gone(exc) from exc

    def read_some(self) -> bytes:
        port = self._port()
        try:
            waiting = port.in_waiting
            data: bytes = port.read(waiting or 1)
        except _PORT_ERRORS as exc:
            self.close()
            raise _gone(exc) from exc
        return data

    def discard_input(self) -> None:
        port = self._port()
        try:
            port.reset_input_buffer()
        except _PORT_ERRORS as exc:
            self.close()
            raise _gone(exc) from exc


@dataclass(frozen=True)
class UsbSerialPort:
    """A serial port behind a USB bridge, as the OS lists it."""

    device: str
    vendor_id: int
    product_id: int
    serial_number: str


def usb_serial_ports() -> list[UsbSerialPort]:
    """The serial ports that sit behind a USB bridge (those with a USB VID/PID)."""
    return [
        UsbSerialPort(port.device, port.vid, port.pid, port.serial_number or "")
        for port in list_ports.comports()
        if port.vid is not None and port.pid is not None
    ]
