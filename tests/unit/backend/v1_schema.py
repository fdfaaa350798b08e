"""The back end's database schema of version 1 (cases keyed by envelope id alone).

Used to build databases as older versions left them, for the migration tests
(SQLite here, PostgreSQL in tests/integration/postgres).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    insert,
)

metadata = MetaData()

devices = Table(
    "devices",
    metadata,
    Column("device_id", String(64), primary_key=True),
    Column("name", String(200), unique=True),
    Column("cert_fingerprint", String(64), unique=True, index=True),
    Column("signing_key_pem", LargeBinary),
    Column("enrolled_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

enrollment_tokens = Table(
    "enrollment_tokens",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("secret_hash", String(64), unique=True),
    Column("created_at", DateTime(timezone=True)),
    Column("expires_at", DateTime(timezone=True)),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

cases = Table(
    "cases",
    metadata,
    Column("envelope_id", String(36), primary_key=True),
    Column("device_id", ForeignKey("devices.device_id"), index=True),
    Column("case_type", String(40), index=True),
    Column("created", String(40)),
    Column("received_at", DateTime(timezone=True)),
    Column("envelope_hash", String(64)),
    Column("payload_hash", String(64)),
    Column("receipt", Text),
    Column("state", String(20), default="received", index=True),
    Column("exported_at", DateTime(timezone=True), nullable=True),
    Column("fingerprints_deleted_at", DateTime(timezone=True), nullable=True),
    Column("payload", LargeBinary),
    Column("attachment_count", Integer, default=0),
)

ENVELOPE_ID = "11111111-2222-4333-8444-555555555555"


def populate(engine: Engine) -> None:
    """Create the version-1 tables with two devices and one case of device A."""
    metadata.create_all(engine)
    now = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    with engine.begin() as conn:
        for suffix in ("a", "b"):
            conn.execute(
                insert(devices),
                {
                    "device_id": f"dev-{suffix}",
                    "name": f"koffer-{suffix}",
                    "cert_fingerprint": suffix * 64,
                    "signing_key_pem": b"pem",
                    "enrolled_at": now,
                },
            )
        conn.execute(insert(cases), case_row("dev-a", now))


def case_row(device_id: str, now: datetime) -> dict[str, object]:
    return {
        "envelope_id": ENVELOPE_ID,
        "device_id": device_id,
        "case_type": "anmeldung",
        "created": "2026-05-01T10:00:00Z",
        "received_at": now,
        "envelope_hash": "e" * 64,
        "payload_hash": "p" * 64,
        "receipt": "{}",
        "state": "received",
        "payload": b"sealed",
        "attachment_count": 0,
    }
