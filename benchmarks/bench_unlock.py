"""Benchmark: unlocking the store, and the cost of guessing on a copied disk.

Targets on the reference 2-core laptop:

- unlock (Argon2id + unwrapping + the reservation and audit writes): median
  of RUNS unlocks at most 1 s (fast enough for a clerk);
- offline guessing without a TPM: one guess is one Argon2id derivation at
  the store's parameters (the AES-GCM unwrap that tells right from wrong
  costs microseconds). Target at least 0.5 s per guess on this machine.
  Printed with the CPU time per guess and, for a passphrase of six diceware
  words (7776**6 possibilities), the expected time to find it (half the
  space) with all cores of this machine guessing in parallel.

Run: ``.venv/bin/python benchmarks/bench_unlock.py [RUNS]``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from koffer.crypto.kdf import Argon2Params, derive_key, new_salt
from koffer.store import Store, StoreSettings

UNLOCK_TARGET_S = 1.0
GUESS_TARGET_S = 0.5
PASS = "benchmark-passphrase"
DICEWARE_WORDS = 7776
PASSPHRASE_WORDS = 6
SECONDS_PER_YEAR = 365.25 * 24 * 3600


def unlock_times(settings: StoreSettings, runs: int) -> list[float]:
    """Wall time of ``runs`` unlocks of a fresh store with ``settings``."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        Store.create(data_dir, "admin", PASS, settings)
        with Store.open(data_dir, settings) as store:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                store.unlock("admin", PASS).close()
                times.append(time.perf_counter() - t0)
    return times


def guess_costs(params: Argon2Params, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` derivations (= offline guesses)."""
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        derive_key(PASS, new_salt(), params)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def main(runs: int = 5) -> None:
    settings = StoreSettings()  # the shipped defaults = the policy `koffer init` stores
    params = settings.argon2
    cpus = os.cpu_count() or 1
    unlock_s = unlock_times(settings, runs)
    wall, cpu = guess_costs(params, runs)
    unlock = statistics.median(unlock_s)
    per_guess = statistics.median(wall)
    cpu_per_guess = statistics.median(cpu)
    print(
        f"Argon2id: memory {params.memory_kib} KiB ({params.memory_kib // 1024} MiB), "
        f"iterations {params.iterations}, lanes {params.lanes}; cpus {cpus}; "
        f"load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"  unlock without TPM  median {unlock:.3f} s over {runs} runs "
        f"(min {min(unlock_s):.3f}, max {max(unlock_s):.3f}); target <= {UNLOCK_TARGET_S} s, "
        f"ratio {unlock / UNLOCK_TARGET_S:.2f} "
        f"({'ok' if unlock <= UNLOCK_TARGET_S else 'MISSED'})"
    )
    print(
        f"  offline guess (copied disk, no TPM)  median {per_guess:.3f} s wall, "
        f"{cpu_per_guess:.3f} s CPU per guess; target >= {GUESS_TARGET_S} s, "
        f"ratio {per_guess / GUESS_TARGET_S:.2f} "
        f"({'ok' if per_guess >= GUESS_TARGET_S else 'MISSED'})"
    )
    space = DICEWARE_WORDS**PASSPHRASE_WORDS
    # all cores guessing at once; memory bandwidth makes this an upper bound
    rate = cpus / max(cpu_per_guess, per_guess / cpus)
    years = space / 2 / rate / SECONDS_PER_YEAR
    print(
        f"  {PASSPHRASE_WORDS}-word diceware passphrase ({space:.2e} possibilities): "
        f"expected {years:.2e} years at {rate:.2f} guesses/s on this machine "
        f"(a single guesser: {space / 2 * per_guess / SECONDS_PER_YEAR:.2e} years)"
    )
    print(
        "  note: an attacker with many machines or GPUs divides these times by the number "
        "of guessers; only a TPM (hardware lock-out) removes offline guessing."
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
