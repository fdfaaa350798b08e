"""The suitcase's enrolled identity, kept encrypted under the store key."""

from __future__ import annotations

from datetime import UTC, datetime

from koffer.crypto.enrollment import DeviceCredentials
from koffer.errors import TransmissionError
from koffer.queue import enrollment
from koffer.queue.enroll import PendingKeys
from koffer.queue.models import DeviceSecret
from koffer.store.unlocked import UnlockedStore

CREDENTIALS = "credentials"
PENDING = "pending"
_PURPOSE = "device-identity"


def _put(store: UnlockedStore, name: str, data: bytes) -> None:
    blob = store.encrypt_secret(f"{_PURPOSE}-{name}", data)
    with store.transaction() as session:
        row = session.get(DeviceSecret, name)
        now = datetime.now(UTC)
        if row is None:
            session.add(DeviceSecret(name=name, blob=blob, updated_at=now))
        else:
            row.blob = blob
            row.updated_at = now


def _get(store: UnlockedStore, name: str) -> bytes | None:
    with store.transaction() as session:
        row = session.get(DeviceSecret, name)
        blob = None if row is None else bytes(row.blob)
    return None if blob is None else store.decrypt_secret(f"{_PURPOSE}-{name}", blob)


def _drop(store: UnlockedStore, name: str) -> None:
    with store.transaction() as session:
        row = session.get(DeviceSecret, name)
        if row is not None:
            session.delete(row)


def save_credentials(store: UnlockedStore, creds: DeviceCredentials) -> None:
    _put(store, CREDENTIALS, creds.to_bytes())
    enrollment.save_public(store, creds)
    _drop(store, PENDING)
    store.audit("device_enrolled", device_id=creds.device_id)


def load_credentials(store: UnlockedStore) -> DeviceCredentials | None:
    data = _get(store, CREDENTIALS)
    return None if data is None else DeviceCredentials.from_bytes(data)


def require_credentials(store: UnlockedStore) -> DeviceCredentials:
    creds = load_credentials(store)
    if creds is None:
        raise TransmissionError(
            "Dieser Koffer ist noch nicht bei der Gegenstelle eingerichtet. Bitte führen Sie "
            "zuerst »koffer enroll« aus.",
            message_en="This suitcase is not enrolled yet. Run 'koffer enroll' first.",
        )
    return creds


def save_pending(store: UnlockedStore, keys: PendingKeys) -> None:
    _put(store, PENDING, keys.to_bytes())


def load_pending(store: UnlockedStore) -> PendingKeys | None:
    data = _get(store, PENDING)
    return None if data is None else PendingKeys.from_bytes(data)
