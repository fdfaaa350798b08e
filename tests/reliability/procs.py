"""Child processes of the crash scenarios (started through a forkserver, then SIGKILLed).

- :func:`run_cli` runs a ``koffer`` sub-command (the headless visit) in the child.
- :func:`draft_visit` is a visit that edits drafts like the kiosk does: a case is
  created as a draft, saved field by field, its captures are added one by one,
  then it is completed, sealed and sent. Started again after a kill, it first
  RESUMES every draft left behind and seals every completed case that was not
  sealed yet, then goes on with new cases.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from koffer.cases.enums import CaseType
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.casework.sealing import reseal_completed
from koffer.commands import cli
from koffer.commands.simulate_visit import capture_attachments, finish_left_drafts
from koffer.enrollment import device
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore

FAST = StoreSettings.insecure_fast()
#: marker inside a draft payload: which sample the draft is being filled from
RESUME_KEY = "_resume"


def _quiet(log: str | None) -> None:
    if log is not None:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)


def run_cli(argv: list[str], log: str | None = None, ready: Any = None) -> None:
    """``koffer ARGV`` in this (forked) process; exits with its exit code."""
    _quiet(log)
    if ready is not None:
        ready.set()
    sys.stdout.flush()
    os._exit(cli.main(argv))


def full_payload(kind: str, seed: int) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    return case_to_dict(sample_case(CaseType(kind), seed, today))


def _fill(store: UnlockedStore, case_id: str, kind: str, seed: int) -> None:
    """Complete a draft field by field and capture by capture (idempotent)."""
    target = full_payload(kind, seed)
    current = store.load_case(case_id).payload
    for key, value in target.items():
        if current.get(key) != value:
            current[key] = value
            store.save_case(case_id, current)
    have = set(store.load_case(case_id).attachment_names)
    for name, data in capture_attachments(target, seed).items():
        if name not in have:
            store.save_case(case_id, None, {name: data})
    with store.transaction() as session:  # drop the marker and complete: all or nothing
        store.save_case(case_id, target, session=session)
        store.set_state(case_id, "completed", session=session)


def draft_visit(data_dir: str, passphrase: str, seed: int, cases: int, ready: Any = None) -> int:
    tx_settings = TransmissionSettings(batch_size=1, backoff_base=0.0)
    with Store.open(Path(data_dir), FAST) as st, st.unlock("admin", passphrase) as store:
        creds = device.require_credentials(store)
        outbox = Outbox.open(store, tx_settings)
        if ready is not None:
            ready.set()
        for meta in store.list_cases(["draft"]):
            marker = store.load_case(meta.case_id).payload.get(RESUME_KEY)
            if marker is not None:
                _fill(store, meta.case_id, str(marker["kind"]), int(marker["seed"]))
        # drafts a killed simulate-visit left (whole cases, no marker): its own resume
        finish_left_drafts(store, seal=True)
        # a case the crash left completed but unsealed: the kiosk's own recovery
        recovery = reseal_completed(store, tx_settings, creds=creds)
        if recovery.failed:
            raise RuntimeError(f"resealing failed: {recovery.failed}")
        kinds = ("personalausweis", "anmeldung", "abmeldung")
        for n in range(cases):
            kind, case_seed = kinds[(seed + n) % 3], seed * 1000 + n
            case_id = store.create_case(kind, {RESUME_KEY: {"kind": kind, "seed": case_seed}})
            _fill(store, case_id, kind, case_seed)
            outbox.seal_case(case_id, creds)
        with Transmitter(creds) as tx:
            while outbox.sync_once(tx).sent:
                pass
    return 0


def draft_visit_child(
    data_dir: str, passphrase: str, seed: int, cases: int, ready: Any = None
) -> None:
    _quiet(os.devnull)
    os._exit(draft_visit(data_dir, passphrase, seed, cases, ready))
