"""Operations: ``koffer doctor`` (installation check) and ``koffer wipe``.

``koffer doctor [--json]`` runs a fixed list of checks. Each check is a small
function over explicit inputs (paths, the current time, a user id) that
returns a :class:`CheckResult` with an id, a status and a German message that
says what to do. A check whose prerequisite is not part of this version is
reported as ``skipped`` ("nicht geprüft") with the reason. The exit code is 0
unless a check *fails*; warnings and skipped checks do not fail.

``koffer wipe`` destroys a data directory for decommissioning or after a loss
of confidence: key material first (overwritten with random bytes, flushed to
disk, unlinked), then the database files (they hold the wrapped keys), then
everything else, then the directory tree. It asks for the word LÖSCHEN unless
``--yes`` is given.

Nothing here prints or logs personal data: the checks look at file metadata,
the SQLite header, certificates and TCP reachability only.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import shutil
import socket
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from koffer.cli_common import add_config, add_data_dir, data_dir
from koffer.config import Config, load_config
from koffer.errors import ConfigError, StoreError

Status = Literal["ok", "warn", "fail", "skipped"]

#: configuration file of the appliance, read by ``doctor`` when no --config is given
APPLIANCE_CONFIG = Path("/etc/koffer/koffer.toml")
#: where the package (or an administrator) installs the udev rules
UDEV_RULE_PATHS: tuple[Path, ...] = (
    Path("/etc/udev/rules.d/70-koffer.rules"),
    Path("/lib/udev/rules.d/70-koffer.rules"),
    Path("/usr/lib/udev/rules.d/70-koffer.rules"),
)
#: the store's database file name when koffer.store does not say otherwise
FALLBACK_DB_FILENAME = "koffer-store.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"

GIB = 1024**3
MIB = 1024**2
DISK_WARN_BYTES = 1 * GIB
DISK_FAIL_BYTES = 100 * MIB
MIN_YEAR = 2026
CERT_WARN_DAYS = 30
BACKEND_TIMEOUT_S = 2.0

STATUS_LABEL: Mapping[str, str] = {
    "ok": "OK",
    "warn": "WARNUNG",
    "fail": "FEHLER",
    "skipped": "NICHT GEPRÜFT",
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check; ``message`` is German and says what to do."""

    id: str
    status: Status
    message: str
    message_en: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def _r(check_id: str, status: Status, de: str, en: str) -> CheckResult:
    return CheckResult(check_id, status, de, en)


# --------------------------------------------------------------------------
# checks (pure or nearly pure: every input is a parameter)
# --------------------------------------------------------------------------


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
            "Befehl als Benutzer koffer aus (sudo -u koffer koffer doctor) oder korrigieren "
            f"Sie den Eigentümer: sudo chown -R koffer:koffer {path}",
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
    try:
        module = importlib.import_module("koffer.store.files")
    except ImportError:
        return FALLBACK_DB_FILENAME
    name = getattr(module, "DB_FILENAME", FALLBACK_DB_FILENAME)
    return name if isinstance(name, str) else FALLBACK_DB_FILENAME


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
            f"Nur noch {free_mib} MiB frei. Neue Fälle können nicht sicher gespeichert "
            "werden. Übertragen Sie ausstehende Fälle und schaffen Sie Platz "
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
        "Die udev-Regeln für die Geräte fehlen; Unterschriftenpad, Fingerabdruckscanner "
        "und Drucker sind dann nur für root erreichbar. Installieren Sie das Paket "
        "buergerservice-koffer neu (sudo apt install --reinstall buergerservice-koffer).",
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
            "(sudo udevadm control --reload-rules && sudo udevadm trigger), stecken Sie "
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
        f"Zugriff auf {len(paths)} konfigurierte(s) Gerät(e) in Ordnung.",
        f"Access to {len(paths)} configured device(s) is fine.",
    )


