"""The suitcase's enrolled identity, kept encrypted under the store key."""

from __future__ import annotations

from datetime import UTC, datetime

from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment import public as enrollment
from koffer.enrollment.enroll import PendingKeys
from koffer.errors import CryptoError, StoreError, TransmissionError
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


def is_enrolled(store: UnlockedStore) -> bool:
    with store.transaction() as session:
        return session.get(DeviceSecret, CREDENTIALS) is not None


def check_may_enroll(store: UnlockedStore, *, replace: bool) -> bool:
    """Whether this is a re-enrollment; refused unless an admin asked with ``replace``.

    Called before anything is sent or written: replacing the enrollment
    redirects every later transmission, so it needs an admin account and an
    explicit ``--replace``.
    """
    if not is_enrolled(store):
        return False
    if store.account.role != "admin":
        raise StoreError(
            "Dieser Koffer ist bereits eingerichtet. Nur ein Administrator-Konto darf die "
            "Einrichtung ersetzen. Bitte melden Sie sich mit einem solchen Konto an "
            "(--account) und geben Sie --replace an.",
            message_en="Already enrolled; only an admin account may replace the enrollment.",
        )
    if not replace:
        raise StoreError(
            "Dieser Koffer ist bereits eingerichtet. Zum Ersetzen der Einrichtung geben Sie "
            "--replace an; danach gehen alle Übertragungen an die neue Gegenstelle.",
            message_en="This suitcase is already enrolled; use --replace to replace it.",
        )
    return True


def save_credentials(
    store: UnlockedStore, creds: DeviceCredentials, *, replace: bool = False
) -> None:
    """Store ``creds`` as this suitcase's enrollment (see :func:`check_may_enroll`).

    A replacement is written to the audit log (old and new device id) and
    touches only the device identity: sealed envelopes stay as they are.
    """
    previous = ""
    if check_may_enroll(store, replace=replace):
        try:
            old = load_credentials(store)
        except CryptoError:  # damaged: it is being replaced anyway
            old = None
        previous = old.device_id if old is not None else "unlesbar"
    _put(store, CREDENTIALS, creds.to_bytes())
    enrollment.save_public(store, creds)
    _drop(store, PENDING)
    if not previous:
        store.audit("device_enrolled", device_id=creds.device_id)
    else:
        store.audit(
            "device_enrollment_replaced", device_id=creds.device_id, previous_device_id=previous
        )


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
