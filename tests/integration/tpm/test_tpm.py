"""koffer.crypto.tpm against a real TPM simulator (swtpm) through the real TSS."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from koffer.crypto.tpm import DaParams, Tpm
from koffer.errors import (
    CryptoError,
    TpmAuthError,
    TpmError,
    TpmLockoutError,
    TpmUnavailableError,
)
from tests.integration.tpm.swtpm import Swtpm

SECRET = bytes(range(32))
AUTH = b"a" * 32
WRONG = b"b" * 32


def test_seal_unseal_round_trip(swtpm_tcti: str) -> None:
    with Tpm.open(swtpm_tcti) as tpm:
        handle = tpm.create_parent()
        blob = tpm.seal(handle, SECRET, AUTH)
        assert SECRET not in blob
        assert tpm.unseal(blob, AUTH) == SECRET
    # a new connection (a new process would do the same) still unseals it
    with Tpm.open(swtpm_tcti) as tpm:
        assert tpm.unseal(blob, AUTH) == SECRET


def test_wrong_auth_is_refused_and_counted(swtpm_tcti: str) -> None:
    with Tpm.open(swtpm_tcti) as tpm:
        tpm.configure_da(DaParams(max_tries=32, recovery_time_s=600, lockout_recovery_s=600))
        blob = tpm.seal(tpm.create_parent(), SECRET, AUTH)
        before = tpm.da_state().failed_tries
        with pytest.raises(TpmAuthError) as info:
            tpm.unseal(blob, WRONG)
        assert "Passphrase abgelehnt" in info.value.message
        assert tpm.da_state().failed_tries == before + 1
        assert isinstance(info.value, CryptoError)


def test_32_wrong_auths_engage_the_lockout_and_the_owner_lifts_it(swtpm_tcti: str) -> None:
    lockout_auth = os.urandom(32)
    with Tpm.open(swtpm_tcti) as tpm:
        tpm.configure_da(DaParams(max_tries=32, recovery_time_s=600, lockout_recovery_s=600))
        tpm.change_lockout_auth(b"", lockout_auth)
        state = tpm.da_state()
        assert (state.max_tries, state.recovery_time_s, state.failed_tries) == (32, 600, 0)
        assert state.lockout_auth_set and not state.locked_out
        blob = tpm.seal(tpm.create_parent(), SECRET, AUTH)
        for _ in range(32):
            with pytest.raises(TpmAuthError):
                tpm.unseal(blob, WRONG)
        assert tpm.da_state().locked_out
        # now even the right auth value is refused, with the lock-out message
        with pytest.raises(TpmLockoutError) as info:
            tpm.unseal(blob, AUTH)
        assert "gesperrt" in info.value.message
        assert "auch nicht die richtige" in info.value.message
        # an empty lockout auth no longer lifts it: a thief cannot reset the count
        with pytest.raises(TpmAuthError):
            tpm.reset_lockout(b"")
    with Tpm.open(swtpm_tcti) as tpm:
        assert tpm.da_state().locked_out
        with pytest.raises(TpmLockoutError):
            tpm.unseal(blob, AUTH)


def test_owner_resets_the_lockout_with_the_lockout_auth(swtpm_tcti: str) -> None:
    lockout_auth = os.urandom(32)
    with Tpm.open(swtpm_tcti) as tpm:
        tpm.configure_da(DaParams(max_tries=3, recovery_time_s=600, lockout_recovery_s=600))
        tpm.change_lockout_auth(b"", lockout_auth)
        blob = tpm.seal(tpm.create_parent(), SECRET, AUTH)
        for _ in range(3):
            with pytest.raises(TpmAuthError):
                tpm.unseal(blob, WRONG)
        with pytest.raises(TpmLockoutError):
            tpm.unseal(blob, AUTH)
        tpm.reset_lockout(lockout_auth)
        assert not tpm.da_state().locked_out
        assert tpm.da_state().failed_tries == 0
        assert tpm.unseal(blob, AUTH) == SECRET


def test_configure_needs_the_current_lockout_auth(swtpm_tcti: str) -> None:
    with Tpm.open(swtpm_tcti) as tpm:
        tpm.change_lockout_auth(b"", os.urandom(32))
        with pytest.raises(TpmAuthError) as info:
            tpm.configure_da(DaParams(max_tries=1000, recovery_time_s=0))
        assert "Wiederherstellungscode" in info.value.message
        assert tpm.da_state().max_tries != 1000


def test_blob_copied_to_another_tpm_does_not_unseal(make_swtpm: Callable[[], Swtpm]) -> None:
    first, second = make_swtpm(), make_swtpm()
    with Tpm.open(first.tcti) as tpm:
        handle = tpm.create_parent()
        blob = tpm.seal(handle, SECRET, AUTH)
    with Tpm.open(second.tcti) as other:
        # no store parent at that handle on the other TPM
        with pytest.raises(TpmError) as info:
            other.unseal(blob, AUTH)
        assert "anderen" in info.value.message or "gehört nicht" in info.value.message
        # even a store parent at the same handle is a different key
        assert other.create_parent() == handle
        with pytest.raises(TpmError) as info:
            other.unseal(blob, AUTH)
        assert not isinstance(info.value, TpmAuthError | TpmLockoutError)
        assert "gehört nicht zu diesem TPM" in info.value.message


def test_removed_parent_makes_old_blobs_useless(swtpm_tcti: str) -> None:
    with Tpm.open(swtpm_tcti) as tpm:
        handle = tpm.create_parent()
        blob = tpm.seal(handle, SECRET, AUTH)
        tpm.remove_parent(handle)
        assert not tpm.has_parent(handle)
        tpm.remove_parent(handle)  # idempotent
        with pytest.raises(TpmError):
            tpm.unseal(blob, AUTH)
        # a new parent at the same handle does not bring the secret back
        assert tpm.create_parent() == handle
        with pytest.raises(TpmError) as info:
            tpm.unseal(blob, AUTH)
        assert "gehört nicht zu diesem TPM" in info.value.message


def test_damaged_blob_is_refused(swtpm_tcti: str) -> None:
    with Tpm.open(swtpm_tcti) as tpm:
        blob = tpm.seal(tpm.create_parent(), SECRET, AUTH)
        damaged = bytearray(blob)
        damaged[-5] ^= 0x01
        with pytest.raises(TpmError):
            tpm.unseal(bytes(damaged), AUTH)
        with pytest.raises(TpmError):
            tpm.unseal(b"not a blob", AUTH)


def test_no_tpm_answering_is_reported(make_swtpm: Callable[[], Swtpm]) -> None:
    tpm = make_swtpm()
    tcti = tpm.tcti
    tpm.stop()
    with pytest.raises(TpmUnavailableError) as info:
        Tpm.open(tcti)
    assert "nicht erreichbar" in info.value.message
    with pytest.raises(TpmUnavailableError):
        Tpm.open("")
