"""Fingerprint capture to WSQ per finger, sensor time excluded.

Three captures per finger come from the R30x simulator through the real
driver first (sensor + transfer time, not measured); then the measured part
runs per finger: rescale to 500 ppi, quality of each capture, keep the best,
WSQ-encode it. Target: ≤ 150 ms per finger (median).

    .venv/bin/python benchmarks/bench_fingerprint.py
"""

from __future__ import annotations

import statistics
import time

from koffer.devices.interfaces import Finger, SilentPrompt
from koffer.devices.pipelines.fingerprint import process_captures
from koffer.devices.pipelines.quality import default_scorer
from koffer.drivers.r30x.driver import R30xScanner
from koffer.drivers.r30x.simulator import named_simulator

TARGET_MS = 150.0
FINGERS = 20


def main() -> None:
    sim = named_simulator("bench-fingerprint")
    scorer = default_scorer()
    timings: list[float] = []
    with R30xScanner("sim://r30x?name=bench-fingerprint", poll_interval=0.0) as scanner:
        for n in range(FINGERS):
            sim.configure(quality=0.5 + 0.5 * (n % 5) / 4)
            captures = [scanner.capture(SilentPrompt()) for _ in range(3)]
            start = time.perf_counter()
            result = process_captures(Finger.RIGHT_INDEX, captures, scorer)
            timings.append((time.perf_counter() - start) * 1000)
            assert result.wsq
    median = statistics.median(timings)
    print(f"quality method: {scorer.method}")
    print(f"image: {captures[0].width}x{captures[0].height} @ {captures[0].ppi} ppi, 3 captures")
    print(f"capture->WSQ per finger: median {median:.1f} ms, max {max(timings):.1f} ms")
    print(f"target {TARGET_MS:.0f} ms, ratio median/target = {median / TARGET_MS:.2f}")


if __name__ == "__main__":
    main()
