"""A writer killed with SIGKILL at random moments loses nothing it committed.

The writer (``writer_proc.py``) commits cases in a loop and reports each
commit on stdout. It is killed several times at random moments, most of them
inside a transaction. Reopening the store must show every reported case
intact, every case (reported or not) internally consistent (payload version
== attachment version; "sealed" <=> key destroyed), and PRAGMA
integrity_check "ok".
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from koffer.store import Store, StoreSettings
from tests.integration.store.writer_proc import PASS, SIZES, content

REPO = Path(__file__).resolve().parents[3]
RUNS = 6


def _run_and_kill(data_dir: Path, start: int, rng: random.Random) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.store.writer_proc", str(data_dir), str(start)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # unlocked and one case committed
    if not first:
        proc.wait(timeout=30)
        raise AssertionError(proc.stderr.read() if proc.stderr else "writer died")
    time.sleep(rng.uniform(0.05, 0.6))
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if proc.stderr is not None:
        proc.stderr.close()
    proc.stdout.close()
    # only complete lines were reported; a torn last line is ignored
    lines = (first + rest).split("\n")
    return [line for line in lines[:-1] if line]


def test_sigkill_mid_transaction_loses_nothing_committed(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    settings = StoreSettings.insecure_fast()
    data_dir = tmp_path / "data"
    Store.create(data_dir, "admin", PASS, settings)

    created: dict[str, int] = {}  # case_id -> seq
    version: dict[str, int] = {}  # case_id -> newest reported version
    sealed: set[str] = set()
    start = 0
    for _ in range(RUNS):
        for line in _run_and_kill(data_dir, start, rng):
            kind, case_id, *rest = line.split()
            if kind == "C":
                created[case_id] = int(rest[0])
                version[case_id] = 0
            elif kind == "U":
                version[case_id] = int(rest[0])
            elif kind == "S":
                sealed.add(case_id)
        start = max(created.values(), default=-1) + 1000  # no clash with unreported cases

    assert len(created) >= RUNS, f"seed {seed}: writer committed too little"
    with Store.open(data_dir, settings) as store:
        assert store.integrity_check(), f"seed {seed}"
        with store.unlock("admin", PASS) as unlocked:
            metas = {m.case_id: m for m in unlocked.list_cases()}
            assert set(created) <= set(metas), f"seed {seed}: committed cases missing"
            for case_id, meta in metas.items():
                is_sealed = meta.state == "sealed"
                assert is_sealed == (not meta.readable), f"seed {seed}: half-sealed {case_id}"
                if case_id in sealed:
                    assert is_sealed
                if is_sealed:
                    continue
                case = unlocked.load_case(case_id)
                seq, stored_version = case.payload["seq"], case.payload["version"]
                if case_id in created:
                    assert seq == created[case_id]
                    assert stored_version >= version[case_id], f"seed {seed}: lost update"
                assert set(case.attachment_names) == set(SIZES)
                for name in SIZES:
                    assert unlocked.load_attachment(case_id, name) == content(
                        seq, stored_version, name
                    ), f"seed {seed}: attachment {name} not from version {stored_version}"
