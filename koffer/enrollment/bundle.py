"""Export and import of the suitcase's enrollment and configuration.

Personal data is never backed up (see the operator's guide). What *can* be
carried to a replacement laptop is the configuration file(s) and the
suitcase's enrollment at the back end: device id and name, signing key, TLS
client key and certificate, the pinned back-end CA, the back end's HPKE
public key and key id, and its receipt key (:class:`DeviceCredentials`).

File format (version 1), all integers big-endian::

    MAGIC (18 bytes "KOFFER-ENROLLMENT\\n")
    version u16 | argon2 memory_kib u32 | iterations u32 | lanes u32
    salt (16) | passphrase check (16)                       -- the header
    nonce (12) | AES-256-GCM ciphertext | tag (16)          -- koffer.crypto.aead

The export passphrase goes through Argon2id (salt and cost in the header;
the cost is checked against a floor and a ceiling, see ``MIN_MEMORY_KIB``,
before anything is derived, and new exports are raised to the floor);
HKDF turns the result into the encryption key and a 16-byte check value. The
check value lets import tell "wrong passphrase" from "damaged file"; it is
no easier to attack than the GCM tag itself (both need the Argon2id work per
guess). The whole header is the associated data, so a changed header (cost,
version, salt) makes the file unreadable. The plaintext is canonical JSON:
``{"v", "created_at", "credentials", "files"}``; it never contains case data,
accounts or the store key.

Threat model: the file is as sensitive as the device identity. With file and
export passphrase, somebody can send (forged) cases to the back end as this
suitcase; nobody can read cases with it (they are sealed to the back end's
private key, which never leaves the back end). The same identity on two
laptops is indistinguishable for the back end: the old laptop must be wiped
(``koffer wipe``) before the replacement is used. If the old laptop is lost
or stolen, do not import: revoke the device at the back end and enroll the
replacement anew.

The pure part (:func:`encode_bundle`, :func:`decode_bundle`,
:func:`read_header`) works on bytes; the effects (:func:`export_enrollment`,
:func:`import_enrollment`, :func:`read_config_files`,
:func:`write_config_files`) touch the store and the file system.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import re
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from koffer.crypto import aead, keys
from koffer.crypto.enrollment import DeviceCredentials
from koffer.crypto.kdf import SALT_SIZE, Argon2Params, derive_key, new_salt
from koffer.crypto.sealing import canonical_json
from koffer.enrollment import device
from koffer.errors import ConfigError, CryptoError, KofferError, StoreError
from koffer.queue.outbox import Outbox
from koffer.store.unlocked import UnlockedStore

MAGIC = b"KOFFER-ENROLLMENT\n"
FORMAT_VERSION = 1
CHECK_SIZE = 16
_FIXED = struct.Struct(f">HIII{SALT_SIZE}s{CHECK_SIZE}s")
HEADER_SIZE = len(MAGIC) + _FIXED.size
#: suggested file name suffix ("Koffer-Anmeldung")
SUFFIX = ".kanm"

#: the export passphrase protects private keys offline: longer than a login
MIN_PASSPHRASE_LENGTH = 12
#: Argon2id cost an export file may carry, checked BEFORE any derivation.
#: Floor: the OWASP / RFC 9106 minimum for Argon2id (19 MiB, t = 2), so that a
#: file is never cheaper to attack offline than that (TR-02102-1 leaves the
#: cost to the application). Ceiling: what a suitcase laptop can afford
#: without swapping (1 GiB, t = 10, 8 lanes; about 10 s at most), so a crafted
#: header cannot make import allocate gigabytes or run for minutes.
MIN_MEMORY_KIB = 19 * 1024
MIN_ITERATIONS = 2
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 10
MAX_LANES = 8
#: configuration files are small; a large file is a mistake (or case data)
MAX_FILE_SIZE = 1024 * 1024
MAX_FILES = 16
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: content that must never go into a bundle (a store database)
_SQLITE_MAGIC = b"SQLite format 3\x00"


# ---------------------------------------------------------------------------
# errors (one German line each)
# ---------------------------------------------------------------------------


def _not_a_bundle() -> ConfigError:
    return ConfigError(
        "Die Datei ist keine Sicherung der Einrichtung eines Koffers. Bitte wählen Sie die Datei, "
        "die »koffer enrollment export« geschrieben hat.",
        message_en="This file is not a suitcase enrollment export.",
    )


def _damaged() -> CryptoError:
    return CryptoError(
        "Die Sicherungsdatei ist beschädigt oder wurde verändert und kann nicht gelesen "
        "werden. Bitte exportieren Sie die Einrichtung erneut.",
        message_en="The enrollment export is damaged or was altered. Please export again.",
    )


def _wrong_passphrase() -> CryptoError:
    return CryptoError(
        "Die Export-Passphrase ist falsch. Bitte geben Sie die Passphrase ein, die beim "
        "Export gewählt wurde.",
        message_en="Wrong export passphrase.",
    )


def _cost_out_of_range(memory_kib: int, iterations: int, lanes: int) -> CryptoError:
    return CryptoError(
        "Die Sicherungsdatei verlangt eine unzulässige Schlüsselableitung "
        f"({memory_kib // 1024} MiB, {iterations} Durchläufe, {lanes} Stränge; erlaubt sind "
        f"{MIN_MEMORY_KIB // 1024} MiB bis {MAX_MEMORY_KIB // 1024} MiB, {MIN_ITERATIONS} bis "
        f"{MAX_ITERATIONS} Durchläufe, 1 bis {MAX_LANES} Stränge). Die Datei wurde nicht "
        "geöffnet: Sie ist beschädigt oder stammt nicht von »koffer enrollment export«. "
        "Bitte exportieren Sie die Einrichtung erneut.",
        message_en="The export asks for an Argon2id cost outside the allowed range; "
        "it was not opened.",
    )


def check_cost(memory_kib: int, iterations: int, lanes: int) -> Argon2Params:
    """The cost if within floor and ceiling, else :class:`CryptoError` (nothing derived)."""
    if not (
        MIN_MEMORY_KIB <= memory_kib <= MAX_MEMORY_KIB
        and MIN_ITERATIONS <= iterations <= MAX_ITERATIONS
        and 1 <= lanes <= MAX_LANES
    ):
        raise _cost_out_of_range(memory_kib, iterations, lanes)
    return Argon2Params(memory_kib, iterations, lanes)


def bounded_params(params: Argon2Params) -> Argon2Params:
    """The store's cost moved into the allowed range (used for new exports).

    A store set up with cheaper parameters (tests, old installations) still
    writes files that are at least as hard to attack as the floor.
    """
    return Argon2Params(
        memory_kib=min(max(params.memory_kib, MIN_MEMORY_KIB), MAX_MEMORY_KIB),
        iterations=min(max(params.iterations, MIN_ITERATIONS), MAX_ITERATIONS),
        lanes=min(params.lanes, MAX_LANES),
    )


def _newer(version: int) -> ConfigError:
    return ConfigError(
        f"Die Sicherungsdatei hat das Format {version} einer neueren Programmversion. "
        "Bitte aktualisieren Sie zuerst das Programm auf diesem Gerät.",
        message_en=f"The export uses format {version} of a newer version. Update first.",
    )


# ---------------------------------------------------------------------------
# pure part
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleHeader:
    """The clear-text header: format version, Argon2id cost, salt, check value."""

    version: int
    params: Argon2Params
    salt: bytes
    check: bytes

    def to_bytes(self) -> bytes:
        p = self.params
        fixed = _FIXED.pack(
            self.version, p.memory_kib, p.iterations, p.lanes, self.salt, self.check
        )
        return MAGIC + fixed


@dataclass(frozen=True)
class EnrollmentBundle:
    """What an export carries: the credentials and named configuration files."""

    credentials: DeviceCredentials
    files: tuple[tuple[str, bytes], ...]
    created_at: datetime

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.files)


def check_file_name(name: str) -> str:
    """A plain file name (no directory, no leading dot); else :class:`ConfigError`."""
    if not _FILE_NAME.fullmatch(name) or ".." in name:
        raise ConfigError(
            f"Der Dateiname „{name}“ ist für die Sicherung nicht zulässig (nur Buchstaben, "
            "Ziffern, Punkt, Binde- und Unterstrich).",
            message_en=f"The file name {name!r} is not allowed in an export.",
        )
    return name


def _check_files(files: Sequence[tuple[str, bytes]]) -> None:
    if len(files) > MAX_FILES:
        raise ConfigError(
            f"Zu viele Dateien für die Sicherung (höchstens {MAX_FILES}).",
            message_en=f"Too many files for the export (at most {MAX_FILES}).",
        )
    seen: set[str] = set()
    for name, data in files:
        check_file_name(name)
        if name in seen:
            raise ConfigError(
                f"Die Datei „{name}“ ist zweimal angegeben. Jeder Dateiname darf nur einmal "
                "vorkommen.",
                message_en=f"The file name {name!r} is given twice.",
            )
        seen.add(name)
        if len(data) > MAX_FILE_SIZE:
            raise ConfigError(
                f"Die Datei „{name}“ ist zu groß für eine Konfigurationsdatei "
                f"(höchstens {MAX_FILE_SIZE // 1024} KiB).",
                message_en=f"The file {name!r} is too large for a configuration file.",
            )
        if data.startswith(_SQLITE_MAGIC):
            raise ConfigError(
                f"Die Datei „{name}“ ist eine Datenbank. Vorgänge und andere personenbezogene "
                "Daten werden bewusst nicht gesichert.",
                message_en=f"The file {name!r} is a database; case data is never exported.",
            )


def _derive(passphrase: str, salt: bytes, params: Argon2Params) -> tuple[bytes, bytes]:
    master = derive_key(passphrase, salt, params)
    key = keys.subkey(master, "enrollment-bundle/encrypt")
    check = keys.subkey(master, "enrollment-bundle/check")[:CHECK_SIZE]
    return key, check


def check_passphrase(passphrase: str) -> str:
    """Refuse export passphrases that are too short or have outer spaces."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ConfigError(
            "Die Export-Passphrase ist zu kurz. Bitte wählen Sie mindestens "
            f"{MIN_PASSPHRASE_LENGTH} Zeichen.",
            message_en=f"The export passphrase is too short (at least {MIN_PASSPHRASE_LENGTH}).",
        )
    if passphrase != passphrase.strip():
        raise ConfigError(
            "Die Export-Passphrase darf nicht mit Leerzeichen beginnen oder enden.",
            message_en="The export passphrase must not start or end with spaces.",
        )
    return passphrase


