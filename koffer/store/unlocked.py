"""The unlocked store: cases, attachments, secrets, audit log, accounts.

Every public method is one transaction of its own, unless it is given
``session=`` from :meth:`UnlockedStore.transaction`, in which case it joins
that transaction (for cross-table work such as "seal + insert into outbox +
destroy the case key", all or nothing).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from koffer.crypto import aead, keys
from koffer.errors import AuthenticationError, CryptoError, StoreError, TpmAuthError, TpmError
from koffer.store import authority, casecrypto, tpm_slot, validation
from koffer.store.context import StoreContext
from koffer.store.models import (
    Account,
    AttachmentRecord,
    AuditRecord,
    CaseCounter,
    CaseRecord,
    StoreTpm,
)
from koffer.store.policy import SecurityPolicy, check_floor
from koffer.store.records import AccountInfo, AuditEntry, CaseMeta, StoredCase
from koffer.store.recovery import new_recovery_code, normalize_code, recovery_binding
from koffer.store.slots import KeyRing, open_slot, seal_slot, slot_payload

#: session.info flag: a case key was destroyed, checkpoint the WAL after commit
_SHREDDED = "koffer_shredded"
#: the state of a newly created case
INITIAL_STATE = "draft"


def _no_case_access() -> StoreError:
    return StoreError(
        "Mit einem Technik-Konto sind Falldaten nicht zugänglich. Bitte melden Sie sich "
        "mit einem Sachbearbeitungs- oder Administrator-Konto an.",
        message_en="A technician account has no access to case data.",
    )


def _not_found() -> StoreError:
    return StoreError(
        "Der Fall wurde nicht gefunden. Bitte laden Sie die Fallliste neu.",
        message_en="Case not found. Please reload the list of cases.",
    )


def _shredded() -> StoreError:
    return StoreError(
        "Die Daten dieses Falls wurden nach dem Abschluss unwiderruflich gelöscht "
        "(Schlüssel vernichtet). Sichtbar sind nur noch Fallnummer, Art, Zeit und Status.",
        message_en="This case's data was irrevocably erased after completion (key destroyed). "
        "Only number, type, time and state remain.",
    )


def account_info(row: Account) -> AccountInfo:
    return AccountInfo(
        name=row.name,
        role=row.role,
        disabled=row.disabled,
        locked=row.locked,
        failed_attempts=row.failed_attempts,
    )


def case_meta(row: CaseRecord) -> CaseMeta:
    return CaseMeta(
        case_id=row.case_id,
        case_number=row.case_number,
        case_type=row.case_type,
        state=row.state,
        created_at=row.created_at,
        updated_at=row.updated_at,
        readable=row.wrapped_data_key is not None,
    )


class UnlockedStore:
    """The store opened with an account's passphrase.

    Use it as a context manager; leaving it (or :meth:`close`) locks it
    again: the store key is dropped and further calls raise
    :class:`~koffer.errors.StoreError`. The underlying database stays open
    (see :meth:`koffer.store.Store.close`).
    """

    def __init__(self, ctx: StoreContext, account: AccountInfo, ring: KeyRing) -> None:
        self._ctx = ctx
        self._account = account
        self._ring: KeyRing | None = ring
        self._case_kek: bytes | None = (
            None if ring.store_key is None else keys.subkey(ring.store_key, "case-data-keys")
        )

    # -- life cycle ---------------------------------------------------------

    @property
    def account(self) -> AccountInfo:
        """The account that unlocked the store (name, role)."""
        return self._account

    @property
    def is_open(self) -> bool:
        return self._ring is not None

    @property
    def can_read_cases(self) -> bool:
        """The account holds the store key (not a technician)."""
        return self._ring is not None and self._ring.store_key is not None

    def close(self) -> None:
        """Lock again: forget the keys."""
        self._ring = None
        self._case_kek = None

    def __enter__(self) -> UnlockedStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _keys(self) -> KeyRing:
        if self._ring is None:
            raise StoreError(
                "Der Datenbestand ist gesperrt. Bitte melden Sie sich erneut an.",
                message_en="The store is locked. Please sign in again.",
            )
        return self._ring

    def _key(self) -> bytes:
        """The store key K (admins and clerks only)."""
        key = self._keys().store_key
        if key is None:
            raise _no_case_access()
        return key

    def _kek(self) -> bytes:
        self._key()
        assert self._case_kek is not None  # set together with the store key
        return self._case_kek

    # -- transactions -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction; pass the session to methods as ``session=``.

        Commits when the block ends normally, rolls back on an exception.
        """
        self._keys()
        shredded = False
        with self._ctx.write() as session:
            yield session
            shredded = bool(session.info.pop(_SHREDDED, False))
        if shredded:
            self._ctx.checkpoint()

    @contextmanager
    def _write(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            self._keys()
            yield session
        else:
            with self.transaction() as own:
                yield own

    @contextmanager
    def _read(self, session: Session | None) -> Iterator[Session]:
        self._keys()
        if session is not None:
            yield session
        else:
            with self._ctx.read() as own:
                yield own

    def checkpoint(self) -> None:
        """Fold the WAL into the database file and truncate it."""
        self._keys()
        self._ctx.checkpoint()

    def integrity_check(self) -> bool:
        """``PRAGMA integrity_check`` reports no problem."""
        return self._ctx.integrity_check()

    # -- cases --------------------------------------------------------------

    def _case_row(self, session: Session, case_id: str) -> CaseRecord:
        row = session.get(CaseRecord, case_id)
        if row is None:
            raise _not_found()
        return row

    def _data_key(self, row: CaseRecord) -> bytes:
        if row.wrapped_data_key is None:
            raise _shredded()
        return casecrypto.unwrap_data_key(self._kek(), row.case_id, row.wrapped_data_key)

    def _next_case_number(self, session: Session, year: int) -> str:
        counter = session.get(CaseCounter, year)
        if counter is None:
            counter = CaseCounter(year=year, last=0)
            session.add(counter)
        counter.last += 1
        return f"{year:04d}-{counter.last:06d}"

    def _put_attachments(
        self,
        session: Session,
        row: CaseRecord,
        data_key: bytes,
        attachments: Mapping[str, bytes | None],
    ) -> None:
        for name, data in attachments.items():
            validation.attachment_name(name)
            existing = session.get(AttachmentRecord, (row.case_id, name))
            if data is None:
                if existing is not None:
                    session.delete(existing)
                continue
            blob = casecrypto.seal_attachment(data_key, row.case_id, name, bytes(data))
            if existing is None:
                session.add(AttachmentRecord(case_id=row.case_id, name=name, blob=blob))
            else:
                existing.blob = blob

    def create_case(
        self,
        case_type: str,
        payload: dict[str, Any],
        attachments: Mapping[str, bytes] | None = None,
        *,
        state: str = INITIAL_STATE,
        session: Session | None = None,
    ) -> str:
        """Store a new case; returns its id (a UUID4 string).

        The case gets a non-personal case number ``YYYY-NNNNNN``.
        """
        validation.identifier(case_type, "Fallart", "case type")
        validation.identifier(state, "Status", "state")
        case_id = str(uuid.uuid4())
        data_key = keys.new_key()
        sealed = casecrypto.seal_payload(data_key, case_id, payload)
        now = self._ctx.now()
        with self._write(session) as s:
            row = CaseRecord(
                case_id=case_id,
                case_number=self._next_case_number(s, now.year),
                case_type=case_type,
                state=state,
                created_at=now,
                updated_at=now,
                wrapped_data_key=casecrypto.wrap_data_key(self._kek(), case_id, data_key),
                payload=sealed,
            )
            s.add(row)
            s.flush()
            self._put_attachments(s, row, data_key, dict(attachments or {}))
            self._ctx.add_audit(
                s,
                self._account.name,
                "case_created",
                {"case_number": row.case_number, "case_type": case_type},
            )
        return case_id

    def save_case(
        self,
        case_id: str,
        payload: dict[str, Any] | None,
        attachments: Mapping[str, bytes | None] | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        """Replace the payload (unless ``None``) and set or delete attachments.

        An attachment value ``None`` deletes that attachment. One transaction.
        """
        with self._write(session) as s:
            row = self._case_row(s, case_id)
            data_key = self._data_key(row)
            if payload is not None:
                row.payload = casecrypto.seal_payload(data_key, case_id, payload)
            self._put_attachments(s, row, data_key, dict(attachments or {}))
            row.updated_at = self._ctx.now()

    def load_case(self, case_id: str, *, session: Session | None = None) -> StoredCase:
        """The decrypted case.

        :raises StoreError: unknown case, or its key was destroyed.
        :raises CryptoError: the stored data was altered.
        """
        with self._read(session) as s:
            row = self._case_row(s, case_id)
            data_key = self._data_key(row)
            if row.payload is None:
                raise _shredded()
            payload = casecrypto.open_payload(data_key, case_id, row.payload)
            names = s.scalars(
                select(AttachmentRecord.name)
                .where(AttachmentRecord.case_id == case_id)
                .order_by(AttachmentRecord.name)
            ).all()
            return StoredCase(
                case_id=row.case_id,
                case_number=row.case_number,
                case_type=row.case_type,
                state=row.state,
                created_at=row.created_at,
                updated_at=row.updated_at,
                payload=payload,
                attachment_names=tuple(names),
            )

    def load_attachment(self, case_id: str, name: str, *, session: Session | None = None) -> bytes:
        """The decrypted attachment ``name`` of the case."""
        validation.attachment_name(name)
        with self._read(session) as s:
            row = self._case_row(s, case_id)
            data_key = self._data_key(row)
            record = s.get(AttachmentRecord, (case_id, name))
            if record is None:
                raise StoreError(
                    "Die angeforderte Anlage (z. B. Foto oder Fingerabdruck) ist zu diesem "
                    "Fall nicht gespeichert.",
                    message_en="The requested attachment is not stored for this case.",
                )
            return casecrypto.open_attachment(data_key, case_id, name, record.blob)

    def list_cases(
        self, states: Iterable[str] | None = None, *, session: Session | None = None
    ) -> list[CaseMeta]:
        """Non-personal metadata of all cases (optionally only some states)."""
        query = select(CaseRecord).order_by(CaseRecord.created_at, CaseRecord.case_number)
        if states is not None:
            query = query.where(CaseRecord.state.in_(list(states)))
        with self._read(session) as s:
            return [case_meta(row) for row in s.scalars(query)]

    def case_meta(self, case_id: str, *, session: Session | None = None) -> CaseMeta:
        """Non-personal metadata of one case."""
        with self._read(session) as s:
            return case_meta(self._case_row(s, case_id))

    def set_state(self, case_id: str, state: str, *, session: Session | None = None) -> None:
        """Record the case's new state (the rules live in :mod:`koffer.cases`)."""
        validation.identifier(state, "Status", "state")
        with self._write(session) as s:
            row = self._case_row(s, case_id)
            if row.state == state:
                return
            previous = row.state
            row.state = state
            row.updated_at = self._ctx.now()
            self._ctx.add_audit(
                s,
                self._account.name,
                "case_state",
                {"case_number": row.case_number, "from": previous, "to": state},
            )

    def destroy_case_key(self, case_id: str, session: Session | None = None) -> None:
        """Crypto-shred the case: its data key and ciphertexts are erased.

        Afterwards only the non-personal metadata remains; :meth:`load_case`
        raises :class:`StoreError`. With ``secure_delete=ON`` SQLite zeroes the
        freed bytes; the WAL is checkpointed and truncated after the commit.
        Destroying twice is harmless.
        """
        with self._write(session) as s:
            row = self._case_row(s, case_id)
            if row.wrapped_data_key is None:
                return
            now = self._ctx.now()
            # overwrite in place first, then drop: no copy of the key survives
            row.wrapped_data_key = bytes(keys.WRAPPED_SIZE)
            s.flush()
            row.wrapped_data_key = None
            row.payload = None
            row.shredded_at = now
            row.updated_at = now
            s.execute(delete(AttachmentRecord).where(AttachmentRecord.case_id == case_id))
            self._ctx.add_audit(
                s, self._account.name, "case_key_destroyed", {"case_number": row.case_number}
            )
            s.info[_SHREDDED] = True

    # -- secrets ------------------------------------------------------------

    def _secret_key(self, purpose: str) -> bytes:
        validation.event_name(purpose)
        return keys.subkey(self._keys().device_key, "secret/" + purpose)

    def encrypt_secret(self, purpose: str, data: bytes) -> bytes:
        """Encrypt ``data`` (e.g. a device identity key) under the device key.

        The result is for the caller to store; only this store, unlocked by
        any account (technicians included), can decrypt it, and only for the
        same ``purpose``.
        """
        return aead.encrypt(self._secret_key(purpose), data, purpose.encode("utf-8"))

    def decrypt_secret(self, purpose: str, blob: bytes) -> bytes:
        """Inverse of :meth:`encrypt_secret`; :class:`CryptoError` if altered.

        A secret written before format 2 (under a sub-key of the store key)
        still decrypts for admins and clerks.
        """
        aad = purpose.encode("utf-8")
        try:
            return aead.decrypt(self._secret_key(purpose), blob, aad)
        except CryptoError:
            legacy_root = self._keys().store_key
            if legacy_root is None:
                raise
            return aead.decrypt(keys.subkey(legacy_root, "secret/" + purpose), blob, aad)

    # -- audit log ----------------------------------------------------------

    def audit(self, event: str, /, *, session: Session | None = None, **detail: str | int) -> None:
        """Append to the audit log. NEVER pass personal data."""
        validation.event_name(event)
        validation.audit_detail(detail)
        with self._write(session) as s:
            self._ctx.add_audit(s, self._account.name, event, dict(detail))

    def list_audit(self, *, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first (the newest ``limit`` if given)."""
        query = select(AuditRecord).order_by(AuditRecord.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._read(None) as s:
            rows = list(s.scalars(query))
        rows.reverse()
        return [
            AuditEntry(
                id=r.id, at=r.at, account=r.account, event=r.event, detail=json.loads(r.detail)
            )
            for r in rows
        ]

    # -- accounts -----------------------------------------------------------

    def _require_admin(self) -> None:
        self._keys()
        if self._account.role != "admin":
            raise StoreError(
                "Nur ein Administrator-Konto darf Konten verwalten. Bitte melden Sie sich "
                "mit einem solchen Konto an.",
                message_en="Only an admin account may manage accounts.",
            )

    def _account_row(self, session: Session, name: str) -> Account:
        row = session.scalars(select(Account).where(Account.name == name)).one_or_none()
        if row is None:
            raise StoreError(
                f"Das Konto „{name}“ gibt es nicht. `koffer accounts list` zeigt alle Konten.",
                message_en=f"There is no account '{name}'.",
            )
        return row

    def list_accounts(self) -> list[AccountInfo]:
        """All accounts (names, roles, status)."""
        with self._read(None) as s:
            return [account_info(r) for r in s.scalars(select(Account).order_by(Account.name))]

    def _policy(self) -> SecurityPolicy:
        with self._ctx.read() as s:
            return authority.read_policy(s)

    def add_account(self, name: str, role: str, passphrase: str) -> None:
        """Add an account that can unlock the store (admin only)."""
        self._require_admin()
        validation.account_name(name)
        validation.role(role)
        validation.passphrase(passphrase, self._ctx.settings.min_passphrase_length)
        store_key = self._key()
        slot = seal_slot(
            passphrase,
            slot_payload(store_key, role),
            authority.new_binding(self._ctx.store_id, name, role),
            self._policy().argon2,
            self._ctx.tpm,
        )
        with self._write(None) as s:
            exists = s.scalar(select(func.count()).where(Account.name == name))
            if exists:
                raise StoreError(
                    f"Das Konto „{name}“ gibt es bereits.",
                    message_en=f"The account '{name}' already exists.",
                )
            row = Account(
                name=name,
                role=role,
                disabled=False,
                locked=False,
                failed_attempts=0,
                pending_attempts=0,
                created_at=self._ctx.now(),
            )
            authority.apply_slot(row, slot)
            row.record_mac = authority.record_mac(store_key, self._ctx.store_id, row)
            s.add(row)
            self._ctx.add_audit(
                s, self._account.name, "account_added", {"name": name, "role": role}
            )

    def disable_account(self, name: str) -> None:
        """Disable an account (admin only); the last active admin stays.

        The account's key slot is destroyed (overwritten, then removed), so
        setting ``disabled`` back in the database does not revive it.
        """
        self._require_admin()
        with self._write(None) as s:
            row = self._account_row(s, name)
            if row.disabled:
                return
            if row.role == "admin":
                admins = s.scalar(
                    select(func.count()).where(Account.role == "admin", Account.disabled.is_(False))
                )
                if (admins or 0) <= 1:
                    raise StoreError(
                        "Das letzte aktive Administrator-Konto kann nicht deaktiviert werden. "
                        "Legen Sie zuerst ein weiteres an.",
                        message_en="The last active admin account cannot be disabled.",
                    )
            row.disabled = True
            authority.destroy_slot(s, row)
            self._ctx.add_audit(s, self._account.name, "account_disabled", {"name": name})
            s.info[_SHREDDED] = True

    def unlock_account(self, name: str) -> None:
        """Lift a lock-out after too many wrong passphrases (admin only)."""
        self._require_admin()
        with self._write(None) as s:
            row = self._account_row(s, name)
            row.locked = False
            row.failed_attempts = 0
            row.pending_attempts = 0
            row.last_failed_at = None
            self._ctx.add_audit(s, self._account.name, "account_unlocked", {"name": name})

    def reset_passphrase(self, name: str, new_passphrase: str) -> None:
        """Give account ``name`` a new passphrase (admin only).

        The account's role must be authentic (its record MAC under the store
        key): an account whose role was edited in the database is refused.
        """
        self._require_admin()
        with self._read(None) as s:
            row = self._account_row(s, name)
            genuine = not row.disabled and authority.record_is_authentic(
                self._key(), self._ctx.store_id, row
            )
            role = row.role
        if not genuine:
            raise StoreError(
                f"Die Passphrase von „{name}“ kann nicht neu gesetzt werden: das Konto ist "
                "deaktiviert, oder seine Angaben im Datenbestand sind nicht bestätigt "
                "(verändert oder noch nie seit dem Update angemeldet). Bitte legen Sie ein "
                "neues Konto an.",
                message_en=f"The passphrase of '{name}' cannot be reset: disabled or its "
                "record is not authentic.",
            )
        self._set_passphrase(name, role, new_passphrase, "passphrase_reset")

    def change_passphrase(self, current_passphrase: str, new_passphrase: str) -> None:
        """Change the passphrase of the account that unlocked the store."""
        name = self._account.name
        with self._read(None) as s:
            row = self._account_row(s, name)
            slot = authority.slot_of(row)
            binding = authority.binding_of(self._ctx.store_id, row)
        try:
            open_slot(current_passphrase, slot, binding, self._ctx.tpm)
        except CryptoError as exc:
            if isinstance(exc, TpmError) and not isinstance(exc, TpmAuthError):
                raise  # the TPM is locked out or unreachable: say so
            raise AuthenticationError(
                "Die bisherige Passphrase ist falsch. Die Passphrase wurde nicht geändert.",
                message_en="The current passphrase is wrong; nothing was changed.",
            ) from exc
        self._set_passphrase(name, self._account.role, new_passphrase, "passphrase_changed")

    def _set_passphrase(self, name: str, role: str, new_passphrase: str, event: str) -> None:
        validation.passphrase(new_passphrase, self._ctx.settings.min_passphrase_length)
        ring = self._keys()
        payload = (
            slot_payload(ring.store_key, role) if ring.store_key is not None else ring.device_key
        )
        slot = seal_slot(
            new_passphrase,
            payload,
            authority.new_binding(self._ctx.store_id, name, role),
            self._policy().argon2,
            self._ctx.tpm,
        )
        with self._write(None) as s:
            row = self._account_row(s, name)
            authority.apply_slot(row, slot)
            self._ctx.add_audit(s, self._account.name, event, {"name": name})

    # -- security policy and recovery ---------------------------------------

    def release_tpm(self) -> bool:
        """Before a wipe (admin only): give the TPM's lockout back (empty auth).

        A store created afterwards on this TPM can then set its own
        dictionary-attack rules and lockout auth. ``False`` if the store has
        no TPM or does not own the TPM's lockout.
        """
        self._require_admin()
        tpm = self._ctx.tpm
        store_key = self._keys().store_key
        if tpm is None or store_key is None:
            return False
        with self._read(None) as s:
            row = s.get(StoreTpm, 1)
            wrapped = None if row is None else row.wrapped_lockout_auth
        if wrapped is None:
            return False
        tpm_slot.release_lockout(tpm.tcti, tpm_slot.unwrap_lockout_auth(store_key, wrapped))
        with self._write(None) as s:
            row = s.get(StoreTpm, 1)
            if row is not None:
                row.wrapped_lockout_auth = None
            self._ctx.add_audit(s, self._account.name, "tpm_lockout_released", {})
        return True

    def renew_recovery_code(self) -> str:
        """A new recovery code (admin only); the old one stops working.

        Also the way to get a first code for a store created before codes
        existed. Show it once; it is not stored anywhere.
        """
        self._require_admin()
        code = new_recovery_code()
        slot = seal_slot(
            normalize_code(code),
            self._key(),
            recovery_binding(self._ctx.store_id),
            self._policy().argon2,
        )
        with self._write(None) as s:
            authority.put_recovery(s, slot, self._ctx.now())
            self._ctx.add_audit(s, self._account.name, "recovery_code_renewed", {})
        return code

    def policy(self) -> SecurityPolicy:
        """The store's security policy."""
        self._keys()
        return self._policy()

    def set_policy(self, policy: SecurityPolicy) -> None:
        """Change the store's security policy (admin only, never below the floor).

        Slots are re-sealed with a higher Argon2id cost at their next unlock;
        a lower cost applies only to passphrases set afterwards.
        """
        self._require_admin()
        check_floor(policy)
        with self._write(None) as s:
            authority.write_policy(
                s,
                policy,
                self._ctx.now(),
                device_key=self._keys().device_key,
                store_id=self._ctx.store_id,
            )
            detail: dict[str, str | int] = {k: str(v) for k, v in policy.values().items()}
            self._ctx.add_audit(s, self._account.name, "policy_changed", detail)
