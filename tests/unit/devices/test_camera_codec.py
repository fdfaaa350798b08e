"""V4L2 pixel codec and the driver's handling of a missing device."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from koffer.config import SectionReader
from koffer.devices.synthetic import face_image
from koffer.drivers.camera import codec, driver, factory, transport
from koffer.errors import ConfigError, DeviceNotFound, DeviceProtocolError


def test_fourcc() -> None:
    assert codec.fourcc("YUYV") == 0x56595559
    assert codec.fourcc_name(codec.fourcc("MJPG")) == "MJPG"


def test_yuyv_roundtrip_is_close() -> None:
    image = face_image(64, 48)
    back = codec.yuyv_to_rgb(codec.rgb_to_yuyv(image), 64, 48)
    diffs = [abs(a - b) for a, b in zip(image.tobytes(), back.tobytes(), strict=True)]
    assert sum(diffs) / len(diffs) < 12


def test_short_yuyv_and_bad_jpeg_are_protocol_errors() -> None:
    with pytest.raises(DeviceProtocolError):
        codec.yuyv_to_rgb(b"\x00" * 10, 64, 48)
    with pytest.raises(DeviceProtocolError):
        codec.mjpeg_to_rgb(b"not a jpeg")


def test_mjpeg_decodes() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), (10, 200, 30)).save(buffer, "JPEG")
    assert codec.mjpeg_to_rgb(buffer.getvalue()).size == (32, 16)


def test_ioctl_numbers_match_the_kernel_uapi() -> None:
    assert transport.VIDIOC_QUERYCAP == 0x80685600
    assert transport.VIDIOC_S_FMT == 0xC0D05605
    assert transport.VIDIOC_DQBUF == 0xC0585611


def test_missing_video_device_is_not_found(tmp_path: Path) -> None:
    camera = driver.V4L2Camera(str(tmp_path / "video9"))
    with pytest.raises(DeviceNotFound) as info:
        camera.open()
    assert "devices.camera" in info.value.message
    assert not camera.is_open


def test_factory_reads_its_keys() -> None:
    camera = factory.create(
        SectionReader({"device": "/dev/video3", "format": "MJPG"}, "devices.camera")
    )
    assert isinstance(camera, driver.V4L2Camera) and camera.device == "/dev/video3"
    with pytest.raises(ConfigError, match="width"):
        factory.create(SectionReader({"width": 10}, "devices.camera"))
