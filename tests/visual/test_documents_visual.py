"""Visual regression of the documents.

Each page is rendered with ``pdftoppm -r 50 -png`` and compared with the
stored reference in ``tests/visual/reference/`` within a tolerance: the mean
absolute pixel difference (0–255, greyscale) must stay below
:data:`MAX_MEAN_DIFF` and the share of pixels differing by more than
:data:`PIXEL_THRESHOLD` below :data:`MAX_CHANGED_FRACTION`. The tolerance
absorbs anti-aliasing differences between poppler versions; moved or missing
text blocks exceed it.

Regenerate the references after an intended layout change with::

    KOFFER_UPDATE_REFERENCES=1 .venv/bin/python -m pytest tests/visual

and look at the new PNGs before committing them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from koffer.documents import anmeldung_ausdruck, antragsquittung, meldebestaetigung
from koffer.documents.selftest_report import render as selftest_report
from tests.unit.documents import samples as s

REFERENCE = Path(__file__).resolve().parent / "reference"
UPDATE = os.environ.get("KOFFER_UPDATE_REFERENCES") == "1"
MAX_MEAN_DIFF = 1.5
PIXEL_THRESHOLD = 48
MAX_CHANGED_FRACTION = 0.005

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm missing")

DOCUMENTS: dict[str, Callable[[], bytes]] = {
    "meldebestaetigung": lambda: meldebestaetigung(s.anmeldung(), s.MUNICIPALITY, s.ISSUED),
    "meldebestaetigung_abmeldung": lambda: meldebestaetigung(
        s.abmeldung(), s.MUNICIPALITY, s.ISSUED
    ),
    "antragsquittung": lambda: antragsquittung(s.application(), s.MUNICIPALITY, s.ISSUED),
    "anmeldung_ausdruck": lambda: anmeldung_ausdruck(s.anmeldung(), s.MUNICIPALITY),
    "selftest_report": lambda: selftest_report(
        s.SELFTEST_RESULTS, generated_at=datetime(2026, 3, 16, 8, 0, tzinfo=UTC), kit_name="K 07"
    ),
}


def render_pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    """PNG pages of ``pdf`` at 50 dpi (pdftoppm writes into tmp_path)."""
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-", str(tmp_path / "page")],
        input=pdf,
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    return [Image.open(io.BytesIO(p.read_bytes())).convert("L") for p in pages]


def difference(actual: Image.Image, expected: Image.Image) -> tuple[float, float]:
    """(mean absolute difference, fraction of clearly changed pixels)."""
    if actual.size != expected.size:
        return 255.0, 1.0
    diff = ImageChops.difference(actual, expected)
    mean = ImageStat.Stat(diff).mean[0]
    histogram = diff.histogram()
    changed = sum(histogram[PIXEL_THRESHOLD + 1 :]) / (actual.width * actual.height)
    return mean, changed


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_matches_reference(name: str, tmp_path: Path) -> None:
    pages = render_pages(DOCUMENTS[name](), tmp_path)
    assert pages
    if UPDATE:
        for old in REFERENCE.glob(f"{name}-p*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            page.save(REFERENCE / f"{name}-p{number}.png", optimize=True)
        pytest.skip("references regenerated")
    references = sorted(REFERENCE.glob(f"{name}-p*.png"))
    assert len(references) == len(pages), "page count changed"
    for number, (page, path) in enumerate(zip(pages, references, strict=True), start=1):
        mean, changed = difference(page, Image.open(path).convert("L"))
        assert mean <= MAX_MEAN_DIFF and changed <= MAX_CHANGED_FRACTION, (
            f"{name} page {number}: mean diff {mean:.2f}, changed {changed:.2%}"
        )


def test_comparison_detects_a_layout_change(tmp_path: Path) -> None:
    """The tolerance is tight enough to catch a shifted block."""
    page = render_pages(DOCUMENTS["antragsquittung"](), tmp_path)[0]
    shifted = ImageChops.offset(page, 0, 6)
    mean, changed = difference(shifted, page)
    assert mean > MAX_MEAN_DIFF or changed > MAX_CHANGED_FRACTION
