"""Two relay nodes on one PostgreSQL behind HAProxy; one is SIGKILLed during a sync.

``koffer backend init --relay`` on PostgreSQL; two ``koffer backend serve``
processes on the SAME data directory and database; Debian's ``haproxy`` in
``mode tcp`` in front (round robin, TCP health check; TLS passes through, so
mutual TLS ends at the node). The station registers and the suitcase enrolls
through HAProxy; then the suitcase syncs 500 envelopes through it, and the
node that serves one of its connections is killed with SIGKILL mid-sync.

Every envelope is in PostgreSQL exactly once with the receipt the suitcase
kept (all receipts verify), the outbox ends empty, and the suitcase saw
nothing worse than retries (no rejection; its only failures are "not
reachable" / temporary ones, which leave the envelope queued). The nodes
write nothing into the shared data directory.
"""

from __future__ import annotations

import hashlib
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from koffer.backend.keystore import BackendDir
from koffer.commands import cli
from koffer.crypto import receipts, sealing
from koffer.crypto.enrollment import EnrollmentToken
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.errors import TransmissionError
from koffer.queue.models import PURGED
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import EnvelopeRejected, Transmitter
from koffer.store.store import Store
from tests.integration.postgres.conftest import PostgresServer
from tests.integration.postgres.haproxy import (
    HAProxy,
    Node,
    haproxy_binary,
    start_haproxy,
    start_nodes,
)
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(haproxy_binary() is None, reason="haproxy is not installed"),
]

ENVELOPES = int(os.environ.get("KOFFER_HAPROXY_ENVELOPES", "500"))
KILL_AFTER = ENVELOPES // 3
CONFIG = "[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\nargon2_lanes = 1\n"
SYNC_DEADLINE = 90.0
#: the suitcase's own messages for failures that leave the envelope queued
RETRY_MESSAGES = (
    "The back end is not reachable. The case stays queued.",
    "The back end did not answer in time. The case stays queued.",
    "The back end reported a temporary error",
)


def _last_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert cli.main(argv) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def _snapshot(root: Path) -> dict[str, tuple[int, int, str]]:
    """Mode, size and SHA-256 of every file below ``root`` (the spool excluded)."""
    out: dict[str, tuple[int, int, str]] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == "spool":
            continue
        st = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        out[str(rel)] = (st.st_mode, st.st_size if path.is_file() else 0, digest)
    return out


class _RecordingSender:
    """The suitcase's Transmitter, counting receipts and failures; kills a node once."""

    def __init__(self, tx: Transmitter, kill_after: int, kill: threading.Event) -> None:
        self._tx = tx
        self._kill_after = kill_after
        self._kill = kill
        self._lock = threading.Lock()
        self.received = 0
        self.hashes: dict[str, str] = {}
        self.failures: list[TransmissionError] = []

    def send(self, envelope_id: str, data: bytes, payload_hash: str | None) -> receipts.Receipt:
        with self._lock:
            self.hashes[envelope_id] = sealing.sha256_hex(data)
        try:
            receipt = self._tx.send(envelope_id, data, payload_hash)
        except TransmissionError as exc:
            with self._lock:
                self.failures.append(exc)
            raise
        with self._lock:
            self.received += 1
            if self.received == self._kill_after:
                self._kill.set()
        return receipt


@pytest.fixture
def workdir() -> Iterator[Path]:
    # its own directory: pytest's numbered base directories are pruned by other
    # pytest sessions on the machine
    with tempfile.TemporaryDirectory(prefix="koffer-haproxy-") as name:
        yield Path(name)


