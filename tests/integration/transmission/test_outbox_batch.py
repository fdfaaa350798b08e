"""Sync batches: one claim, grouped receipts, a fatal error stops the batch, back-off persists."""

from __future__ import annotations

from pathlib import Path

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.crypto import receipts
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.errors import FatalTransmissionError
from koffer.queue.models import PURGED, SEALED, SENDING
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case


def _enroll(store: UnlockedStore, backend: Backend, srv: BackendServer) -> DeviceCredentials:
    token = backend.enrollment_token("k1", url=srv.url, enroll_url=srv.enroll_url)
    device.save_credentials(store, enroll_online(token))
    return device.require_credentials(store)


class _Breaks:
    """Sends through the real transmitter; the ``at``-th call fails with ``error``."""

    def __init__(self, tx: Transmitter, at: int, error: Exception) -> None:
        self._tx, self._at, self._error = tx, at, error
        self.calls: list[str] = []

    def send(self, envelope_id: str, data: bytes, payload_hash: str | None) -> receipts.Receipt:
        self.calls.append(envelope_id)
        if len(self.calls) == self._at:
            raise self._error
        return self._tx.send(envelope_id, data, payload_hash)


def _seal(store: UnlockedStore, creds: DeviceCredentials, outbox: Outbox, n: int) -> list[str]:
    return [outbox.seal_case(add_case(store, "anmeldung", i), creds).envelope_id for i in range(n)]


def test_fatal_error_stops_the_batch_and_releases_the_rest(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox(
        suitcase, TransmissionSettings(ack_batch_size=2, backoff_base=60.0, max_in_flight=1)
    )
    _seal(suitcase, creds, outbox, 5)
    before = {e.envelope_id: e for e in outbox.list()}
    fatal = FatalTransmissionError("Gegenstelle weg.", message_en="Back end gone.")
    with Transmitter(creds) as tx:
        sender = _Breaks(tx, 3, fatal)
        report = outbox.sync_once(sender)
    assert len(sender.calls) == 3  # nothing is sent after the fatal error
    assert report.sent == 2 and report.failed == 1
    assert report.stopped == "Gegenstelle weg."
    assert report.envelope_ids == sender.calls[:2]
    after = {e.envelope_id: e for e in outbox.list()}
    assert not any(e.state == SENDING for e in after.values())
    failed = after[sender.calls[2]]
    assert failed.state == SEALED and failed.attempts == 0
    assert failed.next_attempt_at > before[failed.envelope_id].next_attempt_at  # back-off
    assert failed.last_error == "Gegenstelle weg."
    untouched = set(after) - set(sender.calls)
    assert len(untouched) == 2
    for envelope_id in untouched:  # released as they were, not counted as attempts
        assert after[envelope_id].state == SEALED
        assert after[envelope_id].next_attempt_at == before[envelope_id].next_attempt_at
        assert after[envelope_id].attempts == 0 and after[envelope_id].last_error is None
    for envelope_id in sender.calls[:2]:
        assert after[envelope_id].state == PURGED and after[envelope_id].receipt is not None
    # the rest goes once the back end is back; every case arrives exactly once
    outbox.release()
    with Transmitter(creds) as tx:
        assert outbox.sync_once(tx).sent == 3
    assert backend.intake.stats()["total"] == 5
    assert {e.state for e in outbox.list()} == {PURGED}
    assert [a.event for a in suitcase.list_audit()].count("envelope_acknowledged") == 5


def test_unexpected_error_keeps_the_receipts_already_received(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox(suitcase, TransmissionSettings(ack_batch_size=10, max_in_flight=1))
    _seal(suitcase, creds, outbox, 4)
    with Transmitter(creds) as tx:
        sender = _Breaks(tx, 3, RuntimeError("bug"))
        with pytest.raises(RuntimeError):
            outbox.sync_once(sender)
    states = {e.envelope_id: e.state for e in outbox.list()}
    # the two receipts got before the failure are kept; nothing is left "sending"
    assert [states[i] for i in sender.calls[:2]] == [PURGED, PURGED]
    assert sorted(states.values()) == [PURGED, PURGED, SEALED, SEALED]
    with Transmitter(creds) as tx:
        assert outbox.sync_once(tx).sent == 2
    assert backend.intake.stats()["total"] == 4


def test_concurrent_sends_stop_at_a_fatal_error_and_lose_nothing(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox(suitcase, TransmissionSettings(ack_batch_size=3, max_in_flight=3))
    ids = _seal(suitcase, creds, outbox, 12)
    fatal = FatalTransmissionError("Gegenstelle weg.", message_en="Back end gone.")
    with Transmitter(creds) as tx:
        sender = _Breaks(tx, 5, fatal)
        report = outbox.sync_once(sender)
        assert report.stopped == "Gegenstelle weg."
        # at most the sends already in flight finish after the fatal one
        assert 5 <= len(sender.calls) <= 5 + 2
        assert report.sent == len(sender.calls) - 1
        states = {e.envelope_id: e.state for e in outbox.list()}
        assert SENDING not in states.values()
        assert sum(1 for s in states.values() if s == PURGED) == report.sent
        outbox.release()
        while outbox.sync_once(tx).sent:
            pass
    assert {e.state for e in outbox.list()} == {PURGED}
    assert backend.intake.stats()["total"] == len(ids)
    assert [a.event for a in suitcase.list_audit()].count("envelope_acknowledged") == len(ids)


def test_batch_larger_than_ack_group_sends_everything_once(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox(suitcase, TransmissionSettings(batch_size=7, ack_batch_size=3))
    ids = _seal(suitcase, creds, outbox, 9)
    with Transmitter(creds) as tx:
        first = outbox.sync_once(tx)
        second = outbox.sync_once(tx)
        third = outbox.sync_once(tx)
    assert (first.sent, second.sent, third.sent) == (7, 2, 0)
    assert sorted(first.envelope_ids + second.envelope_ids) == sorted(ids)
    assert backend.intake.stats()["total"] == 9


def test_backoff_and_next_attempt_survive_a_reopen(
    tmp_path: Path, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    data = tmp_path / "suitcase-reopen"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    settings = TransmissionSettings(backoff_base=600.0)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        creds = _enroll(s, backend, srv)
        outbox = Outbox.open(s, settings)
        (envelope_id,) = _seal(s, creds, outbox, 1)
        with Transmitter(creds, base_url="https://127.0.0.1:9") as tx:
            assert outbox.sync_once(tx).stopped is not None
        (before,) = outbox.list()
    assert before.state == SEALED and before.next_attempt_at > before.created_at
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        outbox = Outbox.open(s, settings)
        (after,) = outbox.list()
        assert after.envelope_id == envelope_id
        assert after.state == SEALED
        assert after.next_attempt_at == before.next_attempt_at
        assert after.attempts == before.attempts
        assert after.last_error == before.last_error
        assert outbox.next_due() == before.next_attempt_at
        with Transmitter(device.require_credentials(s)) as tx:
            assert outbox.sync_once(tx).sent == 0  # still waiting after the restart
