"""Admitting an unlock attempt: reservation, throttling, lock-out, success.

An attempt is reserved first: in one ``BEGIN IMMEDIATE`` transaction the
account's counters are checked and ``pending_attempts`` is incremented, and
only then Argon2id runs. N attempts in parallel therefore count as N; at
most ``max_failed_attempts`` can be under way or failed before the account
is locked. A success releases its reservation and clears the failures; a
reservation whose process died is settled as a failure later
(:data:`ABANDONED_AFTER_S`). The rules come from the store's own policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from koffer.store import authority
from koffer.store.administration import account_info
from koffer.store.context import StoreContext
from koffer.store.models import Account
from koffer.store.policy import SecurityPolicy
from koffer.store.slots import (
    LEGACY_SLOT_VERSION,
    KeyRing,
    Slot,
    SlotBinding,
    open_slot,
    seal_slot,
    slot_payload,
)
from koffer.store.throttle import remaining_wait
from koffer.store.unlocked import UnlockedStore

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


@dataclass(frozen=True)
class _Reservation:
    """What an admitted attempt needs after its reservation is committed."""

    slot: Slot
    binding: SlotBinding
    policy: SecurityPolicy


def attempt_unlock(ctx: StoreContext, account: str, passphrase: str) -> UnlockedStore:
    """Unlock with an account's passphrase, or refuse (see :meth:`Store.unlock`).

    :raises AuthenticationError: unknown account, disabled account or
        wrong passphrase.
    :raises LockedError: the account is locked or must wait, or the TPM
        is in dictionary-attack lock-out.
    :raises TpmError: the store's TPM cannot be reached or is another one.
    """
    reservation = _reserve(ctx, account)
    if reservation is None:
        # same cost as a real attempt: no hint which names exist
        with ctx.read() as s:
            policy = authority.read_policy(s)
        derive_key(passphrase, new_salt(), policy.argon2)
        raise _wrong_passphrase()
    try:
        payload = open_slot(passphrase, reservation.slot, reservation.binding, ctx.tpm)
    except TpmLockoutError as exc:
        # the TPM judged nothing: release the attempt, say why
        _release(ctx, account)
        raise LockedError(exc.message, message_en=exc.message_en) from exc
    except TpmError as exc:
        if not isinstance(exc, TpmAuthError):
            _release(ctx, account)
            raise
        locked = _record_failure(ctx, account)
        if locked:
            raise _locked_out() from None
        raise _wrong_passphrase() from None
    except CryptoError:
        locked = _record_failure(ctx, account)
        if locked:
            raise _locked_out() from None
        raise _wrong_passphrase() from None
    return _admitted(ctx, account, passphrase, payload, reservation)


def _reserve(ctx: StoreContext, account: str) -> _Reservation | None:
    """Check the counters and count the attempt, in one write transaction.

    A refusal is raised after the transaction commits, so that settling
    abandoned attempts (:func:`_settle_abandoned`) is kept.
    """
    refusal: StoreError | None = None
    reservation: _Reservation | None = None
    with ctx.write() as s:
        policy = authority.read_policy(s)
        row = s.scalars(select(Account).where(Account.name == account)).one_or_none()
        if row is None:
            return None
        now = ctx.now()
        _settle_abandoned(ctx, s, row, now, policy)
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
                binding=authority.binding_of(ctx.store_id, row),
                policy=policy,
            )
    if refusal is not None:
        raise refusal
    return reservation


def _settle_abandoned(
    ctx: StoreContext, session: Session, row: Account, now: datetime, policy: SecurityPolicy
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
    ctx.add_audit(session, row.name, "unlock_abandoned", detail)
    if row.failed_attempts >= policy.max_failed_attempts and not row.locked:
        row.locked = True
        ctx.add_audit(session, row.name, "account_locked", detail)


def _admitted(
    ctx: StoreContext, account: str, passphrase: str, payload: bytes, reservation: _Reservation
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
            authority.new_binding(ctx.store_id, account, binding.role),
            params,
            ctx.tpm,
        )
    with ctx.write() as s:
        row = s.scalars(select(Account).where(Account.name == account)).one()
        row.pending_attempts = max(0, row.pending_attempts - 1)
        row.failed_attempts = 0
        row.last_failed_at = None
        row.locked = False
        if reseal is not None and row.wrapped_store_key == slot.wrapped:
            authority.apply_slot(row, reseal)
        if full_key is not None and row.record_mac is None and row.role == binding.role:
            row.record_mac = authority.record_mac(full_key, ctx.store_id, row)
        ctx.add_audit(s, account, "unlocked", {"role": binding.role})
        checked = authority.verify_policy(s, ring.device_key, ctx.store_id, ctx.now())
        if checked is not None:
            ctx.add_audit(s, account, checked, {})
        info = account_info(row)
    return UnlockedStore(ctx, info, ring)


def _release(ctx: StoreContext, account: str) -> None:
    """Give back a reservation without counting a failure (the TPM refused to judge)."""
    with ctx.write() as s:
        row = s.scalars(select(Account).where(Account.name == account)).one()
        row.pending_attempts = max(0, row.pending_attempts - 1)


def _record_failure(ctx: StoreContext, account: str) -> bool:
    """Turn the reservation into a failure; ``True`` if the account is now locked."""
    with ctx.write() as s:
        policy = authority.read_policy(s)
        row = s.scalars(select(Account).where(Account.name == account)).one()
        row.pending_attempts = max(0, row.pending_attempts - 1)
        row.failed_attempts += 1
        row.last_failed_at = ctx.now()
        detail: dict[str, str | int] = {"failed_attempts": row.failed_attempts}
        ctx.add_audit(s, account, "unlock_failed", detail)
        if row.failed_attempts >= policy.max_failed_attempts and not row.locked:
            row.locked = True
            ctx.add_audit(s, account, "account_locked", detail)
        return row.locked