def encode_bundle(bundle: EnrollmentBundle, passphrase: str, params: Argon2Params) -> bytes:
    """The encrypted export file for ``bundle`` under ``passphrase``."""
    check_passphrase(passphrase)
    _check_files(bundle.files)
    params = bounded_params(params)
    salt = new_salt()
    key, check = _derive(passphrase, salt, params)
    header = BundleHeader(FORMAT_VERSION, params, salt, check).to_bytes()
    plaintext = canonical_json(
        {
            "v": FORMAT_VERSION,
            "created_at": bundle.created_at.astimezone(UTC).isoformat(),
            "credentials": bundle.credentials.to_bytes().decode("utf-8"),
            "files": {name: base64.b64encode(data).decode("ascii") for name, data in bundle.files},
        }
    )
    return header + aead.encrypt(key, plaintext, header)


def read_header(data: bytes) -> BundleHeader:
    """The header of an export file, checked without the passphrase.

    :raises ConfigError: not an export file, or a newer format.
    :raises CryptoError: damaged (truncated), or an Argon2id cost outside
        floor and ceiling (refused here, before anything is derived).
    """
    if not data.startswith(MAGIC):
        raise _not_a_bundle()
    if len(data) < HEADER_SIZE:
        raise _damaged()
    version, memory_kib, iterations, lanes, salt, check = _FIXED.unpack_from(data, len(MAGIC))
    if version > FORMAT_VERSION:
        raise _newer(version)
    if version < 1:
        raise _damaged()
    return BundleHeader(version, check_cost(memory_kib, iterations, lanes), salt, check)


