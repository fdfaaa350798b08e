"""What every pyusb driver shares: finding, claiming and releasing, and one error translation.

The only module besides the drivers' transports that touches pyusb. A
driver names its device once (:class:`UsbNames`); every pyusb exception
becomes the most specific :class:`~koffer.errors.DeviceError` with a German
message in those words (:func:`translate`).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import usb.core
import usb.util

from koffer.errors import (
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceProtocolError,
    DeviceTimeout,
)

#: errno values that mean the device has gone from the bus
GONE = (errno.ENODEV, errno.ENXIO, errno.ESHUTDOWN, errno.ENOENT)


@dataclass(frozen=True)
class UsbNames:
    """How the messages name one kind of device.

    :ivar de: the German subject with its article, e.g. ``"Das Unterschriftenfeld"``
    :ivar it: the German accusative pronoun for it (``"es"``, ``"ihn"``, ``"sie"``)
    :ivar en: the English subject, e.g. ``"The signature pad"``
    :ivar missing_de: what to say when no such device is on the bus
    :ivar missing_en: the same in English
    """

    de: str
    it: str
    en: str
    missing_de: str
    missing_en: str


def translate(exc: BaseException, names: UsbNames) -> DeviceError:
    """The most specific :class:`DeviceError` for a pyusb exception."""
    code = getattr(exc, "errno", None)
    if isinstance(exc, usb.core.USBTimeoutError) or code == errno.ETIMEDOUT:
        return DeviceTimeout(
            f"{names.de} antwortet nicht. Bitte prüfen Sie das Kabel und stecken Sie "
            f"{names.it} aus und wieder ein.",
            message_en=f"{names.en} does not answer (USB timeout).",
        )
    if code in GONE:
        return DeviceDisconnected(
            f"{names.de} wurde getrennt. Bitte stecken Sie das USB-Kabel wieder ein.",
            message_en=f"{names.en} was disconnected.",
        )
    if code in (errno.EACCES, errno.EPERM):
        return DeviceNotFound(
            f"{names.de} ist angeschlossen, aber der Zugriff ist nicht erlaubt. "
            "Bitte wenden Sie sich an die Technik (udev-Regel fehlt).",
            message_en=f"{names.en} is connected but access is denied (missing udev rule).",
        )
    if code == errno.EBUSY:
        return DeviceNotFound(
            f"{names.de} wird von einem anderen Programm benutzt. "
            "Bitte schließen Sie das andere Programm.",
            message_en=f"{names.en} is in use by another program.",
        )
    if code == errno.EPIPE:
        return DeviceProtocolError(
            f"{names.de} hat einen Befehl abgelehnt. Bitte stecken Sie {names.it} neu ein.",
            message_en=f"{names.en} rejected a request (USB stall).",
        )
    return DeviceError(
        f"{names.de} meldet einen USB-Fehler. Bitte stecken Sie {names.it} neu ein.",
        message_en=f"{names.en} reported a USB error: {exc}",
    )


def find(
    names: UsbNames,
    *,
    vendor_id: int,
    backend: Any,
    product_id: int | None = None,
    match: Callable[[Any], bool] | None = None,
) -> Any:
    """The first device with ``vendor_id`` (and ``product_id`` or ``match``).

    :raises DeviceNotFound: no libusb, or no such device (``names.missing_de``)
    """
    criteria: dict[str, Any] = {"idVendor": vendor_id, "backend": backend}
    if product_id is not None:
        criteria["idProduct"] = product_id
    if match is not None:
        criteria["custom_match"] = match
    try:
        dev = usb.core.find(**criteria)
    except usb.core.NoBackendError as exc:
        raise DeviceNotFound(
            f"Die USB-Bibliothek (libusb) fehlt; {names.de} kann nicht benutzt werden. "
            "Bitte wenden Sie sich an die Technik.",
            message_en=f"No pyusb backend (libusb) is available for {names.en.lower()}.",
        ) from exc
    except usb.core.USBError as exc:
        raise translate(exc, names) from exc
    if dev is None:
        wanted = (
            f"{vendor_id:04x}:{product_id:04x}" if product_id is not None else f"{vendor_id:04x}"
        )
        raise DeviceNotFound(names.missing_de, message_en=f"{names.missing_en} (USB {wanted})")
    return dev


def find_all(
    *,
    backend: Any = None,
    match: Callable[[Any], bool] | None = None,
    vendor_id: int | None = None,
) -> list[Any]:
    """Every device on the bus matching (for discovery); empty without libusb or on errors."""
    criteria: dict[str, Any] = {"find_all": True, "backend": backend}
    if vendor_id is not None:
        criteria["idVendor"] = vendor_id
    if match is not None:
        criteria["custom_match"] = match
    try:
        return list(usb.core.find(**criteria))
    except (usb.core.NoBackendError, usb.core.USBError):
        return []


def active_configuration(dev: Any) -> Any:
    """The device's configuration, set first if it has none."""
    try:
        return dev.get_active_configuration()
    except usb.core.USBError:
        dev.set_configuration()
        return dev.get_active_configuration()


def detach_kernel_driver(dev: Any, interface: int) -> None:
    """Detach a kernel driver (usblp, usbhid) from ``interface`` where the OS has one."""
    try:
        if dev.is_kernel_driver_active(interface):
            dev.detach_kernel_driver(interface)
    except NotImplementedError:
        pass


def claim(dev: Any, interface: int, names: UsbNames) -> None:
    """Claim ``interface``; on failure the device's resources are freed again."""
    try:
        usb.util.claim_interface(dev, interface)
    except usb.core.USBError as exc:
        dispose(dev)
        raise translate(exc, names) from exc


def release(dev: Any, interface: int) -> None:
    """Release ``interface`` and free the device's resources; never raises."""
    try:
        usb.util.release_interface(dev, interface)
    except (usb.core.USBError, ValueError):
        pass
    dispose(dev)


def dispose(dev: Any) -> None:
    try:
        usb.util.dispose_resources(dev)
    except usb.core.USBError:
        pass
