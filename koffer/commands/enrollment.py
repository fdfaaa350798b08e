"""``koffer enroll`` and ``koffer enrollment export|import``.

``koffer enroll`` enrolls the suitcase at the back end:

- ``koffer enroll --token T``: online enrollment over the pinned CA;
- ``koffer enroll --offline-request FILE`` writes a request for removable
  media; ``koffer enroll --offline-response FILE --ca-sha256 HEX`` completes it
  (the fingerprint is mandatory: the file travels on an untrusted medium);
- an enrolled suitcase is re-enrolled only by an admin account with
  ``--replace`` (checked before anything is sent or written).

``koffer enrollment export|import`` carries enrollment and configuration to a
replacement laptop. Personal data is never part of it::

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
store. See :mod:`koffer.enrollment.bundle` for format and threat model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from koffer.commands import common
from koffer.commands.doctor import APPLIANCE_CONFIG
from koffer.commands.unlock import unlocked, unlocked_with_passphrase
from koffer.crypto.enrollment import EnrollmentToken
from koffer.enrollment import bundle as eb
from koffer.enrollment import device
from koffer.enrollment.enroll import (
    PendingKeys,
    complete_offline,
    enroll_online,
    offline_request,
    require_ca_sha256,
)
from koffer.errors import ConfigError
from koffer.queue import media
from koffer.store.settings import StoreSettings

WARN_EXPORT = (
    "Hinweis: Die Datei enthält die Geräteidentität dieses Koffers (verschlüsselt). "
    "Bewahren Sie Datei und Export-Passphrase getrennt und sicher auf: Wer beides hat, "
    "kann sich gegenüber der Gegenstelle als dieser Koffer ausgeben."
)
WARN_IMPORT = (
    "Hinweis: Diese Geräteidentität darf nur auf einem Laptop in Betrieb sein. Löschen Sie "
    "den alten Koffer mit »koffer wipe«. Ist er verloren oder gestohlen, sperren Sie ihn "
    "(»koffer backend revoke-device«) – damit ist auch diese Einrichtung gesperrt; richten "
    "Sie den Ersatz dann neu ein."
)


def _store_options(parser: argparse.ArgumentParser) -> None:
    common.add_data_dir(parser)
    common.add_config(parser)
    common.add_passphrase_file(parser)
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
    enroll = sub.add_parser("enroll", help="Koffer bei der Gegenstelle einrichten")
    common.add_store_options(enroll)
    how = enroll.add_mutually_exclusive_group(required=True)
    how.add_argument("--token", metavar="CODE", help="Einrichtungscode der Gegenstelle")
    how.add_argument("--offline-request", metavar="FILE", help="Anfrage-Datei schreiben")
    how.add_argument("--offline-response", metavar="FILE", help="Antwort-Datei einlesen")
    enroll.add_argument(
        "--ca-sha256",
        metavar="HEX",
        help="erwarteter CA-Fingerabdruck (bei --offline-response Pflicht)",
    )
    enroll.add_argument(
        "--replace",
        action="store_true",
        help="vorhandene Einrichtung ersetzen (nur Administrator-Konto)",
    )
    enroll.add_argument("--name", default="koffer", help="Gerätename (nur offline)")
    enroll.set_defaults(func=_enroll)

    enrollment = sub.add_parser(
        "enrollment", help="Einrichtung und Konfiguration sichern oder übernehmen"
    )
    esub = enrollment.add_subparsers(dest="enrollment_command", metavar="AKTION", required=True)

    exp = esub.add_parser(
        "export", help="Einrichtung und Konfiguration verschlüsselt in eine Datei schreiben"
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

    imp = esub.add_parser(
        "import", help="Einrichtung (und Konfiguration) aus einer Datei übernehmen"
    )
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
        help="vorhandene Einrichtung bzw. Konfigurationsdateien überschreiben",
    )
    imp.set_defaults(func=cmd_import)


# -- helpers -----------------------------------------------------------------


def _export_passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    file = getattr(args, "export_passphrase_file", None)
    if file:
        return common.read_passphrase_file(Path(file))
    refusal = common.no_terminal(
        "Die Export-Passphrase", "the export passphrase", "--export-passphrase-file"
    )
    if confirm:
        return common.ask_new_secret(
            "Export-Passphrase: ",
            "Export-Passphrase wiederholen: ",
            refusal,
            check=eb.check_passphrase,
        )
    first = common.ask_secret("Export-Passphrase: ", refusal)
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


def _enroll(args: argparse.Namespace) -> int:
    if args.offline_response:
        require_ca_sha256(args.ca_sha256)  # before the passphrase prompt
    with unlocked(args) as store:
        replacing = device.check_may_enroll(store, replace=args.replace)
        if args.token:
            creds = enroll_online(EnrollmentToken.decode(args.token))
        elif args.offline_request:
            keys = PendingKeys.generate()
            device.save_pending(store, keys)
            media.write_file(Path(args.offline_request), offline_request(keys, args.name))
            print(f"Einrichtungsanfrage geschrieben: {args.offline_request}")
            return 0
        else:
            keys_or_none = device.load_pending(store)
            if keys_or_none is None:
                raise ConfigError(
                    "Es gibt keine offene Einrichtungsanfrage. Bitte zuerst "
                    "»koffer enroll --offline-request DATEI« ausführen.",
                    message_en="No pending enrollment request.",
                )
            creds = complete_offline(
                keys_or_none, _read_response(Path(args.offline_response)), args.ca_sha256
            )
        device.save_credentials(store, creds, replace=args.replace)
    if replacing:
        print(
            "Die bisherige Einrichtung wurde ersetzt (im Protokoll vermerkt). Bereits "
            "versiegelte Umschläge bleiben unverändert.",
            file=sys.stderr,
        )
    print(f"Koffer eingerichtet als {creds.name} (Geräte-ID {creds.device_id}).")
    return 0


def _read_response(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"Die Antwort-Datei {path} kann nicht gelesen werden ({exc.strerror}).",
            message_en=f"Cannot read the response file {path} ({exc.strerror}).",
        ) from exc


def cmd_export(args: argparse.Namespace) -> int:
    config = common.config(args)  # also checks the file before it is exported
    settings = StoreSettings.from_config(config)
    files = eb.read_config_files(_config_paths(args), common.data_dir(args))
    out = Path(args.out)
    with unlocked_with_passphrase(args, settings) as (store, secret):
        export_secret = _export_passphrase(args, confirm=True)
        if export_secret == secret:
            raise ConfigError(
                "Die Export-Passphrase muss sich von der Passphrase des Kontos unterscheiden.",
                message_en="The export passphrase must differ from the account passphrase.",
            )
        data, creds = eb.export_enrollment(store, files, export_secret, settings.argon2)
    media.write_file(out, data)
    names = ", ".join(name for name, _ in files) or "keine"
    print(f"Einrichtung von {creds.name} (Geräte-ID {creds.device_id}) exportiert nach {out}.")
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
        settings = StoreSettings.from_config(common.config(args))
        with unlocked(args, settings) as store:
            creds = eb.import_enrollment(store, bundle, replace=args.replace)
        print(f"Einrichtung von {creds.name} (Geräte-ID {creds.device_id}) übernommen.")
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