def decode_bundle(data: bytes, passphrase: str) -> EnrollmentBundle:
    """Decrypt and check an export file.

    :raises ConfigError: not an export file, or a newer format.
    :raises CryptoError: wrong passphrase, or the file is damaged or altered.
    """
    header = read_header(data)  # bounds the cost before anything is derived
    key, check = _derive(passphrase, header.salt, header.params)
    if not hmac.compare_digest(check, header.check):
        raise _wrong_passphrase()
    try:
        plaintext = aead.decrypt(key, data[HEADER_SIZE:], data[:HEADER_SIZE])
    except CryptoError as exc:
        raise _damaged() from exc
    try:
        raw = json.loads(plaintext)
        if raw["v"] != header.version:
            raise ValueError("inner and outer version differ")
        created_at = datetime.fromisoformat(str(raw["created_at"]))
        credentials = DeviceCredentials.from_bytes(str(raw["credentials"]).encode("utf-8"))
        files = tuple(
            (str(name), base64.b64decode(str(b64), validate=True))
            for name, b64 in sorted(dict(raw["files"]).items())
        )
    except (ValueError, KeyError, TypeError, binascii.Error, KofferError) as exc:
        raise _damaged() from exc
    try:
        _check_files(files)
    except ConfigError as exc:
        raise _damaged() from exc
    return EnrollmentBundle(credentials=credentials, files=files, created_at=created_at)


