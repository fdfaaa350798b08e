"""SIGKILL the sender at random points: every case reaches the back end exactly once.

``KOFFER_KILL_ITERATIONS`` raises the iteration count for a soak run.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.queue.models import PURGED
from koffer.queue.outbox import Outbox
from koffer.store.store import Store
from tests.integration.transmission import sender_process
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

ROOT = Path(__file__).resolve().parents[3]
ITERATIONS = int(os.environ.get("KOFFER_KILL_ITERATIONS", "20"))
CASES = int(os.environ.get("KOFFER_KILL_CASES", "10"))


def _kill(pid: int | None) -> None:
    """SIGKILL ``pid``; a child that has already exited (and was reaped) is fine.

    Between any liveness check and ``os.kill`` the child may finish and be
    reaped by the fork server, so the kill itself must tolerate that.
    """
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.slow
def test_sigkill_at_random_points_exactly_once(
    tmp_path: Path, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        token = backend.enrollment_token("k", url=srv.url, enroll_url=srv.enroll_url)
        device.save_credentials(s, enroll_online(token))
        creds = device.require_credentials(s)
        outbox = Outbox.open(s)
        sealed = [outbox.seal_case(add_case(s, "anmeldung", i), creds) for i in range(CASES)]
    rng = random.Random(4711)
    # forkserver: the sender's imports are paid once, each kill costs milliseconds
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.integration.transmission.sender_process"])
    killed = 0
    for _ in range(ITERATIONS):
        ready = ctx.Event()
        child = ctx.Process(target=sender_process.main, args=(str(data), PASSPHRASE, ready))
        child.start()
        assert ready.wait(timeout=60)
        time.sleep(rng.uniform(0.0, 0.15))
        _kill(child.pid)
        child.join(timeout=30)
        # counted only if the signal ended it (not a child that had finished first)
        killed += child.exitcode == -signal.SIGKILL
    cmd = [sys.executable, "-m", "tests.integration.transmission.sender_process", str(data)]
    final = subprocess.run([*cmd, PASSPHRASE], cwd=ROOT, capture_output=True, timeout=120)
    assert final.returncode == 0, final.stderr.decode()[-2000:]
    assert killed > 0
    stats = backend.intake.stats()
    assert stats["total"] == CASES
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        entries = Outbox.open(s).list()
    assert {e.envelope_id for e in entries} == {e.envelope_id for e in sealed}
    assert all(e.state == PURGED and e.receipt is not None for e in entries)
