"""Soak run of the reliability suite: the same scenarios with more iterations.

Usage: ``.venv/bin/python benchmarks/soak_reliability.py [SCALE]`` (default 5).
``SCALE`` multiplies the kill and power-cut counts of ``tests/reliability``.
Writes ``docs/reliability.md`` and prints the summary figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    scale = sys.argv[1] if len(sys.argv) > 1 else "5"
    env = {
        **os.environ,
        "KOFFER_RELIABILITY_SCALE": scale,
        "KOFFER_WRITE_RELIABILITY_REPORT": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/reliability"],
        cwd=ROOT,
        env=env,
    )
    seconds = time.perf_counter() - started
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    summary = text.split("## Scenarios")[0].split("## Summary")[-1].strip()
    print(f"soak scale {scale}: {seconds:.0f} s, pytest exit {done.returncode}")
    print(summary)
    print("target: 0 lost, 0 duplicates, 0 plaintext hits")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
