"""The relay's own tables (beside ``devices`` and ``enrollment_tokens`` of :mod:`.db`).

A relay (``koffer backend init --relay``) stores sealed envelopes for many
tenants (municipalities) and holds no key that opens them. Its tables:

- ``relay_tenants``: name, Gemeindeschlüssel, disabled, and the HPKE PUBLIC
  key its station registered (devices of the tenant are sealed to it);
- ``relay_station_tokens``: one-time station tokens (SHA-256 of the secret);
- ``relay_stations``: a tenant's station by its client-certificate fingerprint;
- ``relay_device_tenants``: which tenant a device (by name) belongs to;
- ``relay_envelopes``: the sealed envelopes, keyed by (device id, envelope id)
  like the back end's cases, with the tenant, the envelope's hash, the signed
  receipt and the state ``received`` → ``pulled`` → ``acknowledged`` (the
  ciphertext is removed on acknowledgement; the row stays so a resend of the
  same envelope gets the same receipt).

Nothing here is personal data: the envelope's header names device, envelope
id, case type, creation time and key id; the rest is HPKE ciphertext.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Engine, Index, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from koffer.backend.db import schema_lock


class RelayBase(DeclarativeBase):
    pass


class Tenant(RelayBase):
    __tablename__ = "relay_tenants"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    gemeindeschluessel: Mapped[str] = mapped_column(String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: the station's HPKE public key (PEM) and its key id; None until a station registered
    hpke_key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hpke_public_pem: Mapped[str | None] = mapped_column(Text, nullable=True)


class StationToken(RelayBase):
    __tablename__ = "relay_station_tokens"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Station(RelayBase):
    __tablename__ = "relay_stations"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100), index=True)
    cert_fingerprint: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DeviceTenant(RelayBase):
    __tablename__ = "relay_device_tenants"

    #: the device's name (``devices.name``, also the enrollment token's name)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100), index=True)


class SealedEnvelope(RelayBase):
    __tablename__ = "relay_envelopes"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100))
    case_type: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    envelope_hash: Mapped[str] = mapped_column(String(64))
    receipt: Mapped[str] = mapped_column(Text)
    #: received → pulled → acknowledged
    state: Mapped[str] = mapped_column(String(20), default="received")
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: the sealed envelope as received; None once the station acknowledged it
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (Index("ix_relay_envelopes_tenant_state", "tenant", "state"),)


def create_relay_tables(engine: Engine) -> None:
    """Create the relay's tables; nodes starting at once on one PostgreSQL take turns."""
    with schema_lock(engine):
        RelayBase.metadata.create_all(engine)
