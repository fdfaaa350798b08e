"""Envelopes never strand: a full back end, a clock years ahead, old dead letters.

Real parts: the real back end on loopback TLS (its SQLite database made "full"
with ``PRAGMA max_page_count``, so the intake answers its own 503), real store
files on the suitcase, the real transmitter; only the suitcase's clock is
injected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from koffer.backend.server import Backend, BackendServer
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import device
from koffer.enrollment.enroll import enroll_online
from koffer.errors import StoreError
from koffer.queue.models import DEAD, PURGED, REJECTED, SEALED, OutboxItem
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore
from tests.integration.transmission.conftest import FAST_STORE, PASSPHRASE, add_case

UNREACHABLE = "https://127.0.0.1:9"
#: envelopes larger than a database page (see :func:`backend_disk_full`)
PASS = "personalausweis"


class Clock:
    """The suitcase's clock, set and advanced by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@contextmanager
def backend_disk_full(backend: Backend) -> Iterator[None]:
    """The back end's database cannot grow: every insert fails as on a full disk.

    Use Personalausweis cases: their envelopes (with photo and fingerprints)
    are larger than a page, so no insert fits into space left in existing pages.
    """
    engine = backend.engine
    assert engine is not None
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")  # no free pages left to fill

    def limit(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {int(pages)}")
        cur.close()

    def unlimit(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA max_page_count = 1073741823")
        cur.close()

    event.listen(engine, "checkout", limit)
    try:
        yield
    finally:
        event.remove(engine, "checkout", limit)
        event.listen(engine, "checkout", unlimit)


def _enroll(store: UnlockedStore, backend: Backend, srv: BackendServer) -> DeviceCredentials:
    token = backend.enrollment_token("k1", url=srv.url, enroll_url=srv.enroll_url)
    device.save_credentials(store, enroll_online(token))
    return device.require_credentials(store)


def _all_delivered(outbox: Outbox, ids: list[str]) -> bool:
    entries = {e.envelope_id: e for e in outbox.list()}
    return all(entries[i].state == PURGED and entries[i].receipt is not None for i in ids)


def test_503_for_a_while_then_all_delivered_without_requeue(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    clock = Clock(datetime.now(UTC))
    settings = TransmissionSettings(max_attempts=3, backoff_base=1.0, backoff_max=60.0)
    outbox = Outbox(suitcase, settings, clock=clock)
    ids = [outbox.seal_case(add_case(suitcase, PASS, i), creds).envelope_id for i in range(6)]
    with backend_disk_full(backend), Transmitter(creds, clock=clock) as tx:
        for _ in range(2 * settings.max_attempts):
            report = outbox.sync_once(tx)
            assert (report.sent, report.failed, report.dead, report.rejected) == (0, 6, 0, 0)
            clock.advance(settings.backoff_max + 1)
    assert backend.intake.stats()["total"] == 0
    entries = outbox.list()
    assert all(e.state == SEALED and e.has_envelope for e in entries)
    assert all(e.attempts == 2 * settings.max_attempts for e in entries)
    # the message promises a resend, and it is true
    assert all("erneut gesendet" in (e.last_error or "") for e in entries)
    assert DEAD not in outbox.counts()
    with Transmitter(creds, clock=clock) as tx:
        report = outbox.sync_once(tx)
    assert report.sent == len(ids) and report.stopped is None
    assert _all_delivered(outbox, ids)
    assert backend.intake.stats()["total"] == len(ids)
    events = [a.event for a in suitcase.list_audit()]
    assert "envelope_requeued" not in events  # nobody had to requeue anything
    assert events.count("envelope_overdue") == len(ids)


@pytest.mark.parametrize("fault", ["backend_full", "unreachable"])
def test_clock_ahead_1100_days_then_correct_delivered_within_3_syncs(
    fault: str, suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    real = datetime.now(UTC)
    clock = Clock(real)
    settings = TransmissionSettings()
    outbox = Outbox(suitcase, settings, clock=clock)
    ids = [outbox.seal_case(add_case(suitcase, PASS, i), creds).envelope_id for i in range(3)]
    clock.now = real + timedelta(days=1100)
    ids.append(outbox.seal_case(add_case(suitcase, PASS, 9), creds).envelope_id)
    if fault == "backend_full":
        with backend_disk_full(backend), Transmitter(creds, clock=clock) as tx:
            assert outbox.sync_once(tx).failed == len(ids)
    else:
        with Transmitter(creds, clock=clock, base_url=UNREACHABLE) as tx:
            assert outbox.sync_once(tx).stopped is not None
    waiting = [e for e in outbox.list() if e.next_attempt_at > real + timedelta(days=1000)]
    assert waiting  # the finding: a schedule years ahead
    clock.now = real  # the clock is put right
    syncs = 0
    with Transmitter(creds, clock=clock) as tx:
        while syncs < 3 and not _all_delivered(outbox, ids):
            outbox.sync_once(tx)
            syncs += 1
            clock.advance(settings.poll_interval)
    assert _all_delivered(outbox, ids), f"not delivered after {syncs} syncs"
    assert backend.intake.stats()["total"] == len(ids)


def test_schedule_is_clamped_to_backoff_max(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    clock = Clock(datetime.now(UTC))
    settings = TransmissionSettings(backoff_max=60.0)
    outbox = Outbox(suitcase, settings, clock=clock)
    entry = outbox.seal_case(add_case(suitcase, "anmeldung", 1), creds)
    with suitcase.transaction() as session:
        row = session.get(OutboxItem, entry.envelope_id)
        assert row is not None
        row.next_attempt_at = clock.now + timedelta(days=10)  # e.g. a larger cap before
    with Transmitter(creds, clock=clock) as tx:
        assert outbox.sync_once(tx).sent == 0
        (item,) = outbox.list()
        assert item.next_attempt_at <= clock.now + timedelta(seconds=60)
        clock.advance(61)
        assert outbox.sync_once(tx).sent == 1


def test_a_4xx_that_is_not_the_back_ends_refusal_is_retried(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    clock = Clock(datetime.now(UTC))
    outbox = Outbox(suitcase, TransmissionSettings(backoff_base=1.0), clock=clock)
    entry = outbox.seal_case(add_case(suitcase, "anmeldung", 1), creds)
    # a wrong path prefix (as behind a misconfigured proxy): 404 without a refusal document
    with Transmitter(creds, clock=clock, base_url=srv.url + "/proxy") as tx:
        report = outbox.sync_once(tx)
    assert (report.rejected, report.failed) == (0, 1)
    (item,) = outbox.list()
    assert item.state == SEALED and item.attempts == 1 and item.reject_code is None
    assert "404" in (item.last_error or "") and "erneut gesendet" in (item.last_error or "")
    clock.advance(2)
    with Transmitter(creds, clock=clock) as tx:
        assert outbox.sync_once(tx).sent == 1
    assert outbox.list()[0].envelope_id == entry.envelope_id


def test_dead_letters_of_an_older_version_are_retried_automatically(
    tmp_path: Path, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    data = tmp_path / "old-suitcase"
    Store.create(data, "admin", PASSPHRASE, FAST_STORE)
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        creds = _enroll(s, backend, srv)
        outbox = Outbox(s)
        dead, proxied, refused = (
            outbox.seal_case(add_case(s, "anmeldung", i), creds).envelope_id for i in range(3)
        )
        # what an older version left in the file
        with s.transaction() as session:
            for envelope_id, state, code in (
                (dead, DEAD, None),
                (proxied, REJECTED, "http_404"),
                (refused, REJECTED, "invalid_case"),
            ):
                row = session.get(OutboxItem, envelope_id)
                assert row is not None
                row.state, row.reject_code, row.attempts = state, code, 8
                row.next_attempt_at = datetime(2029, 1, 1, tzinfo=UTC)
                row.last_error = "Der Fall wird später erneut gesendet."
    with Store.open(data, FAST_STORE) as store, store.unlock("admin", PASSPHRASE) as s:
        outbox = Outbox.open(s)  # recovery on open
        states = {e.envelope_id: e.state for e in outbox.list()}
        assert states == {dead: SEALED, proxied: SEALED, refused: REJECTED}
        with Transmitter(creds) as tx:
            assert outbox.sync_once(tx).sent == 2
        states = {e.envelope_id: e.state for e in outbox.list()}
        assert states == {dead: PURGED, proxied: PURGED, refused: REJECTED}
        events = [a.event for a in s.list_audit()]
        assert events.count("envelope_requeued") == 2
    assert backend.intake.stats()["total"] == 2


def test_requeue_of_a_sealed_envelope_and_requeue_all(
    suitcase: UnlockedStore, real_backend: tuple[Backend, BackendServer]
) -> None:
    backend, srv = real_backend
    creds = _enroll(suitcase, backend, srv)
    clock = Clock(datetime.now(UTC))
    outbox = Outbox(suitcase, TransmissionSettings(backoff_base=600.0), clock=clock)
    first, second, third = (
        outbox.seal_case(add_case(suitcase, "anmeldung", i), creds).envelope_id for i in range(3)
    )
    with Transmitter(creds, clock=clock, base_url=UNREACHABLE) as tx:
        outbox.sync_once(tx)
    with suitcase.transaction() as session:
        row = session.get(OutboxItem, third)
        assert row is not None
        row.state, row.reject_code = REJECTED, "invalid_case"
    with Transmitter(creds, clock=clock) as tx:
        outbox.sync_once(tx)  # the second goes; the first waits for its back-off
        states = {e.envelope_id: e.state for e in outbox.list()}
        assert states == {first: SEALED, second: PURGED, third: REJECTED}
        outbox.requeue(first)  # sealed and waiting: due now
        assert outbox.sync_once(tx).envelope_ids == [first]
        with pytest.raises(StoreError, match="nicht erneut eingereiht"):
            outbox.requeue(first)  # delivered
        assert outbox.requeue_all() == 1
        assert outbox.sync_once(tx).envelope_ids == [third]
    assert backend.intake.stats()["total"] == 3
