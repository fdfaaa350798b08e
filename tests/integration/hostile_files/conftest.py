"""A back end, an offline-enrolled suitcase with sealed cases, and the stick
between them: real files, real links, real ``koffer`` processes.

``run_koffer`` starts the command as a subprocess with a timeout, so an import
that hangs on a FIFO fails the test instead of blocking the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend
from koffer.crypto import tls
from koffer.enrollment import device
from koffer.enrollment.enroll import PendingKeys, complete_offline, offline_request
from koffer.queue import media
from koffer.queue.outbox import Outbox
from koffer.store.store import Store
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""

#: no koffer command in these tests may take longer; a hang fails instead
TIMEOUT = 120


@dataclass
class Site:
    backend_dir: Path
    suitcase_dir: Path
    stick: Path
    suitcase_args: list[str]
    envelope_ids: list[str]

    @property
    def envelopes(self) -> Path:
        return self.stick / "envelopes"

    def backend_args(self) -> list[str]:
        return ["--data-dir", str(self.backend_dir)]

    def states(self) -> dict[str, str]:
        """envelope id -> state of the received case at the back end."""
        from koffer.backend.db import ReceivedCase

        with Backend.open(self.backend_dir) as backend, backend.intake.sessions() as session:
            return {row.envelope_id: row.state for row in session.query(ReceivedCase)}

    def outbox_states(self) -> dict[str, str]:
        with (
            Store.open(self.suitcase_dir, FAST_STORE) as store,
            store.unlock("admin", PASSPHRASE) as unlocked,
        ):
            return {e.envelope_id: e.state for e in Outbox.open(unlocked).list()}


def run_koffer(*args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``koffer ARGS`` as a real process; TimeoutExpired (a failure) if it hangs."""
    env = {k: v for k, v in os.environ.items() if k != "KOFFER_HOME"}
    return subprocess.run(
        [sys.executable, "-m", "koffer.commands.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def make_site(root: Path, cases: int) -> Site:
    """Back end + suitcase enrolled offline, ``cases`` sealed cases exported to a stick."""
    bdir = root / "backend"
    BackendDir(bdir).init("https://127.0.0.1:1")
    data = root / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    (root / "pass").write_text(PASSPHRASE + "\n")
    (root / "koffer.toml").write_text(CONFIG)
    stick = root / "stick"
    with (
        Backend.open(bdir) as backend,
        Store.open(data, FAST_STORE) as store,
        store.unlock("admin", PASSPHRASE) as unlocked,
    ):
        keys = PendingKeys.generate()
        answer = backend.enroll_offline("dorf-koffer", offline_request(keys, "dorf-koffer"))
        creds = complete_offline(keys, answer, tls.fingerprint(backend.intake.keys.ca_pem))
        device.save_credentials(unlocked, creds)
        outbox = Outbox.open(unlocked)
        ids = [outbox.seal_case(add_case(unlocked, "anmeldung", i), creds) for i in range(cases)]
        media.export_envelopes(outbox, stick)
    listed = json.loads((stick / "manifest.json").read_text())
    envelope_ids = [e["envelope_id"] for e in listed]
    assert len(envelope_ids) == len(ids) == cases
    args = ["--data-dir", str(data), "--passphrase-file", str(root / "pass")]
    args += ["--config", str(root / "koffer.toml")]
    return Site(bdir, data, stick, args, envelope_ids)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path, 2)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the stick holding the attacker's targets."""
    path = tmp_path / "outside"
    path.mkdir()
    return path


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A world-writable sticky directory (like /tmp) that another local user
    can reach; removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="koffer-hostile-"))
    base.chmod(0o755)
    shared = base / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    try:
        yield shared
    finally:
        shutil.rmtree(base)


def as_other_user(code: str, uid: int = 65534) -> None:
    """Run Python ``code`` as another local user (the attacker); needs root.

    The system interpreter is used: the test's own may live where that user
    cannot reach."""
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    subprocess.run(
        [python, "-I", "-c", code], check=True, timeout=TIMEOUT, user=uid, group=uid, cwd="/"
    )
