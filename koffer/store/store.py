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
is locked. A success releases its reservation and clears the failures.
The rules (Argon2id cost, lock-out, throttling) come from the store's own
policy (:mod:`koffer.store.policy`), never from a caller's configuration.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from koffer.crypto import keys
from koffer.crypto.kdf import derive_key, new_salt
from koffer.errors import (
    AuthenticationError,
    CryptoError,
    LockedError,
    StoreError,
    TpmAuthError,
    TpmError,
    TpmLockoutError,
)
from koffer.store import authority, files, tpm_slot, validation
from koffer.store.context import Clock, StoreContext, database_error, utc_now
from koffer.store.db import make_engine, migrate
from koffer.store.models import Account, RecoverySlot, StoreInfo, StoreTpm
from koffer.store.policy import SecurityPolicy, refuse_weaker
from koffer.store.records import AccountInfo
from koffer.store.recovery import new_recovery_code, normalize_code, recovery_binding
from koffer.store.settings import StoreSettings
from koffer.store.slots import (
    LEGACY_SLOT_VERSION,
    KeyRing,
    Slot,
    SlotBinding,
    device_key,
    open_slot,
    seal_slot,
    slot_payload,
)
from koffer.store.throttle import remaining_wait
from koffer.store.unlocked import UnlockedStore, account_info

#: version of the on-disk format (beyond the schema revision); 2: key slots
#: bound to the role, device key D for secrets
FORMAT_VERSION = 2
#: a reserved attempt with no activity for this long was abandoned (its
#: process died during Argon2id); it then counts as a failure
ABANDONED_AFTER_S = 300.0


class ThrottledError(LockedError):
    """A wrong passphrase was entered recently: wait ``remaining_seconds``."""

    def __init__(self, remaining_seconds: float) -> None:
        seconds = max(1, math.ceil(remaining_seconds))
        super().__init__(
            f"Zu viele falsche Passphrasen. Bitte warten Sie noch {seconds} "
            f"{'Sekunde' if seconds == 1 else 'Sekunden'} "
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
        "Administrator-Konto kann es entsperren (`koffer accounts unlock NAME`); ist das "
        "letzte Administrator-Konto gesperrt, hilft der Wiederherstellungscode "
        "(`koffer accounts recover NAME`).",
        message_en="This account is locked after too many wrong passphrases. "
        "An admin can unlock it; for the last admin use the recovery code.",
    )


def _busy() -> LockedError:
    return LockedError(
        "Für dieses Konto laufen gerade zu viele Anmeldeversuche gleichzeitig. Bitte "
        "warten Sie einen Moment und versuchen Sie es dann erneut.",
        message_en="Too many sign-in attempts for this account are under way; please wait.",
    )


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


