"""The encrypted local store: creating, opening and unlocking it.

Key hierarchy::

    passphrase --Argon2id(salt, params)--> KEK (per account)
        KEK wraps the store key (random 32 bytes, one per store)
            store key --HKDF--> case key-encryption key
                wraps each case's data key (random 32 bytes per case)
                    data key encrypts the case payload and attachments
            store key --HKDF--> secret keys (device identity …)

All wrapping and record encryption is AES-256-GCM with associated data that
names the item, so nothing can be moved to another place unnoticed.
"""

from __future__ import annotations

import math
import uuid
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from koffer.crypto import keys
from koffer.crypto.kdf import derive_key, new_salt
from koffer.errors import AuthenticationError, CryptoError, LockedError, StoreError
from koffer.store import files, validation
from koffer.store.context import Clock, StoreContext, database_error, utc_now
from koffer.store.credentials import make_credentials, open_credentials, params_of
from koffer.store.db import make_engine, migrate
from koffer.store.models import Account, StoreInfo
from koffer.store.records import AccountInfo
from koffer.store.settings import StoreSettings
from koffer.store.throttle import remaining_wait
from koffer.store.unlocked import UnlockedStore, account_info

#: version of the on-disk format (beyond the schema revision)
FORMAT_VERSION = 1


class ThrottledError(LockedError):
    """A wrong passphrase was entered recently: wait ``remaining_seconds``."""

    def __init__(self, remaining_seconds: float) -> None:
        seconds = max(1, math.ceil(remaining_seconds))
        super().__init__(
            f"Zu viele falsche Passphrasen. Bitte warten Sie noch {seconds} Sekunden "
            "und versuchen Sie es dann erneut.",
            message_en=f"Too many wrong passphrases. Please wait {seconds} seconds.",
        )
        self.remaining_seconds = remaining_seconds


def _wrong_passphrase() -> AuthenticationError:
    return AuthenticationError(
        "Anmeldung fehlgeschlagen: Konto oder Passphrase ist falsch. Bitte versuchen Sie "
        "es erneut.",
        message_en="Sign-in failed: wrong account or passphrase. Please try again.",
    )


def _locked_out() -> LockedError:
    return LockedError(
        "Dieses Konto ist nach zu vielen falschen Passphrasen gesperrt. Ein "
        "Administrator-Konto kann es entsperren (`koffer accounts unlock NAME`).",
        message_en="This account is locked after too many wrong passphrases. "
        "An admin can unlock it.",
    )


def _missing(data_dir: Path) -> StoreError:
    return StoreError(
        f"Kein Datenbestand in {data_dir}. Bitte zuerst `koffer init` ausführen.",
        message_en=f"No store in {data_dir}. Please run `koffer init` first.",
    )


