"""R30x-specific behaviour over the sim:// transport: wire faults and identity."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from koffer.drivers.r30x.driver import R30xScanner
from koffer.drivers.r30x.simulator import R30xSimulator, forget_simulator, named_simulator
from koffer.errors import DeviceError, DeviceProtocolError
from tests.contract.framework import ScriptedPrompt


@pytest.fixture
def pair() -> Iterator[tuple[R30xScanner, R30xSimulator]]:
    name = f"r30x-{uuid.uuid4().hex}"
    sim = named_simulator(name)
    scanner = R30xScanner(f"sim://r30x?name={name}", reply_timeout=0.3, poll_interval=0.01)
    yield scanner, sim
    scanner.close()
    forget_simulator(name)


def test_short_line_noise_is_resynchronised(pair: tuple[R30xScanner, R30xSimulator]) -> None:
    scanner, sim = pair
    with scanner:
        sim.configure(garbage_before_next=b"\x00\x17\xef\x42" * 5)
        assert scanner.capture(ScriptedPrompt(), timeout=2).width == 256


@pytest.mark.parametrize(
    "fault",
    [{"corrupt_next": 1}, {"wrong_address_next": 1}, {"garbage_before_next": bytes(range(1, 200))}],
)
def test_one_bad_reply_is_retried(
    pair: tuple[R30xScanner, R30xSimulator], fault: dict[str, object]
) -> None:
    scanner, sim = pair
    with scanner:
        sim.configure(**fault)
        assert scanner.capture(ScriptedPrompt(), timeout=2).height == 288


@pytest.mark.parametrize(
    "fault",
    [
        {"corrupt_next": 10},
        {"wrong_address_next": 10},
    ],
)
def test_persistent_wire_faults_are_protocol_errors(
    pair: tuple[R30xScanner, R30xSimulator], fault: dict[str, object]
) -> None:
    scanner, sim = pair
    with scanner:
        sim.configure(**fault)
        with pytest.raises(DeviceProtocolError) as info:
            scanner.capture(ScriptedPrompt(), timeout=2)
        assert "Fingerabdruckscanner" in info.value.message
        sim.configure(corrupt_next=0, wrong_address_next=0, garbage_before_next=b"")
        assert scanner.capture(ScriptedPrompt(), timeout=2).width == 256


def test_wrong_password_is_refused_with_the_config_key(
    pair: tuple[R30xScanner, R30xSimulator],
) -> None:
    scanner, sim = pair
    sim.configure(password=1234)
    with pytest.raises(DeviceError) as info:
        scanner.open()
    assert "password" in info.value.message
    assert not scanner.is_open


def test_image_size_from_prod_info_and_fallback() -> None:
    scanner = R30xScanner("sim://r503?quality=0.8", poll_interval=0.01)
    with scanner:
        assert (scanner.width, scanner.height) == (192, 192)
        image = scanner.capture(ScriptedPrompt(), timeout=2)
        assert (image.width, image.height) == (192, 192)
    name = f"old-{uuid.uuid4().hex}"
    sim = named_simulator(name)
    sim.prod_info = False
    try:
        with R30xScanner(f"sim://r30x?name={name}") as old:
            assert (old.width, old.height) == (256, 288)
            assert old.info().model == "R30x (ZFM)"
    finally:
        forget_simulator(name)


def test_finger_arrives_after_some_polls(pair: tuple[R30xScanner, R30xSimulator]) -> None:
    scanner, sim = pair
    with scanner:
        sim.configure(finger_after_polls=3)
        prompt = ScriptedPrompt()
        scanner.capture(prompt, timeout=2)
        assert prompt.keys == ["place_finger", "lift_finger"]
        assert sim.commands_seen.count(0x01) >= 4
