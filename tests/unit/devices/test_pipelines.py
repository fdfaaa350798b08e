"""Capture pipelines: fingerprint rules and WSQ, signature checks and image, photo checks."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from PIL import Image

from koffer.devices.interfaces import Finger, GreyImage, PenSample
from koffer.devices.pipelines import fingerprint as fp
from koffer.devices.pipelines import photo, signature
from koffer.devices.pipelines.quality import ESTIMATE_METHOD, EstimateScorer, estimate_quality
from koffer.devices.synthetic import face_image, fingerprint_pixels
from koffer.devices.vendor_sdk import SimulatedVendorAdapter, VendorScanner
from koffer.drivers.camera.simulator import SimulatedCamera
from koffer.drivers.r30x.driver import R30xScanner
from koffer.drivers.r30x.simulator import forget_simulator, named_simulator
from koffer.errors import ValidationError
from tests.contract.framework import ScriptedPrompt


def _grey(quality: float, w: int = 256, h: int = 288, ppi: int = 500) -> GreyImage:
    return GreyImage(w, h, fingerprint_pixels(w, h, quality, 1), ppi)


# ------------------------------------------------------------ fingerprints


def test_estimator_orders_quality_and_rejects_blank() -> None:
    assert (
        estimate_quality(_grey(0.95)) > estimate_quality(_grey(0.6)) > estimate_quality(_grey(0.05))
    )
    assert estimate_quality(GreyImage(64, 64, b"\xff" * 4096, 500)) == 0
    assert EstimateScorer.method == ESTIMATE_METHOD


def test_plan_under_six_is_exempt() -> None:
    plan = fp.plan_fingers(5, {})
    assert plan.exemption == fp.Exemption.UNDER_AGE and not plan.hands


def test_plan_substitutes_in_order_and_never_the_little_finger() -> None:
    plan = fp.plan_fingers(
        30, {Finger.RIGHT_INDEX: fp.Unavailable.INJURED, Finger.RIGHT_THUMB: fp.Unavailable.MISSING}
    )
    assert plan.hands["right"] == (Finger.RIGHT_MIDDLE, Finger.RIGHT_RING)
    assert plan.hands["left"][0] == Finger.LEFT_INDEX
    assert all(
        Finger.RIGHT_LITTLE not in h and Finger.LEFT_LITTLE not in h for h in plan.hands.values()
    )
    assert [s.reason for s in plan.skipped] == ["injured", "missing"]


def test_plan_without_any_finger_is_exempt() -> None:
    gone = {f: fp.Unavailable.MISSING for order in fp.SUBSTITUTION_ORDER.values() for f in order}
    assert fp.plan_fingers(40, gone).exemption == fp.Exemption.NOT_POSSIBLE


def test_wsq_at_500_ppi_and_rescaling() -> None:
    image = _grey(0.9, 200, 200, ppi=1000)
    scaled = fp.to_500ppi(image)
    assert (scaled.width, scaled.height, scaled.ppi) == (100, 100, 500)
    data = fp.encode_wsq(fp.to_500ppi(_grey(0.9)))
    decoded = Image.open(io.BytesIO(data))
    assert decoded.format == "WSQ" and decoded.size == (256, 288)


def test_process_captures_keeps_the_best() -> None:
    result = fp.process_captures(
        Finger.LEFT_INDEX, [_grey(0.3), _grey(0.95), _grey(0.6)], EstimateScorer()
    )
    assert result.kept_index == 1
    assert result.quality == max(result.qualities)
    assert result.native_ppi == 500 and result.quality_method == ESTIMATE_METHOD


def test_capture_fingerprints_end_to_end_over_the_r30x_simulator() -> None:
    name = f"pipe-{uuid.uuid4().hex}"
    sim = named_simulator(name)
    try:
        with R30xScanner(f"sim://r30x?name={name}", poll_interval=0.01) as scanner:
            prompt = ScriptedPrompt()
            result = fp.capture_fingerprints(
                scanner,
                prompt,
                age_years=30,
                unavailable={Finger.LEFT_INDEX: fp.Unavailable.INJURED},
                scorer=EstimateScorer(),
            )
            assert [r.finger for r in result.fingers] == [Finger.RIGHT_INDEX, Finger.LEFT_THUMB]
            assert all(len(r.qualities) == 3 and r.wsq for r in result.fingers)
            assert "Bitte legen Sie den rechten Zeigefinger auf." in [t for _, t in prompt.shown]
            # a poor sensor: every finger below the threshold -> best kept, flagged
            sim.configure(quality=0.05)
            poor = fp.capture_fingerprints(
                scanner, prompt, age_years=30, min_quality=90, attempts=1, scorer=EstimateScorer()
            )
            assert all(r.below_threshold for r in poor.fingers)
            assert len(poor.fingers) == 2
            assert {s.reason for s in poor.skipped} == {"low_quality"}
    finally:
        forget_simulator(name)


def test_vendor_quality_is_preferred() -> None:
    adapter = SimulatedVendorAdapter(ppi=1000, width=300, height=300, quality=0.77)
    with VendorScanner(adapter) as scanner:
        result = fp.capture_finger(scanner, Finger.RIGHT_INDEX, ScriptedPrompt(), attempts=2)
    assert result.qualities == (77, 77)
    assert result.quality_method == "hersteller"
    assert result.native_ppi == 1000 and result.width == 150


# ---------------------------------------------------------------- signature


def _sample(x: float, y: float, touching: bool = True, seq: int = 0, p: float = 0.5) -> PenSample:
    return PenSample(x, y, p, touching, True, seq * 5, seq)


def _wave(n: int = 60, width: float = 300.0) -> list[PenSample]:
    out = [
        _sample(50 + width * i / n, 100 + (30 if i % 10 < 5 else -30) * (i % 5) / 5, seq=i)
        for i in range(n)
    ]
    out.insert(n // 2, _sample(0, 0, touching=False, seq=999))
    return out


def test_strokes_split_at_pen_up() -> None:
    strokes = signature.strokes_from_samples(_wave())
    assert len(strokes) == 2 and sum(len(s.samples) for s in strokes) == 60


@pytest.mark.parametrize(
    "samples",
    [[], [_sample(10, 10, seq=i) for i in range(50)], _wave(10), _wave(60, width=20)],
    ids=["empty", "dot", "few-samples", "tiny-box"],
)
def test_trivial_signatures_are_refused(samples: list[PenSample]) -> None:
    with pytest.raises(ValidationError) as info:
        signature.check_signature(signature.Signature(tuple(samples), 800, 480))
    assert "Unterschrift" in info.value.message


def test_signature_renders_and_roundtrips_json() -> None:
    sig = signature.Signature(tuple(_wave()), 800, 480)
    signature.check_signature(sig)
    png = Image.open(io.BytesIO(signature.render_png(sig)))
    assert png.format == "PNG" and png.mode == "L"
    assert png.getextrema()[0] == 0  # ink present
    assert 300 <= png.width <= 330
    again = signature.Signature.from_json(json.loads(json.dumps(sig.to_json())))
    assert again == sig


# -------------------------------------------------------------------- photo


def test_photo_checks_on_simulated_frames() -> None:
    assert photo.check_photo(face_image()).ok
    assert not photo.check_photo(face_image(face=False)).face_found
    assert not photo.check_photo(face_image(offset=(0.3, 0.0))).centred
    assert not photo.check_photo(face_image(scale=0.4)).size_ok
    dark = photo.check_photo(face_image(brightness=0.3))
    assert not dark.brightness_ok and dark.problems
    assert dark.label == "keine zertifizierte Qualitätsprüfung"


def test_capture_photo_gives_jpeg() -> None:
    with SimulatedCamera(320, 240) as camera:
        result = photo.capture_photo(camera)
    assert result.jpeg[:2] == b"\xff\xd8" and result.check.ok
    assert (result.width, result.height) == (640, 480)
