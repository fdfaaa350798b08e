"""An unlocked ``koffer sync`` that crashes leaves no core dump behind.

The test allows core files (``RLIMIT_CORE`` unlimited, as after ``ulimit -c
unlimited``) for a real, unlocked ``koffer sync`` process and for a plain
Python process holding the same passphrase (the control), then sends both
SIGSEGV. With a core pattern that writes files, the control's core holds
the passphrase (so the set-up would catch a leak) and the koffer process
writes none. Whatever the pattern (also a pipe to a core handler), the
koffer process reports a core limit of 0 in ``/proc/<pid>/limits``.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from koffer.crypto import identity, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.store import Store, StoreSettings

ROOT = Path(__file__).resolve().parents[3]
PASSPHRASE = "Kern-Abbild-Geheimnis-4711"
CORE_PATTERN = Path("/proc/sys/kernel/core_pattern")


def _allow_cores() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def _credentials() -> DeviceCredentials:
    ca_key, ca_cert = tls.create_ca("Test CA")
    tls_key = identity.generate_key()
    cert = tls.sign_csr(ca_key, ca_cert, tls.make_csr(tls_key, "koffer-1"), "dev-0001")
    hpke = identity.generate_key().public_key()
    return DeviceCredentials(
        device_id="dev-0001",
        name="koffer-1",
        backend_url="https://127.0.0.1:9",  # nobody listens: the worker keeps retrying
        ca_pem=tls.cert_to_pem(ca_cert),
        client_cert_pem=tls.cert_to_pem(cert),
        tls_key=tls_key,
        signing_key=identity.generate_key(),
        hpke_key_id=identity.key_id(hpke),
        hpke_public=hpke,
        receipt_public=identity.generate_key().public_key(),
    )


@pytest.fixture
def enrolled(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    settings = StoreSettings.insecure_fast()
    Store.create(data, "admin", PASSPHRASE, settings)
    with Store.open(data, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        device.save_credentials(unlocked, _credentials())
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return data, secret


def _cores(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name == "core" or p.name.startswith("core.")]


def _crash(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGSEGV)
    process.communicate(timeout=120)
    return process.returncode


def _core_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text(encoding="ascii").splitlines():
        if line.startswith("Max core file size"):
            return " ".join(line.split()[4:6])
    raise AssertionError("no core limit in /proc/<pid>/limits")


def test_unlocked_sync_writes_no_core_with_the_passphrase(
    enrolled: tuple[Path, Path], tmp_path: Path
) -> None:
    data, secret = enrolled
    pattern = CORE_PATTERN.read_text(encoding="ascii").strip()
    files_in_cwd = not pattern.startswith("|") and "/" not in pattern
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    # control: a process that does not harden itself, holding the passphrase
    control_dir = tmp_path / "control"
    control_dir.mkdir()
    holder = (
        "import sys, time; from pathlib import Path; "
        f"s = Path({str(secret)!r}).read_text(); print('bereit', flush=True); time.sleep(120)"
    )
    control = subprocess.Popen(
        [sys.executable, "-c", holder],
        cwd=control_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_allow_cores,
    )
    assert control.stdout is not None and control.stdout.readline().strip() == "bereit"
    assert _core_limit(control.pid) == "unlimited unlimited"
    assert _crash(control) == -signal.SIGSEGV

    # the real thing: koffer sync, unlocked, its worker waiting for the back end
    sync_dir = tmp_path / "sync"
    sync_dir.mkdir()
    argv = [sys.executable, "-m", "koffer.commands.cli", "sync", "--data-dir", str(data)]
    argv += ["--account", "admin", "--passphrase-file", str(secret)]
    sync = subprocess.Popen(
        argv,
        cwd=sync_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_allow_cores,
    )
    try:
        assert sync.stderr is not None
        line = sync.stderr.readline()
        # unlocked, credentials decrypted, the worker about to start
        assert "Sende an die Gegenstelle" in line, line
        assert _core_limit(sync.pid) == "0 0"
        assert _crash(sync) == -signal.SIGSEGV
    finally:
        if sync.poll() is None:  # a failed assertion must not leave it running
            sync.kill()
            sync.communicate(timeout=30)

    if files_in_cwd:
        [control_core] = _cores(control_dir)
        leaked = PASSPHRASE.encode() in control_core.read_bytes()
        control_core.unlink()
        assert leaked
        assert _cores(sync_dir) == []
