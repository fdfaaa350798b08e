"""Contract suite: every FingerprintScanner behaves the same.

Runs against the real R30x driver over the ``sim://`` pyserial URL and over
a pty peer, and against the vendor-SDK adapter with its API-level simulator.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from koffer.devices.interfaces import CaptureCancelled, DeviceKind, GreyImage
from koffer.errors import DeviceDisconnected, DeviceError, DeviceNotFound, DeviceTimeout
from tests.contract.fingerprint_harnesses import FINGERPRINT_HARNESSES
from tests.contract.framework import Harness, ScriptedPrompt, harness_fixture, require

harness = harness_fixture(FINGERPRINT_HARNESSES)


def _looks_like_a_print(image: GreyImage) -> None:
    assert image.width * image.height == len(image.pixels) > 0
    assert image.ppi >= 250
    dark = sum(1 for p in image.pixels[::7] if p < 80)
    light = sum(1 for p in image.pixels[::7] if p > 200)
    assert dark > 0.05 * len(image.pixels[::7])
    assert light > 0.05 * len(image.pixels[::7])


def test_open_info_close_and_context_manager(harness: Harness[Any]) -> None:
    device = harness.device
    assert not device.is_open
    with device:
        assert device.is_open
        info = device.info()
        assert info.kind == DeviceKind.FINGERPRINT
        assert info.model
    assert not device.is_open
    device.close()  # twice is fine


def test_capture_prompts_and_returns_an_8bit_image(harness: Harness[Any]) -> None:
    prompt = ScriptedPrompt()
    with harness.device as scanner:
        image = scanner.capture(prompt, timeout=3.0)
    _looks_like_a_print(image)
    assert prompt.keys[0] == "place_finger"
    assert prompt.shown[0][1] == "Bitte legen Sie den Finger auf."


def test_capture_before_open_is_a_device_error(harness: Harness[Any]) -> None:
    with pytest.raises(DeviceError):
        harness.device.capture(ScriptedPrompt(), timeout=0.5)


def test_no_finger_times_out_then_works(harness: Harness[Any]) -> None:
    require(harness, "no_finger")
    with harness.device as scanner:
        harness.present(False)
        started = time.monotonic()
        with pytest.raises(DeviceTimeout) as info:
            scanner.capture(ScriptedPrompt(), timeout=0.3)
        assert time.monotonic() - started < 3.0
        assert "Finger" in info.value.message
        harness.present(True)
        _looks_like_a_print(scanner.capture(ScriptedPrompt(), timeout=3.0))


def test_cancel_through_the_prompt(harness: Harness[Any]) -> None:
    require(harness, "no_finger")
    with harness.device as scanner:
        harness.present(False)
        with pytest.raises((CaptureCancelled, DeviceTimeout)):
            scanner.capture(ScriptedPrompt(cancel_after=1), timeout=2.0)


def test_unplug_mid_capture_then_reopen(harness: Harness[Any]) -> None:
    require(harness, "unplug", "slow_upload")
    scanner = harness.device
    scanner.open()
    harness.break_off_transfer()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            scanner.capture(ScriptedPrompt(), timeout=3.0)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.15)
    harness.unplug()
    thread.join(10)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], DeviceDisconnected), errors
    assert "Verbindung" in errors[0].message
    assert not scanner.is_open
    with pytest.raises(DeviceNotFound):
        scanner.open()
    harness.replug()
    scanner.open()
    _looks_like_a_print(scanner.capture(ScriptedPrompt(), timeout=3.0))


def test_unplugged_device_is_not_found_or_disconnected(harness: Harness[Any]) -> None:
    require(harness, "unplug")
    harness.unplug()
    with pytest.raises((DeviceNotFound, DeviceDisconnected)):
        harness.device.open()
        harness.device.capture(ScriptedPrompt(), timeout=1.0)
    harness.replug()
    with harness.device as scanner:
        _looks_like_a_print(scanner.capture(ScriptedPrompt(), timeout=3.0))


def test_stalled_device_times_out_and_recovers(harness: Harness[Any]) -> None:
    require(harness, "stall")
    scanner = harness.device
    scanner.open()
    harness.stall(True)
    started = time.monotonic()
    with pytest.raises(DeviceTimeout) as info:
        scanner.capture(ScriptedPrompt(), timeout=3.0)
    assert time.monotonic() - started < 3.0
    assert "antwortet nicht" in info.value.message
    harness.stall(False)
    scanner.close()
    scanner.open()
    _looks_like_a_print(scanner.capture(ScriptedPrompt(), timeout=3.0))
