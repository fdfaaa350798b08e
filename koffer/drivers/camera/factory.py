"""Registry factories for cameras (``type = "v4l2"`` / ``"simulator"``).

``[devices.camera]`` keys for ``v4l2``: ``device`` ("/dev/video0"),
``width`` (1280), ``height`` (720), ``format`` ("YUYV" or "MJPG"),
``timeout`` (2.0 s). For ``simulator``: ``width`` (640), ``height`` (480).
"""

from __future__ import annotations

from koffer.config import SectionReader
from koffer.devices.interfaces import Camera, DeviceDescriptor, DeviceKind
from koffer.drivers.camera import transport
from koffer.drivers.camera.driver import V4L2Camera
from koffer.drivers.camera.simulator import SimulatedCamera


def create(reader: SectionReader) -> Camera:
    device = reader.string("device", "/dev/video0")
    width = reader.integer("width", 1280, minimum=160, maximum=7680)
    height = reader.integer("height", 720, minimum=120, maximum=4320)
    pixel_format = reader.choice("format", ("YUYV", "MJPG"), "YUYV")
    timeout = reader.number("timeout", 2.0, minimum=0.1, maximum=30.0)
    reader.finish()
    return V4L2Camera(
        device, width=width, height=height, pixel_format=pixel_format, timeout=timeout
    )


def create_simulated(reader: SectionReader) -> Camera:
    width = reader.integer("width", 640, minimum=160, maximum=4096)
    height = reader.integer("height", 480, minimum=120, maximum=4096)
    reader.finish()
    return SimulatedCamera(width, height)


def enumerate_devices() -> list[DeviceDescriptor]:
    return [
        DeviceDescriptor(kind=DeviceKind.CAMERA, type="v4l2", path=path)
        for path in transport.device_paths()
    ]
