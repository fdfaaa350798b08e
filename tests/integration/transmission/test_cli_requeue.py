"""``koffer outbox requeue --all`` and ``koffer outbox requeue ID`` on a real store file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.commands import cli
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.store import Store
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

CONFIG = """
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""


def test_requeue_all_and_one_sealed_envelope(
    tmp_path: Path,
    real_backend: tuple[Backend, BackendServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    backend, srv = real_backend
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "koffer.toml").write_text(CONFIG)
    common = ["--data-dir", str(data), "--passphrase-file", str(tmp_path / "pass")]
    common += ["--config", str(tmp_path / "koffer.toml")]
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        token = backend.enrollment_token("k1", url=srv.url, enroll_url=srv.enroll_url)
        device.save_credentials(s, enroll_online(token))
        creds = device.require_credentials(s)
        outbox = Outbox(s, TransmissionSettings(backoff_base=3600.0, backoff_max=3600.0))
        ids = [outbox.seal_case(add_case(s, "anmeldung", i), creds).envelope_id for i in range(3)]
        with Transmitter(creds, base_url="https://127.0.0.1:9") as tx:
            outbox.sync_once(tx)  # the first one now waits an hour
    capsys.readouterr()
    assert cli.main(["outbox", "requeue", ids[0], *common]) == 0
    assert "erneut eingereiht" in capsys.readouterr().out
    assert cli.main(["outbox", "requeue", "--all", *common]) == 0
    assert capsys.readouterr().out.startswith("3 Umschläge erneut eingereiht")
    assert cli.main(["outbox", "list", "--json", *common]) == 0
    listed = json.loads(capsys.readouterr().out)
    now = datetime.now(UTC)
    assert all(datetime.fromisoformat(e["next_attempt_at"]) <= now for e in listed)
    assert all(e["attempts"] == 0 and e["state"] == "sealed" for e in listed)
    with pytest.raises(SystemExit) as usage:  # neither an id nor --all
        cli.main(["outbox", "requeue", *common])
    assert usage.value.code == 2
    assert cli.main(["sync", "--once", *common]) == 0
    assert json.loads(capsys.readouterr().out)["sent"] == 3
    assert cli.main(["outbox", "requeue", ids[0], *common]) != 0  # delivered: refused
    assert "nicht erneut eingereiht" in capsys.readouterr().err
