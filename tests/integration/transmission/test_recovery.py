"""Completed but unsealed cases (a crash between the two steps) are sealed exactly once.

The crash is real: a child process completes a case through the kiosk's
completion (:func:`koffer.casework.completion.complete_case`, no Qt) and dies with
``os._exit`` the moment it would seal. After the "restart" the recovery seals
it once, a second run finds nothing, a draft case stays as it was, and the
back end receives the case once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework.sealing import reseal_completed, unsealed_cases
from koffer.commands import cli
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.queue.outbox import Outbox
from koffer.queue.transmitter import Transmitter
from koffer.store.store import Store
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

#: complete case ARGV[2] in store ARGV[1] like the kiosk does, then die while sealing
CHILD = """
import os, sys
from datetime import date
from pathlib import Path
from koffer.crypto.kdf import Argon2Params
from koffer.documents.settings import MunicipalitySettings
from koffer.casework.completion import complete_case
from koffer.casework.case_store import CaseStore
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

settings = StoreSettings(argon2=Argon2Params(memory_kib=64, iterations=1, lanes=1))
store = Store.open(Path(sys.argv[1]), settings)
unlocked = store.unlock("admin", sys.argv[3])

def die(_store, _case_id):
    os._exit(9)  # killed after "completed" was committed, before sealing

complete_case(
    CaseStore(unlocked, "admin", "admin"), sys.argv[2], date.today(),
    MunicipalitySettings(), seal=die,
)
"""


def _draft(data: Path, seed: int) -> str:
    """A case as the kiosk keeps it while the clerk works (state ``draft``)."""
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        case = sample_case(CaseType.ANMELDUNG, seed, datetime.now(UTC).date())
        return u.create_case("anmeldung", case_to_dict(case), {}, state="draft")


def _complete_and_die(data: Path, case_id: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), case_id, PASSPHRASE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 9, result.stderr[-2000:]


def test_case_killed_before_sealing_is_sealed_exactly_once(
    tmp_path: Path, backend: Backend, server: BackendServer, creds: DeviceCredentials
) -> None:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        device.save_credentials(u, creds)
    victim = _draft(data, 1)
    untouched = _draft(data, 2)
    _complete_and_die(data, victim)

    # restart: the case is completed, still readable, and nothing is in the outbox
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        assert u.case_meta(victim).state == "completed" and u.case_meta(victim).readable
        assert Outbox(u).counts() == {}
        draft_before = u.load_case(untouched)
        assert [m.case_id for m in unsealed_cases(u)] == [victim]

        first = reseal_completed(u)
        second = reseal_completed(u)

        assert len(first.sealed) == 1 and not first.failed
        assert not second.sealed and not second.failed and second.waiting == 0
        meta = u.case_meta(victim)
        assert meta.state == "sealed" and not meta.readable
        assert Outbox(u).counts() == {"sealed": 1}
        draft_after = u.load_case(untouched)
        assert draft_after.state == "draft" and u.case_meta(untouched).readable
        assert draft_after.payload == draft_before.payload
        assert draft_after.updated_at == draft_before.updated_at
        events = [e.event for e in u.list_audit()]
        assert events.count("case_resealed") == 1

        with Transmitter(creds) as tx:
            report = Outbox(u).sync_once(tx)
        assert report.sent == 1
    assert backend.intake.stats()["total"] == 1


def test_not_enrolled_leaves_completed_cases_waiting(tmp_path: Path) -> None:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        case_id = add_case(u, "anmeldung", 3)
        result = reseal_completed(u)
        assert result.waiting == 1 and not result.sealed and not result.failed
        assert u.case_meta(case_id).state == "completed" and u.case_meta(case_id).readable
        assert Outbox(u).counts() == {}


def test_damaged_case_is_reported_and_the_others_are_sealed(
    tmp_path: Path, creds: DeviceCredentials
) -> None:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        device.save_credentials(u, creds)
        damaged = add_case(u, "anmeldung", 4)
        healthy = add_case(u, "personalausweis", 5)
        number = u.case_meta(damaged).case_number
    import sqlite3

    from koffer.store import files

    conn = sqlite3.connect(files.db_path(data))
    with conn:
        (blob,) = conn.execute("SELECT payload FROM cases WHERE case_id = ?", (damaged,)).fetchone()
        spoiled = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
        conn.execute("UPDATE cases SET payload = ? WHERE case_id = ?", (spoiled, damaged))
    conn.close()

    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        result = reseal_completed(u)
        assert [e.case_number for e in result.sealed] == [u.case_meta(healthy).case_number]
        assert [n for n, _de, _en in result.failed] == [number]
        _n, german, english = result.failed[0]
        assert german and english and german != english
        assert u.case_meta(damaged).state == "completed"
        assert u.case_meta(healthy).state == "sealed"


def test_simulate_visit_reseals_first(
    tmp_path: Path,
    backend: Backend,
    server: BackendServer,
    creds: DeviceCredentials,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as u:
        device.save_credentials(u, creds)
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "koffer.toml").write_text(
        "[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\nargon2_lanes = 1\n"
    )
    common = ["--data-dir", str(data), "--passphrase-file", str(tmp_path / "pass")]
    common += ["--config", str(tmp_path / "koffer.toml")]
    # captured, not sealed: two completed cases wait
    assert cli.main(["simulate-visit", "--cases", "2", "--no-seal", *common]) == 0
    assert "resealed" not in json.loads(capsys.readouterr().out)
    assert cli.main(["simulate-visit", "--cases", "1", "--sync", *common]) == 0
    first = json.loads(capsys.readouterr().out)
    assert cli.main(["simulate-visit", "--cases", "0", "--sync", *common]) == 0
    second = json.loads(capsys.readouterr().out)
    assert first["resealed"] == 2 and first["sync"]["sent"] == 3
    assert first["outbox"] == {"purged": 3}
    assert second["resealed"] == 0 and second["outbox"] == {"purged": 3}
    assert backend.intake.stats()["total"] == 3
