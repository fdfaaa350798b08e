"""The packaged back-end unit starts with its own configuration.

systemd itself does not run in the test sandbox, so the test does what the
unit asks of it: its ``Environment``, ``UMask`` and ``ExecStart`` (with the
shipped ``/etc/koffer/backend.toml`` and the data directory moved into a
temporary directory), then checks that the back end answers over TLS and
that SIGTERM — systemd's stop — ends it with exit code 0.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "packaging" / "systemd" / "koffer-backend.service"
SHIPPED_CONFIG = REPO / "packaging" / "etc" / "backend.toml"
CLI = [
    sys.executable,
    "-c",
    "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
]


def _service() -> dict[str, str]:
    values: dict[str, str] = {}
    section = ""
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_unit_command_serves_and_stops_cleanly(tmp_path: Path) -> None:
    service = _service()
    data = tmp_path / "var-lib-koffer-backend"
    unit_data = service["WorkingDirectory"]
    command = shlex.split(service["ExecStart"])
    assert command[0] == "/usr/bin/koffer"
    argv = [
        str(data) if arg == unit_data else str(SHIPPED_CONFIG) if arg.startswith("/etc/") else arg
        for arg in command[1:]
    ]
    key, value = service["Environment"].split("=", 1)
    env = {**os.environ, key: str(data) if value == unit_data else value}
    port, enroll_port = _free_port(), _free_port()
    init = [*CLI, "backend", "init", "--data-dir", str(data)]
    init += [
        "--url",
        f"https://127.0.0.1:{port}",
        "--enroll-url",
        f"https://127.0.0.1:{enroll_port}",
    ]
    subprocess.run(init, env=env, check=True, capture_output=True, timeout=120)
    umask = int(service["UMask"], 8)
    proc = subprocess.Popen(
        [*CLI, *argv],
        env=env,
        cwd=data,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.umask(umask),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                answer = httpx.get(f"https://127.0.0.1:{enroll_port}/enroll/v1/ca", verify=False)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the unit's command did not start serving"
                time.sleep(0.05)
        assert answer.status_code == 200
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert (data.stat().st_mode & 0o777) == 0o700
