"""Enrollment export/import end to end: the replacement laptop sends to a real
back end on loopback mutual TLS with the imported identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.commands import cli
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.queue.outbox import Outbox
from koffer.store.store import Store
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

EXPORT_PASS = "Ersatzkoffer für Dorf 7"
CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""
PEM_MARKERS = (b"-----BEGIN", b"PRIVATE KEY", b"CERTIFICATE")


@pytest.fixture
def common(tmp_path: Path) -> list[str]:
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "export-pass").write_text(EXPORT_PASS + "\n")
    (tmp_path / "koffer.toml").write_text(CONFIG)
    return ["--passphrase-file", str(tmp_path / "pass"), "--config", str(tmp_path / "koffer.toml")]


def _new_store(path: Path) -> Path:
    Store.create(path, "admin", PASSPHRASE, FAST_STORE)
    return path


def _enroll(data: Path, creds: DeviceCredentials) -> None:
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        device.save_credentials(unlocked, creds)


def _seal_cases(data: Path, n: int, seed: int = 0) -> None:
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        creds = device.require_credentials(unlocked)
        outbox = Outbox.open(unlocked)
        for i in range(n):
            kind = "personalausweis" if i % 2 else "anmeldung"
            outbox.seal_case(add_case(unlocked, kind, seed + i), creds)


def _sync(data: Path, common: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert cli.main(["sync", "--once", "--data-dir", str(data), *common]) == 0
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


def test_replacement_laptop_sends_with_the_imported_identity(
    tmp_path: Path,
    backend: Backend,
    server: BackendServer,
    creds: DeviceCredentials,
    common: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = _new_store(tmp_path / "old")
    _enroll(old, creds)
    stick = tmp_path / "stick" / "koffer-1.kanm"
    secret = ["--export-passphrase-file", str(tmp_path / "export-pass")]
    assert (
        cli.main(
            ["enrollment", "export", "--out", str(stick), "--data-dir", str(old), *common, *secret]
        )
        == 0
    )
    blob = stick.read_bytes()
    for marker in PEM_MARKERS:
        assert marker not in blob
    assert creds.device_id.encode() not in blob

    # the replacement laptop: `koffer init`, then import, then send
    new = _new_store(tmp_path / "new")
    etc = tmp_path / "etc"
    argv = ["enrollment", "import", str(stick), "--data-dir", str(new), "--config-dir", str(etc)]
    assert cli.main([*argv, *common, *secret]) == 0
    assert "koffer wipe" in capsys.readouterr().err
    assert (etc / "koffer.toml").read_text() == CONFIG

    _seal_cases(new, 3)
    report = _sync(new, common, capsys)
    assert report["sent"] == 3 and report["stopped"] is None
    stats = backend.intake.stats()
    assert stats["by_device"] == {"koffer-1": 3}


def test_import_refuses_to_strand_queued_envelopes(
    tmp_path: Path,
    backend: Backend,
    server: BackendServer,
    creds: DeviceCredentials,
    common: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Replacing the identity while another identity's envelopes wait would make
    them unsendable: refused even with --replace, nothing changes."""
    laptop = _new_store(tmp_path / "laptop")
    _enroll(laptop, creds)
    _seal_cases(laptop, 1)
    token = backend.enrollment_token("koffer-2", url=server.url, enroll_url=server.enroll_url)
    other_dir = _new_store(tmp_path / "other")
    _enroll(other_dir, enroll_online(token))
    stick = tmp_path / "koffer-2.kanm"
    secret = ["--export-passphrase-file", str(tmp_path / "export-pass")]
    export = ["enrollment", "export", "--out", str(stick), "--data-dir", str(other_dir)]
    assert cli.main([*export, *common, *secret]) == 0
    capsys.readouterr()

    imp = ["enrollment", "import", str(stick), "--data-dir", str(laptop), *common, *secret]
    assert cli.main(imp) == 1  # already enrolled, --replace missing
    assert "--replace" in capsys.readouterr().err
    assert cli.main([*imp, "--replace"]) == 1
    assert "Postausgang" in capsys.readouterr().err
    with Store.open(laptop, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        assert device.require_credentials(unlocked).device_id == creds.device_id
    # once the queue is empty, the replacement is allowed
    assert _sync(laptop, common, capsys)["sent"] == 1
    assert cli.main([*imp, "--replace"]) == 0
    _seal_cases(laptop, 1, seed=10)
    assert _sync(laptop, common, capsys)["sent"] == 1
    assert backend.intake.stats()["by_device"] == {"koffer-1": 1, "koffer-2": 1}
