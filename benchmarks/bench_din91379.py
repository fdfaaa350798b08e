"""DIN 91379 validation and rule-check throughput.

Run: .venv/bin/python benchmarks/bench_din91379.py

Targets (interactive use in the kiosk): validating one name well under 0.1 ms,
checking a whole case (all rules) under 5 ms.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from koffer.cases import CaseType, check, sample_case, sample_persons, search_form, validate

TARGET_NAME_US = 100.0
TARGET_CASE_MS = 5.0


def _median(fn: object, repeat: int) -> float:
    assert callable(fn)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    validate("warm-up")  # loads the tables
    start = time.perf_counter()
    people = sample_persons(2000, seed=1)
    names = [p.family_name for p in people] + [g for p in people for g in p.given_names]

    def validate_all() -> None:
        for n in names:
            validate(n, "A")

    per_name_us = _median(validate_all, 7) / len(names) * 1e6
    per_search_us = _median(lambda: [search_form(n) for n in names], 7) / len(names) * 1e6
    today = date(2025, 6, 12)
    cases = [sample_case(t, s, today) for t in CaseType for s in range(50)]
    per_case_ms = _median(lambda: [check(c, today) for c in cases], 5) / len(cases) * 1e3
    print(f"names validated:   {len(names)}")
    print(
        f"validate (type A): {per_name_us:8.2f} us/name  (target {TARGET_NAME_US} us, "
        f"ratio {per_name_us / TARGET_NAME_US:.3f})"
    )
    print(f"search_form:       {per_search_us:8.2f} us/name")
    print(
        f"check(case):       {per_case_ms:8.3f} ms/case  (target {TARGET_CASE_MS} ms, "
        f"ratio {per_case_ms / TARGET_CASE_MS:.3f})"
    )
    print(f"total run time:    {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
