"""A simulated pyusb backend that hosts device-side simulators.

``SimulatedUsbBackend`` implements :class:`usb.backend.IBackend`, so the
unchanged drivers find and talk to a simulated device through
``usb.core.find(..., backend=backend)``: descriptors, configuration,
interface claiming, control transfers and bulk/interrupt endpoints all go
through the same pyusb code paths as with libusb. One backend can host several
devices (for example a signature pad and a receipt printer).

A device-side simulator subclasses :class:`SimulatedUsbDevice` and implements
the transfers it supports. Failures are raised the way the libusb backend
raises them (``USBError`` with ``errno`` ENODEV / EPIPE, ``USBTimeoutError``
with ETIMEDOUT), so the drivers' error translation is exercised too.
"""

from __future__ import annotations

import errno
import threading
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import usb.backend
import usb.core

ENDPOINT_BULK = 0x02
ENDPOINT_INTERRUPT = 0x03


@dataclass(frozen=True)
class EndpointSpec:
    """One endpoint: address (bit 7 set for IN), transfer type, packet size."""

    address: int
    transfer_type: int
    max_packet: int = 64
    interval: int = 1


@dataclass(frozen=True)
class InterfaceSpec:
    number: int
    interface_class: int
    subclass: int = 0
    protocol: int = 0
    endpoints: Sequence[EndpointSpec] = ()


class _Descriptor:
    """A plain attribute bag, the shape pyusb copies fields from."""

    def __init__(self, **fields: Any) -> None:
        self.extra_descriptors: list[int] = []
        for key, value in fields.items():
            setattr(self, key, value)


def usb_gone() -> usb.core.USBError:
    """The error libusb reports for a device that was unplugged."""
    return usb.core.USBError("No such device (it may have been disconnected)", -4, errno.ENODEV)


def usb_timeout() -> usb.core.USBTimeoutError:
    return usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)


def usb_stall() -> usb.core.USBError:
    return usb.core.USBError("Pipe error", -9, errno.EPIPE)


@dataclass
class SimulatedUsbDevice:
    """Base of a device-side simulator hosted by :class:`SimulatedUsbBackend`.

    Subclasses override the transfer methods they support; the defaults stall
    like a device that does not implement the request.
    """

    vendor_id: int
    product_id: int
    interfaces: Sequence[InterfaceSpec]
    device_class: int = 0
    bus: int = 1
    address: int = 1
    bcd_device: int = 0x0100
    #: False after :meth:`unplug`; every transfer then fails with ENODEV
    plugged: bool = True
    configuration: int = 0
    kernel_driver_active: set[int] = field(default_factory=set)
    claimed: set[int] = field(default_factory=set)

    # -- fault control ---------------------------------------------------
    def unplug(self) -> None:
        """Pull the cable: open handles fail with ENODEV, enumeration skips it."""
        self.plugged = False
        self.claimed.clear()
        self.configuration = 0

    def replug(self) -> None:
        self.plugged = True

    def check_plugged(self) -> None:
        if not self.plugged:
            raise usb_gone()

    # -- transfers (device side) -----------------------------------------
    def control(
        self, request_type: int, request: int, value: int, index: int, data: bytes, length: int
    ) -> bytes | int:
        """Handle a control transfer: return bytes for IN, a count for OUT."""
        del request_type, request, value, index, data, length
        raise usb_stall()

    def bulk_out(self, endpoint: int, data: bytes, timeout_ms: int) -> int:
        del endpoint, data, timeout_ms
        raise usb_stall()

    def bulk_in(self, endpoint: int, size: int, timeout_ms: int) -> bytes:
        del endpoint, size, timeout_ms
        raise usb_stall()

    def interrupt_in(self, endpoint: int, size: int, timeout_ms: int) -> bytes:
        del endpoint, size, timeout_ms
        raise usb_stall()