def check_certificate(pem: bytes, now: datetime, warn_days: int = CERT_WARN_DAYS) -> CheckResult:
    """The device certificate is valid now and for at least ``warn_days`` more."""
    from cryptography import x509

    cid = "enrollment"
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError:
        return _r(
            cid,
            "fail",
            "Das Gerätezertifikat ist beschädigt. Melden Sie den Koffer neu an "
            "(koffer enroll mit einem neuen Anmeldecode der Gegenstelle).",
            "The device certificate is damaged; enroll again.",
        )
    not_after = cert.not_valid_after_utc
    not_before = cert.not_valid_before_utc
    day = not_after.strftime("%Y-%m-%d")
    if now < not_before:
        return _r(
            cid,
            "fail",
            "Das Gerätezertifikat ist noch nicht gültig; vermutlich geht die Systemuhr nach. "
            "Stellen Sie die Uhr richtig.",
            "The device certificate is not yet valid; check the clock.",
        )
    if now >= not_after:
        return _r(
            cid,
            "fail",
            f"Das Gerätezertifikat ist am {day} abgelaufen; Fälle können nicht übertragen "
            "werden. Melden Sie den Koffer neu an (koffer enroll).",
            f"The device certificate expired on {day}; enroll again.",
        )
    if not_after - now < timedelta(days=warn_days):
        return _r(
            cid,
            "warn",
            f"Das Gerätezertifikat läuft am {day} ab. Melden Sie den Koffer rechtzeitig neu "
            "an (koffer enroll).",
            f"The device certificate expires on {day}; enroll again soon.",
        )
    return _r(
        cid,
        "ok",
        f"Koffer angemeldet, Zertifikat gültig bis {day}.",
        f"Enrolled, certificate valid until {day}.",
    )


#: optional hook another package may provide: ``(data_dir) -> PEM bytes | None``
ENROLLMENT_HOOK = ("koffer.queue.enrollment", "device_certificate_pem")
#: ``(data_dir) -> str | None``: the back end's URL saved at enrollment
BACKEND_URL_HOOK = ("koffer.queue.enrollment", "backend_url")


def enrolled_backend_url(data: Path) -> str | None:
    """The back end's URL from the enrollment (no unlock needed), if available."""
    module_name, attr = BACKEND_URL_HOOK
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    reader = getattr(module, attr, None)
    if not callable(reader):
        return None
    url = reader(data)
    return url if isinstance(url, str) else None


def check_enrollment(data: Path, now: datetime) -> CheckResult:
    """Enrollment present and certificate not expiring soon (via the queue's hook)."""
    module_name, attr = ENROLLMENT_HOOK
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        module = None
    reader = getattr(module, attr, None) if module is not None else None
    if not callable(reader):
        return _r(
            "enrollment",
            "skipped",
            "Nicht geprüft: Diese Version kann den Anmeldestatus ohne Entsperren noch "
            "nicht lesen. Prüfen Sie die Anmeldung in der Kiosk-Oberfläche.",
            "Not checked: this version cannot read the enrollment without unlocking.",
        )
    pem = reader(data)
    if pem is None:
        return _r(
            "enrollment",
            "warn",
            "Der Koffer ist noch nicht bei der Gegenstelle angemeldet. Melden Sie ihn mit "
            "'koffer enroll' und dem Anmeldecode der Gegenstelle an.",
            "Not enrolled yet; run 'koffer enroll'.",
        )
    return check_certificate(bytes(pem), now)


#: ``(data_dir) -> dict | None``: what the store's TPM protection looks like
TPM_HOOK = ("koffer.store.tpm_slot", "doctor_facts")


def tpm_facts(data: Path) -> Mapping[str, object] | None:
    """The TPM facts of the store in ``data`` (via the store's hook)."""
    module_name, attr = TPM_HOOK
    try:
        reader = getattr(importlib.import_module(module_name), attr, None)
    except ImportError:
        reader = None
    if not callable(reader):
        return {"unsupported": True}
    facts = reader(data)
    return facts if isinstance(facts, Mapping) else None


