"""Benchmark: time to generate each document (median ms, target <= 100 ms).

Run: .venv/bin/python benchmarks/bench_documents.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from koffer.documents import (
    anmeldung_ausdruck,
    antragsquittung,
    antragsquittung_receipt,
    meldebestaetigung,
)
from koffer.documents.fonts import register_fonts
from koffer.documents.selftest_report import render as selftest_report
from tests.unit.documents import samples as s

TARGET_MS = 100.0
ROUNDS = 15


def _median_ms(func: Callable[[], object]) -> float:
    func()  # warm-up (font subsetting caches, harfbuzz faces)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    start = time.perf_counter()
    register_fonts()
    print(f"font registration (once per process): {(time.perf_counter() - start) * 1000:.1f} ms")
    cases: dict[str, Callable[[], object]] = {
        "Meldebestätigung (2 Personen)": lambda: meldebestaetigung(
            s.anmeldung(), s.MUNICIPALITY, s.ISSUED
        ),
        "Antragsquittung (A4)": lambda: antragsquittung(s.application(), s.MUNICIPALITY, s.ISSUED),
        "Antragsquittung (Bon)": lambda: antragsquittung_receipt(s.application(), s.MUNICIPALITY),
        "Ausdruck Anmeldung (3 Seiten)": lambda: anmeldung_ausdruck(s.anmeldung(), s.MUNICIPALITY),
        "Selbsttest-Bericht": lambda: selftest_report(
            s.SELFTEST_RESULTS, generated_at=datetime(2026, 3, 16, tzinfo=UTC), kit_name="K 07"
        ),
    }
    print(f"{'document':32} {'median ms':>10} {'target':>8} {'ratio':>7}")
    worst = 0.0
    for name, func in cases.items():
        median = _median_ms(func)
        ratio = median / TARGET_MS
        worst = max(worst, ratio)
        print(f"{name:32} {median:10.1f} {TARGET_MS:8.0f} {ratio:7.2f}")
    print(f"worst ratio against the {TARGET_MS:.0f} ms target: {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
