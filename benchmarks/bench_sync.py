"""Sync of 500 envelopes over loopback mutual TLS (suitcase outbox → back end).

A real encrypted store with 500 sealed Anmeldung/Abmeldung envelopes (made by
``koffer.visit.simulate``), an in-process back end (SQLite) on loopback, and
``Outbox.sync_once`` with one keep-alive ``Transmitter`` until the outbox is
empty. Prints envelopes/s (no fixed target in the issue).

Usage: bench_sync.py [--envelopes 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.crypto.kdf import Argon2Params
from koffer.queue import device
from koffer.queue.enroll import enroll_online
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.visit import simulate

FAST = StoreSettings(argon2=Argon2Params(memory_kib=8192, iterations=1, lanes=1))
SECRET = "Benchmark im Dorf 2026"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--envelopes", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        BackendDir(tmp / "backend").init("https://127.0.0.1:1")
        with (
            Backend.open(tmp / "backend") as backend,
            BackendServer(backend) as srv,
        ):
            token = backend.enrollment_token("bench", url=srv.url, enroll_url=srv.enroll_url)
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
                settings = TransmissionSettings(batch_size=100)
                outbox = Outbox.open(unlocked, settings)
                creds = device.require_credentials(unlocked)
                sent = 0
                start = time.perf_counter()
                with Transmitter(creds) as tx:
                    while True:
                        report = outbox.sync_once(tx)
                        sent += report.sent
                        if report.sent == 0 or report.stopped:
                            break
                elapsed = time.perf_counter() - start
                counts = outbox.counts()
    print(f"prepared {args.envelopes} sealed cases in {prepare:.1f} s")
    print(f"sync: {sent} envelopes in {elapsed:.2f} s = {sent / elapsed:.1f} envelopes/s")
    print(f"outbox afterwards: {counts}")


if __name__ == "__main__":
    main()
