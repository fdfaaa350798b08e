"""TPM 2.0 through the real TSS (``tpm2-pytss`` over Debian's ``tpm2-tss``).

What the store needs from a TPM, and nothing more:

- a **store parent**: an ECC P-256 storage key the TPM generates under the
  owner hierarchy's primary key and keeps at a persistent handle. Its private
  part never leaves the TPM, so evicting it (:meth:`Tpm.remove_parent`, used
  by ``koffer wipe``) makes every blob sealed under it useless, also copies of
  the disk made earlier;
- **sealing** a 32-byte secret as a keyed-hash object under that parent whose
  use needs an auth value (derived from an account's passphrase by the
  caller). The object is *not* ``noDA``: every wrong auth value counts
  towards the TPM's dictionary-attack lock-out;
- **unsealing** with the auth value, through a salted HMAC session with
  parameter encryption, so neither the auth value nor the secret crosses the
  bus in clear;
- reading and configuring the **dictionary-attack** (DA) state, changing the
  lockout auth and resetting a lock-out with it (the owner's way back).

Every TSS exception is translated here, once, into the :class:`TpmError`
family of :mod:`koffer.errors`. The TCTI string (``device:/dev/tpmrm0`` on a
suitcase, ``swtpm:host=127.0.0.1,port=2321`` against the simulator) is passed
in by the caller.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from koffer.crypto import tpm_errors
from koffer.errors import (
    TpmAuthError,
    TpmError,
)

try:
    from tpm2_pytss import (
        ESAPI,
        TPM2B_AUTH,
        TPM2B_PRIVATE,
        TPM2B_PUBLIC,
        TPM2B_SENSITIVE_CREATE,
        TPM2B_SENSITIVE_DATA,
        TPMS_SENSITIVE_CREATE,
        TPMT_PUBLIC,
    )
    from tpm2_pytss.constants import (
        ESYS_TR,
        TPM2_ALG,
        TPM2_CAP,
        TPM2_PT,
        TPM2_RC,
        TPM2_SE,
        TPMA_OBJECT,
        TPMA_PERMANENT,
        TPMA_SESSION,
    )
    from tpm2_pytss.TSS2_Exception import TSS2_Exception
    from tpm2_pytss.types import TPMT_SYM_DEF

    _TSS_IMPORT_ERROR: ImportError | None = None
except ImportError as exc:  # the Debian libraries or the binding are missing
    _TSS_IMPORT_ERROR = exc

#: length of the secret the store seals (a 256-bit key)
SECRET_SIZE = 32
#: the auth value is at most the digest size of the object's name algorithm
AUTH_SIZE = 32

#: persistent handles the store parent may take ("KO" in the owner range)
PARENT_HANDLE_FIRST = 0x814B4F00
PARENT_HANDLE_LAST = 0x814B4FFF
_PERSISTENT_FIRST = 0x81000000

_BLOB_MAGIC = b"KTPM"
_BLOB_VERSION = 1
# the TSS's own error layers (rc >> 16): TCTI = 10, resource manager = 8/9
_TCTI_LAYER = 0x0A
_SYMMETRIC = "aes128cfb"


@dataclass(frozen=True)
class DaParams:
    """Dictionary-attack parameters (TPM2_DictionaryAttackParameters).

    :param max_tries: wrong auth values before the TPM locks out.
    :param recovery_time_s: seconds after which one failure is forgotten
        (0: only a reset with the lockout auth clears the count).
    :param lockout_recovery_s: seconds the lockout auth itself is blocked
        after a wrong lockout auth (0: until the next TPM reset).
    """

    max_tries: int = 32
    recovery_time_s: int = 600
    lockout_recovery_s: int = 86400

    def __post_init__(self) -> None:
        if self.max_tries < 1 or self.recovery_time_s < 0 or self.lockout_recovery_s < 0:
            raise ValueError("dictionary-attack parameters must be positive")


@dataclass(frozen=True)
class DaState:
    """What the TPM reports about its dictionary-attack protection."""

    locked_out: bool
    failed_tries: int
    max_tries: int
    recovery_time_s: int
    lockout_recovery_s: int
    lockout_auth_set: bool
    owner_auth_set: bool


def _translate(exc: Any, action: str, *, sealed_object: bool = False) -> TpmError:
    """The :class:`TpmError` for a ``TSS2_Exception`` raised during ``action``."""
    rc = int(exc.rc)
    if (rc >> 16) == _TCTI_LAYER:
        return tpm_errors.unavailable()
    error = int(exc.error)
    if error == TPM2_RC.LOCKOUT:
        return tpm_errors.locked_out()
    if error in (TPM2_RC.AUTH_FAIL, TPM2_RC.BAD_AUTH):
        return tpm_errors.auth_failed() if sealed_object else tpm_errors.owned_elsewhere()
    if sealed_object and error in (
        TPM2_RC.INTEGRITY,
        TPM2_RC.HANDLE,
        TPM2_RC.VALUE,
        TPM2_RC.SIZE,
        TPM2_RC.KEY,
        TPM2_RC.BINDING,
    ):
        return tpm_errors.foreign()
    return tpm_errors.failed(action)


@contextmanager
def _tss(action: str, *, sealed_object: bool = False) -> Iterator[None]:
    try:
        yield
    except TSS2_Exception as exc:
        raise _translate(exc, action, sealed_object=sealed_object) from exc


def _storage_template() -> Any:
    attrs = (
        TPMA_OBJECT.RESTRICTED
        | TPMA_OBJECT.DECRYPT
        | TPMA_OBJECT.FIXEDTPM
        | TPMA_OBJECT.FIXEDPARENT
        | TPMA_OBJECT.SENSITIVEDATAORIGIN
        | TPMA_OBJECT.USERWITHAUTH
        | TPMA_OBJECT.NODA  # empty auth: nothing to guess, never blocked by a lock-out
    )
    return TPM2B_PUBLIC.parse(f"ecc256:{_SYMMETRIC}", objectAttributes=attrs)


def _sealed_template() -> Any:
    # no NODA: wrong auth values count towards the dictionary-attack lock-out;
    # no SENSITIVEDATAORIGIN: the caller supplies the secret
    attrs = TPMA_OBJECT.FIXEDTPM | TPMA_OBJECT.FIXEDPARENT | TPMA_OBJECT.USERWITHAUTH
    public = TPM2B_PUBLIC(
        publicArea=TPMT_PUBLIC(
            type=TPM2_ALG.KEYEDHASH, nameAlg=TPM2_ALG.SHA256, objectAttributes=attrs
        )
    )
    public.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG.NULL
    return public


def encode_blob(parent_handle: int, public: bytes, private: bytes) -> bytes:
    """The on-disk form of a sealed object (parent handle, public, private)."""
    return (
        _BLOB_MAGIC
        + struct.pack(">BIHH", _BLOB_VERSION, parent_handle, len(public), len(private))
        + public
        + private
    )


def decode_blob(blob: bytes) -> tuple[int, bytes, bytes]:
    """``(parent_handle, public, private)`` of :func:`encode_blob`'s output.

    :raises TpmError: not a sealed object of this format.
    """
    head = len(_BLOB_MAGIC) + struct.calcsize(">BIHH")
    if len(blob) < head or not blob.startswith(_BLOB_MAGIC):
        raise tpm_errors.foreign()
    version, handle, n_pub, n_priv = struct.unpack(">BIHH", blob[len(_BLOB_MAGIC) : head])
    if version != _BLOB_VERSION or len(blob) != head + n_pub + n_priv:
        raise tpm_errors.foreign()
    return handle, blob[head : head + n_pub], blob[head + n_pub :]


class Tpm:
    """An open connection to one TPM. Use :meth:`open`; close it after use."""

    def __init__(self, esapi: Any, *, owner_auth: bytes = b"") -> None:
        self._esapi = esapi
        self._owner_auth = owner_auth
        self._closed = False

    @classmethod
    def open(cls, tcti: str, *, owner_auth: bytes = b"") -> Tpm:
        """Connect to the TPM behind ``tcti`` (a tpm2-tools style TCTI string).

        :param owner_auth: the owner hierarchy's auth (empty on a TPM nobody
            has taken ownership of).
        :raises TpmUnavailableError: no TSS, or no TPM answers at ``tcti``.
        """
        if _TSS_IMPORT_ERROR is not None:
            raise tpm_errors.unavailable("TSS-Bibliothek fehlt") from _TSS_IMPORT_ERROR
        if not tcti:
            raise tpm_errors.unavailable("kein TPM konfiguriert")
        # the TSS logs refused attempts to stderr; the caller reports them itself
        os.environ.setdefault("TSS2_LOG", "all+NONE")
        try:
            esapi = ESAPI(tcti)
        except TSS2_Exception as exc:
            raise tpm_errors.unavailable() from exc
        return cls(esapi, owner_auth=owner_auth)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._esapi.close()

    def __enter__(self) -> Tpm:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the store parent ---------------------------------------------------

    def persistent_handles(self) -> list[int]:
        """All persistent handles in use on the TPM."""
        with _tss("Liste lesen"):
            _more, data = self._esapi.get_capability(TPM2_CAP.HANDLES, _PERSISTENT_FIRST, 64)
        return [int(h) for h in data.data.handles]

    def create_parent(self) -> int:
        """Create a fresh store parent at a free persistent handle; return it.

        :raises TpmError: no free handle, or the owner hierarchy is protected
            by an auth value that is not ours.
        """
        used = set(self.persistent_handles())
        free = [h for h in range(PARENT_HANDLE_FIRST, PARENT_HANDLE_LAST + 1) if h not in used]
        if not free:
            raise tpm_errors.failed("kein freier Speicherplatz im Chip")
        handle = free[0]
        esapi = self._esapi
        esapi.tr_set_auth(ESYS_TR.OWNER, self._owner_auth)
        with _tss("Schlüssel anlegen"):
            primary, *_ = esapi.create_primary(None, _storage_template(), ESYS_TR.OWNER)
            try:
                private, public, *_ = esapi.create(primary, None, _storage_template())
                child = esapi.load(primary, private, public)
                try:
                    esapi.evict_control(ESYS_TR.OWNER, child, handle)
                finally:
                    esapi.flush_context(child)
            finally:
                esapi.flush_context(primary)
        return handle

    def has_parent(self, handle: int) -> bool:
        return handle in self.persistent_handles()

    def remove_parent(self, handle: int) -> None:
        """Evict the store parent at ``handle`` (nothing happens if it is gone).

        Every blob sealed under it becomes useless, on every copy of the disk.
        """
        if not PARENT_HANDLE_FIRST <= handle <= PARENT_HANDLE_LAST:
            raise ValueError("not a store parent handle")
        if not self.has_parent(handle):
            return
        esapi = self._esapi
        esapi.tr_set_auth(ESYS_TR.OWNER, self._owner_auth)
        with _tss("Schlüssel entfernen"):
            parent = esapi.tr_from_tpmpublic(handle)
            esapi.evict_control(ESYS_TR.OWNER, parent, handle)

    # -- sealing ------------------------------------------------------------

    def _session(self, salt_key: Any, *, encrypt: bool = True) -> Any:
        """A salted HMAC session; with ``encrypt`` it also encrypts the first
        command and response parameter (both must then be sized buffers)."""
        session = self._esapi.start_auth_session(
            salt_key,
            ESYS_TR.NONE,
            TPM2_SE.HMAC,
            TPMT_SYM_DEF.parse(_SYMMETRIC),
            TPM2_ALG.SHA256,
        )
        attrs = TPMA_SESSION.CONTINUESESSION
        if encrypt:
            attrs |= TPMA_SESSION.DECRYPT | TPMA_SESSION.ENCRYPT
        self._esapi.trsess_set_attributes(session, attrs)
        return session

    def seal(self, parent_handle: int, secret: bytes, auth: bytes) -> bytes:
        """Seal ``secret`` under the store parent; only ``auth`` unseals it.

        :returns: the blob to keep on disk (useless without this TPM).
        """
        if len(secret) != SECRET_SIZE:
            raise ValueError(f"only {SECRET_SIZE}-byte secrets are sealed")
        if not 1 <= len(auth) <= AUTH_SIZE:
            raise ValueError(f"the auth value has 1 to {AUTH_SIZE} bytes")
        esapi = self._esapi
        sensitive = TPM2B_SENSITIVE_CREATE(
            sensitive=TPMS_SENSITIVE_CREATE(
                userAuth=TPM2B_AUTH(auth), data=TPM2B_SENSITIVE_DATA(secret)
            )
        )
        with _tss("Schlüssel versiegeln", sealed_object=True):
            parent = esapi.tr_from_tpmpublic(parent_handle)
            session = self._session(parent)
            try:
                private, public, *_ = esapi.create(
                    parent, sensitive, _sealed_template(), session1=session
                )
            finally:
                esapi.flush_context(session)
        return encode_blob(parent_handle, bytes(public.marshal()), bytes(private.marshal()))

    def unseal(self, blob: bytes, auth: bytes) -> bytes:
        """The secret sealed in ``blob``.

        :raises TpmAuthError: ``auth`` is wrong (the TPM counted the failure).
        :raises TpmLockoutError: the TPM is in dictionary-attack lock-out.
        :raises TpmError: the blob belongs to another TPM or store parent.
        """
        handle, public_bytes, private_bytes = decode_blob(blob)
        esapi = self._esapi
        with _tss("Schlüssel entsiegeln", sealed_object=True):
            try:
                public, _ = TPM2B_PUBLIC.unmarshal(public_bytes)
                private, _ = TPM2B_PRIVATE.unmarshal(private_bytes)
            except (TypeError, ValueError) as exc:
                raise tpm_errors.foreign() from exc
            if not self.has_parent(handle):
                raise tpm_errors.foreign()
            parent = esapi.tr_from_tpmpublic(handle)
            session = self._session(parent)
            try:
                obj = esapi.load(parent, private, public, session1=session)
                try:
                    esapi.tr_set_auth(obj, auth)
                    data = esapi.unseal(obj, session1=session)
                finally:
                    esapi.flush_context(obj)
            finally:
                esapi.flush_context(session)
        return bytes(data)

    # -- dictionary-attack protection ---------------------------------------

    def da_state(self) -> DaState:
        """The TPM's lock-out state and parameters."""
        with _tss("Status lesen"):
            _more, data = self._esapi.get_capability(TPM2_CAP.TPM_PROPERTIES, TPM2_PT.VAR, 64)
        values = {int(p.property): int(p.value) for p in data.data.tpmProperties}
        permanent = values.get(int(TPM2_PT.PERMANENT), 0)
        return DaState(
            locked_out=bool(permanent & TPMA_PERMANENT.INLOCKOUT),
            failed_tries=values.get(int(TPM2_PT.LOCKOUT_COUNTER), 0),
            max_tries=values.get(int(TPM2_PT.MAX_AUTH_FAIL), 0),
            recovery_time_s=values.get(int(TPM2_PT.LOCKOUT_INTERVAL), 0),
            lockout_recovery_s=values.get(int(TPM2_PT.LOCKOUT_RECOVERY), 0),
            lockout_auth_set=bool(permanent & TPMA_PERMANENT.LOCKOUTAUTHSET),
            owner_auth_set=bool(permanent & TPMA_PERMANENT.OWNERAUTHSET),
        )

    def _lockout_call(
        self, lockout_auth: bytes, action: str, call: Any, *args: Any, encrypt: bool = False
    ) -> None:
        """``call`` authorised with the lockout auth in a salted HMAC session.

        The lockout auth never crosses the bus in clear (HMAC), and with
        ``encrypt`` neither does the first parameter (a new auth value). The
        salt key is an ephemeral primary of the null hierarchy (no auth needed).
        """
        esapi = self._esapi
        esapi.tr_set_auth(ESYS_TR.LOCKOUT, lockout_auth)
        try:
            salt_key, *_ = esapi.create_primary(None, _storage_template(), ESYS_TR.NULL)
            try:
                session = self._session(salt_key, encrypt=encrypt)
                try:
                    call(*args, session1=session)
                finally:
                    esapi.flush_context(session)
            finally:
                esapi.flush_context(salt_key)
        except TSS2_Exception as exc:
            error = int(exc.error)
            if error in (TPM2_RC.AUTH_FAIL, TPM2_RC.BAD_AUTH, TPM2_RC.LOCKOUT):
                raise TpmAuthError(
                    "Der TPM-Sicherheitschip hat den Wiederherstellungscode abgelehnt "
                    "(oder ist nach einem falschen Code vorübergehend gesperrt). Bitte "
                    "prüfen Sie den Code und wenden Sie sich an die Technik.",
                    message_en="The TPM rejected the recovery code (or is blocked after a "
                    "wrong one). Check the code and contact support.",
                ) from exc
            raise _translate(exc, action) from exc

    def configure_da(self, params: DaParams, lockout_auth: bytes = b"") -> None:
        """Set the dictionary-attack parameters (needs the lockout auth).

        :raises TpmAuthError: ``lockout_auth`` is not the TPM's lockout auth
            (e.g. another program owns the TPM).
        """
        self._lockout_call(
            lockout_auth,
            "Sperrparameter setzen",
            self._esapi.dictionary_attack_parameters,
            params.max_tries,
            params.recovery_time_s,
            params.lockout_recovery_s,
        )

    def change_lockout_auth(self, current: bytes, new: bytes) -> None:
        """Replace the lockout auth (who knows it can lift a lock-out)."""
        if len(new) > AUTH_SIZE:
            raise ValueError(f"the lockout auth has at most {AUTH_SIZE} bytes")
        self._lockout_call(
            current,
            "Wiederherstellungscode setzen",
            self._esapi.hierarchy_change_auth,
            ESYS_TR.LOCKOUT,
            new,
            encrypt=True,
        )

    def reset_lockout(self, lockout_auth: bytes) -> None:
        """Lift a dictionary-attack lock-out and clear the failure count."""
        self._lockout_call(
            lockout_auth,
            "Sperre aufheben",
            self._esapi.dictionary_attack_lock_reset,
            ESYS_TR.LOCKOUT,
        )
