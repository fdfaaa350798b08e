"""Relay intake with 8 senders: 1 node and 2 nodes on one PostgreSQL behind HAProxy.

Usage::

    bench_relay_intake.py [--envelopes N] [--senders 8] [--nodes 1,2]
                          [--workers 1] [--client light|transmitter]
                          [--database-url URL]

For each node count: a fresh relay (``koffer backend init --relay``) on a
fresh PostgreSQL database (a throw-away cluster like the tests', or
``--database-url`` of an existing server, one database per run: the URL's
database is used as it is), one tenant whose station key is registered
in-process, N ``koffer backend serve`` nodes on the same data directory and
database, and HAProxy in ``mode tcp`` in front (round robin; the
configuration of docs/scale-out.md, also for 1 node so both runs take the same
path). The senders, their sealing and the measurement are those of
:mod:`benchmarks.bench_intake` (one process and one kept-alive mutual-TLS
connection per sender, envelopes sealed before the clock starts, receipts
verified).

Prints envelopes/s, median and p99 latency, CPU per envelope of the nodes, and
the ratio to the target: ≥ 600 envelopes/s with 2 nodes on this machine.
Senders, HAProxy, nodes and PostgreSQL share the machine's cores.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_intake import (  # noqa: E402
    free_port,
    process_cpu_seconds,
    seal_many,
    sender,
    steal_seconds,
)

TARGET = 600.0


def prepare_relay(relay: Path, database_url: str, tenant: str, key: str) -> None:
    """``init --relay`` on the database, one tenant with a registered station key."""
    from koffer.backend.keystore import BackendDir
    from koffer.backend.server import Backend
    from koffer.crypto import identity, tls

    directory = BackendDir(relay)
    settings = directory.init("https://127.0.0.1:1", "https://127.0.0.1:2", relay=True)
    settings.database_url = database_url
    directory.save_settings(settings)
    with Backend.open(relay) as backend:
        assert backend.relay is not None
        backend.relay.create_tenant(tenant, key)
        secret = backend.relay.issue_station_token(tenant, timedelta(hours=1))
        csr = tls.make_csr(identity.generate_key(), "bench-station")
        hpke_public = identity.public_key_to_pem(identity.generate_key().public_key())
        backend.relay.register_station(secret, csr, hpke_public)


def enroll_senders(relay: Path, tenant: str, names: list[str]) -> list[bytes]:
    """One device of the tenant per name, enrolled through HAProxy."""
    from koffer.backend.server import Backend
    from koffer.enrollment.enroll import enroll_online

    with Backend.open(relay) as backend:
        tokens = [backend.enrollment_token(name, tenant=tenant) for name in names]
    return [enroll_online(token).to_bytes() for token in tokens]


def run_one(args: argparse.Namespace, database_url: str, nodes_wanted: int) -> float:
    from koffer.backend.keystore import BackendDir
    from tests.integration.postgres.haproxy import start_haproxy, start_nodes

    with tempfile.TemporaryDirectory(prefix="koffer-bench-relay-") as tmp_name:
        tmp = Path(tmp_name)
        relay = tmp / "relay"
        # a tenant of its own per run: runs may share one --database-url
        tenant = f"bench-{os.getpid()}-{nodes_wanted}"
        prepare_relay(relay, database_url, tenant, f"{os.getpid() % 10**6:06d}{nodes_wanted:02d}")
        logs = [tmp / f"node{i}.log" for i in range(1, nodes_wanted + 1)]
        nodes = start_nodes(relay, logs, workers=args.workers, cwd=ROOT)
        proxy = None
        try:
            proxy = start_haproxy(tmp, [(n.port, n.enroll_port) for n in nodes])
            proxy.wait_status({f"node{i}": "UP" for i in range(1, nodes_wanted + 1)})
            directory = BackendDir(relay)
            settings = directory.settings()
            settings.url = f"https://127.0.0.1:{proxy.intake_port}"
            settings.enroll_url = f"https://127.0.0.1:{proxy.enroll_port}"
            directory.save_settings(settings)
            names = [f"sender-{os.getpid()}-{nodes_wanted}-{i}" for i in range(args.senders)]
            creds = enroll_senders(relay, tenant, names)
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
            time.sleep(1.0)  # let every sender finish its handshake (not a measurement)
            pids = [n.proc.pid for n in nodes]
            node_cpu = sum(process_cpu_seconds(pid) for pid in pids)
            steal = steal_seconds()
            start = time.perf_counter()
            go.set()
            collected: list[Any] = [results.get(timeout=600) for _ in procs]
            node_cpu = sum(process_cpu_seconds(pid) for pid in pids) - node_cpu
            steal = steal_seconds() - steal
            for p in procs:
                p.join()
        finally:
            if proxy is not None:
                proxy.stop()
            for node in nodes:
                node.stop()
    latencies = [x for c in collected for x in c[0]]
    errors = sum(c[1] for c in collected)
    elapsed = max(c[2] for c in collected) - start
    n = len(latencies)
    rate = n / elapsed if elapsed > 0 else 0.0
    p99 = sorted(latencies)[max(0, int(n * 0.99) - 1)] * 1000 if n else 0.0
    median = statistics.median(latencies) * 1000 if n else 0.0
    print(
        f"relay, {nodes_wanted} node(s) × {args.workers} worker(s) behind haproxy, "
        f"postgresql: senders {args.senders} ({args.client}), envelopes {n}, errors {errors}"
    )
    print(f"  intake: {rate:.1f} envelopes/s; median {median:.1f} ms; p99 {p99:.1f} ms")
    print(
        f"  CPU per envelope: relay nodes {node_cpu / max(n, 1) * 1000:.2f} ms "
        f"(wall {elapsed:.1f} s; lost to the host (steal) {steal:.1f} s)"
    )
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--envelopes", type=int, default=2400)
    ap.add_argument("--senders", type=int, default=8)
    ap.add_argument("--nodes", default="1,2", help="node counts, comma-separated")
    ap.add_argument("--workers", type=int, default=1, help="worker processes per node")
    ap.add_argument("--client", choices=("light", "transmitter"), default="light")
    ap.add_argument("--database-url", help="an existing, empty PostgreSQL database")
    args = ap.parse_args()
    counts = [int(c) for c in args.nodes.split(",") if c.strip()]
    print(f"cores: {os.cpu_count()}")
    rates: dict[int, float] = {}
    if args.database_url:
        for count in counts:
            rates[count] = run_one(args, args.database_url, count)
    else:
        from tests.integration.postgres.conftest import PostgresServer

        with tempfile.TemporaryDirectory(prefix="koffer-bench-pg-") as tmp_name:
            root = Path(tmp_name) / "pg"
            root.mkdir()
            server = PostgresServer(root, free_port())
            server.start(Path(tmp_name))
            try:
                for count in counts:
                    rates[count] = run_one(args, server.url(server.create_database()), count)
            finally:
                server.stop()
    for count, rate in rates.items():
        verdict = ("OK" if rate >= TARGET else "MISSED") if count == 2 else "for comparison"
        ratio = rate / TARGET
        print(f"{count} node(s): {rate:.1f}/s; ratio to {TARGET:.0f}/s: {ratio:.2f} ({verdict})")
    if 1 in rates and 2 in rates and rates[1] > 0:
        print(f"scale-out 2 nodes / 1 node: {rates[2] / rates[1]:.2f}")


if __name__ == "__main__":
    main()
