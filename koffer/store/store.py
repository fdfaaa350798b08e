"""The encrypted local store: creating, opening and unlocking it.

Key hierarchy::

    passphrase --Argon2id(salt, params)--> KEK (per account, one key slot)
        the slot holds, by role (:mod:`koffer.store.slots`):
            admin, clerk: the store key K (random 32 bytes, one per store)
            technician:   the device key D = HKDF(K, "device-secrets") only
    recovery code --Argon2id--> KEK of the recovery slot, which holds K
    K --HKDF--> case key-encryption key
        wraps each case's data key (random 32 bytes per case)
            data key encrypts the case payload and attachments
    D --HKDF--> secret keys (device identity …)

With a TPM (``Store.create(..., tpm_tcti=...)``, ``koffer init --tpm``)
every account's slot key-encryption key also needs a secret sealed in the
TPM under an auth value derived from the passphrase
(:mod:`koffer.store.tpm_slot`): a copy of the disk alone opens no slot, and
wrong passphrases count towards the TPM's dictionary-attack lock-out. The
recovery slot stays passphrase-only (a 120-bit code cannot be guessed) so
that the recovery code also lifts a TPM lock-out.

All wrapping and record encryption is AES-256-GCM with associated data that
names the item, so nothing can be moved to another place unnoticed; a slot's
associated data also names the account's role.

Unlocking reserves the attempt first: in one ``BEGIN IMMEDIATE`` transaction
the account's counters are checked and ``pending_attempts`` is incremented,
and only then Argon2id runs. N attempts in parallel therefore count as N; at
most ``max_failed_attempts`` can be under way or failed before the account
is locked. A success releases its reservation and clears the failures
(:mod:`koffer.store.admission`).
The rules (Argon2id cost, lock-out, throttling) come from the store's own
policy (:mod:`koffer.store.policy`), never from a caller's configuration.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from koffer.crypto import keys
from koffer.crypto.kdf import derive_key, new_salt
from koffer.errors import AuthenticationError, CryptoError, StoreError
from koffer.store import authority, files, tpm_slot, validation
from koffer.store.administration import account_info
from koffer.store.admission import ABANDONED_AFTER_S as ABANDONED_AFTER_S
from koffer.store.admission import ThrottledError as ThrottledError
from koffer.store.admission import attempt_unlock
from koffer.store.context import Clock, StoreContext, database_error, utc_now
from koffer.store.db import make_engine, migrate
from koffer.store.models import Account, RecoverySlot, StoreInfo, StoreTpm
from koffer.store.policy import SecurityPolicy, refuse_weaker
from koffer.store.records import AccountInfo
from koffer.store.recovery import new_recovery_code, normalize_code, recovery_binding
from koffer.store.settings import StoreSettings
from koffer.store.slots import device_key, open_slot, seal_slot, slot_payload
from koffer.store.unlocked import UnlockedStore

#: version of the on-disk format (beyond the schema revision); 2: key slots
#: bound to the role, device key D for secrets
FORMAT_VERSION = 2


def _missing(data_dir: Path) -> StoreError:
    return StoreError(
        f"Kein Datenbestand in {data_dir}. Bitte zuerst `koffer init` ausführen.",
        message_en=f"No store in {data_dir}. Please run `koffer init` first.",
    )


def _wrong_recovery_code() -> AuthenticationError:
    return AuthenticationError(
        "Der Wiederherstellungscode ist falsch oder für diesen Datenbestand nicht "
        "eingerichtet. Bitte prüfen Sie die Eingabe.",
        message_en="The recovery code is wrong or not set up for this store.",
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
        tpm_tcti: str | None = None,
    ) -> str:
        """Create a new store with its first admin account.

        The store's security policy is taken from ``settings`` (already
        checked against the minimums when read from a configuration).
        With ``tpm_tcti`` the store is bound to that TPM
        (:func:`koffer.store.tpm_slot.setup`); its key slots then need it.

        :returns: the recovery code: show it once, it is not stored anywhere.
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
        policy = settings.policy
        tpm: tpm_slot.TpmSetup | None = None
        if tpm_tcti is not None:
            tpm = tpm_slot.setup(tpm_tcti, keys.new_key())
        protector = None if tpm is None else tpm_slot.TpmProtector(tpm.tcti, tpm.parent_handle)
        try:
            slot = seal_slot(
                passphrase,
                slot_payload(store_key, "admin"),
                authority.new_binding(store_id, admin_name, "admin"),
                policy.argon2,
                protector,
            )
        except BaseException:
            if tpm is not None:
                tpm_slot.undo_setup(tpm)
            raise
        code = new_recovery_code()
        recovery = seal_slot(
            normalize_code(code), store_key, recovery_binding(store_id), policy.argon2
        )
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
                authority.write_policy(
                    session,
                    policy,
                    now,
                    device_key=device_key(store_key),
                    store_id=store_id,
                )
                authority.put_recovery(session, recovery, now)
                if tpm is not None:
                    session.add(_tpm_row(tpm, store_key, now))
                admin = Account(
                    name=admin_name,
                    role="admin",
                    disabled=False,
                    locked=False,
                    failed_attempts=0,
                    pending_attempts=0,
                    created_at=now,
                )
                authority.apply_slot(admin, slot)
                admin.record_mac = authority.record_mac(store_key, store_id, admin)
                session.add(admin)
                ctx.add_audit(session, admin_name, "store_created", {})
        except BaseException:
            engine.dispose()
            files.remove_db_files(path)
            if tpm is not None:
                tpm_slot.undo_setup(tpm)
            raise
        engine.dispose()
        return code

    @classmethod
    def open(cls, data_dir: Path, settings: StoreSettings, *, clock: Clock = utc_now) -> Store:
        """Open the store in ``data_dir`` (locked), upgrading its schema if needed.

        :raises StoreError: there is no store in ``data_dir``.
        :raises ConfigError: ``settings`` (from a configuration file) ask
            for a weaker policy than the store's own.
        """
        path = files.db_path(data_dir)
        if not path.is_file():
            raise _missing(data_dir)
        engine = make_engine(path, busy_timeout_ms=settings.busy_timeout_ms)
        try:
            migrate(engine)
            ctx: StoreContext | None = None
            with engine.connect() as connection:
                info = connection.execute(select(StoreInfo.store_id)).scalar_one_or_none()
            if info is not None:
                ctx = StoreContext(data_dir, engine, settings, clock, info)
                with ctx.read() as session:
                    stored = authority.read_policy(session)
                    ctx.tpm = _protector_of(session.get(StoreTpm, 1))
                refuse_weaker(stored, settings.policy, settings.explicit_policy_keys)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise database_error(exc) from exc
        except BaseException:
            engine.dispose()
            raise
        if ctx is None:
            engine.dispose()
            raise StoreError(
                f"Der Datenbestand in {data_dir} ist unvollständig (Einrichtung wurde "
                "abgebrochen). Bitte wenden Sie sich an die Technik.",
                message_en=f"The store in {data_dir} is incomplete (set-up was interrupted).",
            )
        return cls(ctx)

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

    @property
    def tpm_protected(self) -> bool:
        """The store's key slots are bound to a TPM."""
        return self._ctx.tpm is not None

    def policy(self) -> SecurityPolicy:
        """The store's own security policy (Argon2id cost, lock-out, throttling)."""
        self._check_open()
        with self._ctx.read() as s:
            return authority.read_policy(s)

    def unlock(self, account: str, passphrase: str) -> UnlockedStore:
        """Unlock with an account's passphrase.

        The attempt is reserved before Argon2id runs (see the module
        docstring). After the n-th wrong passphrase in a row the next attempt
        is refused for ``throttle_base_seconds * 2**(n-1)`` seconds; after
        ``max_failed_attempts`` the account is locked until an admin unlocks
        it (or the recovery code is used). All rules come from the store.

        :raises AuthenticationError: unknown account, disabled account or
            wrong passphrase.
        :raises LockedError: the account is locked or must wait, or the TPM
            is in dictionary-attack lock-out.
        :raises TpmError: the store's TPM cannot be reached or is another one.
        """
        self._check_open()
        return attempt_unlock(self._ctx, account, passphrase)

    # -- recovery -----------------------------------------------------------

    def recover(self, code: str, admin_name: str, new_passphrase: str) -> str:
        """Use the recovery code: give admin ``admin_name`` a new passphrase.

        Lifts the account's lock-out and replaces the recovery code (the old
        one stops working). Recovery attempts are counted on the recovery
        slot's holder like sign-in attempts (reserved first).

        :returns: the new recovery code (show it once).
        :raises AuthenticationError: wrong code, or ``admin_name`` is no
            admin account.
        """
        self._check_open()
        validation.passphrase(new_passphrase, self._ctx.settings.min_passphrase_length)
        with self._ctx.read() as s:
            policy = authority.read_policy(s)
            stored = s.get(RecoverySlot, 1)
            target = s.scalars(select(Account).where(Account.name == admin_name)).one_or_none()
            if stored is None:
                derive_key(code, new_salt(), policy.argon2)
                raise _wrong_recovery_code()
            slot = authority.recovery_slot_of(stored)
        try:
            store_key = open_slot(normalize_code(code), slot, recovery_binding(self.store_id))
        except CryptoError:
            with self._ctx.write() as s:
                self._ctx.add_audit(s, None, "recovery_failed", {})
            raise _wrong_recovery_code() from None
        with self._ctx.read() as s:
            target = s.scalars(select(Account).where(Account.name == admin_name)).one_or_none()
            if (
                target is None
                or target.role != "admin"
                or target.disabled
                or not authority.record_is_authentic(store_key, self.store_id, target)
            ):
                raise AuthenticationError(
                    f"„{admin_name}“ ist kein aktives Administrator-Konto dieses "
                    "Datenbestands. Bitte geben Sie den Namen eines Administrator-Kontos an.",
                    message_en=f"'{admin_name}' is no active admin account of this store.",
                )
        self._lift_tpm_lockout(store_key)
        new_slot = seal_slot(
            new_passphrase,
            slot_payload(store_key, "admin"),
            authority.new_binding(self.store_id, admin_name, "admin"),
            policy.argon2,
            self._ctx.tpm,
        )
        new_code = new_recovery_code()
        recovery = seal_slot(
            normalize_code(new_code), store_key, recovery_binding(self.store_id), policy.argon2
        )
        with self._ctx.write() as s:
            row = s.scalars(select(Account).where(Account.name == admin_name)).one()
            authority.apply_slot(row, new_slot)
            row.locked = False
            row.failed_attempts = 0
            row.pending_attempts = 0
            row.last_failed_at = None
            authority.put_recovery(s, recovery, self._ctx.now())
            self._ctx.add_audit(s, None, "recovered", {"name": admin_name})
        return new_code

    def _lift_tpm_lockout(self, store_key: bytes) -> None:
        """The TPM owner's way back: reset a dictionary-attack lock-out of the store's TPM."""
        tpm = self._ctx.tpm
        if tpm is None:
            return
        with self._ctx.read() as s:
            row = s.get(StoreTpm, 1)
            wrapped = None if row is None else row.wrapped_lockout_auth
        if wrapped is None:
            return  # another program owns the TPM's lockout: its rules apply
        lockout_auth = tpm_slot.unwrap_lockout_auth(store_key, wrapped)
        if tpm.da_state().locked_out:
            tpm_slot.reset_lockout(tpm.tcti, lockout_auth)
            with self._ctx.write() as s:
                self._ctx.add_audit(s, None, "tpm_lockout_reset", {})


def _tpm_row(tpm: tpm_slot.TpmSetup, store_key: bytes, now: datetime) -> StoreTpm:
    wrapped = (
        None
        if tpm.lockout_auth is None
        else tpm_slot.wrap_lockout_auth(store_key, tpm.lockout_auth)
    )
    return StoreTpm(
        id=1,
        tcti=tpm.tcti,
        parent_handle=tpm.parent_handle,
        wrapped_lockout_auth=wrapped,
        created_at=now,
    )


def _protector_of(row: StoreTpm | None) -> tpm_slot.TpmProtector | None:
    return None if row is None else tpm_slot.TpmProtector(row.tcti, row.parent_handle)
