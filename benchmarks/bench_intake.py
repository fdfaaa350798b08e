"""Back-end intake with 8 concurrent senders over loopback mutual TLS.

Usage: bench_intake.py [--envelopes N] [--senders 8] [--database-url URL]
(default SQLite in a temp dir). Prints envelopes/s and p99 latency
(target ≥ 300 envelopes/s on 2 cores).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.validation import validate_case
from koffer.cases.enums import CaseType
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.crypto import sealing
from koffer.queue.enroll import enroll_online
from koffer.queue.transmitter import Transmitter

TARGET = 300.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--envelopes", type=int, default=800)
    ap.add_argument("--senders", type=int, default=8)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bdir = Path(tmp) / "backend"
        BackendDir(bdir).init("https://127.0.0.1:1")
        backend = Backend.open(bdir, database_url=args.database_url, validator=validate_case)
        with BackendServer(backend) as srv:
            creds = []
            for i in range(args.senders):
                token = backend.enrollment_token(f"s{i}", url=srv.url, enroll_url=srv.enroll_url)
                creds.append(enroll_online(token))
            today = time.strftime("%Y-%m-%d")
            from datetime import date

            case = case_to_dict(sample_case(CaseType.ANMELDUNG, 1, date.fromisoformat(today)))
            per = args.envelopes // args.senders
            work = [
                [
                    sealing.seal(
                        sealing.Payload(1, case),
                        case_type="anmeldung",
                        device_id=c.device_id,
                        signing_key=c.signing_key,
                        recipient_key=c.hpke_public,
                    )
                    for _ in range(per)
                ]
                for c in creds
            ]
            latencies: list[float] = []
            lock = threading.Lock()

            def sender(i: int) -> None:
                mine = []
                with Transmitter(creds[i]) as tx:
                    for env in work[i]:
                        t = time.perf_counter()
                        tx.send(env.envelope_id, env.data, env.payload_hash)
                        mine.append(time.perf_counter() - t)
                with lock:
                    latencies.extend(mine)

            threads = [threading.Thread(target=sender, args=(i,)) for i in range(args.senders)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
    n = len(latencies)
    rate = n / elapsed
    p99 = sorted(latencies)[int(n * 0.99) - 1] * 1000
    db = args.database_url.split(":")[0] if args.database_url else "sqlite"
    print(f"database: {db}; senders: {args.senders}; envelopes: {n}")
    median = statistics.median(latencies) * 1000
    print(f"intake: {rate:.1f} envelopes/s; median {median:.1f} ms; p99 {p99:.1f} ms")
    verdict = "OK" if rate >= TARGET else "MISSED"
    print(f"target ≥ {TARGET:.0f}/s: ratio {rate / TARGET:.2f} ({verdict})")


if __name__ == "__main__":
    main()
