"""A version-1 PostgreSQL database (cases keyed by envelope id) after the upgrade.

The primary key becomes (device_id, envelope_id) in place, the new column is
added, the stored case is kept, and a second device may use the same id; the
token of one device is redeemed atomically under concurrency.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, inspect, select

from koffer.backend.db import Device, ReceivedCase, open_database
from koffer.backend.keystore import BackendDir
from koffer.backend.refusals import Refusal
from koffer.backend.server import Backend
from koffer.backend.validation import accept_any
from koffer.crypto import identity, tls
from tests.unit.backend import v1_schema

pytestmark = pytest.mark.postgres


def test_v1_postgres_database_is_rekeyed_per_device(postgres_url: str) -> None:
    old = create_engine(postgres_url)
    v1_schema.populate(old)
    old.dispose()

    engine, sessions = open_database(postgres_url)
    try:
        insp = inspect(engine)
        key = insp.get_pk_constraint("cases")["constrained_columns"]
        assert set(key) == {"device_id", "envelope_id"}
        assert "created_implausible" in {c["name"] for c in insp.get_columns("cases")}
        assert ("envelope_id",) in {tuple(i["column_names"]) for i in insp.get_indexes("cases")}
        with sessions() as session:
            kept = session.scalars(select(ReceivedCase)).one()
            assert (kept.device_id, kept.payload) == ("dev-a", b"sealed")
        with engine.begin() as conn:
            conn.execute(insert(ReceivedCase), v1_schema.case_row("dev-b", datetime.now(UTC)))
        with sessions() as session:
            assert len(session.scalars(select(ReceivedCase)).all()) == 2
    finally:
        engine.dispose()
    engine, _ = open_database(postgres_url)  # a second start changes nothing
    engine.dispose()


def test_concurrent_token_redemption_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    with Backend.open(path, database_url=postgres_url, validator=accept_any) as backend:
        secret = backend.intake.issue_token("koffer-1", timedelta(hours=1))
        barrier = threading.Barrier(12)
        outcomes: list[str] = []
        lock = threading.Lock()

        def redeem() -> None:
            csr = tls.make_csr(identity.generate_key(), "koffer-1")
            signing = identity.public_key_to_pem(identity.generate_key().public_key())
            barrier.wait()
            try:
                backend.intake.enroll(secret, csr, signing)
                outcome = "ok"
            except Refusal as exc:
                outcome = f"{exc.status} {exc.code}"
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=redeem) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["409 token_used"] * 11 + ["ok"]
        with backend.intake.sessions() as session:
            assert len(session.scalars(select(Device)).all()) == 1
