"""A real, throw-away PostgreSQL server for the ``postgres`` tests.

One cluster per test session, made with the Debian PostgreSQL binaries
(``initdb``/``pg_ctl`` from :data:`PG_BIN`) in pytest's temporary directory,
listening on 127.0.0.1 on a free port and on a unix socket in the same
directory. Every test gets its own fresh database.

PostgreSQL refuses to run as root. When the tests run as root (containers),
the cluster directory is handed to the unprivileged ``postgres`` OS user and
the binaries run through ``runuser -u postgres --``. pytest keeps its base
temporary directory at mode 0700, so the directories above the cluster get
the traverse bit (``o+x``, no listing) for the server to reach its files;
pytest resets that mode on its next run.

Skipped (with the exact reason) only if the binaries are not installed; CI
installs them (``postgresql`` in scripts/debian-packages.txt).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

PG_BIN = Path(os.environ.get("KOFFER_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVER_USER = "postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", SERVER_USER, "--", *cmd]


def _grant_traverse(path: Path, stop: Path) -> None:
    """Let the server user reach ``path``: o+x on ``path`` and its parents up to ``stop``."""
    for directory in (path, *path.parents):
        mode = directory.stat().st_mode
        if not mode & 0o001:
            directory.chmod((mode & 0o7777) | 0o001)
        if directory == stop:
            break


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr}")


class PostgresServer:
    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.data = root / "data"
        self.sockets = root / "sockets"
        self.port = port

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def admin_conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={SERVER_USER} dbname=postgres"

    def create_database(self) -> str:
        name = "koffer_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def start(self, basetemp: Path, attempts: int = 3) -> None:
        """initdb + pg_ctl start; retried when a concurrent pytest run resets the
        mode of its base directory while the server is being set up."""
        self.sockets.mkdir(parents=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SERVER_USER)
            for path in (self.root, self.sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        for attempt in range(1, attempts + 1):
            if os.geteuid() == 0:
                _grant_traverse(self.root, basetemp.parent)
            try:
                self._init_and_start()
                return
            except RuntimeError:
                if attempt == attempts:
                    raise
                self.stop()
                shutil.rmtree(self.data, ignore_errors=True)

    def _init_and_start(self) -> None:
        _run(
            _as_server_user(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    SERVER_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ]
            )
        )
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.sockets}",
                # a test cluster: durability is not what is tested here
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ]
        )
        _run(
            _as_server_user(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.root / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
        )

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown: SIGINT to the postmaster (its pid from ``postmaster.pid``).

        Signalled directly rather than through ``pg_ctl stop``: the server user
        may no longer reach the directory once pytest reset its base mode."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)


def _missing_binaries() -> str | None:
    for name in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / name).is_file():
            return f"PostgreSQL server binary {PG_BIN / name} is not installed"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root but runuser(1) is not available to drop privileges"
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root but the OS user {SERVER_USER!r} does not exist"
    return None


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    reason = _missing_binaries()
    if reason is not None:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("postgres")
    server = PostgresServer(root, _free_port())
    server.start(tmp_path_factory.getbasetemp())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) of a fresh, empty database."""
    return postgres_server.url(postgres_server.create_database())
