"""A version-1 SQLite database (cases keyed by envelope id) keeps working after the upgrade."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, inspect, select

from koffer.backend.db import ReceivedCase, open_database
from tests.unit.backend import v1_schema


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_v1_sqlite_database_is_rekeyed_per_device(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'backend.db'}"
    old = create_engine(url)
    v1_schema.populate(old)
    old.dispose()

    engine, sessions = open_database(url)
    try:
        insp = inspect(engine)
        assert set(insp.get_pk_constraint("cases")["constrained_columns"]) == {
            "device_id",
            "envelope_id",
        }
        assert "created_implausible" in {c["name"] for c in insp.get_columns("cases")}
        indexed = {tuple(i["column_names"]) for i in insp.get_indexes("cases")}
        assert ("envelope_id",) in indexed and ("device_id",) in indexed
        with sessions() as session:
            kept = session.scalars(select(ReceivedCase)).one()
            assert (kept.device_id, kept.envelope_id) == ("dev-a", v1_schema.ENVELOPE_ID)
            assert kept.payload == b"sealed" and kept.created_implausible is None
        # device B may now use the id device A took
        with engine.begin() as conn:
            conn.execute(insert(ReceivedCase), v1_schema.case_row("dev-b", datetime.now(UTC)))
        with sessions() as session:
            assert len(session.scalars(select(ReceivedCase)).all()) == 2
    finally:
        engine.dispose()
    # opening again is a no-op
    engine, _ = open_database(url)
    engine.dispose()


def test_sqlite_files_are_0600_under_umask_022(tmp_path: Path, umask_022: None) -> None:
    db = tmp_path / "backend.db"
    engine, _ = open_database(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(ReceivedCase.__table__.metadata.tables["devices"]),
                {
                    "device_id": "dev-a",
                    "name": "koffer-a",
                    "cert_fingerprint": "a" * 64,
                    "signing_key_pem": b"pem",
                    "enrolled_at": datetime.now(UTC),
                },
            )
        files = [db, db.with_name("backend.db-wal"), db.with_name("backend.db-shm")]
        for path in files:
            assert path.exists(), path
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        engine.dispose()


def test_existing_world_readable_database_is_tightened(tmp_path: Path, umask_022: None) -> None:
    db = tmp_path / "backend.db"
    engine, _ = open_database(f"sqlite:///{db}")
    engine.dispose()
    db.chmod(0o644)
    engine, _ = open_database(f"sqlite:///{db}")
    engine.dispose()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
