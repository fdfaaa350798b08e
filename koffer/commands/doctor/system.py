"""``koffer doctor``'s checks of the machine: data directory, store file, disk, clock, devices.

Each check is a small function over explicit inputs (paths, the current
time, a user id): pure or nearly pure.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from koffer.commands.doctor.results import CheckResult, _r
from koffer.store import files as store_files

#: configuration file of the appliance, read by ``doctor`` when no --config is given
APPLIANCE_CONFIG = Path("/etc/koffer/koffer.toml")
#: where the package (or an administrator) installs the udev rules
UDEV_RULE_PATHS: tuple[Path, ...] = (
    Path("/etc/udev/rules.d/70-koffer.rules"),
    Path("/lib/udev/rules.d/70-koffer.rules"),
    Path("/usr/lib/udev/rules.d/70-koffer.rules"),
)
SQLITE_MAGIC = b"SQLite format 3\x00"

GIB = 1024**3
MIB = 1024**2
DISK_WARN_BYTES = 1 * GIB
DISK_FAIL_BYTES = 100 * MIB
MIN_YEAR = 2026


def check_data_dir(path: Path, uid: int) -> CheckResult:
    """The data directory exists, is a directory, mode 0700, owned by ``uid``."""
    cid = "data_dir"
    try:
        st = path.lstat()
    except FileNotFoundError:
        return _r(
            cid,
            "fail",
            f"Das Datenverzeichnis {path} fehlt. Richten Sie den Koffer mit "
            "'koffer init' ein (auf dem Gerät als Benutzer koffer).",
            f"The data directory {path} is missing. Set up with 'koffer init'.",
        )
    except OSError as exc:
        return _r(
            cid,
            "fail",
            f"Das Datenverzeichnis {path} ist nicht lesbar ({exc.strerror}). "
            "Prüfen Sie die Berechtigungen.",
            f"The data directory {path} cannot be read ({exc.strerror}).",
        )
    if not stat.S_ISDIR(st.st_mode):
        return _r(
            cid,
            "fail",
            f"{path} ist kein Verzeichnis. Geben Sie mit --data-dir das richtige "
            "Datenverzeichnis an.",
            f"{path} is not a directory.",
        )
    if st.st_uid != uid:
        return _r(
            cid,
            "fail",
            f"Das Datenverzeichnis {path} gehört nicht diesem Benutzer. Führen Sie den "
            "Befehl als Benutzer koffer aus (als root: runuser -u koffer -- koffer doctor) "
            f"oder korrigieren Sie als root den Eigentümer: chown -R koffer:koffer {path}",
            f"The data directory {path} is not owned by the current user.",
        )
    if st.st_mode & 0o077:
        return _r(
            cid,
            "fail",
            f"Das Datenverzeichnis {path} ist für andere Benutzer zugänglich "
            f"(Rechte {stat.S_IMODE(st.st_mode):04o}). Korrigieren Sie das: chmod 700 {path}",
            f"The data directory {path} is accessible to others; run: chmod 700 {path}",
        )
    return _r(
        cid,
        "ok",
        f"Datenverzeichnis {path} vorhanden, nur für den Eigentümer zugänglich.",
        f"Data directory {path} present, owner-only.",
    )


def store_filename() -> str:
    """The store's database file name as :mod:`koffer.store` defines it."""
    return store_files.DB_FILENAME