def check_tpm(facts: Mapping[str, object] | None) -> CheckResult:
    """Is the store bound to a TPM, and can that TPM be used right now?"""
    cid = "tpm"
    if facts is None:
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: Noch kein Datenbestand vorhanden.",
            "Not checked: no store yet.",
        )
    if facts.get("unsupported"):
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: Diese Version kann den TPM-Schutz nicht prüfen.",
            "Not checked: this version cannot check the TPM protection.",
        )
    if not facts.get("protected"):
        return _r(
            cid,
            "warn",
            "Der Datenbestand ist nicht durch einen TPM-Sicherheitschip geschützt. Wer die "
            "Festplatte kopiert, kann Passphrasen ohne Sperre offline durchprobieren; nur "
            "die Argon2id-Rechenzeit bremst. Hat das Gerät einen TPM 2.0, legen Sie den "
            "Datenbestand mit 'koffer init --tpm device:/dev/tpmrm0' neu an (siehe "
            "Betriebshandbuch).",
            "The store is not protected by a TPM: a copied disk allows unthrottled offline "
            "guessing. With a TPM 2.0, re-create the store with 'koffer init --tpm'.",
        )
    if not facts.get("reachable"):
        return _r(
            cid,
            "fail",
            "Der Datenbestand ist an einen TPM-Sicherheitschip gebunden, der nicht "
            "erreichbar ist; so kann sich niemand anmelden. Prüfen Sie, ob der TPM im "
            "BIOS eingeschaltet ist; sonst hilft nur der Wiederherstellungscode.",
            "The store is bound to a TPM that cannot be reached; nobody can sign in.",
        )
    if not facts.get("parent_present"):
        return _r(
            cid,
            "fail",
            "Der Schlüssel des Datenbestands fehlt im TPM-Sicherheitschip (der Chip wurde "
            "zurückgesetzt oder ist ein anderer). Anmelden geht nur noch mit dem "
            "Wiederherstellungscode; wenden Sie sich an die Technik.",
            "The store's key is missing from the TPM (cleared or another TPM).",
        )
    if facts.get("locked_out"):
        return _r(
            cid,
            "fail",
            "Der TPM-Sicherheitschip ist nach zu vielen falschen Passphrasen gesperrt. "
            "Warten Sie, bis die Sperre abläuft, oder heben Sie sie mit dem "
            "Wiederherstellungscode auf ('koffer accounts recover').",
            "The TPM is in dictionary-attack lock-out; wait or use the recovery code.",
        )
    tries, limit = facts.get("failed_tries", 0), facts.get("max_tries", 0)
    return _r(
        cid,
        "ok",
        f"Datenbestand durch den TPM-Sicherheitschip geschützt ({tries} von {limit} "
        "Fehlversuchen bis zur Sperre des Chips).",
        f"Store protected by the TPM ({tries} of {limit} failed attempts before lock-out).",
    )


def backend_address(url: str | None) -> tuple[str, int] | None:
    """Host and port of the back end from its URL (``None`` if not usable)."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    if port is None:
        port = 80 if parts.scheme == "http" else 443
    return parts.hostname, port


def tcp_reachable(host: str, port: int, timeout: float = BACKEND_TIMEOUT_S) -> bool:
    """True if a TCP connection to ``host:port`` opens within ``timeout``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def check_backend(
    address: tuple[str, int] | None,
    reachable: Callable[[str, int], bool] = tcp_reachable,
) -> CheckResult:
    """The back end accepts TCP connections (offline is normal: a warning)."""
    cid = "backend"
    if address is None:
        return _r(
            cid,
            "skipped",
            "Nicht geprüft: Der Koffer ist noch nicht angemeldet. Geben Sie die Adresse "
            "der Gegenstelle mit --backend-url an (steht im Einrichtungscode, "
            "z. B. https://gegenstelle.example:8443).",
            "Not checked: give the back end's address with --backend-url.",
        )
    host, port = address
    if reachable(host, port):
        return _r(
            cid,
            "ok",
            f"Gegenstelle {host}:{port} erreichbar.",
            f"Back end {host}:{port} reachable.",
        )
    return _r(
        cid,
        "warn",
        f"Gegenstelle {host}:{port} nicht erreichbar. Unterwegs ohne Netz ist das normal: "
        "Abgeschlossene Fälle bleiben verschlüsselt im Postausgang. Im Rathaus prüfen Sie "
        "Netzwerkkabel/WLAN und die Adresse in der Konfiguration.",
        f"Back end {host}:{port} not reachable (normal when offline).",
    )