def test_two_nodes_behind_haproxy_one_killed_mid_sync(
    workdir: Path,
    postgres_server: PostgresServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = postgres_server.create_database()
    url = postgres_server.url(database)
    relay = workdir / "relay"
    argv = ["backend", "init", "--data-dir", str(relay), "--relay", "--database-url", url]
    assert cli.main(argv) == 0
    args = ["--data-dir", str(relay)]
    nodes: list[Node] = []
    proxy: HAProxy | None = None
    try:
        # both at once on the empty database: one creates the schema, the other waits
        nodes = start_nodes(relay, [workdir / "node1.log", workdir / "node2.log"])
        argv = ["backend", "tenant", "create", "musterdorf", "--gemeindeschluessel", "09162001"]
        assert cli.main([*argv, *args]) == 0
        proxy = start_haproxy(workdir, [(n.port, n.enroll_port) for n in nodes])
        proxy.wait_status({"node1": "UP", "node2": "UP"})
        # the public addresses are HAProxy's (what tokens and devices name)
        directory = BackendDir(relay)
        settings = directory.settings()
        settings.url = f"https://127.0.0.1:{proxy.intake_port}"
        settings.enroll_url = f"https://127.0.0.1:{proxy.enroll_port}"
        directory.save_settings(settings)
        shared = _snapshot(relay)

        (workdir / "pass").write_text(PASSPHRASE + "\n")
        (workdir / "koffer.toml").write_text(CONFIG)
        token = _last_line(["backend", "tenant", "station-token", "musterdorf", *args], capsys)
        argv = ["station", "init", "--data-dir", str(workdir / "station"), "--token", token]
        argv += ["--passphrase-file", str(workdir / "pass")]
        assert cli.main([*argv, "--config", str(workdir / "koffer.toml")]) == 0
        argv = ["backend", "enroll-device", "--tenant", "musterdorf", "koffer-1", *args]
        creds = enroll_online(EnrollmentToken.decode(_last_line(argv, capsys)))

        data = workdir / "suitcase"
        Store.create(data, "admin", PASSPHRASE, FAST_STORE)
        tx_settings = TransmissionSettings(backoff_base=0.0, batch_size=50, max_in_flight=2)
        with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
            device.save_credentials(s, creds)
            outbox = Outbox.open(s, tx_settings)
            sealed = {
                outbox.seal_case(add_case(s, "anmeldung", i), creds).envelope_id
                for i in range(ENVELOPES)
            }
            kill = threading.Event()
            victim: list[Node] = []
            connections: list[int] = []

            def killer() -> None:
                kill.wait()
                if proxy is None or not nodes:
                    return
                # the node that serves one of the suitcase's connections right now
                busy = proxy.servers()
                chosen = next(
                    (n for i, n in enumerate(nodes, 1) if int(busy[f"node{i}"]["scur"]) > 0),
                    nodes[0],
                )
                chosen.proc.send_signal(signal.SIGKILL)
                victim.append(chosen)
                connections.append(int(busy[f"node{nodes.index(chosen) + 1}"]["scur"]))

            thread = threading.Thread(target=killer, daemon=True)
            thread.start()
            with Transmitter(creds) as tx:
                sender = _RecordingSender(tx, KILL_AFTER, kill)
                puts: list[str] = []  # every PUT on the wire (the transmitter's repeats too)
                tx._client.event_hooks["request"].append(lambda r: puts.append(r.url.path))
                rounds = []
                deadline = time.monotonic() + SYNC_DEADLINE
                while outbox.list(states=["sealed", "sending"]):
                    assert time.monotonic() < deadline, "the outbox did not drain in time"
                    rounds.append(outbox.sync_once(sender))
            kill.set()
            thread.join(timeout=10)
            entries = outbox.list()

        # one node was killed mid-sync, HAProxy's check took it out, the other stayed
        assert len(victim) == 1
        assert connections[0] > 0, "the killed node served none of the suitcase's connections"
        assert victim[0].proc.wait(timeout=10) == -signal.SIGKILL
        survivor = next(n for n in nodes if n is not victim[0])
        assert survivor.proc.poll() is None
        down = f"node{nodes.index(victim[0]) + 1}"
        up = f"node{nodes.index(survivor) + 1}"
        proxy.wait_status({down: "DOWN", up: "UP"})

        # the suitcase: nothing rejected, only retries; the outbox is empty
        assert sum(r.rejected for r in rounds) == 0
        assert not any(isinstance(f, EnvelopeRejected) for f in sender.failures)
        retries = [f for f in sender.failures if f.message_en.startswith(RETRY_MESSAGES)]
        assert retries == sender.failures, [f.message_en for f in sender.failures]
        assert {e.envelope_id for e in entries} == sealed
        assert all(e.state == PURGED and e.receipt is not None for e in entries)

        # PostgreSQL: every envelope exactly once, with the receipt the suitcase kept
        with psycopg.connect(postgres_server.url(database, driver="postgresql")) as conn:
            rows = conn.execute(
                "SELECT envelope_id, envelope_hash, receipt FROM relay_envelopes"
            ).fetchall()
            total = conn.execute("SELECT count(*) FROM relay_envelopes").fetchone()
        assert total == (ENVELOPES,)
        assert len(rows) == ENVELOPES and {r[0] for r in rows} == sealed
        kept = {e.envelope_id: e.receipt for e in entries}
        for envelope_id, envelope_hash, receipt_text in rows:
            assert envelope_hash == sender.hashes[envelope_id]
            stored = receipts.parse(receipt_text.encode())
            suitcase_receipt = kept[envelope_id]
            assert suitcase_receipt is not None
            assert receipts.parse(suitcase_receipt).to_bytes() == stored.to_bytes()
            receipts.verify(
                stored,
                creds.receipt_public,
                envelope_id=envelope_id,
                envelope_hash=envelope_hash,
            )
        # the nodes share the data directory read-only
        assert _snapshot(relay) == shared
        print(
            f"\nhaproxy: {ENVELOPES} envelopes in {len(rounds)} sync rounds, "
            f"{len(puts) - sender.received - len(sender.failures)} PUTs repeated on a new "
            f"connection, {len(sender.failures)} retried sends, "
            f"node killed after {KILL_AFTER} receipts: "
            f"{sorted({f.message_en for f in sender.failures})}"
        )
    finally:
        if proxy is not None:
            proxy.stop()
        for node in nodes:
            node.stop()
