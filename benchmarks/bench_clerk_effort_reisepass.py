"""Clerk effort for a Reisepass application and an under-16 Personalausweis, through the kiosk.

Issue 20: the same keystroke-level model (KLM) as
``bench_clerk_effort_ausweis.py`` — its constants (K 0.28 s, P 1.1 s, H 0.4 s,
M 1.35 s, the device waits on real hardware), its counting clerk and its
kiosk run are imported from there, not copied. The flows are
:mod:`koffer.kiosk.demo.scripted_passport`:

- a Reisepass for an adult (both index fingers, the old passport presented
  and entwertet, pickup, cash); target ≤ 2.5 minutes;
- a Personalausweis for a 12-year-old applied for by the mother (joint
  custody, the father's consent; the child and the mother sign on the pad;
  PIN-Brief; cash); measured against the Personalausweis target (5 minutes).

Fingerprint captures are counted as the kiosk really made them (repeated only
while the NFIQ quality is short); the line "with 3 captures per finger" gives
the figure as ``bench_clerk_effort_ausweis.py`` counts captures (always three),
for comparison with its result.

    .venv/bin/python benchmarks/bench_clerk_effort_reisepass.py [--screenshots DIR] [--size WxH]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from benchmarks.bench_clerk_effort_ausweis import (
    BAUD,
    TARGET_MINUTES,
    Effort,
    M,
    Run,
    Stages,
    capture_seconds,
)
from koffer.commands.cli import window_size
from koffer.kiosk.demo.scripted_ausweis import Clerk, Stage
from koffer.kiosk.demo.scripted_passport import HANDS, passport_stages, representative_stages
from koffer.kiosk.window import MainWindow

PASSPORT_TARGET_MINUTES = 2.5
#: captures per finger in bench_clerk_effort_ausweis.py (the former fixed rule)
FIXED_CAPTURES = 3


def _counting_captures(stages: Stages, captures: list[str]) -> Stages:
    """``stages`` with each ``capture`` device action also noted in ``captures``."""

    def build(window: MainWindow, clerk: Clerk) -> list[Stage]:
        counted = clerk.on_device

        def on_device(action: str) -> None:
            if action == "capture":
                captures.append(action)
            counted(action)

        clerk.on_device = on_device  # type: ignore[method-assign]
        return stages(window, clerk)

    return build


def _run(
    app: QApplication, stages: Stages, prefix: str, args: argparse.Namespace
) -> tuple[Effort, float, int]:
    """The effort, the wall time and the number of fingerprint captures made."""
    captures: list[str] = []
    run = Run(app, args.screenshots, args.size, _counting_captures(stages, captures), prefix)
    started = time.perf_counter()
    try:
        run.run()
    finally:
        wall = time.perf_counter() - started
        run.close()
    return run.effort, wall, len(captures)


def _report(
    title: str, run: tuple[Effort, float, int], target: float, size: tuple[int, int]
) -> None:
    effort, wall, captures = run
    total = effort.klm_seconds()
    minutes = total / 60
    fixed = total + (FIXED_CAPTURES * HANDS - captures) * (capture_seconds() + M)
    print(title)
    print(f"  window                   {size[0]}×{size[1]}")
    print(f"  screens                  {effort.screens}")
    print(f"  keystrokes (K)           {effort.keystrokes}")
    print(f"  pointer actions (P)      {effort.pointer}")
    print(f"  homing (H)               {effort.homing}")
    print(f"  mental operations (M)    {effort.decisions}")
    print(
        f"  device waits             {effort.device_actions} "
        f"({effort.device_wait_s:.1f} s on hardware)"
    )
    print(
        f"    fingerprint captures   {captures} for {HANDS} fingers, "
        f"{capture_seconds():.2f} s each (R30x at {BAUD} baud)"
    )
    print(f"  KLM estimate             {total:.0f} s = {minutes:.1f} min")
    print(f"  target                   {target:.1f} min  ratio {minutes / target:.2f}")
    print(
        f"  with {FIXED_CAPTURES} captures per finger {fixed:.0f} s = {fixed / 60:.1f} min  "
        f"ratio {fixed / 60 / target:.2f}"
    )
    print(f"  scripted run wall time   {wall:.1f} s (fast simulators)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="save a PNG of every step here")
    parser.add_argument("--size", type=window_size, default=(1280, 720), help="window WxH")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    passport = _run(app, passport_stages, "reisepass", args)
    _report(
        "Reisepass application (adult, old passport entwertet), scripted through the kiosk",
        passport,
        PASSPORT_TARGET_MINUTES,
        args.size,
    )
    represented = _run(app, representative_stages, "ausweis-vertretung", args)
    _report(
        "Personalausweis under 16 with a legal representative (mother, joint custody)",
        represented,
        TARGET_MINUTES,
        args.size,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
