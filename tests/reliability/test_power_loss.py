"""Power loss: writes not yet synced are dropped; committed cases survive.

The store runs on a small ext4 image mounted through a loop device. At random
instants the writer (``tests/integration/store/writer_proc.py``, which reports
each commit after it returned) is frozen and the BACKING IMAGE FILE is copied:
the copy holds what reached the block device, and loses whatever was still
only in the mounted file system's page cache (written, not ``fsync``ed), as
a power cut would. Each copy is mounted on its own (journal replay) and must
open with integrity ``ok`` and every reported commit present and consistent.
Needs root and a free loop device; skipped with the reason otherwise.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from koffer.store import Store
from tests.integration.store.writer_proc import PASS, SIZES, content
from tests.reliability import procs, report

ROOT = Path(__file__).resolve().parents[2]
CUTS = int(8 * float(os.environ.get("KOFFER_RELIABILITY_SCALE", "1")))


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), capture_output=True, timeout=60)


def _mount(image: Path, target: Path) -> bool:
    target.mkdir(exist_ok=True)
    return _run("mount", "-o", "loop", str(image), str(target)).returncode == 0


def _check_snapshot(image: Path, mnt: Path, reported: list[str]) -> None:
    assert _mount(image, mnt), "snapshot does not mount"
    try:
        data = mnt / "data"
        created: dict[str, int] = {}
        for line in reported:
            kind, case_id, *rest = line.split()
            if kind == "C":
                created[case_id] = int(rest[0])
        with Store.open(data, procs.FAST) as store:
            assert store.integrity_check()
            with store.unlock("admin", PASS) as s:
                metas = {m.case_id: m for m in s.list_cases()}
                assert set(created) <= set(metas), "a committed case was lost"
                for case_id, meta in metas.items():
                    if not meta.readable:
                        continue
                    case = s.load_case(case_id)
                    seq, version = case.payload["seq"], case.payload["version"]
                    for name in SIZES:
                        assert s.load_attachment(case_id, name) == content(seq, version, name)
    finally:
        _run("umount", str(mnt))


def test_power_cut_keeps_every_committed_case(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("mkfs.ext4") is None:
        report.skipped("power loss (loop image)", "needs root and mkfs.ext4")
        pytest.skip("needs root and mkfs.ext4 for a loop-mounted image")
    timer = report.Timer()
    image, mnt = tmp_path / "disk.img", tmp_path / "mnt"
    with image.open("wb") as handle:
        handle.truncate(96 * 1024 * 1024)
    assert _run("mkfs.ext4", "-q", str(image)).returncode == 0
    if not _mount(image, mnt):
        report.skipped("power loss (loop image)", "mount -o loop is not permitted here")
        pytest.skip("mount -o loop is not permitted here")
    rng = random.Random(1989)
    reported: list[str] = []
    snapshots: list[tuple[Path, list[str]]] = []
    try:
        data = mnt / "data"
        Store.create(data, "admin", PASS, procs.FAST)
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.store.writer_proc", str(data), "0"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        stream = proc.stdout

        def reader() -> None:
            for line in stream:
                if line.endswith("\n"):
                    reported.append(line.strip())

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        for i in range(CUTS):
            time.sleep(rng.uniform(0.05, 0.4))
            os.kill(proc.pid, signal.SIGSTOP)
            known = list(reported)  # every line here was printed after its commit returned
            snap = tmp_path / f"cut{i}.img"
            shutil.copyfile(image, snap)
            snapshots.append((snap, known))
            os.kill(proc.pid, signal.SIGCONT)
        proc.kill()
        proc.wait(timeout=30)
        thread.join(timeout=10)
        stream.close()
    finally:
        _run("umount", str(mnt))
    for snap, known in snapshots:
        _check_snapshot(snap, tmp_path / "check", known)
        snap.unlink()
    commits = sum(1 for line in reported if line.startswith("C"))
    report.record(
        "power loss",
        "power cut on a loop-mounted ext4 image (unsynced page cache dropped)",
        iterations=len(snapshots),
        faults=len(snapshots),
        seconds=timer.seconds,
        note=f"{commits} cases committed by the writer; every reported commit in every cut",
    )
    assert len(snapshots) == CUTS and commits > 0
