"""The per-device worker thread and the hot-plug polling fallback."""

from __future__ import annotations

import threading
import time

import pytest

from koffer.devices.hotplug import HotplugEvent, PollingMonitor, diff, start_monitor
from koffer.devices.worker import DeviceWorker, WorkerStopped
from koffer.drivers.camera.simulator import SimulatedCamera


def test_jobs_run_one_at_a_time_on_the_device_thread() -> None:
    camera = SimulatedCamera(160, 120)
    worker = DeviceWorker(camera)
    active = 0
    overlap = False
    threads: set[str] = set()
    lock = threading.Lock()

    def job(n: int) -> int:
        nonlocal active, overlap
        worker.assert_in_device_thread()
        with lock:
            active += 1
            overlap = overlap or active > 1
        threads.add(threading.current_thread().name)
        time.sleep(0.002)
        with lock:
            active -= 1
        return n * n

    worker.open().result(5)
    futures = [worker.submit(job, n) for n in range(20)]
    assert [f.result(5) for f in futures] == [n * n for n in range(20)]
    assert not overlap
    assert threads == {worker.thread.name}
    with pytest.raises(RuntimeError):
        worker.assert_in_device_thread()
    worker.shutdown()
    assert not camera.is_open  # closed in its own thread
    assert not worker.thread.is_alive()
    with pytest.raises(WorkerStopped):
        worker.submit(job, 1)


def test_exceptions_come_back_through_the_future() -> None:
    camera = SimulatedCamera(160, 120)
    with DeviceWorker(camera) as worker:
        camera.unplug()
        future = worker.submit(camera.frame)
        with pytest.raises(Exception, match="unterbrochen"):
            future.result(5)


def test_diff_reports_removals_and_additions() -> None:
    before = {("tty", "/dev/ttyUSB0"), ("usb", "a")}
    after = {("usb", "a"), ("video4linux", "/dev/video0")}
    assert diff(before, after) == [
        HotplugEvent("remove", "tty", "/dev/ttyUSB0"),
        HotplugEvent("add", "video4linux", "/dev/video0"),
    ]


def test_polling_fallback_reports_plug_and_unplug() -> None:
    present: set[tuple[str, str]] = {("usb", "usb:056a:00a8@1.4")}
    events: list[HotplugEvent] = []
    seen = threading.Event()

    def callback(event: HotplugEvent) -> None:
        events.append(event)
        seen.set()

    monitor = PollingMonitor(callback, interval=0.01, snapshot=lambda: set(present))
    monitor.start()
    try:
        present.add(("tty", "/dev/ttyUSB0"))
        assert seen.wait(2)
        seen.clear()
        present.discard(("usb", "usb:056a:00a8@1.4"))
        assert seen.wait(2)
    finally:
        monitor.stop()
    assert events == [
        HotplugEvent("add", "tty", "/dev/ttyUSB0"),
        HotplugEvent("remove", "usb", "usb:056a:00a8@1.4"),
    ]


def test_broken_callback_or_snapshot_does_not_stop_polling() -> None:
    calls = 0

    def snapshot() -> set[tuple[str, str]]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("sysfs gone")
        return {("tty", f"/dev/ttyS{calls}")}

    def callback(event: HotplugEvent) -> None:
        raise ValueError("bad callback")

    monitor = PollingMonitor(callback, snapshot=snapshot)
    assert len(monitor.poll_once()) == 1
    assert monitor.poll_once() == []
    assert len(monitor.poll_once()) == 2


def test_start_monitor_falls_back_to_polling_without_udev() -> None:
    monitor = start_monitor(lambda e: None, prefer_udev=False, interval=0.05)
    try:
        assert isinstance(monitor, PollingMonitor)
    finally:
        monitor.stop()
