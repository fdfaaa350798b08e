"""What a station does: set itself up, pull and open its tenant's envelopes, export.

- :func:`init_station`: a new HPKE key pair and TLS key, the encrypted store
  (:mod:`koffer.store`, one account ``station``), registration at the relay
  with the one-time station token (:mod:`koffer.station.client`).
- :func:`pull`: unlock, pull sealed envelopes over mutual TLS, check each
  (device signature, ids, hash), decrypt, ``ensure_valid``
  (:func:`koffer.backend.validation.validate_case`), store encrypted, then
  acknowledge to the relay. A case already stored (same device and envelope
  id) is acknowledged again and not stored twice: every case is kept once.
- :func:`export`: today's ``koffer backend export`` files, by the same code
  (:func:`koffer.backend.export.export_cases`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend import plausibility
from koffer.backend.db import Device, ReceivedCase
from koffer.backend.export import export_cases
from koffer.backend.keystore import BackendKeys
from koffer.backend.service import Validator
from koffer.backend.validation import validate_case
from koffer.crypto import aead, identity, sealing
from koffer.crypto.enrollment import EnrollmentToken
from koffer.errors import CryptoError, ValidationError
from koffer.station import client
from koffer.station.db import Refused, open_station_database
from koffer.station.files import ACCOUNT, StationDir, StationInfo, StationSecrets
from koffer.store import files as store_files
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.validation import passphrase as check_passphrase

#: envelopes asked for per pull request
BATCH = 100


def _now() -> datetime:
    return datetime.now(UTC)


def init_station(
    path: Path, token_text: str, passphrase: str, settings: StoreSettings
) -> tuple[StationInfo, str]:
    """Set up a station in ``path``; returns its facts and the store's recovery code."""
    token = EnrollmentToken.decode(token_text)
    directory = StationDir(path)
    directory.refuse_existing()
    check_passphrase(passphrase, settings.min_passphrase_length)
    Store.ensure_absent(path)
    code = Store.create(path, ACCOUNT, passphrase, settings)
    try:
        secrets = StationSecrets(identity.generate_key(), identity.generate_key())
        with Store.open(path, settings) as store, store.unlock(ACCOUNT, passphrase) as unlocked:
            sealed = secrets.seal(unlocked)
        ca_pem, answer = client.register(token, secrets.tls_key, secrets.hpke.public_key())
    except BaseException:
        # nothing registered (or the relay refused): leave no half station behind
        store_files.remove_db_files(store_files.db_path(path))
        raise
    info = StationInfo(
        relay_url=token.url.rstrip("/"),
        tenant=str(answer["tenant"]),
        gemeindeschluessel=str(answer.get("gemeindeschluessel", "")),
        station_id=str(answer["station_id"]),
        hpke_key_id=str(answer["hpke_key_id"]),
        ca_pem=ca_pem,
        client_cert_pem=str(answer["client_cert"]).encode(),
        receipt_public_pem=str(answer["receipt_public_key"]).encode(),
        secrets=sealed,
    )
    directory.new_storage_key()
    directory.write_info(info)
    engine, _ = open_station_database(directory.database_url)
    engine.dispose()
    return info, code


@dataclass
class PullReport:
    pulled: int = 0
    refused: int = 0

    def to_json(self) -> dict[str, int]:
        return {"pulled": self.pulled, "refused": self.refused}


