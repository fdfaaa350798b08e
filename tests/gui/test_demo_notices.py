"""``koffer demo`` on a display nobody sees says how to watch; the screenshots say where.

The hints are checked in a real ``koffer demo`` process (headless, quits when
the login screen is up), as ``scripts/demo`` starts it; the texts themselves
in both languages.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from koffer.kiosk.demo.notices import XVFB_VARIABLE, running, screenshots_saved, watch_hint


def _demo(tmp_path: Path, *extra: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``koffer [extra] demo --quit-when-ready`` (Qt offscreen; ``--offscreen`` in ``env``)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("KOFFER_LANG", XVFB_VARIABLE)}
    environ.update({"TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", **env})
    flag = ["--offscreen"] if environ.pop("DEMO_OFFSCREEN_FLAG", "") else []
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
            *extra,
            "demo",
            *flag,
            "--quit-when-ready",
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_offscreen_demo_says_it_cannot_be_watched(tmp_path: Path) -> None:
    # a real screen (here Qt's offscreen platform chosen outside koffer): no hint
    plain = _demo(tmp_path, env={})
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert "Die Vorführung läuft." in plain.stderr
    assert "x11vnc" not in plain.stderr and "ohne Bildschirm" not in plain.stderr

    flagged = _demo(tmp_path, env={"DEMO_OFFSCREEN_FLAG": "1"})
    assert flagged.returncode == 0, flagged.stderr[-2000:]
    assert "Die Vorführung läuft ohne Bildschirm (--offscreen)" in flagged.stderr
    assert "koffer demo --windowed" in flagged.stderr

    english = _demo(tmp_path, "--lang", "en", env={"DEMO_OFFSCREEN_FLAG": "1"})
    assert "The demo runs without a screen (--offscreen)" in english.stderr
    assert "ohne Bildschirm" not in english.stderr


def test_demo_under_the_xvfb_of_scripts_demo_names_the_display(tmp_path: Path) -> None:
    result = _demo(tmp_path, env={XVFB_VARIABLE: "1", "DISPLAY": ":77"})
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    running = next(i for i, line in enumerate(lines) if "Die Vorführung läuft." in line)
    hint = lines[running + 1]
    assert hint.startswith("Die Vorführung läuft auf einem unsichtbaren Bildschirm (Xvfb")
    assert "x11vnc -display :77" in hint and "scripts/demo --windowed" in hint

    english = _demo(tmp_path, "--lang", "en", env={XVFB_VARIABLE: "1", "DISPLAY": ":77"})
    assert "The demo runs on an invisible screen (Xvfb, display :77)" in english.stderr


def test_watch_hint_only_for_invisible_displays() -> None:
    assert watch_hint(False, {"DISPLAY": ":0"}) is None
    assert watch_hint(False, {"DISPLAY": ":0", XVFB_VARIABLE: "0"}) is None
    german = watch_hint(False, {"DISPLAY": ":5", XVFB_VARIABLE: "1"})
    assert german is not None and "x11vnc -display :5" in german
    english = watch_hint(True, {}, "en")
    assert english is not None and english.startswith("The demo runs without a screen")
    assert "screenshots" not in english
    shots = watch_hint(True, {}, screenshots=True)
    assert shots is not None and "Die Bildschirmfotos zeigen jeden Schritt." in shots


def test_screenshots_saved_names_the_absolute_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = screenshots_saved(Path("shots"), 36)
    assert text == f"36 Bildschirmfotos (PNG) gespeichert in {tmp_path.resolve() / 'shots'}"
    assert screenshots_saved(Path("shots"), 1, "en").startswith("1 screenshot (PNG) saved in /")


def test_the_running_line_says_how_the_demo_ends() -> None:
    """A screenshot run ends by itself; a normal run is ended by the person; both languages."""
    assert "Strg-C oder indem Sie das Fenster" in running(False)
    assert running(True).endswith("Alle Vorführungsdaten werden dann gelöscht.")
    tour = running(False, screenshots=True)
    assert "endet danach von selbst" in tour and "Fenster" not in tour
    assert running(False, "en").startswith("The demo is running.")
    assert "ends by itself" in running(True, "en", screenshots=True)
    assert "Vorführung" not in running(True, "en")
