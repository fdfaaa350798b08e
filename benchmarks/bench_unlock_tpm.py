"""Benchmark: unlocking the store with and without a TPM.

Target: at most 1 s per unlock, each way, on the reference 2-core laptop.
Both stores use the shipped default Argon2id parameters; the TPM store runs
against a real TPM 2.0 simulator (``swtpm`` on loopback, started here)
through the real TSS, so the TPM figure includes the TCTI connection, the
salted HMAC session, loading and unsealing the slot secret. A hardware TPM
is slower per command than the simulator (typically 20-100 ms per unseal);
the script prints the TPM share of the time so the margin can be judged.

Prints the median of 5 unlocks each, the TPM part alone, and the ratio to
the 1 s target.

Run: ``.venv/bin/python benchmarks/bench_unlock_tpm.py [RUNS]``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from koffer.crypto.kdf import derive_key
from koffer.store import Store, StoreSettings, tpm_slot
from tests.integration.tpm.swtpm import Swtpm

TARGET_S = 1.0
PASS = "benchmark passphrase words"


def _median_unlock(data_dir: Path, settings: StoreSettings, runs: int) -> list[float]:
    times = []
    with Store.open(data_dir, settings) as store:
        for _ in range(runs):
            t0 = time.perf_counter()
            store.unlock("admin", PASS).close()
            times.append(time.perf_counter() - t0)
    return times


def _tpm_part(tcti: str, runs: int) -> list[float]:
    """Seal once, then time only the TPM unseal path of a slot (no Argon2id)."""
    done = tpm_slot.setup(tcti, os.urandom(32))
    protector = tpm_slot.TpmProtector(tcti, done.parent_handle)
    stretched = derive_key(PASS, b"0" * 16, StoreSettings.insecure_fast().argon2)
    _kek, blob = protector.seal(stretched)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        protector.open(stretched, blob)
        times.append(time.perf_counter() - t0)
    return times


def _derive_only(settings: StoreSettings, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        derive_key(PASS, b"0" * 16, settings.argon2)
        times.append(time.perf_counter() - t0)
    return times


def _line(label: str, times: list[float]) -> str:
    median = statistics.median(times)
    return (
        f"  {label:<14} median {median:.3f} s over {len(times)} runs "
        f"(min {min(times):.3f}, max {max(times):.3f}); ratio to {TARGET_S:g} s target "
        f"{median / TARGET_S:.2f} -> {'ok' if median <= TARGET_S else 'OVER TARGET'}"
    )


def main(runs: int = 5) -> None:
    settings = StoreSettings()  # the shipped defaults
    params = settings.argon2
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Swtpm(root / "swtpm") as tpm:
            Store.create(root / "with-tpm", "admin", PASS, settings, tpm_tcti=tpm.tcti)
            with_tpm = _median_unlock(root / "with-tpm", settings, runs)
            tpm_only = _tpm_part(tpm.tcti, runs)
        Store.create(root / "without-tpm", "admin", PASS, settings)
        without_tpm = _median_unlock(root / "without-tpm", settings, runs)
    derive = _derive_only(settings, runs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Argon2id: memory {params.memory_kib // 1024} MiB, iterations {params.iterations}, "
        f"lanes {params.lanes}; cpus {os.cpu_count()}; load average {load}; "
        "TPM: swtpm (simulator)"
    )
    print(_line("Argon2id only", derive))
    print(_line("without TPM", without_tpm))
    print(_line("with TPM", with_tpm))
    print(_line("TPM part only", tpm_only))
    ratio = statistics.median(with_tpm) / statistics.median(without_tpm)
    print(f"  with / without TPM: {ratio:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
