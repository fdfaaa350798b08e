"""Sync of 500 envelopes over loopback mutual TLS (suitcase outbox → back end).

A real encrypted store with 500 sealed Anmeldung/Abmeldung envelopes (made by
``koffer.commands.simulate_visit.simulate``), a back end (SQLite) on loopback, and
``Outbox.sync_once`` with one ``Transmitter`` until the outbox is empty.

By default the back end runs as ``koffer backend serve`` in its own process
(as in the field), so the suitcase's CPU time per envelope is measured alone;
``--in-process`` runs it in a thread of this process instead (the set-up of
the first measurement: both sides share one interpreter and its GIL).

Prints envelopes/s (no fixed target in the issue; the ratio is against the
12.7 envelopes/s measured before the sync was batched) and CPU per envelope.

Usage: bench_sync.py [--envelopes 500] [--max-in-flight 4] [--ack-batch 10]
                     [--workers 1] [--in-process]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_intake import process_cpu_seconds, start_backend  # noqa: E402
from koffer.backend.keystore import BackendDir  # noqa: E402
from koffer.backend.server import Backend, BackendServer  # noqa: E402
from koffer.commands.simulate_visit import simulate  # noqa: E402
from koffer.crypto.enrollment import EnrollmentToken  # noqa: E402
from koffer.crypto.kdf import Argon2Params  # noqa: E402
from koffer.enrollment import device  # noqa: E402
from koffer.enrollment.enroll import enroll_online  # noqa: E402
from koffer.queue.outbox import Outbox  # noqa: E402
from koffer.queue.settings import TransmissionSettings  # noqa: E402
from koffer.queue.transmitter import Transmitter  # noqa: E402
from koffer.store.settings import StoreSettings  # noqa: E402
from koffer.store.store import Store  # noqa: E402

FAST = StoreSettings(argon2=Argon2Params(memory_kib=8192, iterations=1, lanes=1))
SECRET = "Benchmark im Dorf 2026"
#: envelopes/s of the unbatched sync (one store transaction per state change)
BEFORE = 12.7


@contextlib.contextmanager
def back_end(tmp: Path, in_process: bool, workers: int) -> Iterator[tuple[EnrollmentToken, int]]:
    """A running back end; yields an enrollment token and the pid to charge CPU to (0: us)."""
    if in_process:
        BackendDir(tmp / "backend").init("https://127.0.0.1:1")
        with Backend.open(tmp / "backend") as backend, BackendServer(backend) as srv:
            yield backend.enrollment_token("bench", url=srv.url, enroll_url=srv.enroll_url), 0
        return
    bdir, proc = start_backend(tmp, None, workers)
    try:
        with Backend.open(bdir) as backend:
            token = backend.enrollment_token("bench")
        yield token, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--envelopes", type=int, default=500)
    ap.add_argument("--max-in-flight", type=int, default=TransmissionSettings.max_in_flight)
    ap.add_argument("--ack-batch", type=int, default=TransmissionSettings.ack_batch_size)
    ap.add_argument("--workers", type=int, default=1, help="back-end worker processes")
    ap.add_argument("--in-process", action="store_true", help="back end in this process")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with back_end(tmp, args.in_process, args.workers) as (token, server_pid):
            Store.create(tmp / "koffer", "admin", SECRET, FAST)
            with (
                Store.open(tmp / "koffer", FAST) as store,
                store.unlock("admin", SECRET) as unlocked,
            ):
                device.save_credentials(unlocked, enroll_online(token))
                t = time.perf_counter()
                simulate(
                    unlocked,
                    cases=args.envelopes,
                    case_type="anmeldung",
                    people=None,
                    seed=1,
                    seal=True,
                )
                prepare = time.perf_counter() - t
                settings = TransmissionSettings(
                    batch_size=100, ack_batch_size=args.ack_batch, max_in_flight=args.max_in_flight
                )
                outbox = Outbox.open(unlocked, settings)
                creds = device.require_credentials(unlocked)
                sent = 0
                server_cpu = process_cpu_seconds(server_pid) if server_pid else 0.0
                start = time.perf_counter()
                cpu = time.process_time()
                with Transmitter(creds) as tx:
                    while True:
                        report = outbox.sync_once(tx)
                        sent += report.sent
                        if report.sent == 0 or report.stopped:
                            break
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu
                if server_pid:
                    server_cpu = process_cpu_seconds(server_pid) - server_cpu
                counts = outbox.counts()
    n = max(sent, 1)
    where = "in this process" if args.in_process else f"own process, {args.workers} worker(s)"
    print(f"prepared {args.envelopes} sealed cases in {prepare:.1f} s; back end {where}")
    rate = sent / elapsed
    print(
        f"sync (max in flight {args.max_in_flight}, receipts per transaction {args.ack_batch}): "
        f"{sent} envelopes in {elapsed:.2f} s = {rate:.1f} envelopes/s "
        f"(ratio {rate / BEFORE:.1f} against {BEFORE} before batching)"
    )
    if args.in_process:
        print(f"CPU per envelope (suitcase + back end, one process): {cpu / n * 1000:.2f} ms")
    else:
        print(
            f"CPU per envelope: suitcase {cpu / n * 1000:.2f} ms, "
            f"back end {server_cpu / n * 1000:.2f} ms"
        )
    print(f"outbox afterwards: {counts}")


if __name__ == "__main__":
    main()
