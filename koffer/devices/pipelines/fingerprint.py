"""Fingerprint capture: best of up to three, quality, WSQ at 500 ppi, substitution.

Rules (taken as parameters; the age and exemption decisions belong to the
case, and ``koffer.devices`` must not import ``koffer.cases``):

- nobody under 6 gives fingerprints (``age_years < 6``: exemption);
- one finger per hand, tried in the order index → thumb → middle → ring;
  the little finger is never used;
- a finger the clerk marks unavailable (missing, injured, bandaged …) is
  skipped with its reason; a finger whose best capture stays below
  ``min_quality`` makes the pipeline try the next finger, and if none
  reaches it, the best capture of that hand is kept and flagged;
- a hand without any usable finger is recorded with the reasons; when both
  hands are, the result is an exemption ("dauerhaft nicht möglich").

Each finger: up to ``attempts`` captures (stop early at ``good_enough``),
the best kept, rescaled from the native resolution to 500 ppi (the native
ppi is recorded) and WSQ-compressed with the ``wsq`` Pillow plugin.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import wsq  # noqa: F401  (registers the WSQ plugin with Pillow)
from PIL import Image

from koffer.devices.interfaces import Finger, FingerprintScanner, GreyImage, Prompt
from koffer.devices.pipelines.quality import VENDOR_METHOD, QualityScorer, default_scorer

TARGET_PPI = 500
MIN_AGE_YEARS = 6

#: fingers tried per hand, in order; never the little finger
SUBSTITUTION_ORDER: Mapping[str, tuple[Finger, ...]] = {
    "right": (Finger.RIGHT_INDEX, Finger.RIGHT_THUMB, Finger.RIGHT_MIDDLE, Finger.RIGHT_RING),
    "left": (Finger.LEFT_INDEX, Finger.LEFT_THUMB, Finger.LEFT_MIDDLE, Finger.LEFT_RING),
}

FINGER_NAMES: Mapping[Finger, str] = {
    Finger.RIGHT_THUMB: "rechten Daumen",
    Finger.RIGHT_INDEX: "rechten Zeigefinger",
    Finger.RIGHT_MIDDLE: "rechten Mittelfinger",
    Finger.RIGHT_RING: "rechten Ringfinger",
    Finger.RIGHT_LITTLE: "rechten kleinen Finger",
    Finger.LEFT_THUMB: "linken Daumen",
    Finger.LEFT_INDEX: "linken Zeigefinger",
    Finger.LEFT_MIDDLE: "linken Mittelfinger",
    Finger.LEFT_RING: "linken Ringfinger",
    Finger.LEFT_LITTLE: "linken kleinen Finger",
}


class Unavailable(StrEnum):
    """Why a finger cannot be captured (chosen by the clerk)."""

    MISSING = "missing"  # amputated / not present
    INJURED = "injured"  # wound, bandage, plaster
    ILLEGIBLE = "illegible"  # no ridges readable (skin condition, wear)
    OTHER = "other"


class Exemption(StrEnum):
    UNDER_AGE = "under_6"
    NOT_POSSIBLE = "permanently_not_possible"


EXEMPTION_TEXT: Mapping[Exemption, str] = {
    Exemption.UNDER_AGE: "Keine Fingerabdrücke: die Person ist jünger als 6 Jahre.",
    Exemption.NOT_POSSIBLE: "Keine Fingerabdrücke: die Abnahme ist an beiden Händen nicht möglich.",
}


@dataclass(frozen=True)
class FingerResult:
    finger: Finger
    qualities: tuple[int, ...]
    kept_index: int
    wsq: bytes
    native_ppi: int
    quality_method: str
    width: int  # of the 500 ppi image
    height: int
    below_threshold: bool = False

    @property
    def quality(self) -> int:
        return self.qualities[self.kept_index]


@dataclass(frozen=True)
class Skipped:
    finger: Finger
    reason: str  # an Unavailable value or "low_quality"


@dataclass(frozen=True)
class FingerprintResult:
    fingers: tuple[FingerResult, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    exemption: Exemption | None = None

    @property
    def exemption_text(self) -> str:
        return EXEMPTION_TEXT[self.exemption] if self.exemption else ""


@dataclass(frozen=True)
class FingerPlan:
    """Candidates per hand after removing unavailable fingers."""

    hands: Mapping[str, tuple[Finger, ...]] = field(default_factory=dict)
    skipped: tuple[Skipped, ...] = ()
    exemption: Exemption | None = None


def plan_fingers(age_years: int, unavailable: Mapping[Finger, Unavailable]) -> FingerPlan:
    """Which fingers to try, in order, per hand (pure)."""
    if age_years < MIN_AGE_YEARS:
        return FingerPlan(exemption=Exemption.UNDER_AGE)
    hands: dict[str, tuple[Finger, ...]] = {}
    skipped: list[Skipped] = []
    for hand, order in SUBSTITUTION_ORDER.items():
        candidates = []
        for finger in order:
            if finger in unavailable:
                skipped.append(Skipped(finger, unavailable[finger].value))
            else:
                candidates.append(finger)
        if candidates:
            hands[hand] = tuple(candidates)
    if not hands:
        return FingerPlan(skipped=tuple(skipped), exemption=Exemption.NOT_POSSIBLE)
    return FingerPlan(hands=hands, skipped=tuple(skipped))


def to_500ppi(image: GreyImage) -> GreyImage:
    """Rescale to 500 ppi (Lanczos); a 500 ppi image is returned unchanged."""
    if image.ppi == TARGET_PPI:
        return image
    factor = TARGET_PPI / image.ppi
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    scaled = image.to_pil().resize(size, Image.Resampling.LANCZOS)
    return GreyImage(size[0], size[1], scaled.tobytes(), TARGET_PPI)


def encode_wsq(image: GreyImage) -> bytes:
    """WSQ bytes of a 500 ppi image."""
    buffer = io.BytesIO()
    image.to_pil().save(buffer, "WSQ")
    return buffer.getvalue()


def process_captures(
    finger: Finger, captures: Sequence[GreyImage], scorer: QualityScorer
) -> FingerResult:
    """Score the (already captured) images, keep the best, encode it (pure CPU)."""
    if not captures:
        raise ValueError("no captures")
    scaled = [to_500ppi(image) for image in captures]
    qualities = tuple(scorer.score(image) for image in scaled)
    return _result(finger, captures[0].ppi, scaled, qualities, scorer.method)


def _result(
    finger: Finger,
    native_ppi: int,
    scaled: Sequence[GreyImage],
    qualities: tuple[int, ...],
    method: str,
) -> FingerResult:
    kept = max(range(len(qualities)), key=lambda i: (qualities[i], -i))
    best = scaled[kept]
    return FingerResult(
        finger=finger,
        qualities=qualities,
        kept_index=kept,
        wsq=encode_wsq(best),
        native_ppi=native_ppi,
        quality_method=method,
        width=best.width,
        height=best.height,
    )


def capture_finger(
    scanner: FingerprintScanner,
    finger: Finger,
    prompt: Prompt,
    *,
    attempts: int = 3,
    good_enough: int | None = None,
    scorer: QualityScorer | None = None,
    timeout: float = 10.0,
) -> FingerResult:
    """Up to ``attempts`` captures of ``finger``; the best is kept."""
    scorer = scorer or default_scorer()
    scaled: list[GreyImage] = []
    qualities: list[int] = []
    method = scorer.method
    native_ppi = TARGET_PPI
    for attempt in range(attempts):
        text = f"Bitte legen Sie den {FINGER_NAMES[finger]} auf"
        prompt.show("finger", text + (" (erneut)." if attempt else "."))
        image = scanner.capture(prompt, timeout)
        native_ppi = image.ppi
        image500 = to_500ppi(image)
        vendor = getattr(scanner, "last_quality", None)
        if isinstance(vendor, int) and not isinstance(vendor, bool):
            quality, method = max(0, min(100, vendor)), VENDOR_METHOD
        else:
            quality = scorer.score(image500)
        scaled.append(image500)
        qualities.append(quality)
        if good_enough is not None and quality >= good_enough:
            break
    return _result(finger, native_ppi, scaled, tuple(qualities), method)


def capture_fingerprints(
    scanner: FingerprintScanner,
    prompt: Prompt,
    *,
    age_years: int,
    unavailable: Mapping[Finger, Unavailable] | None = None,
    min_quality: int = 30,
    attempts: int = 3,
    good_enough: int | None = None,
    scorer: QualityScorer | None = None,
    timeout: float = 10.0,
) -> FingerprintResult:
    """One finger per hand following the rules in the module docstring."""
    plan = plan_fingers(age_years, unavailable or {})
    if plan.exemption is not None:
        return FingerprintResult(skipped=plan.skipped, exemption=plan.exemption)
    scorer = scorer or default_scorer()
    results: list[FingerResult] = []
    skipped = list(plan.skipped)
    for hand in ("right", "left"):
        best: FingerResult | None = None
        for finger in plan.hands.get(hand, ()):
            result = capture_finger(
                scanner,
                finger,
                prompt,
                attempts=attempts,
                good_enough=good_enough,
                scorer=scorer,
                timeout=timeout,
            )
            if result.quality >= min_quality:
                best = result
                break
            skipped.append(Skipped(finger, "low_quality"))
            if best is None or result.quality > best.quality:
                best = result
        if best is None:
            continue
        if best.quality < min_quality:
            skipped = [s for s in skipped if s.finger != best.finger]
            best = replace(best, below_threshold=True)
        results.append(best)
    return FingerprintResult(fingers=tuple(results), skipped=tuple(skipped))