class SimulatedUsbBackend(usb.backend.IBackend):  # type: ignore[misc]
    """A pyusb backend whose bus holds only simulated devices."""

    def __init__(self, *devices: SimulatedUsbDevice) -> None:
        super().__init__()
        self._devices: list[SimulatedUsbDevice] = list(devices)
        self._lock = threading.Lock()

    @property
    def devices(self) -> list[SimulatedUsbDevice]:
        return list(self._devices)

    def add(self, device: SimulatedUsbDevice) -> None:
        with self._lock:
            self._devices.append(device)

    # -- enumeration and descriptors --------------------------------------
    def enumerate_devices(self) -> Iterator[SimulatedUsbDevice]:
        with self._lock:
            devices = [d for d in self._devices if d.plugged]
        yield from devices

    def get_device_descriptor(self, dev: SimulatedUsbDevice) -> _Descriptor:
        return _Descriptor(
            bLength=18,
            bDescriptorType=1,
            bcdUSB=0x0200,
            bDeviceClass=dev.device_class,
            bDeviceSubClass=0,
            bDeviceProtocol=0,
            bMaxPacketSize0=64,
            idVendor=dev.vendor_id,
            idProduct=dev.product_id,
            bcdDevice=dev.bcd_device,
            iManufacturer=0,
            iProduct=0,
            iSerialNumber=0,
            bNumConfigurations=1,
            address=dev.address,
            bus=dev.bus,
            port_number=1,
            port_numbers=(1,),
            speed=3,
        )

    def get_configuration_descriptor(self, dev: SimulatedUsbDevice, config: int) -> _Descriptor:
        if config != 0:
            raise IndexError("configuration index out of range")
        return _Descriptor(
            bLength=9,
            bDescriptorType=2,
            wTotalLength=9 + sum(9 + 7 * len(i.endpoints) for i in dev.interfaces),
            bNumInterfaces=len(dev.interfaces),
            bConfigurationValue=1,
            iConfiguration=0,
            bmAttributes=0x80,
            bMaxPower=50,
        )

    def get_interface_descriptor(
        self, dev: SimulatedUsbDevice, intf: int, alt: int, config: int
    ) -> _Descriptor:
        if config != 0 or alt != 0 or intf >= len(dev.interfaces):
            raise IndexError("interface index out of range")
        spec = dev.interfaces[intf]
        return _Descriptor(
            bLength=9,
            bDescriptorType=4,
            bInterfaceNumber=spec.number,
            bAlternateSetting=0,
            bNumEndpoints=len(spec.endpoints),
            bInterfaceClass=spec.interface_class,
            bInterfaceSubClass=spec.subclass,
            bInterfaceProtocol=spec.protocol,
            iInterface=0,
        )

    def get_endpoint_descriptor(
        self, dev: SimulatedUsbDevice, ep: int, intf: int, alt: int, config: int
    ) -> _Descriptor:
        if config != 0 or alt != 0 or intf >= len(dev.interfaces):
            raise IndexError("interface index out of range")
        endpoints = dev.interfaces[intf].endpoints
        if ep >= len(endpoints):
            raise IndexError("endpoint index out of range")
        spec = endpoints[ep]
        return _Descriptor(
            bLength=7,
            bDescriptorType=5,
            bEndpointAddress=spec.address,
            bmAttributes=spec.transfer_type,
            wMaxPacketSize=spec.max_packet,
            bInterval=spec.interval,
            bRefresh=0,
            bSynchAddress=0,
        )

    # -- device handling ---------------------------------------------------
    def open_device(self, dev: SimulatedUsbDevice) -> SimulatedUsbDevice:
        dev.check_plugged()
        return dev

    def close_device(self, dev_handle: SimulatedUsbDevice) -> None:
        dev_handle.claimed.clear()

    def set_configuration(self, dev_handle: SimulatedUsbDevice, config_value: int) -> None:
        dev_handle.check_plugged()
        dev_handle.configuration = config_value

    def get_configuration(self, dev_handle: SimulatedUsbDevice) -> int:
        dev_handle.check_plugged()
        return dev_handle.configuration

    def set_interface_altsetting(self, dev_handle: SimulatedUsbDevice, intf: int, alt: int) -> None:
        dev_handle.check_plugged()

    def claim_interface(self, dev_handle: SimulatedUsbDevice, intf: int) -> None:
        dev_handle.check_plugged()
        if intf in dev_handle.kernel_driver_active:
            raise usb.core.USBError("Resource busy", -6, errno.EBUSY)
        dev_handle.claimed.add(intf)

    def release_interface(self, dev_handle: SimulatedUsbDevice, intf: int) -> None:
        dev_handle.claimed.discard(intf)

    def is_kernel_driver_active(self, dev_handle: SimulatedUsbDevice, intf: int) -> bool:
        dev_handle.check_plugged()
        return intf in dev_handle.kernel_driver_active

    def detach_kernel_driver(self, dev_handle: SimulatedUsbDevice, intf: int) -> None:
        dev_handle.check_plugged()
        dev_handle.kernel_driver_active.discard(intf)

    def attach_kernel_driver(self, dev_handle: SimulatedUsbDevice, intf: int) -> None:
        dev_handle.check_plugged()
        dev_handle.kernel_driver_active.add(intf)

    def reset_device(self, dev_handle: SimulatedUsbDevice) -> None:
        dev_handle.check_plugged()

    def clear_halt(self, dev_handle: SimulatedUsbDevice, ep: int) -> None:
        dev_handle.check_plugged()

    # -- transfers ---------------------------------------------------------
    def ctrl_transfer(
        self,
        dev_handle: SimulatedUsbDevice,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: array[int],
        timeout: int,
    ) -> int | array[int]:
        del timeout
        dev_handle.check_plugged()
        is_in = bool(bmRequestType & 0x80)
        length = len(data) * data.itemsize
        result = dev_handle.control(
            bmRequestType, bRequest, wValue, wIndex, b"" if is_in else data.tobytes(), length
        )
        if not is_in:
            return int(result) if isinstance(result, int) else length
        reply = bytes(result) if isinstance(result, bytes | bytearray) else b""
        reply = reply[:length]
        for i, byte in enumerate(reply):
            data[i] = byte
        return len(reply)

    def bulk_write(
        self, dev_handle: SimulatedUsbDevice, ep: int, intf: int, data: array[int], timeout: int
    ) -> int:
        dev_handle.check_plugged()
        return dev_handle.bulk_out(ep, data.tobytes(), timeout)

    def bulk_read(
        self, dev_handle: SimulatedUsbDevice, ep: int, intf: int, buff: array[int], timeout: int
    ) -> int:
        dev_handle.check_plugged()
        return _fill(buff, dev_handle.bulk_in(ep, len(buff), timeout))

    def intr_read(
        self, dev_handle: SimulatedUsbDevice, ep: int, intf: int, buff: array[int], timeout: int
    ) -> int:
        dev_handle.check_plugged()
        return _fill(buff, dev_handle.interrupt_in(ep, len(buff), timeout))


def _fill(buff: array[int], data: bytes) -> int:
    data = data[: len(buff)]
    for i, byte in enumerate(data):
        buff[i] = byte
    return len(data)
