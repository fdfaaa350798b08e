"""The :class:`~koffer.devices.interfaces.Camera` for V4L2 devices.

Device access (open, format negotiation, raw frames) is in
:mod:`koffer.drivers.camera.transport`; pixel conversion in
:mod:`koffer.drivers.camera.codec`.
"""

from __future__ import annotations

from PIL import Image

from koffer.devices.interfaces import Camera, DeviceInfo, DeviceKind
from koffer.drivers.camera import codec
from koffer.drivers.camera.transport import PIX_MJPEG, PIX_YUYV, V4L2Device
from koffer.errors import DeviceError


class V4L2Camera(Camera):
    capabilities = frozenset({"still", "preview"})

    def __init__(
        self,
        device: str = "/dev/video0",
        *,
        width: int = 1280,
        height: int = 720,
        pixel_format: str = "YUYV",
        timeout: float = 2.0,
        buffers: int = 2,
    ) -> None:
        self.device = device
        self.width = width
        self.height = height
        self.pixel_format = codec.fourcc(pixel_format)
        self.timeout = timeout
        self.buffer_count = buffers
        self._node: V4L2Device | None = None

    @property
    def is_open(self) -> bool:
        return self._node is not None and self._node.is_open

    def open(self) -> None:
        if self.is_open:
            return
        node = V4L2Device(
            self.device,
            width=self.width,
            height=self.height,
            pixel_format=self.pixel_format,
            timeout=self.timeout,
            buffers=self.buffer_count,
        )
        node.open()
        self._node = node
        self.width, self.height = node.width, node.height
        self.pixel_format = node.pixel_format

    def close(self) -> None:
        if self._node is None:
            return
        self._node.close()
        self._node = None

    def info(self) -> DeviceInfo:
        cap = self._node.capability if self._node is not None and self.is_open else None
        if cap is None:
            raise DeviceError("Die Kamera ist nicht geöffnet.", message_en="Camera not open.")
        version = cap.version
        return DeviceInfo(
            kind=DeviceKind.CAMERA,
            type="v4l2",
            model=cap.card.decode("utf-8", "replace"),
            firmware=f"{version >> 16}.{(version >> 8) & 0xFF}.{version & 0xFF}",
            serial=cap.bus_info.decode("utf-8", "replace"),
            extra={
                "driver": cap.driver.decode("utf-8", "replace"),
                "format": codec.fourcc_name(self.pixel_format),
                "resolution": f"{self.width}x{self.height}",
            },
        )

    def _raw_frame(self) -> bytes:
        if self._node is None or not self.is_open:
            raise DeviceError("Die Kamera ist nicht geöffnet.", message_en="Camera not open.")
        return self._node.read_frame()

    def _decode(self, data: bytes) -> Image.Image:
        if self.pixel_format == PIX_MJPEG:
            return codec.mjpeg_to_rgb(data)
        if self.pixel_format == PIX_YUYV:
            return codec.yuyv_to_rgb(data, self.width, self.height)
        raise DeviceError(
            "Die Kamera liefert ein nicht unterstütztes Bildformat.",
            message_en=f"Unsupported pixel format {codec.fourcc_name(self.pixel_format)}.",
        )

    def frame(self) -> Image.Image:
        return self._decode(self._raw_frame())

    def still(self) -> Image.Image:
        self._raw_frame()  # let exposure settle on the frame after the preview
        return self._decode(self._raw_frame())
