"""The kiosk's view of the encrypted store (:mod:`koffer.store`).

Everything here blocks: call it through
:meth:`~koffer.kiosk.controller.KioskController.run_in_store`, never on the
GUI thread. The store module is imported on first use so that start-up stays
fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from koffer.config import Config
from koffer.errors import StoreError

if TYPE_CHECKING:
    from koffer.store import Store, UnlockedStore
    from koffer.store.records import AccountInfo, CaseMeta, StoredCase
    from koffer.store.settings import StoreSettings


def remaining_wait(exc: BaseException) -> float:
    """Seconds until the next login attempt, if the error says so (else 0)."""
    for attribute in ("remaining_seconds", "wait_seconds", "retry_after"):
        value = getattr(exc, attribute, None)
        if isinstance(value, int | float) and value > 0:
            return float(value)
    return 0.0


class CaseStore:
    """One account's unlocked store, as the screens use it."""

    def __init__(self, unlocked: UnlockedStore, account: str, role: str) -> None:
        self._unlocked = unlocked
        self.account = account
        self.role = role

    @property
    def unlocked(self) -> UnlockedStore:
        """The unlocked store itself (the outbox, sealing and audit need it)."""
        return self._unlocked

    def list_cases(self) -> list[CaseMeta]:
        return list(self._unlocked.list_cases())

    def create_case(self, case_type: str, payload: Mapping[str, Any]) -> str:
        return self._unlocked.create_case(case_type, dict(payload), {})

    def save_case(self, case_id: str, payload: Mapping[str, Any]) -> None:
        self._unlocked.save_case(case_id, dict(payload), None)

    def load_case(self, case_id: str) -> StoredCase:
        return self._unlocked.load_case(case_id)

    def close(self) -> None:
        self._unlocked.close()


class StoreGateway:
    """Opens the (locked) store and unlocks accounts."""

    def __init__(
        self, data_dir: Path, config: Config, settings: StoreSettings | None = None
    ) -> None:
        self._data_dir = data_dir
        self._config = config
        self._settings = settings
        self._store: Store | None = None

    def open(self) -> None:
        from koffer.store import Store
        from koffer.store.settings import StoreSettings

        if self._store is None:
            settings = self._settings or StoreSettings.from_config(self._config)
            self._store = Store.open(self._data_dir, settings)

    def _opened(self) -> Store:
        if self._store is None:
            raise StoreError(
                "Der Datenspeicher ist nicht geöffnet.",
                message_en="The data store is not open.",
            )
        return self._store

    def accounts(self) -> list[AccountInfo]:
        return list(self._opened().accounts())

    def unlock(self, account: str, passphrase: str) -> CaseStore:
        store = self._opened()
        unlocked = store.unlock(account, passphrase)
        role = next((a.role for a in store.accounts() if a.name == account), "clerk")
        return CaseStore(unlocked, account, role)

    def close(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()


def save_with_attachments(
    store: CaseStore,
    case_id: str,
    payload: Mapping[str, Any],
    attachments: Mapping[str, bytes | None],
) -> None:
    """Save ``payload`` and set (or, with ``None``, delete) attachments in one go."""
    store.unlocked.save_case(case_id, dict(payload), dict(attachments))


def load_attachment(store: CaseStore, case_id: str, name: str) -> bytes:
    """The decrypted attachment ``name`` of the case."""
    return bytes(store.unlocked.load_attachment(case_id, name))