def check_store(data: Path, filename: str) -> CheckResult:
    """The database file exists, is a SQLite file and is not readable by others."""
    cid = "store"
    path = data / filename
    if not path.exists():
        return _r(
            cid,
            "warn",
            f"Noch kein Datenspeicher in {data}. Legen Sie ihn mit 'koffer init' an.",
            f"No store in {data} yet. Create it with 'koffer init'.",
        )
    try:
        st = path.stat()
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return _r(
            cid,
            "fail",
            f"Der Datenspeicher {path} ist nicht lesbar ({exc.strerror}). Führen Sie den "
            "Befehl als Benutzer koffer aus.",
            f"The store {path} cannot be read ({exc.strerror}).",
        )
    if header != SQLITE_MAGIC:
        return _r(
            cid,
            "fail",
            f"Die Datei {path} ist kein gültiger Datenspeicher (beschädigt oder falsche "
            "Datei). Wenden Sie sich an den Support; löschen Sie nichts.",
            f"{path} is not a valid store file (damaged or wrong file).",
        )
    if st.st_mode & 0o077:
        return _r(
            cid,
            "fail",
            f"Der Datenspeicher ist für andere Benutzer lesbar. Korrigieren Sie das: "
            f"chmod 600 {path}",
            f"The store is readable by others; run: chmod 600 {path}",
        )
    return _r(cid, "ok", f"Datenspeicher vorhanden ({filename}).", f"Store present ({filename}).")


def _existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def check_disk_space(
    path: Path,
    *,
    free_bytes: int | None = None,
    warn_bytes: int = DISK_WARN_BYTES,
    fail_bytes: int = DISK_FAIL_BYTES,
) -> CheckResult:
    """Free space on the file system of ``path`` (or of its nearest parent)."""
    cid = "disk_space"
    if free_bytes is None:
        free_bytes = shutil.disk_usage(_existing_ancestor(path)).free
    free_mib = free_bytes // MIB
    if free_bytes < fail_bytes:
        return _r(
            cid,
            "fail",
            f"Nur noch {free_mib} MiB frei. Neue Vorgänge können nicht sicher gespeichert "
            "werden. Übertragen Sie ausstehende Vorgänge und schaffen Sie Platz "
            "(z. B. alte Systemprotokolle: journalctl --vacuum-size=100M).",
            f"Only {free_mib} MiB free; new cases cannot be saved safely.",
        )
    if free_bytes < warn_bytes:
        return _r(
            cid,
            "warn",
            f"Nur noch {free_mib} MiB frei (empfohlen: mindestens 1 GiB). Schaffen Sie "
            "vor dem nächsten Außentermin Platz.",
            f"Only {free_mib} MiB free (recommended: at least 1 GiB).",
        )
    return _r(
        cid,
        "ok",
        f"{free_bytes / GIB:.1f} GiB frei.",
        f"{free_bytes / GIB:.1f} GiB free.",
    )


def newest_mtime(path: Path, depth: int = 2) -> datetime | None:
    """The newest modification time of the files below ``path`` (bounded depth)."""
    newest: float | None = None
    for entry in _walk_bounded(path, depth):
        try:
            mtime = entry.lstat().st_mtime
        except OSError:
            continue
        if newest is None or mtime > newest:
            newest = mtime
    return None if newest is None else datetime.fromtimestamp(newest, UTC)


def _walk_bounded(path: Path, depth: int) -> Iterator[Path]:
    try:
        entries = list(path.iterdir())
    except OSError:
        return
    for entry in entries:
        yield entry
        if depth > 1 and entry.is_dir() and not entry.is_symlink():
            yield from _walk_bounded(entry, depth - 1)


def check_clock(
    now: datetime,
    newest_file: datetime | None,
    *,
    min_year: int = MIN_YEAR,
    tolerance: timedelta = timedelta(minutes=5),
    max_gap: timedelta = timedelta(days=366),
) -> CheckResult:
    """The system clock is plausible: not before ``min_year``, not behind the
    newest data file, not a year or more ahead of it."""
    cid = "clock"
    fix = (
        "Stellen Sie Datum und Uhrzeit richtig ein (timedatectl set-time 'JJJJ-MM-TT hh:mm') "
        "oder verbinden Sie den Koffer mit dem Netz, damit die Zeit abgeglichen wird."
    )
    stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if now.year < min_year or now.year > 2100:
        return _r(
            cid,
            "fail",
            f"Die Systemuhr zeigt {stamp}; das kann nicht stimmen. {fix}",
            f"The system clock shows {stamp}, which cannot be right.",
        )
    if newest_file is not None and newest_file - now > tolerance:
        return _r(
            cid,
            "fail",
            f"Die Systemuhr ({stamp}) geht nach: Im Datenverzeichnis gibt es neuere "
            f"Dateien. Zeitstempel auf Quittungen wären falsch. {fix}",
            f"The system clock ({stamp}) is behind the newest data file.",
        )
    if newest_file is not None and now - newest_file > max_gap:
        return _r(
            cid,
            "warn",
            f"Die Systemuhr ({stamp}) liegt mehr als ein Jahr nach der letzten Änderung im "
            f"Datenverzeichnis. Wenn der Koffer nicht so lange unbenutzt war: {fix}",
            f"The clock ({stamp}) is over a year ahead of the last data change.",
        )
    return _r(cid, "ok", f"Systemuhr plausibel ({stamp}).", f"System clock plausible ({stamp}).")


