"""Suitcase → back end → receipt → purge, with the real store and domain rules."""

from __future__ import annotations

import dataclasses

import pytest

from koffer.backend.server import Backend, BackendServer
from koffer.crypto import identity
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.errors import StoreError
from koffer.queue.models import DEAD, PURGED, REJECTED, SEALED, SENDING, OutboxItem
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.unlocked import UnlockedStore
from tests.integration.transmission.conftest import add_case


def _enroll(store: UnlockedStore, backend: Backend, srv: BackendServer, name: str = "k1"):  # type: ignore[no-untyped-def]
    token = backend.enrollment_token(name, url=srv.url, enroll_url=srv.enroll_url)
    creds = enroll_online(token)
    device.save_credentials(store, creds)
    return device.require_credentials(store)


def test_end_to_end_seal_send_receipt_purge(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    ids = [add_case(suitcase, t, i) for i, t in enumerate(["personalausweis", "anmeldung"])]
    outbox = Outbox.open(suitcase)
    entries = [outbox.seal_case(case_id, creds) for case_id in ids]
    for case_id in ids:
        # crypto-shredded: the suitcase itself cannot read the case any more
        with pytest.raises(StoreError):
            suitcase.load_case(case_id)
        assert suitcase.case_meta(case_id).state == "sealed"
    with Transmitter(creds) as tx:
        report = outbox.sync_once(tx)
    assert report.sent == 2 and report.stopped is None
    listed = {e.envelope_id: e for e in outbox.list()}
    for entry in entries:
        item = listed[entry.envelope_id]
        assert item.state == PURGED
        assert not item.has_envelope
        assert item.receipt is not None
        assert item.receipt["body"]["envelope_id"] == entry.envelope_id
    stats = backend.intake.stats()
    assert stats["by_case_type"] == {"personalausweis": 1, "anmeldung": 1}
    events = [a.event for a in suitcase.list_audit()]
    assert events.count("envelope_acknowledged") == 2


def test_revoked_device_keeps_everything_sealed(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox.open(suitcase)
    for i in range(3):
        outbox.seal_case(add_case(suitcase, "anmeldung", i), creds)
    backend.intake.revoke("k1")
    with Transmitter(creds) as tx:
        report = outbox.sync_once(tx)
    assert report.sent == 0 and report.failed == 1
    assert report.stopped is not None and "gesperrt" in report.stopped
    items = outbox.list()
    assert all(e.state == SEALED and e.has_envelope for e in items)
    assert sum(1 for e in items if e.last_error and "gesperrt" in e.last_error) == 1
    assert backend.intake.stats()["total"] == 0


def test_rejected_case_keeps_its_bytes_and_batch_goes_on(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox.open(suitcase)
    bad_creds = dataclasses.replace(creds, hpke_public=identity.generate_key().public_key())
    bad = outbox.seal_case(add_case(suitcase, "anmeldung", 1), bad_creds)
    good = outbox.seal_case(add_case(suitcase, "anmeldung", 2), creds)
    with Transmitter(creds) as tx:
        report = outbox.sync_once(tx)
    assert (report.sent, report.rejected) == (1, 1)
    by_id = {e.envelope_id: e for e in outbox.list()}
    assert by_id[bad.envelope_id].state == REJECTED
    assert by_id[bad.envelope_id].reject_code == "unknown_key"
    assert by_id[bad.envelope_id].has_envelope
    assert "unbekannten Schlüssel" in (by_id[bad.envelope_id].last_error or "")
    assert by_id[good.envelope_id].state == PURGED
    assert outbox.envelope(bad.envelope_id)


def test_unreachable_backoff_then_recovery(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox(suitcase, TransmissionSettings(backoff_base=60.0))
    entry = outbox.seal_case(add_case(suitcase, "anmeldung", 1), creds)
    with Transmitter(creds, base_url="https://127.0.0.1:9") as tx:
        report = outbox.sync_once(tx)
    assert report.stopped is not None and "nicht erreichbar" in report.stopped
    (item,) = outbox.list()
    assert item.state == SEALED and item.next_attempt_at > item.created_at
    # not due yet: nothing is sent even though the back end is up
    with Transmitter(creds) as tx:
        assert outbox.sync_once(tx).sent == 0
        assert outbox.release() == 1
        assert outbox.sync_once(tx).sent == 1
    assert outbox.list()[0].envelope_id == entry.envelope_id


def test_recovery_sweep_and_transient_failures_never_dead_letter(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox(suitcase, TransmissionSettings(max_attempts=2, backoff_base=0.0))
    entry = outbox.seal_case(add_case(suitcase, "anmeldung", 1), creds)
    with suitcase.transaction() as session:
        row = session.get(OutboxItem, entry.envelope_id)
        assert row is not None
        row.state = SENDING  # as if the process died mid-send
    assert Outbox.open(suitcase).list()[0].state == SEALED

    class Flaky:
        def send(self, envelope_id: str, data: bytes, payload_hash: str | None):  # type: ignore[no-untyped-def]
            from koffer.errors import TransmissionError

            raise TransmissionError("vorübergehend", message_en="temporary")

    for _ in range(3):
        outbox.sync_once(Flaky())
    (item,) = outbox.list()
    # past max_attempts: reported overdue, still queued with its bytes
    assert item.state == SEALED and item.has_envelope and item.attempts == 3
    assert DEAD not in outbox.counts()
    events = [a.event for a in suitcase.list_audit()]
    assert events.count("envelope_overdue") == 1
    with Transmitter(creds) as tx:
        assert outbox.sync_once(tx).sent == 1


def test_export_to_media_takes_an_envelope_being_sent_and_skips_one_delivered_meanwhile(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer], tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A background attempt in flight ("sending") must not keep an envelope off
    the stick; one acknowledged and purged between listing and reading is
    simply not carried (it arrived), instead of stopping the export."""
    from koffer.queue.media import ENVELOPE_SUFFIX, export_envelopes

    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    outbox = Outbox.open(suitcase)
    sealed, in_flight, delivered = (
        outbox.seal_case(add_case(suitcase, "anmeldung", i), creds).envelope_id for i in range(3)
    )
    stale = outbox.list()  # listed before the purge below
    with suitcase.transaction() as session:
        row = session.get(OutboxItem, in_flight)
        assert row is not None
        row.state = SENDING
        gone = session.get(OutboxItem, delivered)
        assert gone is not None
        gone.envelope = None
        gone.state = PURGED
    expected = sorted(f"{e}{ENVELOPE_SUFFIX}" for e in (sealed, in_flight))
    # the states as they are now: the one being sent goes on the stick too
    assert export_envelopes(outbox, tmp_path / "stick") == 2
    assert sorted(p.name for p in (tmp_path / "stick" / "envelopes").iterdir()) == expected
    # a listing taken before the purge: the delivered one is skipped, not an error
    monkeypatch.setattr(outbox, "list", lambda states=None: list(stale))
    assert export_envelopes(outbox, tmp_path / "stick2") == 2
    assert sorted(p.name for p in (tmp_path / "stick2" / "envelopes").iterdir()) == expected
    assert outbox.stored_envelope(delivered) is None