@dataclass(frozen=True)
class _Reservation:
    """What an admitted attempt needs after its reservation is committed."""

    slot: Slot
    binding: SlotBinding
    policy: SecurityPolicy


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
        reservation = self._reserve(account)
        if reservation is None:
            # same cost as a real attempt: no hint which names exist
            derive_key(passphrase, new_salt(), self.policy().argon2)
            raise _wrong_passphrase()
        try:
            payload = open_slot(passphrase, reservation.slot, reservation.binding, self._ctx.tpm)
        except TpmLockoutError as exc:
            # the TPM judged nothing: release the attempt, say why
            self._release(account)
            raise LockedError(exc.message, message_en=exc.message_en) from exc
        except TpmError as exc:
            if not isinstance(exc, TpmAuthError):
                self._release(account)
                raise
            locked = self._record_failure(account)
            if locked:
                raise _locked_out() from None
            raise _wrong_passphrase() from None
        except CryptoError:
            locked = self._record_failure(account)
            if locked:
                raise _locked_out() from None
            raise _wrong_passphrase() from None
        return self._admitted(account, passphrase, payload, reservation)

    def _reserve(self, account: str) -> _Reservation | None:
        """Check the counters and count the attempt, in one write transaction.

        A refusal is raised after the transaction commits, so that settling
        abandoned attempts (:meth:`_settle_abandoned`) is kept.
        """
        refusal: StoreError | None = None
        reservation: _Reservation | None = None
        with self._ctx.write() as s:
            policy = authority.read_policy(s)
            row = s.scalars(select(Account).where(Account.name == account)).one_or_none()
            if row is None:
                return None
            now = self._ctx.now()
            self._settle_abandoned(s, row, now, policy)
            wait = remaining_wait(
                row.failed_attempts + row.pending_attempts,
                row.last_failed_at,
                now,
                policy.throttle_base_seconds,
                policy.throttle_max_seconds,
            )
            if row.disabled:
                refusal = AuthenticationError(
                    "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.",
                    message_en="This account is disabled. Please contact an administrator.",
                )
            elif row.locked or row.failed_attempts >= policy.max_failed_attempts:
                refusal = _locked_out()
            elif wait > 0:
                refusal = ThrottledError(wait)
            elif row.failed_attempts + row.pending_attempts >= policy.max_failed_attempts:
                refusal = _busy()
            else:
                row.pending_attempts += 1
                row.last_failed_at = now
                reservation = _Reservation(
                    slot=authority.slot_of(row),
                    binding=authority.binding_of(self._ctx.store_id, row),
                    policy=policy,
                )
        if refusal is not None:
            raise refusal
        return reservation

    def _settle_abandoned(
        self, session: Session, row: Account, now: datetime, policy: SecurityPolicy
    ) -> None:
        """Count reservations of attempts that never finished as failures.

        A process killed during Argon2id (power loss, SIGKILL) leaves its
        reservation behind. Once nothing has happened for
        :data:`ABANDONED_AFTER_S`, no attempt can still be running: the
        reservations become failures (never forgotten, never leaking).
        """
        if row.pending_attempts <= 0 or row.last_failed_at is None:
            return
        if (now - row.last_failed_at).total_seconds() < ABANDONED_AFTER_S:
            return
        abandoned = row.pending_attempts
        row.pending_attempts = 0
        row.failed_attempts += abandoned
        detail: dict[str, str | int] = {
            "abandoned": abandoned,
            "failed_attempts": row.failed_attempts,
        }
        self._ctx.add_audit(session, row.name, "unlock_abandoned", detail)
        if row.failed_attempts >= policy.max_failed_attempts and not row.locked:
            row.locked = True
            self._ctx.add_audit(session, row.name, "account_locked", detail)

    def _admitted(
        self, account: str, passphrase: str, payload: bytes, reservation: _Reservation
    ) -> UnlockedStore:
        """Release the reservation; re-seal a legacy or cheaper slot (never weaker)."""
        binding, slot, policy = reservation.binding, reservation.slot, reservation.policy
        legacy = binding.version == LEGACY_SLOT_VERSION
        ring = KeyRing.from_payload(binding.role, payload, binding.version)
        # K is known here for admins and clerks, and for every legacy slot
        full_key = payload if legacy else ring.store_key
        reseal: Slot | None = None
        stronger = policy.argon2 != slot.params and policy.argon2.at_least(slot.params)
        if legacy or stronger:
            # never re-wrap with a cost below the slot's own
            params = policy.argon2 if policy.argon2.at_least(slot.params) else slot.params
            reseal = seal_slot(
                passphrase,
                slot_payload(payload, binding.role) if legacy else payload,
                authority.new_binding(self._ctx.store_id, account, binding.role),
                params,
                self._ctx.tpm,
            )
        with self._ctx.write() as s:
            row = s.scalars(select(Account).where(Account.name == account)).one()
            row.pending_attempts = max(0, row.pending_attempts - 1)
            row.failed_attempts = 0
            row.last_failed_at = None
            row.locked = False
            if reseal is not None and row.wrapped_store_key == slot.wrapped:
                authority.apply_slot(row, reseal)
            if full_key is not None and row.record_mac is None and row.role == binding.role:
                row.record_mac = authority.record_mac(full_key, self._ctx.store_id, row)
            self._ctx.add_audit(s, account, "unlocked", {"role": binding.role})
            checked = authority.verify_policy(
                s, ring.device_key, self._ctx.store_id, self._ctx.now()
            )
            if checked is not None:
                self._ctx.add_audit(s, account, checked, {})
            info = account_info(row)
        return UnlockedStore(self._ctx, info, ring)

    def _release(self, account: str) -> None:
        """Give back a reservation without counting a failure (the TPM refused to judge)."""
        with self._ctx.write() as s:
            row = s.scalars(select(Account).where(Account.name == account)).one()
            row.pending_attempts = max(0, row.pending_attempts - 1)

    def _record_failure(self, account: str) -> bool:
        """Turn the reservation into a failure; ``True`` if the account is now locked."""
        with self._ctx.write() as s:
            policy = authority.read_policy(s)
            row = s.scalars(select(Account).where(Account.name == account)).one()
            row.pending_attempts = max(0, row.pending_attempts - 1)
            row.failed_attempts += 1
            row.last_failed_at = self._ctx.now()
            detail: dict[str, str | int] = {"failed_attempts": row.failed_attempts}
            self._ctx.add_audit(s, account, "unlock_failed", detail)
            if row.failed_attempts >= policy.max_failed_attempts and not row.locked:
                row.locked = True
                self._ctx.add_audit(s, account, "account_locked", detail)
            return row.locked

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
