"""The TPM protector of a key slot: a copied disk alone decrypts nothing.

With a TPM, an account's slot key-encryption key is::

    stretched = Argon2id(passphrase, salt, params)          (as without TPM)
    auth      = HKDF(stretched, "tpm-auth")                 (the TPM object's authValue)
    secret    = 32 random bytes, sealed in the TPM under ``auth``
    KEK       = HKDF(stretched ‖ secret, "tpm-slot-kek")

The disk holds the salt, the wrapped payload and the sealed blob. The blob
opens only inside the TPM that sealed it (under the store parent at its
persistent handle) and only with ``auth``; every wrong ``auth`` counts
towards the TPM's dictionary-attack lock-out. So guessing passphrases needs
the suitcase's own TPM and runs at the TPM's pace, and a copy of the disk on
another machine yields nothing at all.

At ``init`` the store parent is created, the TPM's dictionary-attack
parameters are set (if nobody else owns the TPM's lockout hierarchy) and
the lockout auth is replaced by a random value that the store keeps
encrypted under the store key K: whoever holds K (an admin, or the
recovery code in ``Store.recover``) can lift a TPM lock-out
(:func:`reset_lockout`), nobody else, and a thief cannot reset the TPM's
failure count. ``koffer wipe`` evicts the store parent
(:func:`evict_sealed_keys`) and, with an admin's passphrase, gives the
lockout back (:func:`release_lockout`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from koffer.crypto import aead, keys
from koffer.crypto.tpm import AUTH_SIZE, DaParams, DaState, Tpm
from koffer.errors import TpmAuthError, TpmError
from koffer.store import files

#: the slot kind (``accounts.slot_kind``) of a TPM-protected slot
TPM_KIND = "tpm"
#: HKDF purpose of the key (from the store key K) that encrypts the lockout auth
LOCKOUT_AUTH_PURPOSE = "tpm-lockout-auth"
#: the dictionary-attack rules set at ``init``: 32 wrong passphrases, then one
#: more every 10 minutes; a wrong lockout auth blocks the lockout for a day
DEFAULT_DA = DaParams(max_tries=32, recovery_time_s=600, lockout_recovery_s=86400)


#: what ``koffer init`` says about the protection of the new store
INIT_WITH_TPM = (
    "Der Datenbestand ist an den TPM-Sicherheitschip dieses Geräts gebunden: Eine "
    "Kopie der Festplatte allein entschlüsselt nichts, und falsche Passphrasen zählt "
    "der Chip selbst."
)
INIT_WITHOUT_TPM = (
    "Hinweis: Der Datenbestand ist NICHT durch einen TPM-Sicherheitschip geschützt. Wer "
    "die Festplatte kopiert, kann Passphrasen ohne Sperre offline durchprobieren; nur "
    "die Argon2id-Rechenzeit bremst. Hat das Gerät einen TPM 2.0, legen Sie den "
    "Datenbestand besser mit `koffer init --tpm device:/dev/tpmrm0` an (Betriebshandbuch, "
    "Abschnitt 9)."
)


def probe(tcti: str) -> None:
    """Refuse (:class:`~koffer.errors.TpmUnavailableError`) if no TPM answers at ``tcti``."""
    with Tpm.open(tcti):
        pass


_LOCKOUT_AAD = b"koffer/store-tpm/lockout-auth/v1"


def wrap_lockout_auth(store_key: bytes, lockout_auth: bytes) -> bytes:
    """The TPM's lockout auth as the store keeps it: encrypted under the store key."""
    return aead.encrypt(keys.subkey(store_key, LOCKOUT_AUTH_PURPOSE), lockout_auth, _LOCKOUT_AAD)


def unwrap_lockout_auth(store_key: bytes, wrapped: bytes) -> bytes:
    return aead.decrypt(keys.subkey(store_key, LOCKOUT_AUTH_PURPOSE), wrapped, _LOCKOUT_AAD)


def release_lockout(tcti: str, lockout_auth: bytes) -> None:
    """Give the TPM's lockout hierarchy back (empty auth), before a wipe.

    A store created afterwards on this TPM can then set its own rules and
    lockout auth again.
    """
    with Tpm.open(tcti) as tpm:
        tpm.change_lockout_auth(lockout_auth, b"")


def auth_value(stretched: bytes) -> bytes:
    """The TPM object's auth value, derived from the Argon2id output."""
    return keys.subkey(stretched, "tpm-auth")[:AUTH_SIZE]


def slot_kek(stretched: bytes, tpm_secret: bytes) -> bytes:
    """The slot's key-encryption key: both the passphrase and the TPM are needed."""
    return keys.subkey(stretched + tpm_secret, "tpm-slot-kek")


@dataclass(frozen=True)
class TpmSetup:
    """What ``init`` learned and set up on the TPM."""

    tcti: str
    parent_handle: int
    #: the new lockout auth, or ``None`` if another program owns the lockout
    lockout_auth: bytes | None
    da: DaState


