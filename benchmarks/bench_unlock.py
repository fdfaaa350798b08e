"""Benchmark: unlocking the store with the default Argon2id parameters.

Target: 0.3–1 s per unlock on the reference 2-core laptop (slow enough to
make guessing expensive, fast enough for a clerk). Prints the parameters,
the median of 5 unlocks (Argon2id + unwrapping + the audit write) and where
it lies in the window.

Run: ``.venv/bin/python benchmarks/bench_unlock.py [RUNS]``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from koffer.crypto.kdf import derive_key, new_salt
from koffer.store import Store, StoreSettings

WINDOW = (0.3, 1.0)
PASS = "benchmark-passphrase"


def main(runs: int = 5) -> None:
    settings = StoreSettings()  # the shipped defaults
    params = settings.argon2
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        Store.create(data_dir, "admin", PASS, settings)
        with Store.open(data_dir, settings) as store:
            unlock_s = []
            for _ in range(runs):
                t0 = time.perf_counter()
                store.unlock("admin", PASS).close()
                unlock_s.append(time.perf_counter() - t0)
    derive_s = []
    for _ in range(runs):
        t0 = time.perf_counter()
        derive_key(PASS, new_salt(), params)
        derive_s.append(time.perf_counter() - t0)
    median = statistics.median(unlock_s)
    low, high = WINDOW
    verdict = "inside" if low <= median <= high else "OUTSIDE"
    print(
        f"Argon2id: memory {params.memory_kib} KiB ({params.memory_kib // 1024} MiB), "
        f"iterations {params.iterations}, lanes {params.lanes}; cpus {os.cpu_count()}"
    )
    print(f"  derive only  median {statistics.median(derive_s):.3f} s")
    print(
        f"  unlock       median {median:.3f} s over {runs} runs "
        f"(min {min(unlock_s):.3f}, max {max(unlock_s):.3f})"
    )
    print(
        f"  window {low}-{high} s: {verdict}; ratio to upper bound {median / high:.2f}, "
        f"to lower bound {median / low:.2f}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
