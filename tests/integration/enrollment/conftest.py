"""Real back ends on loopback TLS, a real suitcase store, the real ``koffer`` command."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.validation import accept_any
from koffer.store import files
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

ROOT = Path(__file__).resolve().parents[3]
FAST = StoreSettings.insecure_fast()
ADMIN_PASS = "Sommer im Dorf 2026"
CLERK_PASS = "Winter im Rathaus 2026"
#: what an enrollment may change; everything else must stay as it is
TABLES = ("device_secrets", "outbox", "cases", "attachments", "case_counters")


@dataclass(frozen=True)
class Suitcase:
    data: Path
    admin_pass: Path
    clerk_pass: Path

    def koffer(self, *args: str, account: str = "admin") -> subprocess.CompletedProcess[str]:
        """``koffer ARGS --data-dir … --account … --passphrase-file …``.

        No ``--config``: the store's own cost and lock-out rules apply.
        """
        secret = self.admin_pass if account == "admin" else self.clerk_pass
        argv = [sys.executable, "-m", "koffer.commands.cli", *args, "--data-dir", str(self.data)]
        argv += ["--account", account]
        argv += ["--passphrase-file", str(secret)]
        return run(argv)


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def snapshot(data: Path) -> str:
    """A digest of every row of the tables an enrollment could change."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"{files.db_path(data).resolve().as_uri()}?mode=ro", uri=True)
    try:
        for table in TABLES:
            digest.update(table.encode())
            for row in sorted(conn.execute(f"SELECT * FROM {table}"), key=repr):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def audit_events(data: Path) -> list[str]:
    conn = sqlite3.connect(f"{files.db_path(data).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [str(r[0]) for r in conn.execute("SELECT event FROM audit_log ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def suitcase(tmp_path: Path) -> Suitcase:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", ADMIN_PASS, FAST)
    with Store.open(data, FAST) as store, store.unlock("admin", ADMIN_PASS) as unlocked:
        unlocked.add_account("maria", "clerk", CLERK_PASS)
    (tmp_path / "admin-pass").write_text(ADMIN_PASS + "\n")
    (tmp_path / "clerk-pass").write_text(CLERK_PASS + "\n")
    return Suitcase(data, tmp_path / "admin-pass", tmp_path / "clerk-pass")


def _backend(path: Path) -> Backend:
    BackendDir(path).init("https://127.0.0.1:1")
    return Backend.open(path, validator=accept_any)


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    with _backend(tmp_path / "backend") as b:
        yield b


@pytest.fixture
def server(backend: Backend) -> Iterator[BackendServer]:
    with BackendServer(backend) as srv:
        yield srv


@pytest.fixture
def second_backend(tmp_path: Path) -> Iterator[tuple[Backend, BackendServer]]:
    """Another back end with its own CA (a new one, or a rogue one)."""
    with _backend(tmp_path / "backend-2") as b, BackendServer(b) as srv:
        yield b, srv
