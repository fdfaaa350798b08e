"""The back end's group commit: concurrent envelopes share one durable commit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from koffer.backend.db import Device, open_database
from koffer.backend.group_commit import GroupCommit
from koffer.backend.refusals import Refusal
from koffer.backend.server import Backend
from koffer.backend.service import IntakeResult
from koffer.crypto import sealing, tls
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment.enroll import PendingKeys, complete_offline, offline_request


def _row(envelope_id: str) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "device_id": "dev-1",
        "case_type": "anmeldung",
        "created": "2026-05-01T10:00:00Z",
        "received_at": datetime.now(UTC),
        "envelope_hash": "0" * 64,
        "payload_hash": "1" * 64,
        "receipt": "{}",
        "state": "received",
        "payload": b"sealed",
        "attachment_count": 0,
    }


def _held_group_commit(tmp_path: Path) -> tuple[GroupCommit, threading.Event, threading.Event]:
    """A GroupCommit whose first INSERT waits until ``go`` is set (``held`` says it waits)."""
    engine, sessions = open_database(f"sqlite:///{tmp_path / 'intake.db'}")
    with sessions() as session:
        session.add(
            Device(
                device_id="dev-1",
                name="k1",
                cert_fingerprint="f" * 64,
                signing_key_pem=b"-",
                enrolled_at=datetime.now(UTC),
            )
        )
        session.commit()
    held, go = threading.Event(), threading.Event()

    @event.listens_for(engine, "before_cursor_execute")
    def _hold(*_args: object) -> None:
        if not held.is_set():
            held.set()
            assert go.wait(10)

    return GroupCommit(engine), held, go


def _insert_all(gc: GroupCommit, ids: list[str]) -> dict[str, BaseException | None]:
    outcome: dict[str, BaseException | None] = {}

    def run(key: str, envelope_id: str) -> None:
        try:
            gc.insert(_row(envelope_id))
            outcome[key] = None
        except BaseException as exc:  # collected for the asserts
            outcome[key] = exc

    threads = [threading.Thread(target=run, args=(f"{i}", e)) for i, e in enumerate(ids)]
    for t in threads:
        t.start()
    return outcome if all(_join(t) for t in threads) else {}


def _join(thread: threading.Thread) -> bool:
    thread.join(20)
    return not thread.is_alive()


def test_rows_that_arrive_during_a_commit_share_the_next_one(tmp_path: Path) -> None:
    gc, held, go = _held_group_commit(tmp_path)
    first = threading.Thread(target=gc.insert, args=(_row("a" * 8),))
    first.start()
    assert held.wait(10)
    # while the first commit hangs, eight more rows queue up
    later = [f"row-{i}" for i in range(8)]
    waiting = threading.Thread(target=_insert_all, args=(gc, later))
    waiting.start()
    while len(gc._queue) < 8:
        threading.Event().wait(0.005)
    go.set()
    assert _join(first) and _join(waiting)
    assert gc.rows == 9
    assert gc.commits == 2


def test_a_duplicate_in_a_group_fails_alone(tmp_path: Path) -> None:
    gc, held, go = _held_group_commit(tmp_path)
    first = threading.Thread(target=gc.insert, args=(_row("first"),))
    first.start()
    assert held.wait(10)
    outcome: dict[str, BaseException | None] = {}
    waiting = threading.Thread(
        target=lambda: outcome.update(_insert_all(gc, ["x", "dup", "dup", "y"]))
    )
    waiting.start()
    while len(gc._queue) < 4:
        threading.Event().wait(0.005)
    go.set()
    assert _join(first) and _join(waiting)
    errors = [e for e in outcome.values() if e is not None]
    assert len(outcome) == 4 and len(errors) == 1
    assert isinstance(errors[0], IntegrityError)
    assert gc.rows == 4  # first, x, dup, y


# ----------------------------------------------------------------- through the intake


def _offline_creds(backend: Backend) -> tuple[DeviceCredentials, bytes]:
    keys = PendingKeys.generate()
    creds = complete_offline(
        keys,
        backend.enroll_offline("k1", offline_request(keys, "k1")),
        tls.fingerprint(backend.intake.keys.ca_pem),
    )
    cert = x509.load_pem_x509_certificate(creds.client_cert_pem)
    return creds, cert.public_bytes(Encoding.DER)


def _seal(creds: DeviceCredentials) -> sealing.SealedEnvelope:
    payload = sealing.Payload(1, {"case_type": "anmeldung"}, ())
    return sealing.seal(
        payload,
        case_type="anmeldung",
        device_id=creds.device_id,
        signing_key=creds.signing_key,
        recipient_key=creds.hpke_public,
    )


def test_concurrent_envelopes_all_get_their_receipt(backend: Backend) -> None:
    creds, der = _offline_creds(backend)
    envelopes = [_seal(creds) for _ in range(12)]
    envelopes.append(envelopes[0])  # the same envelope twice at once: one case
    results: list[IntakeResult] = []
    barrier = threading.Barrier(len(envelopes))

    def send(env: sealing.SealedEnvelope) -> None:
        barrier.wait()
        results.append(backend.intake.receive(env.envelope_id, env.data, der))

    threads = [threading.Thread(target=send, args=(env,)) for env in envelopes]
    for t in threads:
        t.start()
    assert all(_join(t) for t in threads)
    assert len(results) == 13
    assert sorted(r.status for r in results) == [200] + [201] * 12
    assert backend.intake.stats()["total"] == 12
    assert backend.intake.group_commit.rows == 12


@pytest.mark.parametrize(
    "breakage",
    [
        "DROP TABLE cases",  # reading fails
        "CREATE TRIGGER no_insert BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'x'); END",
    ],
    ids=["read", "insert"],
)
def test_storage_failure_is_a_temporary_refusal_in_german(backend: Backend, breakage: str) -> None:
    creds, der = _offline_creds(backend)
    env = _seal(creds)
    assert backend.engine is not None
    with backend.engine.begin() as conn:
        conn.execute(text(breakage))
    with pytest.raises(Refusal) as info:
        backend.intake.receive(env.envelope_id, env.data, der)
    assert info.value.status == 503
    assert info.value.code == "storage_unavailable"
    assert "erneut gesendet" in info.value.message
    assert backend.intake.group_commit.rows == 0
