"""A relay on a real PostgreSQL server: ``koffer backend serve`` in its own process.

Two tenants with one device each; concurrent sends of one envelope are kept
once (the uniqueness is in PostgreSQL), every case reaches its own station's
export exactly once, and ``backend stats`` counts per tenant.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from koffer.cases.enums import CaseType
from koffer.commands import cli
from koffer.crypto import receipts
from koffer.crypto.enrollment import DeviceCredentials, EnrollmentToken
from koffer.enrollment.enroll import enroll_online
from koffer.queue.transmitter import Transmitter
from tests.integration.postgres.test_backend_postgres import (
    _CLI,
    _free_port,
    _seal,
    _wait_listening,
)

pytestmark = pytest.mark.postgres

PASSPHRASE = "Sommer im Dorf 2026"
CONFIG = "[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\nargon2_lanes = 1\n"
TENANTS = (("musterdorf", "09162001"), ("beispielstadt", "09162002"))


def _last_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert cli.main(argv) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


@pytest.fixture
def relay(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Path, str]]:
    port, enroll_port = _free_port(), _free_port()
    path = tmp_path / "relay"
    argv = ["backend", "init", "--data-dir", str(path), "--relay", "--database-url", postgres_url]
    argv += [
        "--url",
        f"https://127.0.0.1:{port}",
        "--enroll-url",
        f"https://127.0.0.1:{enroll_port}",
    ]
    assert cli.main(argv) == 0
    proc = subprocess.Popen(
        [*_CLI, "backend", "serve", "--data-dir", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(port, proc)
        _wait_listening(enroll_port, proc)
        yield path, postgres_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def test_relay_on_postgres(
    tmp_path: Path, relay: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _url = relay
    relay_args = ["--data-dir", str(path)]  # the database URL was saved at init
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "koffer.toml").write_text(CONFIG)
    creds: dict[str, DeviceCredentials] = {}
    for tenant, key in TENANTS:
        argv = ["backend", "tenant", "create", tenant, "--gemeindeschluessel", key]
        assert cli.main([*argv, *relay_args]) == 0
        token = _last_line(capsys, ["backend", "tenant", "station-token", tenant, *relay_args])
        station = tmp_path / f"station-{tenant}"
        argv = ["station", "init", "--data-dir", str(station), "--token", token]
        argv += [
            "--passphrase-file",
            str(tmp_path / "pass"),
            "--config",
            str(tmp_path / "koffer.toml"),
        ]
        assert cli.main(argv) == 0
        argv = ["backend", "enroll-device", "--tenant", tenant, f"koffer-{tenant}", *relay_args]
        creds[tenant] = enroll_online(EnrollmentToken.decode(_last_line(capsys, argv)))

    sent: dict[str, set[str]] = {}
    for number, (tenant, _) in enumerate(TENANTS):
        envelopes = [_seal(creds[tenant], CaseType.ANMELDUNG, 10 * number + i) for i in range(3)]
        with Transmitter(creds[tenant]) as tx:
            first = envelopes[0]
            # the same envelope four times at once: kept once, the same receipt for all
            with ThreadPoolExecutor(4) as pool:
                futures = [
                    pool.submit(tx.send, first.envelope_id, first.data, first.payload_hash)
                    for _ in range(4)
                ]
                answers = [f.result() for f in futures]
            assert len({r.to_bytes() for r in answers}) == 1 and answers[0].sealed
            for env in envelopes[1:]:
                receipt = tx.send(env.envelope_id, env.data, env.payload_hash)
                receipts.verify(
                    receipt,
                    creds[tenant].receipt_public,
                    envelope_id=env.envelope_id,
                    envelope_hash=env.envelope_hash,
                )
        sent[tenant] = {e.envelope_id for e in envelopes}

    stats = json.loads(_stats(capsys, relay_args))
    assert stats["tenants"] == {
        t: {"received": 3, "pulled": 0, "acknowledged": 0} for t, _ in TENANTS
    }
    for tenant, _ in TENANTS:
        station = tmp_path / f"station-{tenant}"
        argv = ["station", "pull", "--data-dir", str(station)]
        argv += [
            "--passphrase-file",
            str(tmp_path / "pass"),
            "--config",
            str(tmp_path / "koffer.toml"),
        ]
        assert json.loads(_last_line(capsys, argv)) == {"pulled": 3, "refused": 0}
        out = tmp_path / f"export-{tenant}"
        assert cli.main(["station", "export", "--data-dir", str(station), "--out", str(out)]) == 0
        assert {p.stem for p in out.glob("*.xml")} == sent[tenant]
    stats = json.loads(_stats(capsys, relay_args))
    assert stats["tenants"] == {
        t: {"received": 3, "pulled": 3, "acknowledged": 3} for t, _ in TENANTS
    }


def _stats(capsys: pytest.CaptureFixture[str], relay_args: list[str]) -> str:
    capsys.readouterr()
    assert cli.main(["backend", "stats", "--json", *relay_args]) == 0
    return capsys.readouterr().out
