"""Operating the back end: file modes, key-mode refusal, KOFFER_HOME, --hours, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.backend.validation import accept_any
from koffer.commands import cli
from koffer.errors import ConfigError

_CLI = [
    sys.executable,
    "-c",
    "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
]


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_data_dir_database_and_keys_are_private_under_umask_022(
    tmp_path: Path, umask_022: None
) -> None:
    path = tmp_path / "backend"
    directory = BackendDir(path)
    directory.init("https://127.0.0.1:1")
    with Backend.open(path, validator=accept_any) as backend:
        backend.intake.issue_token("koffer-1", timedelta(hours=1))
        assert _mode(path) == 0o700
        assert _mode(path / "tls") == 0o700
        assert _mode(path / "keys.json") == 0o600
        assert _mode(path / "tls" / "server.key") == 0o600
        for name in ("backend.db", "backend.db-wal", "backend.db-shm"):
            assert _mode(path / name) == 0o600, name
        with BackendServer(backend):
            assert _mode(path / "spool") == 0o700


def test_existing_open_data_dir_is_tightened(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    path.chmod(0o755)
    (path / "tls").chmod(0o755)
    Backend.open(path, validator=accept_any).close()
    assert _mode(path) == 0o700 and _mode(path / "tls") == 0o700


def test_serve_refuses_a_readable_server_key(tmp_path: Path) -> None:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    key = path / "tls" / "server.key"
    key.chmod(0o644)
    with Backend.open(path, validator=accept_any) as backend:
        with pytest.raises(ConfigError) as info:
            BackendServer(backend)
    assert f"chmod 600 {key}" in info.value.message
    assert "lesbar" in info.value.message


def test_serve_command_refuses_a_group_readable_server_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "backend"
    BackendDir(path).init(f"https://127.0.0.1:{_free_port()}")
    key = path / "tls" / "server.key"
    key.chmod(0o640)
    assert cli.main(["backend", "serve", "--data-dir", str(path)]) != 0
    err = capsys.readouterr().err
    assert f"chmod 600 {key}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("hours", ["1e9", "nan", "-5", "0", "721", "inf", "zwei"])
def test_enroll_device_hours_out_of_range(
    tmp_path: Path, hours: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    code = cli.main(["backend", "enroll-device", "--data-dir", str(path), "k1", "--hours", hours])
    assert code != 0
    err = capsys.readouterr().err
    assert "zwischen 1 und 720 Stunden" in err
    assert "Traceback" not in err
    with Backend.open(path, validator=accept_any) as backend:
        assert backend.intake.stats()["devices"]["enrolled"] == 0


def test_enroll_device_hours_in_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    assert (
        cli.main(["backend", "enroll-device", "--data-dir", str(path), "k1", "--hours", "720"]) == 0
    )
    assert "720 Stunden gültig" in capsys.readouterr().out


def test_commands_honour_koffer_home_and_serve_exits_0_on_sigterm(tmp_path: Path) -> None:
    """No --data-dir anywhere: KOFFER_HOME, as the packaged unit sets it."""
    home = tmp_path / "home"
    port, enroll_port = _free_port(), _free_port()
    env = {**os.environ, "KOFFER_HOME": str(home)}
    init = [*_CLI, "backend", "init", "--url", f"https://127.0.0.1:{port}"]
    init += ["--enroll-url", f"https://127.0.0.1:{enroll_port}"]
    subprocess.run(init, env=env, check=True, capture_output=True, timeout=120)
    assert (home / "keys.json").exists()
    stats = subprocess.run(
        [*_CLI, "backend", "stats", "--json"], env=env, capture_output=True, timeout=120
    )
    assert stats.returncode == 0, stats.stderr
    proc = subprocess.Popen(
        [*_CLI, "backend", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                # an answer, not just a connection: the sockets listen before serving starts
                httpx.get(f"https://127.0.0.1:{enroll_port}/enroll/v1/ca", verify=False)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err


def test_without_data_dir_or_koffer_home_is_refused_in_german(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOFFER_HOME", raising=False)
    assert cli.main(["backend", "stats"]) != 0
    assert "KOFFER_HOME" in capsys.readouterr().err
