"""The back end's intake and device registry, independent of HTTP.

:class:`Intake` is what the ASGI app calls. Every refusal is an
:class:`Refusal` with an HTTP status, a machine code and a German message the
suitcase shows to the clerk; nothing here leaks personal data.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend import cashbook, plausibility, refusals
from koffer.backend.db import Device, EnrollmentToken, ReceivedCase
from koffer.backend.group_commit import GroupCommit
from koffer.backend.keystore import BackendKeys
from koffer.backend.refusals import Refusal
from koffer.crypto import aead, identity, receipts, sealing, tls
from koffer.errors import CryptoError, KofferError, ValidationError

_DEVICES = Device.__table__
_CASES = ReceivedCase.__table__
#: the intake's hot path runs pre-built Core statements (no ORM unit of work)
_DEVICE_COLUMNS = (
    _DEVICES.c.device_id,
    _DEVICES.c.signing_key_pem,
    _DEVICES.c.revoked_at,
    _DEVICES.c.enrolled_at,
)
_DEVICE_BY_CERT = select(*_DEVICE_COLUMNS).where(_DEVICES.c.cert_fingerprint == bindparam("fp"))
_DEVICE_BY_ID = select(*_DEVICE_COLUMNS).where(_DEVICES.c.device_id == bindparam("device_id"))
#: envelope ids are unique per device only (another device's id never blocks this one)
_CASE_BY_ID = select(_CASES.c.envelope_hash, _CASES.c.receipt).where(
    _CASES.c.device_id == bindparam("device_id"),
    _CASES.c.envelope_id == bindparam("envelope_id"),
)

log = logging.getLogger(__name__)

#: validates a decrypted case dict (raises ValidationError); gets the capture date
Validator = Callable[[Mapping[str, Any], str], None]


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class _Sender:
    device_id: str
    signing_key_pem: bytes
    enrolled_at: datetime


@dataclass(frozen=True)
class _Existing:
    envelope_hash: str
    receipt: str


@dataclass(frozen=True)
class IntakeResult:
    status: int  # 201 new, 200 replay of the same envelope
    receipt: bytes


class Intake:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        keys: BackendKeys,
        validator: Validator,
    ) -> None:
        self._sessions = sessions
        self._keys = keys
        self._validator = validator
        engine = sessions.kw.get("bind")
        if not isinstance(engine, Engine):
            raise TypeError("sessions must be bound to an Engine")
        self._engine = engine
        # one durable commit for all rows that arrive while the previous one runs
        # (SQLite: also keeps this process's writers out of the busy handler's sleeps)
        self.group_commit = GroupCommit(engine)
        self._key_cache: dict[str, tuple[bytes, identity.PublicKey]] = {}

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._sessions

    @property
    def keys(self) -> BackendKeys:
        return self._keys

    def _verified_envelope(
        self, data: bytes, envelope_id: str, device_id: str, signing_key_pem: bytes
    ) -> sealing.Envelope:
        """The envelope parsed and checked against the URL and its sender: same id,
        made by the sending device, its device signature valid (else a Refusal)."""
        env = _parse(data)
        if env.header.envelope_id != envelope_id:
            raise Refusal(
                400,
                "id_mismatch",
                "Die Umschlagnummer in der Adresse passt nicht zum Umschlag.",
                "The envelope id in the URL does not match the envelope.",
            )
        if env.header.device_id != device_id:
            raise Refusal(
                403,
                "wrong_device",
                "Der Umschlag stammt von einem anderen Gerät als dem sendenden.",
                "The envelope was made by another device than the sender.",
            )
        try:
            sealing.verify_envelope(env, self._signing_key(device_id, signing_key_pem))
        except CryptoError as exc:
            raise Refusal(
                400,
                "bad_signature",
                "Die Geräte-Signatur des Umschlags ist ungültig: Kopfdaten oder Inhalt "
                "wurden verändert.",
                "The device signature is invalid: header or content was altered.",
            ) from exc
        return env

    # ----------------------------------------------------------------- devices

    def _signing_key(self, device_id: str, pem: bytes) -> identity.PublicKey:
        """The device's parsed signing key (cached: a device id never changes its key)."""
        cached = self._key_cache.get(device_id)
        if cached is not None and cached[0] == pem:
            return cached[1]
        key = identity.public_key_from_pem(pem)
        self._key_cache[device_id] = (pem, key)
        return key

    def _lookup(
        self, conn: Connection, envelope_id: str, cert_der: bytes | None, device_id: str | None
    ) -> tuple[_Sender, _Existing | None]:
        """The active sending device (by certificate or id) and any stored envelope."""
        if device_id is None:
            if not cert_der:
                raise Refusal(
                    401,
                    "no_client_certificate",
                    "Das Gerät hat kein Client-Zertifikat vorgelegt. Bitte richten Sie es ein "
                    "(koffer enroll).",
                    "The device presented no client certificate. Please enroll it.",
                )
            row = conn.execute(_DEVICE_BY_CERT, {"fp": tls.fingerprint(cert_der)}).first()
        else:
            row = conn.execute(_DEVICE_BY_ID, {"device_id": device_id}).first()
        if row is None:
            if device_id is not None:
                raise Refusal(
                    403,
                    "unknown_device",
                    "Der Umschlag stammt von einem nicht eingerichteten Gerät.",
                    "The envelope comes from a device that is not enrolled.",
                )
            raise Refusal(
                403,
                "unknown_device",
                "Dieses Gerät ist bei der Gegenstelle nicht eingerichtet. Bitte richten Sie "
                "es neu ein.",
                "This device is not enrolled at the back end.",
            )
        if row.revoked_at is not None:
            raise refusals.revoked()
        sender = _Sender(row.device_id, bytes(row.signing_key_pem), row.enrolled_at)
        stored = conn.execute(
            _CASE_BY_ID, {"device_id": sender.device_id, "envelope_id": envelope_id}
        ).first()
        existing = None if stored is None else _Existing(stored.envelope_hash, stored.receipt)
        return sender, existing

    # ----------------------------------------------------------------- intake

    def receive(self, envelope_id: str, data: bytes, cert_der: bytes | None) -> IntakeResult:
        """An envelope sent over mutual TLS; the device is the certificate's owner."""
        return self._receive(envelope_id, data, cert_der=cert_der, device_id=None)

    def receive_from_media(self, data: bytes) -> IntakeResult:
        """An envelope carried on removable media; the device is named in its header."""
        env = _parse(data)
        return self._receive(
            env.header.envelope_id, data, cert_der=None, device_id=env.header.device_id
        )

    def _receive(
        self, envelope_id: str, data: bytes, *, cert_der: bytes | None, device_id: str | None
    ) -> IntakeResult:
        """Three short steps, so that no database connection waits on crypto:

        1. look up the device and any envelope stored under this id (read only);
        2. check the signature, decrypt, validate, sign the receipt (no database);
        3. insert the case; concurrent inserts share one durable commit
           (:class:`GroupCommit`), and the receipt leaves only after it.

        Database failures become a 503 refusal (the suitcase retries later).
        """
        try:
            with self._engine.connect() as conn:
                sender, existing = self._lookup(conn, envelope_id, cert_der, device_id)
        except SQLAlchemyError as exc:
            log.error("intake: reading the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        env = self._verified_envelope(data, envelope_id, sender.device_id, sender.signing_key_pem)
        envelope_hash = sealing.sha256_hex(data)
        if existing is not None:
            return self._replay(existing, envelope_hash)
        try:
            payload, plaintext = sealing.open_envelope_bytes(env, self._keys.hpke)
        except CryptoError as exc:
            code = "unknown_key" if env.header.key_id not in self._keys.hpke else "decrypt"
            raise Refusal(400, code, exc.message, exc.message_en) from exc
        try:
            self._validator(payload.case, env.header.created)
        except ValidationError as exc:
            raise Refusal(
                422,
                "invalid_case",
                f"Der Vorgang wurde von der Gegenstelle abgelehnt: {exc.message}",
                f"The back end rejected the case: {exc.message_en}",
            ) from exc
        chain_flags = self._chain_flags(env.header.case_type, sender.device_id, payload.case)
        payload_hash = sealing.sha256_hex(plaintext)
        received = _now()
        receipt = receipts.issue(
            self._keys.receipt_key,
            envelope_id=envelope_id,
            envelope_hash=envelope_hash,
            payload_hash=payload_hash,
            received_at=_iso(received),
        )
        receipt_text = receipt.to_bytes().decode()
        values = {
            "envelope_id": envelope_id,
            "device_id": sender.device_id,
            "case_type": env.header.case_type,
            "created": env.header.created,
            "received_at": received,
            "envelope_hash": envelope_hash,
            "payload_hash": payload_hash,
            "receipt": receipt_text,
            "state": "received",
            "payload": aead.encrypt(self._keys.storage_key, plaintext, envelope_id.encode()),
            "attachment_count": len(payload.attachments),
            "created_implausible": plausibility.created_flag(
                env.header.created, enrolled_at=sender.enrolled_at, received_at=received
            ),
            "chain_flags": chain_flags,
        }
        try:
            self.group_commit.insert(values)
        except IntegrityError:
            # the same id arrived concurrently: answer like a replay
            with self._engine.connect() as conn:
                raced = conn.execute(
                    _CASE_BY_ID, {"device_id": sender.device_id, "envelope_id": envelope_id}
                ).first()
            if raced is None:
                raise refusals.storage_failed() from None
            return self._replay(_Existing(raced.envelope_hash, raced.receipt), envelope_hash)
        except SQLAlchemyError as exc:
            log.error("intake: storing an envelope failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        return IntakeResult(201, receipt_text.encode())

    def _chain_flags(self, case_type: str, device_id: str, case: Mapping[str, Any]) -> str | None:
        """A Kassenabschluss: its chain check (flags; a broken chain is kept, never refused)."""
        if (case_type == cashbook.CASE_TYPE) != cashbook.is_closing(case):
            raise Refusal(
                422,
                "invalid_case",
                "Der Vorgang wurde von der Gegenstelle abgelehnt: die Art des Vorgangs passt "
                "nicht zu seinem Inhalt (Kassenabschluss).",
                "The back end rejected the case: case type and content do not match.",
            )
        if case_type != cashbook.CASE_TYPE:
            return None
        try:
            with self._engine.connect() as conn:
                flags = cashbook.intake_flags(conn, self._keys.storage_key, device_id, case)
        except SQLAlchemyError as exc:
            log.error("intake: reading the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        log.info("intake: kassenabschluss chain_ok=%s", flags == "[]")
        return flags

    @staticmethod
    def _replay(existing: _Existing, envelope_hash: str) -> IntakeResult:
        if existing.envelope_hash != envelope_hash:
            raise Refusal(
                409,
                "conflict",
                "Unter dieser Umschlagnummer liegt bei der Gegenstelle bereits ein anderer "
                "Inhalt vor. Der Umschlag wird nicht übernommen.",
                "Another content is already stored under this envelope id.",
            )
        return IntakeResult(200, existing.receipt.encode())

    # ----------------------------------------------------------------- enrollment

    def issue_token(self, name: str, ttl: timedelta) -> str:
        """Register a one-time enrollment secret for device ``name``; returns the secret."""
        secret = secrets.token_urlsafe(24)
        now = _now()
        with self._sessions() as session:
            if session.scalar(select(Device).where(Device.name == name)) is not None:
                raise KofferError(
                    f"Ein Gerät mit dem Namen »{name}« ist bereits eingerichtet.",
                    message_en=f"A device named '{name}' is already enrolled.",
                )
            token = session.get(EnrollmentToken, name)
            if token is None:
                token = EnrollmentToken(name=name)
                session.add(token)
            token.secret_hash = _hash_secret(secret)
            token.created_at = now
            token.expires_at = now + ttl
            token.used_at = None
            session.commit()
        return secret

    def enroll(self, secret: str, csr_pem: bytes, signing_key_pem: bytes) -> dict[str, Any]:
        """Redeem a one-time secret: sign the CSR, register the signing key.

        The secret is claimed by one conditional ``UPDATE`` (``used_at`` still
        empty) in the transaction that registers the device, so of concurrent
        redemptions exactly one wins; the others get 409 ``token_used``.
        """
        try:
            identity.public_key_from_pem(signing_key_pem)
        except CryptoError as exc:
            raise Refusal(400, "bad_signing_key", exc.message, exc.message_en) from exc
        secret_hash = _hash_secret(secret)
        now = _now()
        with self._sessions() as session:
            token = session.scalar(
                select(EnrollmentToken).where(EnrollmentToken.secret_hash == secret_hash)
            )
            if token is None or _aware(token.expires_at) < now:
                raise refusals.bad_token()
            if token.used_at is not None:
                raise refusals.token_used()
            name = token.name
        device_id = "dev-" + secrets.token_hex(8)
        try:
            cert = tls.sign_csr(
                self._keys.ca_key, tls.cert_from_pem(self._keys.ca_pem), csr_pem, device_id
            )
        except CryptoError as exc:
            raise Refusal(400, "bad_csr", exc.message, exc.message_en) from exc
        cert_pem = tls.cert_to_pem(cert)
        try:
            with self._sessions() as session:
                claimed = session.execute(
                    update(EnrollmentToken)
                    .where(
                        EnrollmentToken.secret_hash == secret_hash,
                        EnrollmentToken.used_at.is_(None),
                    )
                    .values(used_at=now)
                )
                if getattr(claimed, "rowcount", 0) != 1:
                    raise refusals.token_used()
                session.add(
                    Device(
                        device_id=device_id,
                        name=name,
                        cert_fingerprint=tls.fingerprint(cert_pem),
                        signing_key_pem=signing_key_pem,
                        enrolled_at=now,
                    )
                )
                session.commit()
        except IntegrityError as exc:
            # a device of this name exists already (enrolled concurrently)
            raise refusals.token_used() from exc
        except SQLAlchemyError as exc:
            log.error("enrollment: the database failed: %s", type(exc).__name__)
            raise refusals.storage_failed() from exc
        return {
            "device_id": device_id,
            "name": token.name,
            "client_cert": cert_pem.decode(),
            **self.public_material(),
        }

    def public_material(self) -> dict[str, Any]:
        keys = self._keys
        return {
            "ca_cert": keys.ca_pem.decode(),
            "hpke_key_id": keys.current_key_id,
            "hpke_public_key": identity.public_key_to_pem(keys.current_hpke_public).decode(),
            "receipt_public_key": identity.public_key_to_pem(
                keys.receipt_key.public_key()
            ).decode(),
        }

    def revoke(self, name: str) -> str:
        with self._sessions() as session:
            device = session.scalar(select(Device).where(Device.name == name))
            if device is None:
                raise KofferError(
                    f"Kein Gerät mit dem Namen »{name}« gefunden.",
                    message_en=f"No device named '{name}'.",
                )
            if device.revoked_at is None:
                device.revoked_at = _now()
                session.commit()
            return device.device_id

    # ----------------------------------------------------------------- stats

    def stats(self) -> dict[str, Any]:
        with self._sessions() as session:
            by_type = dict(
                session.execute(
                    select(ReceivedCase.case_type, func.count()).group_by(ReceivedCase.case_type)
                ).all()
            )
            by_state = dict(
                session.execute(
                    select(ReceivedCase.state, func.count()).group_by(ReceivedCase.state)
                ).all()
            )
            by_device_rows = session.execute(
                select(Device.name, func.count(ReceivedCase.envelope_id))
                .join(ReceivedCase, ReceivedCase.device_id == Device.device_id, isouter=True)
                .group_by(Device.name)
            ).all()
            devices = session.scalars(select(Device)).all()
            implausible = dict(
                session.execute(
                    select(ReceivedCase.created_implausible, func.count())
                    .where(ReceivedCase.created_implausible.is_not(None))
                    .group_by(ReceivedCase.created_implausible)
                ).all()
            )
        return {
            "total": sum(by_type.values()),
            "by_case_type": {str(k): int(v) for k, v in by_type.items()},
            "by_state": {str(k): int(v) for k, v in by_state.items()},
            "by_device": {str(k): int(v) for k, v in by_device_rows},
            "devices": {
                "enrolled": len(devices),
                "revoked": sum(1 for d in devices if d.revoked_at is not None),
            },
            #: cases whose creation time cannot be right, by reason
            "implausible_created": {str(k): int(v) for k, v in implausible.items()},
        }


def _parse(data: bytes) -> sealing.Envelope:
    try:
        return sealing.parse_envelope(data)
    except CryptoError as exc:
        raise Refusal(400, "malformed", exc.message, exc.message_en) from exc


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)
