"""``koffer doctor``: the installation check.

``koffer doctor [--json]`` runs a fixed list of checks (:mod:`.system`,
:mod:`.trust`, and the configuration here). Each returns a
:class:`~.results.CheckResult` with an id, a status and a German message
that says what to do. The exit code is 0 unless a check *fails*; warnings
and skipped checks do not fail.

Nothing here prints or logs personal data: the checks look at file metadata,
the SQLite header, certificates and TCP reachability only.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from koffer.cases.settings import RuleSettings
from koffer.commands.common import add_config, add_data_dir, data_dir
from koffer.commands.doctor.results import (
    STATUS_LABEL,
    CheckResult,
    Status,
    _r,
    exit_code,
    render_json,
    render_text,
)
from koffer.commands.doctor.system import (
    APPLIANCE_CONFIG,
    DISK_FAIL_BYTES,
    DISK_WARN_BYTES,
    GIB,
    MIB,
    MIN_YEAR,
    UDEV_RULE_PATHS,
    check_clock,
    check_data_dir,
    check_device_nodes,
    check_disk_space,
    check_store,
    check_udev_rules,
    configured_device_paths,
    newest_mtime,
    store_filename,
)
from koffer.commands.doctor.trust import (
    CERT_WARN_DAYS,
    backend_address,
    check_backend,
    check_certificate,
    check_enrollment,
    check_tpm,
    enrolled_backend_url,
    tcp_reachable,
    tpm_facts,
)
from koffer.config import Config, load_config
from koffer.devices.config import DeviceSettings
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import ConfigError
from koffer.queue.settings import TransmissionSettings
from koffer.store.settings import StoreSettings

__all__ = [
    "APPLIANCE_CONFIG",
    "CERT_WARN_DAYS",
    "DISK_FAIL_BYTES",
    "DISK_WARN_BYTES",
    "GIB",
    "MIB",
    "MIN_YEAR",
    "STATUS_LABEL",
    "UDEV_RULE_PATHS",
    "CheckResult",
    "DoctorInputs",
    "Status",
    "backend_address",
    "check_backend",
    "check_certificate",
    "check_clock",
    "check_config",
    "check_data_dir",
    "check_device_nodes",
    "check_disk_space",
    "check_enrollment",
    "check_store",
    "check_tpm",
    "check_udev_rules",
    "configured_device_paths",
    "enrolled_backend_url",
    "exit_code",
    "load_doctor_config",
    "newest_mtime",
    "register",
    "render_json",
    "render_text",
    "run_checks",
    "store_filename",
    "tcp_reachable",
    "tpm_facts",
]


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


def check_config(config: Config) -> CheckResult:
    """Every subsystem accepts the (schema-checked) configuration.

    :func:`~koffer.config.load_config` has already checked every table
    against the schema; this also runs the checks a schema cannot express
    (each device driver's own options, the logo file) exactly as the
    commands do when they start.
    """
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
