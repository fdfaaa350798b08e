"""The V4L2 ioctl/mmap layer (Linux ioctls through :mod:`fcntl` and ctypes).

The only module of the camera family that touches the device node. Steps:
open ``/dev/videoN``, VIDIOC_QUERYCAP (must be a capture device),
VIDIOC_S_FMT (YUYV or MJPEG at the requested size; the driver may adjust
it), then frames by ``read()`` where the device supports it, else by mmap
streaming (REQBUFS, QUERYBUF, mmap, QBUF, STREAMON, DQBUF). OS errors become
:mod:`koffer.errors` here; the :class:`~koffer.devices.interfaces.Camera`
implementation is :mod:`koffer.drivers.camera.driver`, pixel conversion is
in :mod:`koffer.drivers.camera.codec`.

**Not tested against real hardware in CI**: there is no camera in the test
environment. The struct layouts and ioctl numbers are computed from the
64-bit Linux UAPI (``linux/videodev2.h``); the codec is unit-tested, the
ioctl path only through the error handling of a missing device.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import glob
import mmap
import os
import select

from koffer.drivers.camera import codec
from koffer.errors import DeviceDisconnected, DeviceError, DeviceNotFound, DeviceTimeout

BUF_TYPE_VIDEO_CAPTURE = 1
MEMORY_MMAP = 1
FIELD_NONE = 1
CAP_VIDEO_CAPTURE = 0x00000001
CAP_READWRITE = 0x01000000
CAP_STREAMING = 0x04000000
CAP_DEVICE_CAPS = 0x80000000

PIX_YUYV = codec.fourcc("YUYV")
PIX_MJPEG = codec.fourcc("MJPG")


class Capability(ctypes.Structure):
    _fields_ = (
        ("driver", ctypes.c_char * 16),
        ("card", ctypes.c_char * 32),
        ("bus_info", ctypes.c_char * 32),
        ("version", ctypes.c_uint32),
        ("capabilities", ctypes.c_uint32),
        ("device_caps", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32 * 3),
    )


class PixFormat(ctypes.Structure):
    _fields_ = (
        ("width", ctypes.c_uint32),
        ("height", ctypes.c_uint32),
        ("pixelformat", ctypes.c_uint32),
        ("field", ctypes.c_uint32),
        ("bytesperline", ctypes.c_uint32),
        ("sizeimage", ctypes.c_uint32),
        ("colorspace", ctypes.c_uint32),
        ("priv", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("ycbcr_enc", ctypes.c_uint32),
        ("quantization", ctypes.c_uint32),
        ("xfer_func", ctypes.c_uint32),
    )


class _FormatUnion(ctypes.Union):
    # the kernel union is 200 bytes and pointer-aligned (it holds pointers)
    _fields_ = (("pix", PixFormat), ("raw", ctypes.c_uint8 * 200), ("_align", ctypes.c_void_p))


class Format(ctypes.Structure):
    _fields_ = (("type", ctypes.c_uint32), ("fmt", _FormatUnion))


class RequestBuffers(ctypes.Structure):
    _fields_ = (
        ("count", ctypes.c_uint32),
        ("type", ctypes.c_uint32),
        ("memory", ctypes.c_uint32),
        ("capabilities", ctypes.c_uint32),
        ("flags", ctypes.c_uint8),
        ("reserved", ctypes.c_uint8 * 3),
    )


class _Timecode(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("frames", ctypes.c_uint8),
        ("seconds", ctypes.c_uint8),
        ("minutes", ctypes.c_uint8),
        ("hours", ctypes.c_uint8),
        ("userbits", ctypes.c_uint8 * 4),
    )


class _Timeval(ctypes.Structure):
    _fields_ = (("sec", ctypes.c_long), ("usec", ctypes.c_long))


class _BufferM(ctypes.Union):
    _fields_ = (("offset", ctypes.c_uint32), ("userptr", ctypes.c_ulong), ("fd", ctypes.c_int32))


class Buffer(ctypes.Structure):
    _fields_ = (
        ("index", ctypes.c_uint32),
        ("type", ctypes.c_uint32),
        ("bytesused", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("field", ctypes.c_uint32),
        ("timestamp", _Timeval),
        ("timecode", _Timecode),
        ("sequence", ctypes.c_uint32),
        ("memory", ctypes.c_uint32),
        ("m", _BufferM),
        ("length", ctypes.c_uint32),
        ("reserved2", ctypes.c_uint32),
        ("request_fd", ctypes.c_int32),
    )


def _ioc(direction: int, nr: int, size: int) -> int:
    return (direction << 30) | (size << 16) | (ord("V") << 8) | nr


_R, _W, _RW = 2, 1, 3
VIDIOC_QUERYCAP = _ioc(_R, 0, ctypes.sizeof(Capability))
VIDIOC_S_FMT = _ioc(_RW, 5, ctypes.sizeof(Format))
VIDIOC_REQBUFS = _ioc(_RW, 8, ctypes.sizeof(RequestBuffers))
VIDIOC_QUERYBUF = _ioc(_RW, 9, ctypes.sizeof(Buffer))
VIDIOC_QBUF = _ioc(_RW, 15, ctypes.sizeof(Buffer))
VIDIOC_DQBUF = _ioc(_RW, 17, ctypes.sizeof(Buffer))
VIDIOC_STREAMON = _ioc(_W, 18, ctypes.sizeof(ctypes.c_int))
VIDIOC_STREAMOFF = _ioc(_W, 19, ctypes.sizeof(ctypes.c_int))


def _not_found() -> DeviceNotFound:
    return DeviceNotFound(
        "Die Kamera wurde nicht gefunden. Bitte schließen Sie sie an und prüfen Sie "
        "[devices.camera] device in der Konfiguration.",
        message_en="Camera not found. Connect it and check [devices.camera] device.",
    )


def _gone(exc: OSError) -> DeviceDisconnected:
    return DeviceDisconnected(
        "Die Verbindung zur Kamera ist unterbrochen. Bitte prüfen Sie das Kabel.",
        message_en=f"Lost the connection to the camera ({exc.strerror}).",
    )


class V4L2Device:
    """An open V4L2 capture node: format negotiation and raw frames.

    After :meth:`open`, :attr:`width`, :attr:`height` and
    :attr:`pixel_format` hold what the kernel driver agreed to.
    """

    def __init__(
        self,
        path: str,
        *,
        width: int,
        height: int,
        pixel_format: int,
        timeout: float,
        buffers: int,
    ) -> None:
        self.path = path
        self.width = width
        self.height = height
        self.pixel_format = pixel_format
        self.timeout = timeout
        self.buffer_count = buffers
        self.capability: Capability | None = None
        self._fd = -1
        self._maps: list[mmap.mmap] = []
        self._streaming = False
        self._size_image = 0

    @property
    def is_open(self) -> bool:
        return self._fd >= 0

    def open(self) -> None:
        if self.is_open:
            return
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_NONBLOCK)
        except OSError as exc:
            raise _not_found() from exc
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def _ioctl(self, request: int, arg: ctypes.Structure | ctypes.c_int) -> None:
        try:
            fcntl.ioctl(self._fd, request, arg)
        except OSError as exc:
            if exc.errno in (errno.ENODEV, errno.EIO, errno.ENXIO):
                raise _gone(exc) from exc
            raise DeviceError(
                "Die Kamera unterstützt eine benötigte Funktion nicht.",
                message_en=f"The camera refused ioctl {request:#x} ({exc.strerror}).",
            ) from exc

    def _setup(self) -> None:
        cap = Capability()
        self._ioctl(VIDIOC_QUERYCAP, cap)
        caps = cap.device_caps if cap.capabilities & CAP_DEVICE_CAPS else cap.capabilities
        if not caps & CAP_VIDEO_CAPTURE:
            raise DeviceNotFound(
                "Das konfigurierte Videogerät ist keine Kamera.",
                message_en="The configured video device cannot capture.",
            )
        self.capability = cap
        fmt = Format()
        fmt.type = BUF_TYPE_VIDEO_CAPTURE
        fmt.fmt.pix.width = self.width
        fmt.fmt.pix.height = self.height
        fmt.fmt.pix.pixelformat = self.pixel_format
        fmt.fmt.pix.field = FIELD_NONE
        self._ioctl(VIDIOC_S_FMT, fmt)
        self.width, self.height = fmt.fmt.pix.width, fmt.fmt.pix.height
        self.pixel_format = fmt.fmt.pix.pixelformat
        self._size_image = fmt.fmt.pix.sizeimage or self.width * self.height * 2
        if not caps & CAP_READWRITE:
            if not caps & CAP_STREAMING:
                raise DeviceError(
                    "Die Kamera bietet keine bekannte Bildübertragung an.",
                    message_en="The camera supports neither read() nor streaming.",
                )
            self._start_streaming()

    def _start_streaming(self) -> None:
        req = RequestBuffers()
        req.count = self.buffer_count
        req.type = BUF_TYPE_VIDEO_CAPTURE
        req.memory = MEMORY_MMAP
        self._ioctl(VIDIOC_REQBUFS, req)
        for index in range(req.count):
            buf = Buffer()
            buf.index = index
            buf.type = BUF_TYPE_VIDEO_CAPTURE
            buf.memory = MEMORY_MMAP
            self._ioctl(VIDIOC_QUERYBUF, buf)
            self._maps.append(
                mmap.mmap(
                    self._fd, buf.length, mmap.MAP_SHARED, mmap.PROT_READ, offset=buf.m.offset
                )
            )
            self._ioctl(VIDIOC_QBUF, buf)
        self._ioctl(VIDIOC_STREAMON, ctypes.c_int(BUF_TYPE_VIDEO_CAPTURE))
        self._streaming = True

    def close(self) -> None:
        if self._fd < 0:
            return
        if self._streaming:
            try:
                fcntl.ioctl(self._fd, VIDIOC_STREAMOFF, ctypes.c_int(BUF_TYPE_VIDEO_CAPTURE))
            except OSError:
                pass
        for mapping in self._maps:
            mapping.close()
        self._maps.clear()
        self._streaming = False
        try:
            os.close(self._fd)
        except OSError:
            pass
        self._fd = -1

    def _wait_readable(self) -> None:
        ready, _, _ = select.select([self._fd], [], [], self.timeout)
        if not ready:
            raise DeviceTimeout(
                "Die Kamera liefert kein Bild. Bitte stecken Sie sie neu ein.",
                message_en="The camera delivers no frame. Reconnect it.",
            )

    def read_frame(self) -> bytes:
        """One raw frame in :attr:`pixel_format`."""
        if not self.is_open:
            raise DeviceError("Die Kamera ist nicht geöffnet.", message_en="Camera not open.")
        self._wait_readable()
        if not self._streaming:
            try:
                return os.read(self._fd, self._size_image)
            except OSError as exc:
                raise _gone(exc) from exc
        buf = Buffer()
        buf.type = BUF_TYPE_VIDEO_CAPTURE
        buf.memory = MEMORY_MMAP
        self._ioctl(VIDIOC_DQBUF, buf)
        data = self._maps[buf.index][: buf.bytesused]
        self._ioctl(VIDIOC_QBUF, buf)
        return bytes(data)


def device_paths(pattern: str = "/dev/video*") -> list[str]:
    """The V4L2 device nodes present, sorted."""
    return sorted(glob.glob(pattern))