# ---------------------------------------------------------------------------
# effects: store and file system
# ---------------------------------------------------------------------------


def _require_admin(store: UnlockedStore) -> None:
    if store.account.role != "admin":
        raise StoreError(
            "Nur ein Administrator-Konto darf die Einrichtung exportieren oder übernehmen. "
            "Bitte melden Sie sich mit einem solchen Konto an (--account).",
            message_en="Only an admin account may export or import the enrollment.",
        )


def export_enrollment(
    store: UnlockedStore,
    files: Sequence[tuple[str, bytes]],
    passphrase: str,
    params: Argon2Params,
    *,
    now: datetime | None = None,
) -> tuple[bytes, DeviceCredentials]:
    """The encrypted export of this store's enrollment plus ``files``.

    Writes an audit entry (``enrollment_exported``); returns the file's bytes
    (for the caller to write) and the exported credentials.

    :raises ConfigError: the suitcase is not enrolled (nothing to export).
    """
    _require_admin(store)
    creds = device.load_credentials(store)
    if creds is None:
        raise ConfigError(
            "Dieser Koffer ist noch nicht bei der Gegenstelle eingerichtet; es gibt keine "
            "Einrichtung zu exportieren. Richten Sie ihn zuerst mit »koffer enroll« ein.",
            message_en="This suitcase is not enrolled; there is nothing to export.",
        )
    bundle = EnrollmentBundle(
        credentials=creds, files=tuple(files), created_at=now or datetime.now(UTC)
    )
    data = encode_bundle(bundle, passphrase, params)
    store.audit("enrollment_exported", device_id=creds.device_id, files=len(bundle.files))
    return data, creds


def _unsent(store: UnlockedStore) -> int:
    return sum(1 for entry in Outbox.open(store).list() if entry.has_envelope)


