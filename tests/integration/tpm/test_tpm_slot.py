"""koffer.store.tpm_slot: the TPM protector of a key slot, against swtpm."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from koffer.crypto.kdf import Argon2Params, derive_key
from koffer.crypto.tpm import Tpm
from koffer.errors import TpmAuthError, TpmError, TpmLockoutError
from koffer.store import tpm_slot
from tests.integration.tpm.swtpm import Swtpm

FAST = Argon2Params(memory_kib=64, iterations=1, lanes=1)
SALT = b"s" * 16


def _stretched(passphrase: str) -> bytes:
    return derive_key(passphrase, SALT, FAST)


def test_setup_sets_the_da_rules_and_a_secret_lockout_auth(swtpm_tcti: str) -> None:
    lockout = os.urandom(32)
    done = tpm_slot.setup(swtpm_tcti, lockout)
    assert done.lockout_auth == lockout
    assert (done.da.max_tries, done.da.recovery_time_s) == (32, 600)
    assert done.da.lockout_auth_set
    with Tpm.open(swtpm_tcti) as tpm:
        assert tpm.has_parent(done.parent_handle)
    # a second store on the same TPM: the lockout belongs to the first one now
    again = tpm_slot.setup(swtpm_tcti, os.urandom(32))
    assert again.lockout_auth is None
    assert again.parent_handle != done.parent_handle


def test_kek_needs_passphrase_and_tpm(swtpm_tcti: str) -> None:
    done = tpm_slot.setup(swtpm_tcti, os.urandom(32))
    protector = tpm_slot.TpmProtector(swtpm_tcti, done.parent_handle)
    stretched = _stretched("richtige Passphrase")
    kek, blob = protector.seal(stretched)
    assert protector.open(stretched, blob) == kek
    # the Argon2id output alone is not the key: the TPM secret is part of it
    assert kek != stretched
    assert kek not in blob and stretched not in blob
    with pytest.raises(TpmAuthError):
        protector.open(_stretched("falsche Passphrase"), blob)
    assert protector.da_state().failed_tries == 1


def test_lockout_is_lifted_with_the_stored_lockout_auth(swtpm_tcti: str) -> None:
    lockout = os.urandom(32)
    done = tpm_slot.setup(swtpm_tcti, lockout)
    protector = tpm_slot.TpmProtector(swtpm_tcti, done.parent_handle)
    right, wrong = _stretched("richtig"), _stretched("falsch")
    _kek, blob = protector.seal(right)
    for _ in range(tpm_slot.DEFAULT_DA.max_tries):
        with pytest.raises(TpmAuthError):
            protector.open(wrong, blob)
    with pytest.raises(TpmLockoutError):
        protector.open(right, blob)
    tpm_slot.reset_lockout(swtpm_tcti, lockout)
    assert protector.open(right, blob) == _kek


def test_slot_blob_on_another_tpm_opens_nothing(make_swtpm: Callable[[], Swtpm]) -> None:
    first, second = make_swtpm(), make_swtpm()
    done = tpm_slot.setup(first.tcti, os.urandom(32))
    stretched = _stretched("richtige Passphrase")
    _kek, blob = tpm_slot.TpmProtector(first.tcti, done.parent_handle).seal(stretched)
    other = tpm_slot.setup(second.tcti, os.urandom(32))
    assert other.parent_handle == done.parent_handle
    with pytest.raises(TpmError) as info:
        tpm_slot.TpmProtector(second.tcti, other.parent_handle).open(stretched, blob)
    assert not isinstance(info.value, TpmAuthError)


def test_remove_makes_the_slots_useless(swtpm_tcti: str) -> None:
    done = tpm_slot.setup(swtpm_tcti, os.urandom(32))
    protector = tpm_slot.TpmProtector(swtpm_tcti, done.parent_handle)
    stretched = _stretched("richtige Passphrase")
    _kek, blob = protector.seal(stretched)
    protector.remove()
    with pytest.raises(TpmError):
        protector.open(stretched, blob)


def test_undo_setup_leaves_the_tpm_as_it_was(swtpm_tcti: str) -> None:
    done = tpm_slot.setup(swtpm_tcti, os.urandom(32))
    tpm_slot.undo_setup(done)
    with Tpm.open(swtpm_tcti) as tpm:
        assert not tpm.has_parent(done.parent_handle)
        assert not tpm.da_state().lockout_auth_set
    # so a store created next owns the lockout again
    assert tpm_slot.setup(swtpm_tcti, b"n" * 32).lockout_auth == b"n" * 32
