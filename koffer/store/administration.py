"""Account administration of the unlocked store: accounts, passphrases, policy.

:class:`AccountAdministration` is the part of
:class:`~koffer.store.unlocked.UnlockedStore` that manages who can unlock
the store: adding, disabling and unlocking accounts, setting passphrases,
the security policy, the recovery code and the TPM's lockout. Everything
but :meth:`~AccountAdministration.change_passphrase`,
:meth:`~AccountAdministration.list_accounts` and
:meth:`~AccountAdministration.policy` is for admin accounts only.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from koffer.errors import AuthenticationError, CryptoError, StoreError, TpmAuthError, TpmError
from koffer.store import authority, tpm_slot, validation
from koffer.store.models import Account, StoreTpm
from koffer.store.policy import SecurityPolicy, check_floor
from koffer.store.records import AccountInfo
from koffer.store.recovery import new_recovery_code, normalize_code, recovery_binding
from koffer.store.slots import open_slot, seal_slot, slot_payload
from koffer.store.unlocked_core import SHREDDED, UnlockedCore


def account_info(row: Account) -> AccountInfo:
    return AccountInfo(
        name=row.name,
        role=row.role,
        disabled=row.disabled,
        locked=row.locked,
        failed_attempts=row.failed_attempts,
    )


class AccountAdministration(UnlockedCore):
    """Accounts, passphrases, security policy, recovery code, TPM lockout."""

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
            s.info[SHREDDED] = True

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
