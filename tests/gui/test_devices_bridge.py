"""The device hub and its Qt bridge: worker threads, signals, hot-plug, status."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from koffer.devices.hotplug import HotplugEvent, PollingMonitor
from koffer.devices.interfaces import DeviceKind
from koffer.errors import DeviceNotFound, KofferError
from koffer.kiosk.device_status import DeviceState
from koffer.kiosk.devices.bridge import QtDevices
from tests.gui.ausweis_helpers import Kit
from tests.gui.conftest import MakeKiosk


class FakeBus:
    """What the polling monitor sees: a set of (subsystem, key) we change."""

    def __init__(self) -> None:
        self.present = {("video4linux", "/dev/video0")}
        self.lock = threading.Lock()

    def snapshot(self) -> list[tuple[str, str]]:
        with self.lock:
            return sorted(self.present)

    def monitor(self, callback: Callable[[HotplugEvent], None]) -> PollingMonitor:
        monitor = PollingMonitor(callback, interval=0.05, snapshot=self.snapshot)
        monitor.start()
        return monitor


@pytest.fixture
def bus() -> FakeBus:
    return FakeBus()


@pytest.fixture
def kit(bus: FakeBus) -> Iterator[Kit]:
    kit = Kit(monitor=bus.monitor)
    yield kit
    kit.close()


def test_calls_run_on_the_device_thread_and_answer_on_the_gui(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    kiosk, _window = make_kiosk(devices=kit.hub)
    devices = QtDevices.of(kiosk)
    assert QtDevices.of(kiosk) is devices  # one bridge per kiosk
    seen: dict[str, str] = {}

    def op(device: object) -> str:
        seen["op"] = threading.current_thread().name
        return type(device).__name__

    def done(result: str) -> None:
        seen["done"] = threading.current_thread().name
        seen["result"] = result

    devices.with_device(DeviceKind.CAMERA, op, on_success=done, on_error=pytest.fail)
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["op"] == "device-camera"
    assert seen["done"] == threading.main_thread().name
    assert seen["result"] == "SimulatedCamera"
    assert kit.hub.state(DeviceKind.CAMERA) is DeviceState.OK


def test_hotplug_moves_the_status_bar(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit, bus: FakeBus
) -> None:
    """GIVEN the kiosk with the hub as status source WHEN the camera is unplugged
    (a hot-plug event arrives on the monitor's thread) THEN the status bar
    shows it missing at once, and ready again after it is plugged back in."""
    kiosk, window = make_kiosk(devices=kit.hub)
    QtDevices.of(kiosk)
    qtbot.waitUntil(lambda: "bereit" in window.status.text(DeviceKind.CAMERA), timeout=5_000)
    camera = kit.camera
    with qtbot.waitSignal(QtDevices.of(kiosk).changed, timeout=5_000):
        camera.unplug()
        with bus.lock:
            bus.present.clear()
    qtbot.waitUntil(lambda: "fehlt" in window.status.text(DeviceKind.CAMERA), timeout=5_000)
    camera.plug()
    with bus.lock:
        bus.present.add(("video4linux", "/dev/video0"))
    qtbot.waitUntil(lambda: "bereit" in window.status.text(DeviceKind.CAMERA), timeout=5_000)


def test_a_failed_call_reports_the_device_missing(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    kiosk, _window = make_kiosk(devices=kit.hub)
    devices = QtDevices.of(kiosk)
    errors: list[BaseException] = []
    kit.camera.unplug()
    devices.with_device(
        DeviceKind.CAMERA,
        lambda camera: camera.frame(),
        on_success=pytest.fail,
        on_error=errors.append,
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], KofferError)
    assert "Kamera" in errors[0].message
    assert kit.hub.state(DeviceKind.CAMERA) is DeviceState.MISSING
    kit.camera.plug()
    frames: list[object] = []
    devices.with_device(
        DeviceKind.CAMERA,
        lambda camera: camera.frame(),
        on_success=frames.append,
        on_error=pytest.fail,
    )
    qtbot.waitUntil(lambda: bool(frames))
    assert kit.hub.state(DeviceKind.CAMERA) is DeviceState.OK


def test_without_devices_every_call_fails_in_german(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, _window = make_kiosk()  # a static status source: no hub
    devices = QtDevices.of(kiosk)
    assert not devices.available
    errors: list[BaseException] = []
    devices.with_device(
        DeviceKind.CAMERA, lambda c: c, on_success=pytest.fail, on_error=errors.append
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], DeviceNotFound)
    assert "keine Geräte eingerichtet" in errors[0].message