def check_udev_rules(paths: Sequence[Path] = UDEV_RULE_PATHS) -> CheckResult:
    """The package's udev rules are installed in one of ``paths``."""
    cid = "udev_rules"
    for path in paths:
        if path.is_file():
            return _r(
                cid,
                "ok",
                f"udev-Regeln installiert ({path}).",
                f"udev rules installed ({path}).",
            )
    return _r(
        cid,
        "fail",
        "Die udev-Regeln für die Geräte fehlen; Unterschriften-Pad, Fingerabdruckscanner "
        "und Drucker sind dann nur für root erreichbar. Installieren Sie das Paket "
        "buergerservice-koffer neu (als root: apt install --reinstall buergerservice-koffer).",
        "The device udev rules are missing; reinstall the package.",
    )


def configured_device_paths(devices: Mapping[str, Any]) -> list[Path]:
    """Every ``/dev/...`` path named anywhere in the ``[devices]`` table."""
    found: list[Path] = []

    def visit(value: Any) -> None:
        if isinstance(value, str) and value.startswith("/dev/"):
            found.append(Path(value))
        elif isinstance(value, Mapping):
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit(devices)
    return sorted(set(found))


def check_device_nodes(
    paths: Sequence[Path], access: Callable[[Path], bool] | None = None
) -> CheckResult:
    """Each configured device node exists and is readable and writable."""
    cid = "device_permissions"
    if not paths:
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: In der Konfiguration ([devices]) ist kein Gerätepfad unter "
            "/dev eingetragen.",
            "Not checked: no /dev path configured in [devices].",
        )
    can_use = access or (lambda p: os.access(p, os.R_OK | os.W_OK))
    missing = [p for p in paths if not p.exists()]
    denied = [p for p in paths if p.exists() and not can_use(p)]
    if denied:
        names = ", ".join(str(p) for p in denied)
        return _r(
            cid,
            "fail",
            f"Kein Zugriff auf {names}. Laden Sie die udev-Regeln neu "
            "(als root: udevadm control --reload-rules && udevadm trigger), stecken Sie "
            "das Gerät neu ein und prüfen Sie, ob der Benutzer koffer in den Gruppen "
            "dialout und video ist (id koffer).",
            f"No read/write access to {names}; reload udev rules and replug.",
        )
    if missing:
        names = ", ".join(str(p) for p in missing)
        return _r(
            cid,
            "warn",
            f"Nicht angeschlossen oder falscher Pfad: {names}. Schließen Sie das Gerät an "
            "oder korrigieren Sie den Pfad in der Konfiguration "
            "(stabile Namen: /dev/serial/by-id/…).",
            f"Not connected or wrong path: {names}.",
        )
    return _r(
        cid,
        "ok",
        "Zugriff auf das konfigurierte Gerät in Ordnung."
        if len(paths) == 1
        else f"Zugriff auf alle {len(paths)} konfigurierten Geräte in Ordnung.",
        "Access to the configured device is fine."
        if len(paths) == 1
        else f"Access to all {len(paths)} configured devices is fine.",
    )
