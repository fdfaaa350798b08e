"""The relay: intake for many tenants without any key that opens an envelope.

:class:`RelayIntake` is the :class:`~koffer.backend.service.Intake` of a data
directory made with ``koffer backend init --relay``. It keeps the device
registry and enrollment of the back end, and adds tenants (municipalities):

- a tenant's HPKE PUBLIC key comes from its station, which redeems a one-time
  station token (:meth:`RelayIntake.register_station`); devices enrolled for
  the tenant get that key in their signed enrollment statement;
- intake verifies the device signature and the envelope structure (the one
  strict parser), checks that the envelope is sealed to its own tenant's key,
  stores the SEALED envelope and answers a sealed receipt
  (:func:`koffer.crypto.receipts.issue_sealed`) over the envelope's hash;
  exactly once by (device id, envelope id) as before;
- a station pulls only its own tenant's envelopes (by its client certificate)
  and acknowledges them; the ciphertext is deleted on acknowledgement.

Isolation: a device, a station and their tenant are bound in the database,
never by what a request names. Refusals name only the caller's own facts
(another tenant's envelope ids or keys are answered exactly like unknown ones).
Tenant administration lives in :mod:`koffer.backend.relay_admin`.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend import refusals
from koffer.backend.db import Device, EnrollmentToken
from koffer.backend.group_commit import GroupCommit
from koffer.backend.keystore import BackendKeys
from koffer.backend.refusals import Refusal
from koffer.backend.relay_admin import RelayAdmin
from koffer.backend.relay_db import DeviceTenant, SealedEnvelope, Station, Tenant
from koffer.backend.service import (
    Intake,
    IntakeResult,
    _aware,
    _Existing,
    _hash_secret,
    _iso,
    _now,
)
from koffer.crypto import identity, receipts, sealing, tls
from koffer.errors import ConfigError, CryptoError, KofferError

log = logging.getLogger(__name__)

_DEVICES = Device.__table__
_LINKS = DeviceTenant.__table__
_TENANTS = Tenant.__table__
_ENVELOPES = SealedEnvelope.__table__
_STATIONS = Station.__table__

_SENDER = (
    select(
        _DEVICES.c.device_id,
        _DEVICES.c.signing_key_pem,
        _DEVICES.c.revoked_at,
        _LINKS.c.tenant,
        _TENANTS.c.disabled_at,
        _TENANTS.c.hpke_key_id,
    )
    .join(_LINKS, _LINKS.c.name == _DEVICES.c.name)
    .join(_TENANTS, _TENANTS.c.name == _LINKS.c.tenant)
)
_SENDER_BY_CERT = _SENDER.where(_DEVICES.c.cert_fingerprint == bindparam("fp"))
_SENDER_BY_ID = _SENDER.where(_DEVICES.c.device_id == bindparam("device_id"))
_ENVELOPE_BY_ID = select(_ENVELOPES.c.envelope_hash, _ENVELOPES.c.receipt).where(
    _ENVELOPES.c.device_id == bindparam("device_id"),
    _ENVELOPES.c.envelope_id == bindparam("envelope_id"),
)

#: envelopes handed to a station per pull request at most
MAX_PULL = 200
#: bytes of envelopes per pull answer at most (one envelope always goes, whatever its size)
MAX_PULL_BYTES = 32 * 1024 * 1024


def _existing_or_none(row: Any) -> _Existing | None:
    return None if row is None else _Existing(row.envelope_hash, row.receipt)


def _no_validation(_case: Mapping[str, Any], _created: str) -> None:
    """The relay cannot read a case: the station validates."""


@dataclass(frozen=True)
class _Sender:
    device_id: str
    signing_key_pem: bytes
    tenant: str
    tenant_key_id: str | None
    tenant_disabled: bool


def _unknown_device() -> Refusal:
    return Refusal(
        403,
        "unknown_device",
        "Dieses Gerät ist bei der Gegenstelle nicht eingerichtet. Bitte richten Sie es neu ein.",
        "This device is not enrolled at the back end.",
    )


def tenant_disabled() -> Refusal:
    return Refusal(
        403,
        "tenant_disabled",
        "Die Gemeinde dieses Geräts ist bei der Weiterleitungsstelle gesperrt. Die Vorgänge "
        "bleiben versiegelt im Koffer; bitte wenden Sie sich an die Fachadministration.",
        "This device's municipality is disabled at the relay. Cases stay sealed on the device.",
    )


def _unknown_station() -> Refusal:
    return Refusal(
        403,
        "unknown_station",
        "Diese Station ist bei der Weiterleitungsstelle nicht eingerichtet oder gesperrt.",
        "This station is not registered at the relay, or it is disabled.",
    )


class RelayIntake(RelayAdmin, Intake):
    """The intake of a relay (no HPKE private key; see the module text)."""

    def __init__(self, sessions: sessionmaker[Session], keys: BackendKeys) -> None:
        Intake.__init__(self, sessions, keys, _no_validation)
        self.group_commit = GroupCommit(self._engine, cast(Table, _ENVELOPES))

    # ----------------------------------------------------------------- public

    def public_material(self) -> dict[str, Any]:
        """CA and receipt key; the sealing key depends on the tenant (see ``enroll``)."""
        keys = self._keys
        return {
            "ca_cert": keys.ca_pem.decode(),
            "receipt_public_key": identity.public_key_to_pem(
                keys.receipt_key.public_key()
            ).decode(),
        }

    def issue_token(self, name: str, ttl: timedelta) -> str:
        """Refused on a relay: every device belongs to a tenant (:meth:`issue_device_token`)."""
        raise ConfigError(
            "Auf einer Weiterleitungsstelle gehört jeder Koffer zu einer Gemeinde: bitte "
            "»koffer backend enroll-device --tenant NAME GERÄT« verwenden.",
            message_en="On a relay every device belongs to a tenant: use --tenant NAME.",
        )

    def issue_device_token(self, tenant: str, name: str, ttl: timedelta) -> str:
        """A one-time enrollment secret for device ``name`` of ``tenant``."""
        found = self.tenant(tenant)
        if found.disabled_at is not None:
            raise ConfigError(
                f"Die Gemeinde »{tenant}« ist gesperrt.",
                message_en=f"The tenant '{tenant}' is disabled.",
            )
        if found.hpke_public_pem is None:
            raise ConfigError(
                f"Für die Gemeinde »{tenant}« ist noch keine Station eingerichtet: ohne ihren "
                "Schlüssel kann kein Koffer versiegeln. Bitte zuerst »koffer backend tenant "
                f"station-token {tenant}« und »koffer station init« ausführen.",
                message_en=f"The tenant '{tenant}' has no station yet; set one up first.",
            )
        with self._sessions() as session:
            link = session.get(DeviceTenant, name)
            if link is not None and link.tenant != tenant:
                raise KofferError(
                    f"Der Gerätename »{name}« gehört bereits zu einer anderen Gemeinde.",
                    message_en=f"The device name '{name}' belongs to another tenant.",
                )
        secret = Intake.issue_token(self, name, ttl)
        with self._sessions() as session:
            if session.get(DeviceTenant, name) is None:
                session.add(DeviceTenant(name=name, tenant=tenant))
                session.commit()
        return secret

    def enroll(self, secret: str, csr_pem: bytes, signing_key_pem: bytes) -> dict[str, Any]:
        """Redeem a device token; the device gets its tenant's HPKE public key."""
        tenant = self._tenant_of_token(secret)
        issued = Intake.enroll(self, secret, csr_pem, signing_key_pem)
        issued["hpke_key_id"] = tenant.hpke_key_id
        issued["hpke_public_key"] = tenant.hpke_public_pem
        return issued

    def _tenant_of_token(self, secret: str) -> Tenant:
        with self._sessions() as session:
            token = session.scalar(
                select(EnrollmentToken).where(EnrollmentToken.secret_hash == _hash_secret(secret))
            )
            link = None if token is None else session.get(DeviceTenant, token.name)
            tenant = None if link is None else session.get(Tenant, link.tenant)
        if tenant is None or tenant.hpke_public_pem is None:
            raise refusals.bad_token()
        if tenant.disabled_at is not None:
            raise tenant_disabled()
        return tenant

    # ----------------------------------------------------------------- intake

    def _sender(
        self, conn: Connection, cert_der: bytes | None, device_id: str | None
    ) -> _Sender | None:
        if device_id is None:
            if not cert_der:
                return None
            row = conn.execute(_SENDER_BY_CERT, {"fp": tls.fingerprint(cert_der)}).first()
        else:
            row = conn.execute(_SENDER_BY_ID, {"device_id": device_id}).first()
        if row is None:
            return None
        if row.revoked_at is not None:
            raise refusals.revoked()
        return _Sender(
            row.device_id,
            bytes(row.signing_key_pem),
            row.tenant,
            row.hpke_key_id,
            row.disabled_at is not None,
        )

    def _receive(
        self, envelope_id: str, data: bytes, *, cert_der: bytes | None, device_id: str | None
    ) -> IntakeResult:
        """Check, store sealed, sign the receipt; no step opens the envelope."""
        try:
            with self._engine.connect() as conn:
                sender = self._sender(conn, cert_der, device_id)
                stored = (
                    None
                    if sender is None
                    else conn.execute(
                        _ENVELOPE_BY_ID,
                        {"device_id": sender.device_id, "envelope_id": envelope_id},
                    ).first()
                )
        except SQLAlchemyError as exc:
            log.error("relay intake: reading the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        if sender is None:
            if device_id is None and not cert_der:
                raise Refusal(
                    401,
                    "no_client_certificate",
                    "Das Gerät hat kein Client-Zertifikat vorgelegt. Bitte richten Sie es ein "
                    "(koffer enroll).",
                    "The device presented no client certificate. Please enroll it.",
                )
            raise _unknown_device()
        existing = _existing_or_none(stored)
        env = self._verified_envelope(data, envelope_id, sender.device_id, sender.signing_key_pem)
        envelope_hash = sealing.sha256_hex(data)
        if existing is not None:
            return self._replay(existing, envelope_hash)
        if sender.tenant_disabled:
            raise tenant_disabled()
        if env.header.key_id != sender.tenant_key_id:
            # another tenant's key is refused exactly like a key nobody has
            error = sealing.unknown_key_error(env.header.key_id)
            raise Refusal(400, "unknown_key", error.message, error.message_en)
        received = _now()
        receipt = receipts.issue_sealed(
            self._keys.receipt_key,
            envelope_id=envelope_id,
            envelope_hash=envelope_hash,
            received_at=_iso(received),
        )
        receipt_text = receipt.to_bytes().decode()
        values = {
            "device_id": sender.device_id,
            "envelope_id": envelope_id,
            "tenant": sender.tenant,
            "case_type": env.header.case_type,
            "received_at": received,
            "envelope_hash": envelope_hash,
            "receipt": receipt_text,
            "state": "received",
            "envelope": data,
        }
        try:
            self.group_commit.insert(values)
        except IntegrityError:
            with self._engine.connect() as conn:
                raced = conn.execute(
                    _ENVELOPE_BY_ID, {"device_id": sender.device_id, "envelope_id": envelope_id}
                ).first()
            existing = _existing_or_none(raced)
            if existing is None:
                raise refusals.storage_failed() from None
            return self._replay(existing, envelope_hash)
        except SQLAlchemyError as exc:
            log.error("relay intake: storing an envelope failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        return IntakeResult(201, receipt_text.encode())

    # ----------------------------------------------------------------- stations

    def _station_tenant(self, session: Session, cert_der: bytes | None) -> str:
        if not cert_der:
            raise _unknown_station()
        station = session.scalar(
            select(Station).where(Station.cert_fingerprint == tls.fingerprint(cert_der))
        )
        if station is None or station.revoked_at is not None:
            raise _unknown_station()
        tenant = session.get(Tenant, station.tenant)
        if tenant is None or tenant.disabled_at is not None:
            raise _unknown_station()
        return station.tenant

    def pull(self, cert_der: bytes | None, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` unacknowledged envelopes of the station's own tenant."""
        limit = max(1, min(limit, MAX_PULL))
        now = _now()
        try:
            with self._sessions() as session:
                tenant = self._station_tenant(session, cert_der)
                rows = session.execute(
                    select(SealedEnvelope, Device.signing_key_pem, Device.enrolled_at)
                    .join(Device, Device.device_id == SealedEnvelope.device_id)
                    .where(
                        SealedEnvelope.tenant == tenant,
                        SealedEnvelope.state.in_(("received", "pulled")),
                    )
                    .order_by(SealedEnvelope.received_at)
                    .limit(limit)
                ).all()
                out: list[dict[str, Any]] = []
                size = 0
                for envelope, signing_key_pem, enrolled_at in rows:
                    if envelope.envelope is None:
                        continue
                    size += len(envelope.envelope)
                    if out and size > MAX_PULL_BYTES:
                        break
                    out.append(
                        {
                            "device_id": envelope.device_id,
                            "envelope_id": envelope.envelope_id,
                            "envelope_hash": envelope.envelope_hash,
                            "received_at": _iso(_aware(envelope.received_at)),
                            "device_enrolled_at": _iso(_aware(enrolled_at)),
                            "device_signing_key": bytes(signing_key_pem).decode(),
                            "envelope": base64.b64encode(bytes(envelope.envelope)).decode(),
                        }
                    )
                    if envelope.state == "received":
                        envelope.state = "pulled"
                        envelope.pulled_at = now
                session.commit()
        except SQLAlchemyError as exc:
            log.error("relay pull: the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        return out

    def acknowledge(self, cert_der: bytes | None, items: Sequence[Mapping[str, str]]) -> int:
        """Mark the station's own envelopes acknowledged and drop their ciphertext.

        Items that are not the tenant's (or do not exist) are left alone and
        not counted; the answer is the same for both.
        """
        now = _now()
        done = 0
        try:
            with self._sessions() as session:
                tenant = self._station_tenant(session, cert_der)
                for item in items:
                    result = session.execute(
                        update(SealedEnvelope)
                        .where(
                            and_(
                                SealedEnvelope.tenant == tenant,
                                SealedEnvelope.device_id == item["device_id"],
                                SealedEnvelope.envelope_id == item["envelope_id"],
                                SealedEnvelope.envelope_hash == item["envelope_hash"],
                                SealedEnvelope.state != "acknowledged",
                            )
                        )
                        .values(state="acknowledged", acknowledged_at=now, envelope=None)
                    )
                    done += int(getattr(result, "rowcount", 0) or 0)
                session.commit()
        except SQLAlchemyError as exc:
            log.error("relay acknowledge: the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        return done

    def register_station(
        self, secret: str, csr_pem: bytes, hpke_public_pem: bytes
    ) -> dict[str, Any]:
        """Redeem a station token: client certificate for the station, its key for the tenant."""
        try:
            hpke_public = identity.public_key_from_pem(hpke_public_pem)
        except CryptoError as exc:
            raise Refusal(400, "bad_key", exc.message, exc.message_en) from exc
        key_id = identity.key_id(hpke_public)
        station_id = "stn-" + secrets.token_hex(8)
        now = _now()
        claimed = self.claim_station_token(secret, now)
        try:
            cert = tls.sign_csr(
                self._keys.ca_key, tls.cert_from_pem(self._keys.ca_pem), csr_pem, station_id
            )
        except CryptoError as exc:
            raise Refusal(400, "bad_csr", exc.message, exc.message_en) from exc
        cert_pem = tls.cert_to_pem(cert)
        try:
            with self._sessions() as session:
                tenant = session.get(Tenant, claimed)
                if tenant is None or tenant.hpke_public_pem is not None:
                    raise refusals.token_used()
                tenant.hpke_key_id = key_id
                tenant.hpke_public_pem = identity.public_key_to_pem(hpke_public).decode()
                session.add(
                    Station(
                        station_id=station_id,
                        tenant=claimed,
                        cert_fingerprint=tls.fingerprint(cert_pem),
                        registered_at=now,
                    )
                )
                session.commit()
                gemeindeschluessel = tenant.gemeindeschluessel
        except SQLAlchemyError as exc:
            log.error("station registration: the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        return {
            "station_id": station_id,
            "tenant": claimed,
            "gemeindeschluessel": gemeindeschluessel,
            "hpke_key_id": key_id,
            "client_cert": cert_pem.decode(),
            **self.public_material(),
        }
