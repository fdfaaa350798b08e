"""Contract of SignaturePad, run against every implementation.

Implementations: the real WacomStuPad driver over the simulated pyusb backend
for the STU-430, STU-530 and STU-540 (built through the config factory).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from koffer.config import SectionReader
from koffer.devices.interfaces import DeviceKind, PadScreen, PenSample, SignaturePad
from koffer.devices.pen import declaration_screen
from koffer.drivers.usbsim import SimulatedUsbBackend
from koffer.drivers.wacom_stu import codec
from koffer.drivers.wacom_stu.driver import WacomStuPad
from koffer.drivers.wacom_stu.factory import create_simulated, enumerate_devices
from koffer.drivers.wacom_stu.simulator import StuSimulator, line_stroke
from koffer.errors import (
    DeviceDisconnected,
    DeviceError,
    DeviceNotFound,
    DeviceProtocolError,
    DeviceTimeout,
)

MODELS = ["STU-430", "STU-530", "STU-540"]


@pytest.fixture(params=MODELS)
def pad(request: pytest.FixtureRequest) -> Iterator[WacomStuPad]:
    device = create_simulated(SectionReader({"model": request.param}, "devices.signature_pad"))
    device.open()
    yield device
    device.close()


def sim_of(pad: WacomStuPad) -> StuSimulator:
    assert pad.simulator is not None
    return pad.simulator


def collect(pad: SignaturePad, seconds: float) -> list[PenSample]:
    samples: list[PenSample] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples += pad.read_samples(0.02)
    return samples


def test_identity_and_lifecycle(pad: WacomStuPad) -> None:
    info = pad.info()
    assert info.kind is DeviceKind.SIGNATURE_PAD and info.simulated
    assert info.model == sim_of(pad).model
    assert pad.screen_size() == ((320, 200) if info.model == "STU-430" else (800, 480))
    pad.open()  # idempotent
    pad.close()
    pad.close()
    assert not pad.is_open
    with pad as again:
        assert again.is_open and again.info().model == info.model


def test_show_uploads_the_declaration_and_clear_blanks_it(pad: WacomStuPad) -> None:
    screen = declaration_screen(pad.screen_size())
    pad.show(screen)
    sim = sim_of(pad)
    assert sim.images_committed == 1
    ok = next(b for b in pad.buttons() if b.name == "ok")
    assert sum(sim.screen.getpixel((ok.left, ok.top))) < 100  # button frame drawn
    assert sum(sim.screen.getpixel((ok.left + 3, ok.top + 3))) > 600
    pad.clear()
    assert sim.screen.getextrema() == ((255, 255), (255, 255), (255, 255))
    assert list(pad.buttons()) == []


def test_show_refuses_an_image_of_the_wrong_size(pad: WacomStuPad) -> None:
    with pytest.raises(DeviceError) as info:
        pad.show(declaration_screen((100, 50)))
    assert "passt nicht" in info.value.message


def test_pen_samples_are_scaled_to_screen_pixels(pad: WacomStuPad) -> None:
    sim = sim_of(pad)
    duration = sim.sign([line_stroke((10, 20), (110, 120), 30, pressure=0.5)])
    samples = collect(pad, duration + 0.1)
    touching = [s for s in samples if s.touching]
    assert len(touching) == 30
    assert touching[0].x == pytest.approx(10, abs=0.1) and touching[0].y == pytest.approx(
        20, abs=0.1
    )
    assert touching[-1].x == pytest.approx(110, abs=0.1)
    assert all(s.pressure == pytest.approx(0.5, abs=0.01) for s in touching)
    assert not samples[-1].in_proximity
    sequences = [s.sequence for s in samples]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert samples[-1].time_ms - samples[0].time_ms == pytest.approx(duration * 1000, abs=15)
    assert pad.lost_samples == 0


def test_sequence_gaps_are_counted(pad: WacomStuPad) -> None:
    sim = sim_of(pad)
    first = sim.sign([line_stroke((0, 0), (50, 50), 10)])
    assert len(collect(pad, first + 0.1)) == 14
    sim.drop(4)
    duration = sim.sign([line_stroke((0, 0), (50, 50), 20)])
    samples = collect(pad, duration + 0.1)
    assert len(samples) == 24 - 4
    assert pad.lost_samples == 4


def test_garbage_reports_are_skipped(pad: WacomStuPad) -> None:
    sim = sim_of(pad)
    sim.send_garbage(3)
    duration = sim.sign([line_stroke((0, 0), (50, 50), 10)])
    assert len(collect(pad, duration + 0.1)) == 14


def test_unplug_mid_capture_then_reopen(pad: WacomStuPad) -> None:
    sim = sim_of(pad)
    sim.sign([line_stroke((0, 0), (300, 150), 400)])
    assert collect(pad, 0.1)
    sim.unplug()
    with pytest.raises(DeviceDisconnected) as info:
        collect(pad, 0.2)
    assert "getrennt" in info.value.message
    assert not pad.is_open
    with pytest.raises(DeviceNotFound):
        pad.open()
    sim.replug()
    pad.open()
    pad.show(declaration_screen(pad.screen_size()))


def test_stalled_pad_times_out_then_reopens(pad: WacomStuPad) -> None:
    sim = sim_of(pad)
    sim.stall()
    with pytest.raises(DeviceTimeout) as info:
        pad.clear()
    assert "antwortet nicht" in info.value.message
    sim.stall(False)
    pad.close()
    pad.open()
    pad.clear()


def test_missing_pad_is_device_not_found() -> None:
    pad = WacomStuPad(backend=SimulatedUsbBackend())
    with pytest.raises(DeviceNotFound) as info:
        pad.open()
    assert "Kein Unterschriftenfeld" in info.value.message


def test_enumerate_lists_simulated_pads() -> None:
    pad = create_simulated(SectionReader({"model": "STU-540"}, "devices.signature_pad"))
    found = enumerate_devices(backend=pad._backend)
    assert [d.model for d in found] == ["STU-540"]


def test_padscreen_type_is_what_show_takes(pad: WacomStuPad) -> None:
    screen = declaration_screen(pad.screen_size())
    assert isinstance(screen, PadScreen)


def test_report_with_impossible_coordinates_is_dropped(pad: WacomStuPad) -> None:
    """A report that decodes but lies outside the capability maxima is noise."""
    cap = pad.capability
    assert cap is not None
    forged = (
        bytes([0x01, 0x80 | 0x10, 0x10])
        + (cap.max_x + 1).to_bytes(2, "big")
        + (10).to_bytes(2, "big")
    )
    with pytest.raises(DeviceProtocolError):
        pad._plausible(codec.decode_pen_report(forged))