@dataclass(frozen=True)
class TpmProtector:
    """Seals and opens slot secrets on the TPM recorded in the store."""

    tcti: str
    parent_handle: int

    def seal(self, stretched: bytes) -> tuple[bytes, bytes]:
        """``(kek, blob)`` for a new slot: a fresh TPM secret sealed under ``auth``."""
        secret = keys.new_key()
        with Tpm.open(self.tcti) as tpm:
            blob = tpm.seal(self.parent_handle, secret, auth_value(stretched))
        return slot_kek(stretched, secret), blob

    def open(self, stretched: bytes, blob: bytes) -> bytes:
        """The slot's key-encryption key.

        :raises TpmAuthError: wrong passphrase (the TPM counted it).
        :raises TpmLockoutError: the TPM is in dictionary-attack lock-out.
        :raises TpmUnavailableError: the TPM cannot be reached.
        :raises TpmError: the blob belongs to another TPM.
        """
        with Tpm.open(self.tcti) as tpm:
            secret = tpm.unseal(blob, auth_value(stretched))
        return slot_kek(stretched, secret)

    def da_state(self) -> DaState:
        with Tpm.open(self.tcti) as tpm:
            return tpm.da_state()

    def remove(self) -> None:
        """Evict the store parent: every slot blob, on every copy, becomes useless."""
        with Tpm.open(self.tcti) as tpm:
            tpm.remove_parent(self.parent_handle)


def setup(tcti: str, lockout_auth: bytes, da: DaParams = DEFAULT_DA) -> TpmSetup:
    """Prepare the TPM for a new store: store parent, DA rules, lockout auth.

    ``lockout_auth`` is the new random lockout auth. If the TPM's lockout
    hierarchy already has an auth value (another program owns it), the TPM's
    own DA rules stay and :attr:`TpmSetup.lockout_auth` is ``None``.
    """
    with Tpm.open(tcti) as tpm:
        handle = tpm.create_parent()
        try:
            kept: bytes | None = lockout_auth
            if tpm.da_state().lockout_auth_set:
                kept = None
            else:
                try:
                    tpm.configure_da(da)
                    tpm.change_lockout_auth(b"", lockout_auth)
                except TpmAuthError:
                    kept = None
            return TpmSetup(tcti, handle, kept, tpm.da_state())
        except BaseException:
            tpm.remove_parent(handle)
            raise


def undo_setup(done: TpmSetup) -> None:
    """A store creation failed after :func:`setup`: evict the parent, free the lockout."""
    with Tpm.open(done.tcti) as tpm:
        tpm.remove_parent(done.parent_handle)
        if done.lockout_auth is not None:
            tpm.change_lockout_auth(done.lockout_auth, b"")


def reset_lockout(tcti: str, lockout_auth: bytes) -> None:
    """Lift the TPM's dictionary-attack lock-out (the owner's way back)."""
    with Tpm.open(tcti) as tpm:
        tpm.reset_lockout(lockout_auth)


def recorded_tpm(db_path: Path) -> tuple[str, int] | None:
    """``(tcti, parent_handle)`` the store at ``db_path`` is bound to, if any.

    Read-only and without unlocking (for ``koffer doctor`` and ``wipe``);
    ``None`` for a store without TPM. Opened as immutable so that no ``-shm``
    file appears: the row is written when the store is created, and
    ``Store.create`` checkpoints the write-ahead log when it closes.
    """
    try:
        uri = f"{db_path.resolve().as_uri()}?mode=ro&immutable=1"
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute(
            "SELECT tcti, parent_handle FROM store_tpm WHERE id = 1"
        ).fetchone()
    except sqlite3.Error:  # a store from before the TPM revision
        row = None
    finally:
        connection.close()
    return None if row is None else (str(row[0]), int(row[1]))


def doctor_facts(data_dir: Path) -> dict[str, object] | None:
    """What ``koffer doctor`` reports about the TPM (``None``: no store yet)."""
    db = files.db_path(data_dir)
    if not db.is_file():
        return None
    recorded = recorded_tpm(db)
    if recorded is None:
        return {"protected": False}
    tcti, handle = recorded
    try:
        with Tpm.open(tcti) as tpm:
            state = tpm.da_state()
            present = tpm.has_parent(handle)
    except TpmError:
        return {"protected": True, "reachable": False}
    return {
        "protected": True,
        "reachable": True,
        "parent_present": present,
        "locked_out": state.locked_out,
        "failed_tries": state.failed_tries,
        "max_tries": state.max_tries,
    }


def evict_sealed_keys(data_dir: Path) -> int:
    """Before ``koffer wipe`` (``ops.TPM_EVICT_HOOK``): evict the store parent.

    Afterwards no copy of the disk opens with this TPM any more, also an
    older one. Returns how many keys were evicted (0: the store has no TPM,
    or its parent is gone already).

    :raises TpmError: the TPM cannot be reached (the wipe stops and says so).
    """
    db = files.db_path(data_dir)
    recorded = recorded_tpm(db) if db.is_file() else None
    if recorded is None:
        return 0
    tcti, handle = recorded
    with Tpm.open(tcti) as tpm:
        if not tpm.has_parent(handle):
            return 0
        tpm.remove_parent(handle)
    return 1
