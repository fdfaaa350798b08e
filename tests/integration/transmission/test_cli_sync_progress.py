"""``koffer sync`` without ``--once`` says what it does while it runs.

A real ``koffer sync`` process against the test back end on loopback TLS:
a line for the batch that sent the cases, then one "nothing to send" line,
not one per poll; English with ``--lang en``. The heartbeat's pace is
checked with a clock the test controls.
"""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.commands import cli
from koffer.enrollment import device
from koffer.queue.entries import SyncReport
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.sync_progress import SyncProgress
from koffer.store.store import Store
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

#: the worker polls every 0.2 s, so a quiet second is five idle batches
CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1

[transmission]
poll_interval_seconds = 0.2
"""


class Sync:
    """A running ``koffer sync`` whose stdout lines arrive on a queue."""

    def __init__(self, common: list[str], *before: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "KOFFER_LANG"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "koffer.commands.cli", *before, "sync", *common],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.out.append(line.rstrip("\n"))
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if text in line:
                return line
        raise AssertionError(f"no {text!r} from koffer sync: {self.out}")

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return self.proc.returncode, err


@pytest.fixture
def enrolled(
    tmp_path: Path, real_backend: tuple[Backend, BackendServer], capsys: pytest.CaptureFixture[str]
) -> tuple[Path, list[str]]:
    backend, server = real_backend
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "koffer.toml").write_text(CONFIG)
    common = ["--data-dir", str(data), "--passphrase-file", str(tmp_path / "pass")]
    common += ["--config", str(tmp_path / "koffer.toml")]
    token = backend.enrollment_token("koffer-9", url=server.url, enroll_url=server.enroll_url)
    assert cli.main(["enroll", "--token", token.encode(), *common]) == 0
    capsys.readouterr()
    return data, common


def _seal(data: Path, n: int) -> None:
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        creds = device.require_credentials(unlocked)
        outbox = Outbox.open(unlocked)
        for i in range(n):
            outbox.seal_case(add_case(unlocked, "anmeldung", i), creds)


def test_sync_prints_the_batch_that_sent_and_one_idle_line(
    enrolled: tuple[Path, list[str]],
) -> None:
    data, common = enrolled
    _seal(data, 3)
    sync = Sync(common)
    sent = sync.wait_for("gesendet 3")
    assert "wartet auf Versand: 0" in sent
    idle = sync.wait_for("nichts zu senden")
    assert "Alles gesendet. Nächste Prüfung in 1 Sekunde" in idle
    time.sleep(2.0)  # ten more idle polls
    code, err = sync.stop()
    assert code == 130, err
    assert "Sende an die Gegenstelle; beenden mit Strg-C." in err
    assert "Traceback" not in err
    assert len([line for line in sync.out if "nichts zu senden" in line]) == 1, sync.out
    assert len(sync.out) == 2, sync.out


def test_sync_speaks_english_with_lang_en(enrolled: tuple[Path, list[str]]) -> None:
    data, common = enrolled
    _seal(data, 2)
    sync = Sync(common, "--lang", "en")
    sent = sync.wait_for("sent 2")
    assert "waiting to be sent: 0" in sent
    idle = sync.wait_for("nothing to send")
    assert "All sent. Next check in 1 second" in idle
    code, err = sync.stop()
    assert code == 130
    assert "Sending to the back end; stop with Ctrl-C." in err
    assert "gesendet" not in "\n".join(sync.out) and "Sende an" not in err


class _QuietOutbox:
    """What :class:`SyncProgress` reads: an empty Postausgang."""

    def counts(self) -> dict[str, int]:
        return {"purged": 4}

    def next_due(self) -> datetime | None:
        return None


def test_heartbeat_at_most_every_ten_minutes_but_changes_at_once() -> None:
    now = [datetime(2026, 3, 1, 8, 0, tzinfo=UTC)]
    out = io.StringIO()
    progress = SyncProgress(
        cast(Any, _QuietOutbox()),
        TransmissionSettings(poll_interval=30.0),
        lambda: True,
        out,
        clock=lambda: now[0],
    )

    def batch(report: SyncReport, after: timedelta) -> None:
        now[0] += after
        progress(report)

    idle = SyncReport()
    batch(idle, timedelta(0))
    for _ in range(19):  # 9.5 minutes of idle polls
        batch(idle, timedelta(seconds=30))
    assert out.getvalue().count("\n") == 1
    batch(idle, timedelta(seconds=30))  # ten minutes after the last line
    assert out.getvalue().count("nichts zu senden") == 2
    # a connection problem is news at once; its repetition is not
    down = SyncReport(failed=1, stopped="Die Gegenstelle ist nicht erreichbar.")
    batch(down, timedelta(seconds=30))
    batch(down, timedelta(seconds=30))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert "nicht erreicht 1" in lines[2] and "Neuer Versuch in 30 s" in lines[2]
    # a batch that sent something always gets its line
    batch(SyncReport(sent=1), timedelta(seconds=1))
    batch(SyncReport(sent=1), timedelta(seconds=1))
    assert out.getvalue().count("gesendet 1") == 2