# --------------------------------------------------------------------------
# doctor
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DoctorInputs:
    """Everything the checks look at; built from the command line at the edge."""

    data_dir: Path
    config: Config
    uid: int
    now: datetime
    backend_url: str | None = None
    udev_paths: Sequence[Path] = UDEV_RULE_PATHS
    reachable: Callable[[str, int], bool] = field(default=tcp_reachable)
    #: the check of the configuration file (see :func:`load_doctor_config`)
    config_result: CheckResult | None = None


def run_checks(inputs: DoctorInputs) -> list[CheckResult]:
    """All checks, in a fixed order."""
    data = inputs.data_dir
    results = [inputs.config_result or check_config(inputs.config)]
    results.append(check_data_dir(data, inputs.uid))
    results.append(check_store(data, store_filename()))
    results.append(check_disk_space(data))
    results.append(check_clock(inputs.now, newest_mtime(data)))
    results.append(check_udev_rules(inputs.udev_paths))
    results.append(check_device_nodes(configured_device_paths(inputs.config.section("devices"))))
    results.append(check_enrollment(data, inputs.now))
    results.append(check_backend(backend_address(inputs.backend_url), inputs.reachable))
    results.append(check_tpm(tpm_facts(data)))
    return results


def exit_code(results: Iterable[CheckResult]) -> int:
    """0 if no check failed, else 1."""
    return 1 if any(r.failed for r in results) else 0


def _warnings(count: int) -> str:
    return "keine Warnung" if count == 0 else f"{count} Warnung" + ("" if count == 1 else "en")


def render_text(results: Sequence[CheckResult]) -> str:
    lines = [f"[{STATUS_LABEL[r.status]}] {r.id}: {r.message}" for r in results]
    failed = sum(r.failed for r in results)
    warned = sum(r.status == "warn" for r in results)
    if failed:
        lines.append(f"Ergebnis: {failed} Fehler, {_warnings(warned)}. Bitte beheben.")
    else:
        lines.append(f"Ergebnis: keine Fehler, {_warnings(warned)}.")
    return "\n".join(lines)


def render_json(results: Sequence[CheckResult]) -> str:
    doc = {"ok": exit_code(results) == 0, "checks": [asdict(r) for r in results]}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def check_config(config: Config) -> CheckResult:
    """Every subsystem accepts the (schema-checked) configuration.

    :func:`~koffer.config.load_config` has already checked every table
    against the schema; this also runs the checks a schema cannot express
    (each device driver's own options, the logo file) exactly as the
    commands do when they start.
    """
    from koffer.cases.settings import RuleSettings
    from koffer.devices.config import DeviceSettings
    from koffer.documents.settings import MunicipalitySettings
    from koffer.queue.settings import TransmissionSettings
    from koffer.store.settings import StoreSettings

    try:
        for read in (
            StoreSettings.from_config,
            TransmissionSettings.from_config,
            RuleSettings.from_config,
            MunicipalitySettings.from_config,
            DeviceSettings.from_config,
        ):
            read(config)
    except ConfigError as exc:
        return _config_failed(config.path, exc)
    where = str(config.path) if config.path else "keine Datei, Voreinstellungen"
    return _r("config", "ok", f"Konfiguration gültig ({where}).", "Configuration valid.")


def _config_failed(path: Path | None, exc: ConfigError) -> CheckResult:
    return _r(
        "config",
        "fail",
        f"{exc.message} Bitte korrigieren Sie {path or 'die Konfigurationsdatei'}; "
        "mit diesem Fehler startet der Kiosk nicht.",
        f"{exc.message_en} Fix {path or 'the configuration file'}.",
    )


def load_doctor_config(args: argparse.Namespace) -> tuple[Config, CheckResult | None]:
    """The configuration doctor looks at, or the defaults and a failed check."""
    value = getattr(args, "config", None)
    path = Path(value) if value else APPLIANCE_CONFIG if APPLIANCE_CONFIG.is_file() else None
    if path is None:
        return Config(), None
    try:
        return load_config(path), None
    except ConfigError as exc:
        return Config(), _config_failed(path, exc)


