"""The one pyusb error translation and device lookup every USB driver uses."""

from __future__ import annotations

import errno

import pytest
import usb.core

from koffer.drivers import usb as shared
from koffer.drivers.usb import UsbNames
from koffer.drivers.usbsim import SimulatedUsbBackend, usb_gone, usb_stall, usb_timeout
from koffer.errors import (
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceProtocolError,
    DeviceTimeout,
)

NAMES = UsbNames(
    de="Der Testdrucker",
    it="ihn",
    en="The test printer",
    missing_de="Kein Testdrucker gefunden.",
    missing_en="No test printer found.",
)


@pytest.mark.parametrize(
    "exc,kind,words",
    [
        (usb_timeout(), DeviceTimeout, "antwortet nicht"),
        (usb_gone(), DeviceDisconnected, "wurde getrennt"),
        (usb_stall(), DeviceProtocolError, "abgelehnt"),
        (usb.core.USBError("x", errno=errno.EACCES), DeviceNotFound, "udev-Regel"),
        (usb.core.USBError("x", errno=errno.EBUSY), DeviceNotFound, "anderen Programm"),
        (usb.core.USBError("x", errno=errno.EIO), DeviceError, "USB-Fehler"),
    ],
)
def test_each_pyusb_error_becomes_one_german_device_error(
    exc: BaseException, kind: type[DeviceError], words: str
) -> None:
    error = shared.translate(exc, NAMES)
    assert type(error) is kind
    assert error.message.startswith("Der Testdrucker ")
    assert words in error.message
    assert error.message_en.startswith("The test printer")


def test_a_missing_device_is_named_in_the_drivers_words() -> None:
    with pytest.raises(DeviceNotFound) as info:
        shared.find(NAMES, vendor_id=0x1234, product_id=0x5678, backend=SimulatedUsbBackend())
    assert info.value.message == "Kein Testdrucker gefunden."
    # the log names the USB ids that were looked for
    assert info.value.message_en == "No test printer found. (USB 1234:5678)"
