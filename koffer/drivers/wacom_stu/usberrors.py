"""Translation of pyusb errors into the koffer device-error tree."""

from __future__ import annotations

import errno

import usb.core

from koffer.errors import (
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceProtocolError,
    DeviceTimeout,
)

NAME_DE = "Das Unterschriftenfeld"
NAME_EN = "The signature pad"


def translate(exc: BaseException) -> DeviceError:
    """The most specific :class:`DeviceError` for a pyusb exception."""
    code = getattr(exc, "errno", None)
    if isinstance(exc, usb.core.USBTimeoutError) or code == errno.ETIMEDOUT:
        return DeviceTimeout(
            f"{NAME_DE} antwortet nicht. Bitte stecken Sie es aus und wieder ein.",
            message_en=f"{NAME_EN} does not answer (USB timeout).",
        )
    if code in (errno.ENODEV, errno.ENXIO, errno.ESHUTDOWN, errno.ENOENT):
        return DeviceDisconnected(
            f"{NAME_DE} wurde getrennt. Bitte stecken Sie das USB-Kabel wieder ein.",
            message_en=f"{NAME_EN} was disconnected.",
        )
    if code in (errno.EACCES, errno.EPERM):
        return DeviceNotFound(
            f"{NAME_DE} ist angeschlossen, aber der Zugriff ist nicht erlaubt. "
            "Bitte wenden Sie sich an die Technik (udev-Regel fehlt).",
            message_en=f"{NAME_EN} is connected but access is denied (missing udev rule).",
        )
    if code == errno.EBUSY:
        return DeviceNotFound(
            f"{NAME_DE} wird von einem anderen Programm benutzt. "
            "Bitte schließen Sie das andere Programm.",
            message_en=f"{NAME_EN} is in use by another program.",
        )
    if code == errno.EPIPE:
        return DeviceProtocolError(
            f"{NAME_DE} hat einen Befehl abgelehnt. Bitte stecken Sie es neu ein.",
            message_en=f"{NAME_EN} rejected a request (USB stall).",
        )
    return DeviceError(
        f"{NAME_DE} meldet einen USB-Fehler. Bitte stecken Sie es neu ein.",
        message_en=f"{NAME_EN} reported a USB error: {exc}",
    )