def _doctor(args: argparse.Namespace) -> int:
    config_, config_result = load_doctor_config(args)
    inputs = DoctorInputs(
        data_dir=data_dir(args),
        config=config_,
        config_result=config_result,
        uid=os.getuid(),
        now=datetime.now(UTC),
        backend_url=args.backend_url or enrolled_backend_url(data_dir(args)),
    )
    results = run_checks(inputs)
    print(render_json(results) if args.json else render_text(results))
    return exit_code(results)


# --------------------------------------------------------------------------
# wipe
# --------------------------------------------------------------------------

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
#: ``module, function`` that evicts TPM-sealed keys of a store before the
#: files are overwritten: ``evict_sealed_keys(data_dir: Path) -> int`` (how
#: many were evicted). Missing module: nothing is sealed in a TPM.
TPM_EVICT_HOOK = ("koffer.store.tpm_slot", "evict_sealed_keys")


def _store_problem(root: Path) -> str | None:
    """Why ``root`` is not a koffer store (``None``: it is one).

    Checked by content, not by path: the marker file (the store database,
    a regular file with the SQLite header), the store's tables, a schema
    revision of this software and one ``store_info`` row with a store id.
    """
    import sqlite3

    from koffer.store import files as store_files
    from koffer.store.db import MIGRATIONS_DIR

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
    import sqlite3

    from koffer.store import files as store_files

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


def evict_sealed_keys(root: Path) -> int:
    """Evict TPM-sealed keys of the store first (see :data:`TPM_EVICT_HOOK`)."""
    module_name, function = TPM_EVICT_HOOK
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return 0
        raise
    evicted: int = getattr(module, function)(root)
    return evicted


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
) -> WipeReport:
    """Destroy ``path``: keys first, then databases, then the rest, then the tree.

    TPM-sealed keys are evicted before any file is touched. The directory
    itself is removed too, unless its parent does not allow that (the
    appliance's ``/var/lib/koffer``): then it is left empty.
    """
    root = check_wipe_target(path, home)
    report = WipeReport()
    report.evicted_keys = evict_sealed_keys(root)
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
            "(sudo systemctl stop koffer-kiosk) und rufen Sie 'koffer wipe' erneut auf.",
            message_en=f"Wiping was interrupted ({exc.strerror}); stop the kiosk and retry.",
        ) from exc
    _fsync_dir(root.parent)
    return report


def _confirmed(path: Path, unsent: int) -> bool:
    if unsent:
        print(
            f"WARNUNG: {unsent} versiegelte(r) Fall/Fälle wurde(n) noch nicht an die "
            "Gegenstelle übertragen und gingen verloren. Senden Sie sie vorher "
            "(koffer sync) oder exportieren Sie sie (koffer outbox export).",
            file=sys.stderr,
        )
    print(
        f"Alle Daten in {path} werden unwiderruflich vernichtet, auch Fälle, die noch "
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
    import syslog

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
    from koffer.cli_common import passphrase
    from koffer.store.settings import StoreSettings
    from koffer.store.store import Store

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
            f"Nicht gelöscht: {unsent} versiegelte(r) Fall/Fälle wurde(n) noch nicht "
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


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = sub.add_parser("doctor", help="Installation prüfen (Selbstdiagnose)")
    add_data_dir(doctor)
    add_config(doctor)
    doctor.add_argument("--json", action="store_true", help="Ergebnis als JSON ausgeben")
    doctor.add_argument(
        "--backend-url", metavar="URL", help="Erreichbarkeit dieser Gegenstelle prüfen"
    )
    doctor.set_defaults(func=_doctor)

    wipe = sub.add_parser(
        "wipe", help="Schlüssel und alle Daten unwiderruflich vernichten (Außerbetriebnahme)"
    )
    add_data_dir(wipe)
    wipe.add_argument("--yes", action="store_true", help="ohne Rückfrage löschen")
    wipe.add_argument(
        "--account", default="admin", metavar="NAME", help="Administrator-Konto (Standard: admin)"
    )
    from koffer.cli_common import add_passphrase_file

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
        help="mit --yes: auch löschen, wenn versiegelte Fälle noch nicht übertragen sind",
    )
    wipe.set_defaults(func=_wipe)
