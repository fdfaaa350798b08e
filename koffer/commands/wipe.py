"""``koffer wipe``: destroying a data directory (decommissioning, loss of confidence).

Key material first (overwritten with random bytes, flushed to disk,
unlinked), then the database files (they hold the wrapped keys), then
everything else, then the directory tree. TPM-sealed keys are evicted before
any file is touched (:data:`Evict`). It asks for the word LÖSCHEN unless ``--yes`` is given,
and needs an admin's passphrase unless ``--force-without-passphrase --reason``
(written to the system log).

Whether a directory is a store is decided by its content, not by its path.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import syslog
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from koffer.commands.common import add_data_dir, add_passphrase_file, data_dir, passphrase
from koffer.errors import ConfigError, StoreError
from koffer.store import files as store_files
from koffer.store import tpm_slot
from koffer.store.db import MIGRATIONS_DIR
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

SQLITE_MAGIC = b"SQLite format 3\x00"


CONFIRM_WORDS = frozenset({"LÖSCHEN", "LOESCHEN"})
#: directories that are never wiped, whatever --data-dir says
PROTECTED = frozenset(
    Path(p)
    for p in (
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/media",
        "/mnt",
        "/opt",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/srv",
        "/sys",
        "/tmp",
        "/usr",
        "/var",
        "/var/lib",
        "/var/tmp",
    )
)
KEY_SUFFIXES = (".key", ".pem", ".p12", ".pfx", ".der", ".crt")
DB_SUFFIXES = (".sqlite3", ".sqlite", ".db", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")
CHUNK = 1024 * 1024


@dataclass
class WipeReport:
    """What ``wipe_data_dir`` did, in order (paths relative to the data dir)."""

    overwritten: list[str] = field(default_factory=list)
    removed_links: list[str] = field(default_factory=list)
    bytes_overwritten: int = 0
    #: TPM-sealed keys evicted before the files were overwritten
    evicted_keys: int = 0
    #: the (now empty) directory could not be removed (its parent forbids it)
    kept_empty_root: bool = False


def wipe_rank(relative: Path) -> int:
    """0 key material, 1 database files (wrapped keys + data), 2 everything else."""
    name = relative.name.lower()
    if (
        name.endswith(KEY_SUFFIXES)
        or "key" in name
        or any(
            part.lower() in {"keys", "identity", "enrollment", "tls"}
            for part in relative.parts[:-1]
        )
    ):
        return 0
    if name.endswith(DB_SUFFIXES) or any(name.endswith(s) for s in ("-wal", "-shm", "-journal")):
        return 1
    return 2


#: the tables every koffer store has (schema check of ``is_koffer_store``)
STORE_TABLES = frozenset({"store_info", "accounts", "audit_log", "alembic_version"})
#: outbox states of envelopes that have not reached the back end
UNSENT_STATES = ("sealed", "sending", "rejected", "dead_letter")
#: evicts the TPM-sealed keys of the store in a directory before its files
#: are overwritten; returns how many were evicted
Evict = Callable[[Path], int]


def _store_problem(root: Path) -> str | None:
    """Why ``root`` is not a koffer store (``None``: it is one).

    Checked by content, not by path: the marker file (the store database,
    a regular file with the SQLite header), the store's tables, a schema
    revision of this software and one ``store_info`` row with a store id.
    """
    db = root / store_files.DB_FILENAME
    if db.is_symlink() or not db.is_file():
        return f"{store_files.DB_FILENAME} fehlt"
    with open(db, "rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            return f"{store_files.DB_FILENAME} ist keine SQLite-Datenbank"
    known = {p.stem for p in (MIGRATIONS_DIR / "versions").glob("0*.py")}
    try:
        # read only, but not mode=ro: as the last connection it folds and
        # removes the WAL on close instead of leaving -wal/-shm files behind
        con = sqlite3.connect(db, timeout=5)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if not STORE_TABLES <= tables:
                return "die Tabellen eines Datenbestands fehlen"
            revisions = {str(r[0]) for r in con.execute("SELECT version_num FROM alembic_version")}
            ids = [str(r[0]) for r in con.execute("SELECT store_id FROM store_info")]
        finally:
            con.close()
    except sqlite3.Error:
        return f"{store_files.DB_FILENAME} lässt sich nicht als Datenbestand lesen"
    if len(revisions) != 1 or not revisions <= known:
        return "unbekannte Schema-Version"
    if len(ids) != 1 or len(ids[0]) != 36:
        return "keine Kennung des Datenbestands"
    return None


def check_wipe_target(path: Path, home: Path | None = None) -> Path:
    """The directory to wipe: it must exist, be no link and hold a koffer store.

    Whether it is a store is decided by its content (:func:`_store_problem`),
    not by its path, so also the appliance's ``/var/lib/koffer`` (the
    koffer user's home) is accepted when it is one. ``home`` is kept for
    callers of older versions and not used.
    """
    del home
    if path.is_symlink():
        raise ConfigError(
            f"{path} ist ein symbolischer Link. Geben Sie das Datenverzeichnis selbst an.",
            message_en=f"{path} is a symbolic link; give the data directory itself.",
        )
    if not path.exists():
        raise StoreError(
            f"Das Datenverzeichnis {path} existiert nicht; es gibt nichts zu löschen.",
            message_en=f"The data directory {path} does not exist; nothing to wipe.",
        )
    if not path.is_dir():
        raise ConfigError(
            f"{path} ist kein Verzeichnis. Geben Sie mit --data-dir das Datenverzeichnis an.",
            message_en=f"{path} is not a directory.",
        )
    resolved = path.resolve()
    if resolved in PROTECTED:
        raise ConfigError(
            f"{resolved} ist ein Systemverzeichnis und wird nicht gelöscht. Geben Sie mit "
            "--data-dir das Datenverzeichnis des Koffers an.",
            message_en=f"{resolved} is a system directory and is never wiped.",
        )
    problem = _store_problem(resolved)
    if problem is not None:
        raise ConfigError(
            f"{resolved} ist kein Datenbestand des Koffers ({problem}) und wird nicht "
            "gelöscht. Geben Sie mit --data-dir das Datenverzeichnis des Koffers an.",
            message_en=f"{resolved} is no koffer store ({problem}); nothing was deleted.",
        )
    return resolved


def unsent_envelopes(root: Path) -> int:
    """Sealed envelopes in the outbox of the store in ``root`` not yet delivered."""
    con = sqlite3.connect(root / store_files.DB_FILENAME, timeout=5)
    try:
        exists = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
        ).fetchone()
        if exists is None:
            return 0
        marks = ", ".join("?" for _ in UNSENT_STATES)
        row = con.execute(
            f"SELECT COUNT(*) FROM outbox WHERE state IN ({marks})", UNSENT_STATES
        ).fetchone()
    finally:
        con.close()
    return int(row[0])


def _overwrite(path: Path, random_bytes: Callable[[int], bytes]) -> int:
    """Overwrite the regular file ``path`` in place with random bytes, fsync, unlink."""
    fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    try:
        size = os.fstat(fd).st_size
        written = 0
        while written < size:
            chunk = random_bytes(min(CHUNK, size - written))
            written += os.write(fd, chunk)
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()
    return size


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def wipe_data_dir(
    path: Path,
    *,
    random_bytes: Callable[[int], bytes] = os.urandom,
    home: Path | None = None,
    evict: Evict = tpm_slot.evict_sealed_keys,
) -> WipeReport:
    """Destroy ``path``: keys first, then databases, then the rest, then the tree.

    TPM-sealed keys are evicted before any file is touched. The directory
    itself is removed too, unless its parent does not allow that (the
    appliance's ``/var/lib/koffer``): then it is left empty.
    """
    root = check_wipe_target(path, home)
    report = WipeReport()
    report.evicted_keys = evict(root)
    files: list[Path] = []
    links: list[Path] = []
    dirs: list[Path] = []
    for current, dirnames, filenames in os.walk(root, topdown=True, followlinks=False):
        base = Path(current)
        for name in dirnames:
            entry = base / name
            (links if entry.is_symlink() else dirs).append(entry)
        for name in filenames:
            entry = base / name
            (files if entry.is_file() and not entry.is_symlink() else links).append(entry)
    try:
        for entry in sorted(files, key=lambda p: (wipe_rank(p.relative_to(root)), str(p))):
            report.bytes_overwritten += _overwrite(entry, random_bytes)
            report.overwritten.append(str(entry.relative_to(root)))
            _fsync_dir(entry.parent)
        for entry in links:
            entry.unlink()
            report.removed_links.append(str(entry.relative_to(root)))
        for entry in sorted(dirs, key=lambda p: len(p.parts), reverse=True):
            entry.rmdir()
        try:
            root.rmdir()
        except PermissionError:
            report.kept_empty_root = True
    except OSError as exc:
        raise StoreError(
            f"Das Löschen wurde unterbrochen ({exc.strerror}). Schlüssel und bereits "
            "überschriebene Dateien sind vernichtet. Beenden Sie den Kiosk "
            "(als root: systemctl stop koffer-kiosk) und rufen Sie 'koffer wipe' erneut auf.",
            message_en=f"Wiping was interrupted ({exc.strerror}); stop the kiosk and retry.",
        ) from exc
    _fsync_dir(root.parent)
    return report


def _unsent_words(unsent: int) -> str:
    """``1 versiegelter Vorgang wurde`` / ``3 versiegelte Vorgänge wurden``."""
    if unsent == 1:
        return "1 versiegelter Vorgang wurde"
    return f"{unsent} versiegelte Vorgänge wurden"


def _confirmed(path: Path, unsent: int) -> bool:
    if unsent:
        print(
            f"WARNUNG: {_unsent_words(unsent)} noch nicht an die "
            "Gegenstelle übertragen und gingen verloren. Senden Sie sie vorher "
            "(koffer sync) oder exportieren Sie sie (koffer outbox export).",
            file=sys.stderr,
        )
    print(
        f"Alle Daten in {path} werden unwiderruflich vernichtet, auch Vorgänge, die noch "
        "nicht übertragen wurden.",
        file=sys.stderr,
    )
    print("Zum Bestätigen LÖSCHEN eingeben: ", end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip() in CONFIRM_WORDS


def _log_forced_wipe(path: Path, reason: str) -> None:
    """Write a wipe without passphrase to the system log (journal) and stderr."""
    text = f"koffer wipe ohne Passphrase: {path}; Begründung: {reason}"
    syslog.openlog("koffer-wipe", syslog.LOG_PID, syslog.LOG_AUTH)
    try:
        syslog.syslog(syslog.LOG_WARNING, text)
    finally:
        syslog.closelog()
    print(text, file=sys.stderr)


def _authorize_wipe(args: argparse.Namespace, target: Path) -> None:
    """An admin passphrase, or ``--force-without-passphrase --reason`` (logged)."""
    if args.force_without_passphrase:
        reason = (args.reason or "").strip()
        if not reason:
            raise ConfigError(
                "Ohne Passphrase wird nur mit Begründung gelöscht: geben Sie --reason TEXT "
                "an (zum Beispiel „Koffer verloren, Passphrase unbekannt“; ohne "
                "Personendaten). Die Begründung wird im Systemprotokoll festgehalten.",
                message_en="Wiping without a passphrase needs --reason TEXT.",
            )
        _log_forced_wipe(target, reason)
        return
    with Store.open(target, StoreSettings()) as store:
        secret = passphrase(args, f"Passphrase für {args.account}: ")
        with store.unlock(args.account, secret) as unlocked:
            if unlocked.account.role != "admin":
                raise StoreError(
                    "Nur ein Administrator-Konto darf den Datenbestand löschen. Bitte "
                    "melden Sie sich mit einem solchen Konto an (--account NAME).",
                    message_en="Only an admin account may wipe the store.",
                )
            unlocked.audit("store_wipe_started")
            unlocked.release_tpm()  # a new store on this TPM may set its rules again


def _wipe(args: argparse.Namespace) -> int:
    path = data_dir(args)
    target = check_wipe_target(path)
    unsent = unsent_envelopes(target)
    if args.yes and unsent and not args.discard_unsent:
        print(
            f"Nicht gelöscht: {_unsent_words(unsent)} noch nicht "
            "übertragen. Senden oder exportieren Sie sie zuerst, oder bestätigen Sie den "
            "Verlust mit --discard-unsent.",
            file=sys.stderr,
        )
        return 1
    _authorize_wipe(args, target)
    if not args.yes and not _confirmed(target, unsent):
        print("Nicht bestätigt: Es wurde nichts gelöscht.", file=sys.stderr)
        return 1
    report = wipe_data_dir(target)
    kept = " (leer belassen)" if report.kept_empty_root else " entfernt"
    print(
        f"Gelöscht: {len(report.overwritten)} Datei(en) überschrieben und entfernt "
        f"({report.bytes_overwritten} Bytes), Verzeichnis {target}{kept}."
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    wipe = sub.add_parser(
        "wipe", help="Schlüssel und alle Daten unwiderruflich vernichten (Außerbetriebnahme)"
    )
    add_data_dir(wipe)
    wipe.add_argument("--yes", action="store_true", help="ohne Rückfrage löschen")
    wipe.add_argument(
        "--account", default="admin", metavar="NAME", help="Administrator-Konto (Standard: admin)"
    )
    add_passphrase_file(wipe)
    wipe.add_argument(
        "--force-without-passphrase",
        action="store_true",
        help="ohne Passphrase löschen (nur mit --reason; wird im Systemprotokoll vermerkt)",
    )
    wipe.add_argument("--reason", metavar="TEXT", help="Begründung für --force-without-passphrase")
    wipe.add_argument(
        "--discard-unsent",
        action="store_true",
        help="mit --yes: auch löschen, wenn versiegelte Vorgänge noch nicht übertragen sind",
    )
    wipe.set_defaults(func=_wipe)
