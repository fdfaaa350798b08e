"""`koffer selftest --report FILE.pdf` writes the self-test report as a PDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_report_pdf_names_every_device_and_its_result(tmp_path: Path) -> None:
    report = tmp_path / "selbsttest.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "koffer.commands.cli",
            "selftest",
            "--simulate",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    data = report.read_bytes()
    assert data.startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Alle Geräte sind in Ordnung" in text
    for label in (
        "Fingerabdruckscanner",
        "Unterschriften-Pad",
        "Bondrucker",
        "A4-Drucker",
        "Kamera",
    ):
        line = next((ln for ln in text.splitlines() if ln.startswith(label)), None)
        assert line is not None, f"{label} missing from the report"
        assert "simulator" in line and " in " in line  # driver type and "in Ordnung"
