"""``koffer enrollment export|import``: carry enrollment and configuration to a
replacement laptop (issue #8). Personal data is never part of it.

::

    koffer enrollment export --out FILE [--data-dir DIR] [--config FILE]
        [--include FILE ...] [--account NAME] [--passphrase-file F]
        [--export-passphrase-file F]
    koffer enrollment import FILE [--data-dir DIR] [--config FILE]
        [--account NAME] [--passphrase-file F] [--export-passphrase-file F]
        [--config-dir DIR] [--config-only] [--replace]

``--passphrase-file`` is the store passphrase of ``--account`` (an admin);
the export passphrase that protects the file is asked for (twice on export)
or read from ``--export-passphrase-file``. The export holds the
configuration file given by ``--config`` (else the appliance's
``/etc/koffer/koffer.toml`` if present) and any ``--include`` files. Import
writes those files into ``--config-dir`` only when asked; ``--config-only``
restores just the files (for root, into ``/etc/koffer``) without opening the
store. See :mod:`koffer.queue.enrollment_bundle` for format and threat model.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from koffer import cli_common
from koffer.errors import ConfigError
from koffer.ops import APPLIANCE_CONFIG
from koffer.queue import enrollment_bundle as eb
from koffer.queue import media
from koffer.store.settings import StoreSettings
from koffer.store.store import Store

WARN_EXPORT = (
    "Hinweis: Die Datei enthält die Geräteidentität dieses Koffers (verschlüsselt). "
    "Bewahren Sie Datei und Export-Passphrase getrennt und sicher auf: Wer beides hat, "
    "kann sich gegenüber der Gegenstelle als dieser Koffer ausgeben."
)
WARN_IMPORT = (
    "Hinweis: Diese Geräteidentität darf nur auf einem Laptop in Betrieb sein. Löschen Sie "
    "den alten Koffer mit »koffer wipe«. Ist er verloren oder gestohlen, sperren Sie ihn "
    "(»koffer backend revoke-device«) – damit ist auch diese Anmeldung gesperrt; richten "
    "Sie den Ersatz dann neu ein."
)


def _store_options(parser: argparse.ArgumentParser) -> None:
    cli_common.add_data_dir(parser)
    cli_common.add_config(parser)
    cli_common.add_passphrase_file(parser)
    parser.add_argument(
        "--account",
        default="admin",
        metavar="NAME",
        help="Administrator-Konto, das den Datenbestand entsperrt (Standard: admin)",
    )
    parser.add_argument(
        "--export-passphrase-file",
        metavar="FILE",
        help="Export-Passphrase aus dieser Datei lesen statt nachzufragen",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    enrollment = sub.add_parser(
        "enrollment", help="Anmeldung und Konfiguration sichern oder übernehmen"
    )
    esub = enrollment.add_subparsers(dest="enrollment_command", metavar="AKTION", required=True)

    exp = esub.add_parser(
        "export", help="Anmeldung und Konfiguration verschlüsselt in eine Datei schreiben"
    )
    _store_options(exp)
    exp.add_argument("--out", required=True, metavar="FILE", help=f"Zieldatei (z. B. *{eb.SUFFIX})")
    exp.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="FILE",
        help="weitere Konfigurationsdatei mitnehmen (z. B. das Logo); mehrfach möglich",
    )
    exp.set_defaults(func=cmd_export)

    imp = esub.add_parser("import", help="Anmeldung (und Konfiguration) aus einer Datei übernehmen")
    imp.add_argument("file", metavar="FILE", help="Datei von »koffer enrollment export«")
    _store_options(imp)
    imp.add_argument(
        "--config-dir",
        metavar="DIR",
        help="die mitgesicherten Konfigurationsdateien in dieses Verzeichnis schreiben",
    )
    imp.add_argument(
        "--config-only",
        action="store_true",
        help="nur die Konfigurationsdateien schreiben, Datenbestand nicht öffnen",
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help="vorhandene Anmeldung bzw. Konfigurationsdateien überschreiben",
    )
    imp.set_defaults(func=cmd_import)


# -- helpers -----------------------------------------------------------------


def _export_passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    file = getattr(args, "export_passphrase_file", None)
    if file:
        return cli_common.read_passphrase_file(Path(file))
    first = getpass.getpass("Export-Passphrase: ")
    if confirm:
        eb.check_passphrase(first)
        second = getpass.getpass("Export-Passphrase wiederholen: ")
        if first != second:
            raise ConfigError(
                "Die beiden Eingaben stimmen nicht überein.",
                message_en="The two entries do not match.",
            )
    if not first:
        raise ConfigError("Leere Passphrase.", message_en="Empty passphrase.")
    return first


def _config_paths(args: argparse.Namespace) -> list[Path]:
    paths: list[Path] = []
    if args.config:
        paths.append(Path(args.config))
    elif APPLIANCE_CONFIG.is_file():
        paths.append(APPLIANCE_CONFIG)
    paths.extend(Path(p) for p in args.include)
    return paths


def _read_bundle_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"Die Datei {path} kann nicht gelesen werden ({exc.strerror}).",
            message_en=f"Cannot read {path} ({exc.strerror}).",
        ) from exc


# -- commands ----------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    config = cli_common.config(args)  # also checks the file before it is exported
    settings = StoreSettings.from_config(config)
    data_dir = cli_common.data_dir(args)
    files = eb.read_config_files(_config_paths(args), data_dir)
    out = Path(args.out)
    with Store.open(data_dir, settings) as store:
        secret = cli_common.passphrase(args, f"Passphrase für {args.account}: ")
        with store.unlock(args.account, secret) as unlocked:
            export_secret = _export_passphrase(args, confirm=True)
            if export_secret == secret:
                raise ConfigError(
                    "Die Export-Passphrase muss sich von der Passphrase des Kontos unterscheiden.",
                    message_en="The export passphrase must differ from the account passphrase.",
                )
            data, creds = eb.export_enrollment(unlocked, files, export_secret, settings.argon2)
    media.write_file(out, data)
    names = ", ".join(name for name, _ in files) or "keine"
    print(f"Anmeldung von {creds.name} (Geräte-ID {creds.device_id}) exportiert nach {out}.")
    print(f"Konfigurationsdateien: {names}.")
    print(WARN_EXPORT, file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    data = _read_bundle_file(source)
    eb.read_header(data)  # wrong file / newer format: say so before any prompt
    if args.config_only and not args.config_dir:
        raise ConfigError(
            "--config-only braucht --config-dir (wohin die Konfiguration geschrieben wird).",
            message_en="--config-only needs --config-dir.",
        )
    bundle = eb.decode_bundle(data, _export_passphrase(args, confirm=False))
    if args.config_dir and not args.replace:
        # refuse before anything changes, not half-way through
        existing = [n for n in bundle.file_names if (Path(args.config_dir) / n).exists()]
        if existing:
            raise ConfigError(
                f"In {args.config_dir} gibt es schon: {', '.join(existing)}. Zum Überschreiben "
                "geben Sie --replace an.",
                message_en=f"{args.config_dir} already holds {', '.join(existing)}.",
            )
    if not args.config_only:
        settings = StoreSettings.from_config(cli_common.config(args))
        with Store.open(cli_common.data_dir(args), settings) as store:
            secret = cli_common.passphrase(args, f"Passphrase für {args.account}: ")
            with store.unlock(args.account, secret) as unlocked:
                creds = eb.import_enrollment(unlocked, bundle, replace=args.replace)
        print(f"Anmeldung von {creds.name} (Geräte-ID {creds.device_id}) übernommen.")
    if args.config_dir:
        written = eb.write_config_files(bundle.files, Path(args.config_dir), replace=args.replace)
        for path in written:
            print(f"Konfiguration geschrieben: {path}")
    elif bundle.files:
        print(
            f"Die Datei enthält Konfiguration ({', '.join(bundle.file_names)}); "
            "schreiben mit --config-only --config-dir /etc/koffer."
        )
    if not args.config_only:
        print(WARN_IMPORT, file=sys.stderr)
    return 0
