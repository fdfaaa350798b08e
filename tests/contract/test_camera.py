"""Contract suite for Camera implementations (the simulator; V4L2 needs hardware)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from koffer.devices.interfaces import DeviceKind
from koffer.drivers.camera.simulator import SimulatedCamera
from koffer.errors import DeviceDisconnected, DeviceError, DeviceNotFound
from tests.contract.framework import Harness, harness_fixture, require


class SimulatedCameraHarness(Harness[SimulatedCamera]):
    abilities = frozenset({"unplug", "no_face"})

    def unplug(self) -> None:
        self.device.unplug()

    def replug(self) -> None:
        self.device.plug()

    def present(self, on: bool) -> None:
        self.device.scene.face = on


@contextmanager
def simulated(tmp_path: Path) -> Iterator[SimulatedCameraHarness]:
    del tmp_path
    yield SimulatedCameraHarness(SimulatedCamera(320, 240))


harness = harness_fixture({"camera-sim": simulated})


def test_frames_and_stills_are_rgb(harness: Harness[Any]) -> None:
    with harness.device as camera:
        assert camera.info().kind == DeviceKind.CAMERA
        frame = camera.frame()
        still = camera.still()
    assert frame.mode == still.mode == "RGB"
    assert still.width >= frame.width > 0


def test_closed_camera_refuses_frames(harness: Harness[Any]) -> None:
    with pytest.raises(DeviceError):
        harness.device.frame()


def test_unplug_then_reopen(harness: Harness[Any]) -> None:
    require(harness, "unplug")
    camera = harness.device
    camera.open()
    harness.unplug()
    with pytest.raises(DeviceDisconnected):
        camera.frame()
    with pytest.raises(DeviceNotFound):
        camera.open()
    harness.replug()
    camera.open()
    assert camera.frame().width > 0