class Store:
    """The store, locked: it can list accounts and be unlocked."""

    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx
        self._closed = False

    # -- creating and opening ----------------------------------------------

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """A store database exists in ``data_dir``."""
        return files.db_path(data_dir).is_file()

    @staticmethod
    def ensure_absent(data_dir: Path) -> None:
        """Refuse (:class:`StoreError`) if ``data_dir`` already holds a store."""
        if files.db_path(data_dir).exists():
            raise StoreError(
                f"In {data_dir} gibt es bereits einen Datenbestand. Er wird nicht "
                "überschrieben; wählen Sie ein anderes Verzeichnis oder melden Sie sich an.",
                message_en=f"{data_dir} already holds a store; it is not overwritten.",
            )

    @classmethod
    def create(
        cls,
        data_dir: Path,
        admin_name: str,
        passphrase: str,
        settings: StoreSettings,
        *,
        clock: Clock = utc_now,
    ) -> None:
        """Create a new store with its first admin account.

        :raises StoreError: a store exists already in ``data_dir``, or the
            name or passphrase is not acceptable.
        """
        validation.account_name(admin_name)
        validation.passphrase(passphrase, settings.min_passphrase_length)
        cls.ensure_absent(data_dir)
        path = files.db_path(data_dir)
        files.prepare_data_dir(data_dir)
        store_id = str(uuid.uuid4())
        store_key = keys.new_key()
        credentials = make_credentials(passphrase, store_key, store_id, admin_name, settings.argon2)
        files.create_db_file(path)
        engine = make_engine(path, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            migrate(engine)
            ctx = StoreContext(data_dir, engine, settings, clock, store_id)
            now = ctx.now()
            with ctx.write() as session:
                session.add(
                    StoreInfo(
                        id=1, store_id=store_id, created_at=now, format_version=FORMAT_VERSION
                    )
                )
                admin = Account(
                    name=admin_name,
                    role="admin",
                    disabled=False,
                    locked=False,
                    failed_attempts=0,
                    created_at=now,
                )
                credentials.apply(admin)
                session.add(admin)
                ctx.add_audit(session, admin_name, "store_created", {})
        except BaseException:
            engine.dispose()
            files.remove_db_files(path)
            raise
        engine.dispose()

    @classmethod
    def open(cls, data_dir: Path, settings: StoreSettings, *, clock: Clock = utc_now) -> Store:
        """Open the store in ``data_dir`` (locked), upgrading its schema if needed.

        :raises StoreError: there is no store in ``data_dir``.
        """
        path = files.db_path(data_dir)
        if not path.is_file():
            raise _missing(data_dir)
        engine = make_engine(path, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            migrate(engine)
            with engine.connect() as connection:
                info = connection.execute(select(StoreInfo.store_id)).scalar_one_or_none()
        except SQLAlchemyError as exc:
            engine.dispose()
            raise database_error(exc) from exc
        except BaseException:
            engine.dispose()
            raise
        if info is None:
            engine.dispose()
            raise StoreError(
                f"Der Datenbestand in {data_dir} ist unvollständig (Einrichtung wurde "
                "abgebrochen). Bitte wenden Sie sich an die Technik.",
                message_en=f"The store in {data_dir} is incomplete (set-up was interrupted).",
            )
        return cls(StoreContext(data_dir, engine, settings, clock, info))

    # -- life cycle ---------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._ctx.data_dir

    @property
    def db_path(self) -> Path:
        return files.db_path(self._ctx.data_dir)

    @property
    def store_id(self) -> str:
        return self._ctx.store_id

    def close(self) -> None:
        """Close the database (unlocked views of it stop working too)."""
        if not self._closed:
            self._closed = True
            self._ctx.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("Der Datenbestand ist geschlossen.", message_en="The store is closed.")

    # -- locked operations --------------------------------------------------

    def list_accounts(self) -> list[AccountInfo]:
        """Names, roles and status of all accounts (no unlocking needed)."""
        self._check_open()
        with self._ctx.read() as s:
            return [account_info(r) for r in s.scalars(select(Account).order_by(Account.name))]

    def accounts(self) -> list[AccountInfo]:
        """Alias of :meth:`list_accounts`."""
        return self.list_accounts()

    def integrity_check(self) -> bool:
        """``PRAGMA integrity_check`` reports no problem."""
        self._check_open()
        return self._ctx.integrity_check()

    def unlock(self, account: str, passphrase: str) -> UnlockedStore:
        """Unlock with an account's passphrase.

        Wrong passphrases are throttled: after the n-th wrong one in a row the
        next attempt is refused for ``throttle_base_seconds * 2**(n-1)``
        seconds; after ``max_failed_attempts`` the account is locked until an
        admin unlocks it. The counters are kept in the database.

        :raises AuthenticationError: unknown account, disabled account or
            wrong passphrase.
        :raises LockedError: the account is locked or must wait.
        """
        self._check_open()
        settings = self._ctx.settings
        with self._ctx.read() as s:
            row = s.scalars(select(Account).where(Account.name == account)).one_or_none()
            if row is None:
                # same cost as a real attempt: no hint which names exist
                derive_key(passphrase, new_salt(), settings.argon2)
                raise _wrong_passphrase()
            if row.disabled:
                raise AuthenticationError(
                    "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.",
                    message_en="This account is disabled. Please contact an administrator.",
                )
            if row.locked:
                raise _locked_out()
            wait = remaining_wait(
                row.failed_attempts,
                row.last_failed_at,
                self._ctx.now(),
                settings.throttle_base_seconds,
                settings.throttle_max_seconds,
            )
            if wait > 0:
                raise ThrottledError(wait)
            salt, params, wrapped = row.kdf_salt, params_of(row), row.wrapped_store_key
            info = account_info(row)
        try:
            store_key = open_credentials(
                passphrase, salt, params, wrapped, self._ctx.store_id, account
            )
        except CryptoError:
            locked = self._record_failure(account)
            if locked:
                raise _locked_out() from None
            raise _wrong_passphrase() from None
        upgrade = None
        if params != settings.argon2:
            # the configured cost changed: re-wrap under the new parameters
            upgrade = make_credentials(
                passphrase, store_key, self._ctx.store_id, account, settings.argon2
            )
        with self._ctx.write() as s:
            row = s.scalars(select(Account).where(Account.name == account)).one()
            row.failed_attempts = 0
            row.last_failed_at = None
            if upgrade is not None:
                upgrade.apply(row)
            self._ctx.add_audit(s, account, "unlocked", {"role": row.role})
            info = account_info(row)
        return UnlockedStore(self._ctx, info, store_key)

    def _record_failure(self, account: str) -> bool:
        """Count a wrong passphrase; ``True`` if the account is now locked."""
        with self._ctx.write() as s:
            row = s.scalars(select(Account).where(Account.name == account)).one()
            row.failed_attempts += 1
            row.last_failed_at = self._ctx.now()
            detail: dict[str, str | int] = {"failed_attempts": row.failed_attempts}
            self._ctx.add_audit(s, account, "unlock_failed", detail)
            if row.failed_attempts >= self._ctx.settings.max_failed_attempts:
                row.locked = True
                self._ctx.add_audit(s, account, "account_locked", detail)
            return row.locked