def import_enrollment(
    store: UnlockedStore, bundle: EnrollmentBundle, *, replace: bool = False
) -> DeviceCredentials:
    """Store the bundle's credentials as this suitcase's enrollment.

    :raises StoreError: already enrolled and not ``replace``; or another
        identity's envelopes still wait in the outbox (they could never be
        sent with the imported identity).
    """
    _require_admin(store)
    new = bundle.credentials
    try:
        existing = device.load_credentials(store)
    except CryptoError:
        if not replace:
            raise
        existing = None
    if existing is not None and not replace:
        raise StoreError(
            f"Dieser Koffer ist bereits eingerichtet (Gerät {existing.name}). Zum Ersetzen "
            "der Einrichtung geben Sie --replace an.",
            message_en=f"This suitcase is already enrolled ({existing.name}); use --replace.",
        )
    if existing is not None and existing.device_id != new.device_id:
        waiting = _unsent(store)
        if waiting:
            raise StoreError(
                f"Im Postausgang liegen noch {waiting} Umschläge der bisherigen Einrichtung. "
                "Bitte übertragen Sie sie zuerst (»koffer sync« oder »koffer outbox export«).",
                message_en=f"{waiting} envelopes of the current enrollment are still queued.",
            )
    device.save_credentials(store, new, replace=replace)
    store.audit("enrollment_imported", device_id=new.device_id)
    return new


def read_config_files(
    paths: Iterable[Path], data_dir: Path | None = None
) -> list[tuple[str, bytes]]:
    """Read configuration files for an export, by their file names.

    Files inside ``data_dir`` are refused: the data directory holds the
    store, never configuration.
    """
    result: list[tuple[str, bytes]] = []
    for path in paths:
        name = check_file_name(path.name)
        if data_dir is not None and path.resolve().is_relative_to(data_dir.resolve()):
            raise ConfigError(
                f"{path} liegt im Datenverzeichnis. Von dort wird nichts exportiert: "
                "personenbezogene Daten werden bewusst nicht gesichert.",
                message_en=f"{path} is inside the data directory; nothing there is exported.",
            )
        try:
            if path.stat().st_size > MAX_FILE_SIZE:
                raise ConfigError(
                    f"Die Datei {path} ist zu groß für eine Konfigurationsdatei.",
                    message_en=f"The file {path} is too large for a configuration file.",
                )
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"Die Datei {path} kann nicht gelesen werden ({exc.strerror}).",
                message_en=f"Cannot read {path} ({exc.strerror}).",
            ) from exc
        result.append((name, data))
    _check_files(result)
    return result


def _write_public(path: Path, data: bytes) -> None:
    """Atomic write, mode 0644 (configuration files hold no secrets), fsync."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def write_config_files(
    files: Mapping[str, bytes] | Sequence[tuple[str, bytes]],
    target: Path,
    *,
    replace: bool = False,
) -> list[Path]:
    """Write the bundle's configuration files into the directory ``target``.

    Existing files are only overwritten with ``replace``; nothing is written
    if one of them would be refused.
    """
    items = list(files.items()) if isinstance(files, Mapping) else list(files)
    paths = [(target / check_file_name(name), data) for name, data in items]
    if not replace:
        existing = [p.name for p, _ in paths if p.exists()]
        if existing:
            raise ConfigError(
                f"In {target} gibt es schon: {', '.join(existing)}. Zum Überschreiben geben "
                "Sie --replace an.",
                message_en=f"{target} already holds {', '.join(existing)}; use --replace.",
            )
    try:
        target.mkdir(parents=True, exist_ok=True)
        for path, data in paths:
            _write_public(path, data)
    except OSError as exc:
        raise ConfigError(
            f"Die Konfiguration kann nicht nach {target} geschrieben werden ({exc.strerror}).",
            message_en=f"Cannot write the configuration to {target} ({exc.strerror}).",
        ) from exc
    return [p for p, _ in paths]