class _Refuse(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _open_item(
    item: dict[str, Any], hpke: dict[str, identity.PrivateKey], validator: Validator
) -> tuple[sealing.Envelope, sealing.Payload, bytes]:
    """Check and open one pulled envelope; :class:`_Refuse` with a reason code."""
    try:
        data = base64.b64decode(str(item["envelope"]), validate=True)
        signing_key = identity.public_key_from_pem(str(item["device_signing_key"]).encode())
    except (KeyError, ValueError, binascii.Error, CryptoError) as exc:
        raise _Refuse("malformed") from exc
    if sealing.sha256_hex(data) != item.get("envelope_hash"):
        raise _Refuse("hash_mismatch")
    try:
        env = sealing.parse_envelope(data)
    except CryptoError as exc:
        raise _Refuse("malformed") from exc
    if (env.header.device_id, env.header.envelope_id) != (
        item.get("device_id"),
        item.get("envelope_id"),
    ):
        raise _Refuse("id_mismatch")
    try:
        sealing.verify_envelope(env, signing_key)
    except CryptoError as exc:
        raise _Refuse("bad_signature") from exc
    try:
        payload, plaintext = sealing.open_envelope_bytes(env, hpke)
    except CryptoError as exc:
        raise _Refuse("unknown_key" if env.header.key_id not in hpke else "decrypt") from exc
    try:
        validator(payload.case, env.header.created)
    except ValidationError as exc:
        raise _Refuse("invalid_case") from exc
    return env, payload, plaintext


def _parse_time(text: Any) -> datetime:
    try:
        ts = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return _now()
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def _store_case(
    session: Session,
    storage_key: bytes,
    item: dict[str, Any],
    env: sealing.Envelope,
    payload: sealing.Payload,
    plaintext: bytes,
) -> None:
    device_id = env.header.device_id
    enrolled_at = _parse_time(item.get("device_enrolled_at"))
    received_at = _parse_time(item.get("received_at"))
    if session.get(Device, device_id) is None:
        signing_pem = str(item["device_signing_key"]).encode()
        session.add(
            Device(
                device_id=device_id,
                name=device_id,
                # the station never sees the certificate: the key's hash keeps the column unique
                cert_fingerprint=hashlib.sha256(signing_pem).hexdigest(),
                signing_key_pem=signing_pem,
                enrolled_at=enrolled_at,
            )
        )
        session.flush()
    envelope_id = env.header.envelope_id
    session.add(
        ReceivedCase(
            envelope_id=envelope_id,
            device_id=device_id,
            case_type=env.header.case_type,
            created=env.header.created,
            received_at=received_at,
            envelope_hash=str(item["envelope_hash"]),
            payload_hash=sealing.sha256_hex(plaintext),
            receipt="",
            state="received",
            payload=aead.encrypt(storage_key, plaintext, envelope_id.encode()),
            attachment_count=len(payload.attachments),
            created_implausible=plausibility.created_flag(
                env.header.created, enrolled_at=enrolled_at, received_at=received_at
            ),
        )
    )


def pull(
    path: Path,
    passphrase: str,
    settings: StoreSettings,
    *,
    validator: Validator = validate_case,
    batch: int = BATCH,
) -> PullReport:
    """Pull, open, validate, store and acknowledge every envelope waiting at the relay."""
    directory = StationDir(path)
    info = directory.info()
    storage_key = directory.storage_key()
    with Store.open(path, settings) as store, store.unlock(ACCOUNT, passphrase) as unlocked:
        secrets = StationSecrets.open(unlocked, info.secrets)
    hpke = {info.hpke_key_id: secrets.hpke}
    report = PullReport()
    seen: set[tuple[str, str]] = set()
    engine, sessions = open_station_database(directory.database_url)
    try:
        with client.RelayClient(
            info.relay_url, info.ca_pem, info.client_cert_pem, secrets.tls_key
        ) as relay:
            while True:
                items = relay.pull(batch)
                fresh = [
                    i
                    for i in items
                    if (str(i.get("device_id")), str(i.get("envelope_id"))) not in seen
                ]
                if not fresh:
                    break
                acks = _take(sessions, storage_key, fresh, hpke, validator, report, seen)
                if acks:
                    relay.acknowledge(acks)
    finally:
        engine.dispose()
    return report


def _take(
    sessions: sessionmaker[Session],
    storage_key: bytes,
    items: list[dict[str, Any]],
    hpke: dict[str, identity.PrivateKey],
    validator: Validator,
    report: PullReport,
    seen: set[tuple[str, str]],
) -> list[dict[str, str]]:
    """Store one batch in one transaction; returns what to acknowledge."""
    acks: list[dict[str, str]] = []
    now = _now()
    with sessions() as session:
        for item in items:
            key = (str(item.get("device_id")), str(item.get("envelope_id")))
            seen.add(key)
            ack = {
                "device_id": key[0],
                "envelope_id": key[1],
                "envelope_hash": str(item.get("envelope_hash")),
            }
            if session.get(ReceivedCase, {"device_id": key[0], "envelope_id": key[1]}):
                acks.append(ack)  # stored by an earlier pull whose acknowledgement was lost
                continue
            try:
                env, payload, plaintext = _open_item(item, hpke, validator)
            except _Refuse as refusal:
                report.refused += 1
                if session.get(Refused, {"device_id": key[0], "envelope_id": key[1]}) is None:
                    session.add(
                        Refused(
                            device_id=key[0][:64],
                            envelope_id=key[1][:36],
                            code=refusal.code,
                            refused_at=now,
                        )
                    )
                if refusal.code != "hash_mismatch":
                    acks.append(ack)  # for good: it would fail the same way again
                continue
            _store_case(session, storage_key, item, env, payload, plaintext)
            report.pulled += 1
            acks.append(ack)
        session.commit()
    return acks


def _keys_for_export(directory: StationDir) -> BackendKeys:
    """The export code needs only the storage key; the other fields are never used."""
    unused = identity.generate_key()
    return BackendKeys(
        storage_key=directory.storage_key(),
        hpke={},
        current_key_id="",
        receipt_key=unused,
        ca_key=unused,
        ca_pem=b"",
    )


def export(path: Path, out: Path, *, retention_days: int = 0) -> list[dict[str, Any]]:
    """Write every pulled, not yet exported case to ``out`` (today's files)."""
    directory = StationDir(path)
    directory.require()
    engine, sessions = open_station_database(directory.database_url)
    try:
        return export_cases(
            sessions, _keys_for_export(directory), out, retention_days=retention_days
        )
    finally:
        engine.dispose()


def status(path: Path) -> dict[str, Any]:
    """Public facts and counters (no passphrase needed, nothing personal)."""
    directory = StationDir(path)
    info = directory.info()
    engine, sessions = open_station_database(directory.database_url)
    try:
        with sessions() as session:
            by_state = dict(
                session.execute(
                    select(ReceivedCase.state, func.count()).group_by(ReceivedCase.state)
                ).all()
            )
            refused = session.scalar(select(func.count()).select_from(Refused)) or 0
    finally:
        engine.dispose()
    return {
        "tenant": info.tenant,
        "gemeindeschluessel": info.gemeindeschluessel,
        "station_id": info.station_id,
        "relay_url": info.relay_url,
        "hpke_key_id": info.hpke_key_id,
        "received": int(by_state.get("received", 0)),
        "exported": int(by_state.get("exported", 0)),
        "refused": int(refused),
    }
