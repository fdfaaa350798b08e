"""STU pen stream benchmark: the real driver over the simulated pad.

1. ``--seconds`` (default 60) at the USB-HID rate of 200 reports/s;
2. a 2,000 reports/s stress for a tenth of that time (at least 5 s).

Prints samples received, samples lost (target 0: neither the simulator's
backlog overflowed nor the driver saw a sequence gap) and the decode cost per
sample (codec only, and the whole read path per sample).

    .venv/bin/python benchmarks/bench_stu_pen.py [--seconds N] [--model STU-540]
"""

from __future__ import annotations

import argparse
import time

from koffer.drivers.wacom_stu import codec
from koffer.drivers.wacom_stu.driver import WacomStuPad
from koffer.drivers.wacom_stu.simulator import make_stu_simulator


def run(model: str, seconds: float, rate: float) -> dict[str, float]:
    sim, backend = make_stu_simulator(model)
    with WacomStuPad(backend=backend, simulator=sim) as pad:
        expected = sim.stream(seconds, rate)
        received = 0
        busy = 0.0
        start = time.monotonic()
        while not sim.stream_done() and time.monotonic() - start < seconds + 5:
            t0 = time.perf_counter()
            received += len(pad.read_samples(0.05))
            busy += time.perf_counter() - t0
        received += len(pad.read_samples(0.05))
        wall = time.monotonic() - start
        lost = sim.overflowed + pad.lost_samples + (expected - received)
    return {
        "expected": expected,
        "received": received,
        "lost": lost,
        "wall_s": wall,
        "rate": received / wall if wall else 0.0,
    }


def decode_cost(samples: int = 200_000) -> float:
    reports = [
        codec.encode_pen_data(codec.RawPenData(True, 1, i % 1024, i % 9600, i % 6000, i, i))
        for i in range(1000)
    ]
    t0 = time.perf_counter()
    for i in range(samples):
        codec.decode_pen_report(reports[i % 1000])
    return (time.perf_counter() - t0) / samples * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--model", default="STU-430")
    args = parser.parse_args()
    cost = decode_cost()
    print(f"decode cost (codec only): {cost:.2f} µs/sample")
    failed = False
    for label, rate, secs in (
        ("200 reports/s", 200.0, args.seconds),
        ("2,000 reports/s stress", 2000.0, max(5.0, args.seconds / 10)),
    ):
        r = run(args.model, secs, rate)
        per_sample = r["wall_s"] / max(1, r["received"]) * 1e6
        print(
            f"{label}: {secs:.0f} s, expected {r['expected']:.0f}, received "
            f"{r['received']:.0f}, lost {r['lost']:.0f} (target 0), achieved "
            f"{r['rate']:.0f}/s = {r['rate'] / rate:.3f} of target, wall per sample "
            f"{per_sample:.0f} µs (budget {1e6 / rate:.0f} µs)"
        )
        failed |= r["lost"] != 0
    print("RESULT:", "FAIL (samples lost)" if failed else "OK (0 samples lost)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
