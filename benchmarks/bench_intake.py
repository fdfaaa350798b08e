"""Back-end intake with 8 concurrent senders over loopback mutual TLS.

Usage::

    bench_intake.py [--envelopes N] [--senders 8] [--workers 2]
                    [--client both|light|transmitter]
                    [--database-url URL | --temp-postgres]

The back end runs as ``koffer backend serve --workers W`` in its own process
(SQLite in a temp dir by default; ``--database-url`` for any SQLAlchemy URL;
``--temp-postgres`` starts a throw-away PostgreSQL cluster like the test
fixture does). Each sender is a separate process with one keep-alive httpx
client (one TLS handshake per sender), so the benchmark itself is not the
Python-GIL bottleneck; on a 2-core machine senders and back end still share
the cores. Envelopes are sealed before the clock starts. Prints envelopes/s,
median and p99 latency and the ratio against the target (≥ 300 envelopes/s
on 2 cores).

Two kinds of sender (``--client``, both by default, one after the other):

- ``light``: a load generator, like wrk. Per sender one kept-alive
  ``http.client`` connection with the device's TLS client certificate; it
  PUTs the sealed envelope and verifies the signed receipt. It costs about a
  third of the CPU of the suitcase's own transmitter, which matters here
  because senders and back end share the two cores; on the real network the
  senders are other machines.
- ``transmitter``: the suitcase's own :class:`koffer.queue.Transmitter`
  (httpx), as ``koffer sync`` sends.

The CPU the virtual machine lost to its host ("steal", from /proc/stat) is
printed too: on a busy host it lowers the figure without any change here.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TARGET = 300.0
ROOT = Path(__file__).resolve().parent.parent
_CLI = [
    sys.executable,
    "-c",
    "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"back end exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("back end did not start")


def start_backend(
    tmp: Path, database_url: str | None, workers: int
) -> tuple[Path, subprocess.Popen[bytes]]:
    """``koffer backend init`` + ``serve`` on free loopback ports."""
    from koffer.backend.keystore import BackendDir

    port, enroll_port = free_port(), free_port()
    bdir = tmp / "backend"
    BackendDir(bdir).init(f"https://127.0.0.1:{port}", f"https://127.0.0.1:{enroll_port}")
    argv = [*_CLI, "backend", "serve", "--data-dir", str(bdir), "--workers", str(workers)]
    if database_url:
        argv += ["--database-url", database_url]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    wait_listening(port, proc)
    wait_listening(enroll_port, proc)
    return bdir, proc


def enroll(bdir: Path, database_url: str | None, names: list[str]) -> list[bytes]:
    """Enroll one suitcase identity per name; returns DeviceCredentials bytes."""
    from koffer.backend.server import Backend
    from koffer.enrollment.enroll import enroll_online

    out = []
    with Backend.open(bdir, database_url=database_url) as backend:
        for name in names:
            out.append(enroll_online(backend.enrollment_token(name)).to_bytes())
    return out


def seal_many(creds_bytes: bytes, count: int, seed: int) -> list[tuple[str, bytes, str]]:
    """``count`` valid Anmeldung envelopes (different persons) for one device."""
    from koffer.cases.enums import CaseType
    from koffer.cases.samples import sample_case
    from koffer.cases.serialize import case_to_dict
    from koffer.crypto import sealing
    from koffer.crypto.enrollment import DeviceCredentials

    creds = DeviceCredentials.from_bytes(creds_bytes)
    today = datetime.now(UTC).date()
    out = []
    for i in range(count):
        case = case_to_dict(sample_case(CaseType.ANMELDUNG, seed * 100_000 + i, today))
        sig = sealing.Attachment("signature.png", "image/png", bytes(range(256)) * 16)
        env = sealing.seal(
            sealing.Payload(1, case, (sig,)),
            case_type="anmeldung",
            device_id=creds.device_id,
            signing_key=creds.signing_key,
            recipient_key=creds.hpke_public,
        )
        out.append((env.envelope_id, env.data, env.payload_hash))
    return out


class LightSender:
    """One kept-alive mutual-TLS connection; PUT, then verify the receipt."""

    def __init__(self, creds: Any) -> None:
        import http.client
        from urllib.parse import urlsplit

        from koffer.crypto import tls

        url = urlsplit(creds.backend_url)
        ctx = tls.client_context(
            creds.ca_pem, client_cert_pem=creds.client_cert_pem, client_key=creds.tls_key
        )
        self._creds = creds
        self._conn = http.client.HTTPSConnection(url.hostname or "", url.port, context=ctx)

    def __enter__(self) -> LightSender:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._conn.close()

    def reachable(self) -> bool:
        self._conn.request("GET", "/v1/health")
        return self._conn.getresponse().read() == b"ok"

    def send(self, envelope_id: str, data: bytes, payload_hash: str) -> None:
        from koffer.crypto import receipts, sealing

        self._conn.request(
            "PUT",
            f"/v1/envelopes/{envelope_id}",
            body=data,
            headers={"content-type": "application/octet-stream"},
        )
        response = self._conn.getresponse()
        body = response.read()
        if response.status not in (200, 201):
            raise RuntimeError(f"HTTP {response.status}")
        receipts.verify(
            receipts.parse(body),
            self._creds.receipt_public,
            envelope_id=envelope_id,
            envelope_hash=sealing.sha256_hex(data),
            payload_hash=payload_hash,
        )


def sender(
    creds_bytes: bytes, work: list[tuple[str, bytes, str]], go: Any, results: Any, client: str
) -> None:
    from koffer.crypto.enrollment import DeviceCredentials
    from koffer.queue.transmitter import Transmitter

    creds = DeviceCredentials.from_bytes(creds_bytes)
    latencies: list[float] = []
    errors = 0
    with LightSender(creds) if client == "light" else Transmitter(creds) as tx:
        tx.reachable()  # TLS handshake before the clock starts
        go.wait()
        cpu = time.process_time()
        for envelope_id, data, payload_hash in work:
            t = time.perf_counter()
            try:
                tx.send(envelope_id, data, payload_hash)
            except Exception:  # counted, reported below
                errors += 1
                continue
            latencies.append(time.perf_counter() - t)
        cpu = time.process_time() - cpu
    results.put((latencies, errors, time.perf_counter(), cpu))


def steal_seconds() -> float:
    """CPU time the hypervisor gave to others, summed over all cores (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return 0.0
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


def process_cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its direct children (the back-end workers), Linux only."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run(args: argparse.Namespace, database_url: str | None, label: str) -> None:
    clients = ("light", "transmitter") if args.client == "both" else (args.client,)
    for client in clients:
        run_one(argparse.Namespace(**{**vars(args), "client": client}), database_url, label)


def run_one(args: argparse.Namespace, database_url: str | None, label: str) -> float:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        bdir, proc = start_backend(tmp, database_url, args.workers)
        try:
            names = [f"sender-{os.getpid()}-{i}" for i in range(args.senders)]
            creds = enroll(bdir, database_url, names)
            per = args.envelopes // args.senders
            work = [seal_many(c, per, i + 1) for i, c in enumerate(creds)]
            ctx = mp.get_context("fork")
            go, results = ctx.Event(), ctx.Queue()
            procs = [
                ctx.Process(target=sender, args=(c, w, go, results, args.client))
                for c, w in zip(creds, work, strict=True)
            ]
            for p in procs:
                p.start()
            time.sleep(1.0)  # let every sender finish its handshake
            server_cpu = process_cpu_seconds(proc.pid)
            steal = steal_seconds()
            start = time.perf_counter()
            go.set()
            collected = [results.get(timeout=600) for _ in procs]
            server_cpu = process_cpu_seconds(proc.pid) - server_cpu
            steal = steal_seconds() - steal
            for p in procs:
                p.join()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    latencies = [x for c in collected for x in c[0]]
    errors = sum(c[1] for c in collected)
    elapsed = max(c[2] for c in collected) - start
    sender_cpu = sum(c[3] for c in collected)
    n = len(latencies)
    rate = n / elapsed
    p99 = sorted(latencies)[max(0, int(n * 0.99) - 1)] * 1000
    median = statistics.median(latencies) * 1000
    print(
        f"{label}: senders {args.senders} ({args.client} client processes), "
        f"back-end workers {args.workers}, envelopes {n}, errors {errors}"
    )
    print(f"  intake: {rate:.1f} envelopes/s; median {median:.1f} ms; p99 {p99:.1f} ms")
    print(
        f"  CPU per envelope: back end {server_cpu / n * 1000:.2f} ms, "
        f"senders {sender_cpu / n * 1000:.2f} ms "
        f"(wall {elapsed:.1f} s × {os.cpu_count()} cores = {elapsed * (os.cpu_count() or 1):.1f} "
        f"core-s; used {server_cpu + sender_cpu:.1f}; lost to the host (steal) {steal:.1f})"
    )
    verdict = "OK" if rate >= TARGET else "MISSED"
    print(f"  target ≥ {TARGET:.0f}/s: ratio {rate / TARGET:.2f} ({verdict})")
    return float(rate)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--envelopes", type=int, default=1600)
    ap.add_argument("--senders", type=int, default=8)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--client",
        choices=("both", "light", "transmitter"),
        default="both",
        help="load generator (light) or the suitcase's own httpx transmitter",
    )
    db = ap.add_mutually_exclusive_group()
    db.add_argument("--database-url")
    db.add_argument("--temp-postgres", action="store_true", help="throw-away PostgreSQL")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}")
    if not args.temp_postgres:
        label = args.database_url.split(":")[0] if args.database_url else "sqlite"
        run(args, args.database_url, label)
        return
    sys.path.insert(0, str(ROOT))
    from tests.integration.postgres.conftest import PostgresServer

    with tempfile.TemporaryDirectory() as tmp_name:
        root = Path(tmp_name) / "pg"
        root.mkdir()
        server = PostgresServer(root, free_port())
        server.start(Path(tmp_name))
        try:
            run(args, server.url(server.create_database()), "postgresql (temporary cluster)")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
