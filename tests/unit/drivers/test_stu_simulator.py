"""The STU simulator's state machine, driven through plain pyusb."""

from __future__ import annotations

import usb.core

from koffer.drivers.wacom_stu import codec
from koffer.drivers.wacom_stu.simulator import make_stu_simulator


def _set(dev: usb.core.Device, report: bytes) -> None:
    dev.ctrl_transfer(0x21, 0x09, 0x0300 | report[0], 0, report)


def _status(dev: usb.core.Device) -> codec.Status:
    return codec.decode_status(bytes(dev.ctrl_transfer(0xA1, 0x01, 0x0303, 0, 5)))


def test_out_of_order_upload_is_wrong_state() -> None:
    sim, backend = make_stu_simulator("STU-430")
    dev = usb.core.find(idVendor=0x056A, backend=backend)
    assert dev is not None
    dev.detach_kernel_driver(0)  # the simulated usbhid holds the interface
    dev.set_configuration()
    _set(dev, codec.encode_image_block(b"\x00" * 10))
    assert _status(dev).last_result == codec.ResultCode.WRONG_STATE
    _set(dev, codec.encode_end_image())
    assert _status(dev).last_result == codec.ResultCode.WRONG_STATE
    _set(dev, codec.encode_start_image(codec.ImageMode.MONO))
    status = _status(dev)
    assert status.status == codec.StatusCode.IMAGE and status.last_result == 0
    _set(dev, codec.encode_clear_screen())  # not allowed while in Image
    assert _status(dev).last_result == codec.ResultCode.WRONG_STATE
    _set(dev, codec.encode_end_image())  # nothing uploaded: wrong size
    assert _status(dev).last_result == codec.ResultCode.IMAGE_ENCODING_SIZE
    _set(dev, codec.encode_start_image(codec.ImageMode.RGB24))  # 430 is mono only
    assert _status(dev).last_result == codec.ResultCode.BAD_PARAMETER
    assert sim.images_committed == 0
    usb.util.dispose_resources(dev)
