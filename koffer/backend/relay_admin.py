"""Tenant administration of a relay: tenants, station tokens, statistics.

``koffer backend tenant create NAME --gemeindeschluessel NNNNNNNN``, ``tenant
list``, ``tenant disable``, ``tenant station-token`` and ``backend stats`` on a
relay call these methods (mixed into :class:`koffer.backend.relay.RelayIntake`).
The operator sees every tenant; devices and stations only ever see their own.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend import refusals
from koffer.backend.db import Device
from koffer.backend.relay_db import DeviceTenant, SealedEnvelope, Station, StationToken, Tenant
from koffer.errors import ConfigError, KofferError

#: tenant names: lower-case letters, digits and dashes (they appear in commands and files)
_NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_KEY_RE = re.compile(r"[0-9]{8}")


def tenant_name(name: str) -> str:
    if not _NAME_RE.fullmatch(name):
        raise ConfigError(
            f"»{name}« ist kein gültiger Name für eine Gemeinde: bitte nur Kleinbuchstaben "
            "(a–z), Ziffern und Bindestriche, höchstens 63 Zeichen, z. B. »musterdorf«.",
            message_en=f"'{name}' is not a valid tenant name (a-z, 0-9, '-', up to 63).",
        )
    return name


def gemeindeschluessel(value: str) -> str:
    """The amtlicher Gemeindeschlüssel: exactly 8 digits."""
    if not _KEY_RE.fullmatch(value):
        raise ConfigError(
            f"»{value}« ist kein Gemeindeschlüssel: er besteht aus genau 8 Ziffern, "
            "z. B. 09162000.",
            message_en=f"'{value}' is not a Gemeindeschlüssel (exactly 8 digits).",
        )
    return value


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def _no_tenant(name: str) -> KofferError:
    return KofferError(
        f"Keine Gemeinde mit dem Namen »{name}« gefunden.",
        message_en=f"No tenant named '{name}'.",
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class RelayAdmin:
    """Tenant administration (needs ``_sessions``, given by the intake)."""

    _sessions: sessionmaker[Session]

    def create_tenant(self, name: str, key: str) -> None:
        tenant_name(name)
        gemeindeschluessel(key)
        with self._sessions() as session:
            if session.get(Tenant, name) is not None:
                raise KofferError(
                    f"Die Gemeinde »{name}« ist bereits angelegt.",
                    message_en=f"The tenant '{name}' exists already.",
                )
            if session.scalar(select(Tenant).where(Tenant.gemeindeschluessel == key)):
                raise KofferError(
                    f"Der Gemeindeschlüssel {key} ist bereits einer anderen Gemeinde zugeordnet.",
                    message_en=f"The Gemeindeschlüssel {key} belongs to another tenant.",
                )
            session.add(Tenant(name=name, gemeindeschluessel=key, created_at=_now()))
            session.commit()

    def tenant(self, name: str) -> Tenant:
        with self._sessions() as session:
            tenant = session.get(Tenant, name)
        if tenant is None:
            raise _no_tenant(name)
        return tenant

    def tenants(self) -> list[dict[str, Any]]:
        with self._sessions() as session:
            rows = session.scalars(select(Tenant).order_by(Tenant.name)).all()
            devices = dict(
                session.execute(
                    select(DeviceTenant.tenant, func.count())
                    .join(Device, Device.name == DeviceTenant.name)
                    .group_by(DeviceTenant.tenant)
                ).all()
            )
            stations = dict(
                session.execute(
                    select(Station.tenant, func.count())
                    .where(Station.revoked_at.is_(None))
                    .group_by(Station.tenant)
                ).all()
            )
        return [
            {
                "name": t.name,
                "gemeindeschluessel": t.gemeindeschluessel,
                "disabled": t.disabled_at is not None,
                "station": int(stations.get(t.name, 0)) > 0,
                "hpke_key_id": t.hpke_key_id,
                "devices": int(devices.get(t.name, 0)),
            }
            for t in rows
        ]

    def disable_tenant(self, name: str) -> None:
        with self._sessions() as session:
            tenant = session.get(Tenant, name)
            if tenant is None:
                raise _no_tenant(name)
            if tenant.disabled_at is None:
                tenant.disabled_at = _now()
                session.commit()

    def issue_station_token(self, name: str, ttl: timedelta) -> str:
        """A one-time secret with which the tenant's station registers its key."""
        secret = secrets.token_urlsafe(24)
        now = _now()
        with self._sessions() as session:
            tenant = session.get(Tenant, name)
            if tenant is None:
                raise _no_tenant(name)
            if tenant.disabled_at is not None:
                raise KofferError(
                    f"Die Gemeinde »{name}« ist gesperrt.",
                    message_en=f"The tenant '{name}' is disabled.",
                )
            if tenant.hpke_public_pem is not None:
                raise KofferError(
                    f"Für die Gemeinde »{name}« ist bereits eine Station eingerichtet. Ihr "
                    "Schlüssel wird nicht ersetzt (Geräte versiegeln an ihn).",
                    message_en=f"The tenant '{name}' has a station already; its key stays.",
                )
            session.add(
                StationToken(
                    secret_hash=_hash(secret),
                    tenant=name,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
            session.commit()
        return secret

    def claim_station_token(self, secret: str, now: datetime) -> str:
        """Use a station token once (conditional UPDATE); returns the tenant's name."""
        digest = _hash(secret)
        with self._sessions() as session:
            token = session.get(StationToken, digest)
            if token is None or _aware(token.expires_at) < now:
                raise refusals.bad_token()
            tenant = session.get(Tenant, token.tenant)
            if tenant is None or tenant.disabled_at is not None:
                raise refusals.bad_token()
            claimed = session.execute(
                update(StationToken)
                .where(StationToken.secret_hash == digest, StationToken.used_at.is_(None))
                .values(used_at=now)
            )
            if getattr(claimed, "rowcount", 0) != 1:
                raise refusals.token_used()
            session.commit()
            return token.tenant

    def relay_stats(self) -> dict[str, Any]:
        """Per tenant: envelopes received, pulled by the station, acknowledged."""
        env = SealedEnvelope
        with self._sessions() as session:
            names = session.scalars(select(Tenant.name).order_by(Tenant.name)).all()
            rows = session.execute(
                select(
                    env.tenant,
                    func.count(),
                    func.sum(case((env.pulled_at.is_not(None), 1), else_=0)),
                    func.sum(case((env.state == "acknowledged", 1), else_=0)),
                ).group_by(env.tenant)
            ).all()
        counts = {str(t): (int(r), int(p or 0), int(a or 0)) for t, r, p, a in rows}
        tenants = {
            name: dict(
                zip(
                    ("received", "pulled", "acknowledged"), counts.get(name, (0, 0, 0)), strict=True
                )
            )
            for name in names
        }
        return {"role": "relay", "tenants": tenants}
