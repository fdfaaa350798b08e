"""``koffer enroll``, ``koffer outbox list|export|requeue [--all]``, ``koffer sync``.

All commands unlock the store (``--account``, ``--passphrase-file``).

- ``koffer enroll --token T``: online enrollment over the pinned CA.
- ``koffer enroll --offline-request FILE``: write a request for removable
  media; ``koffer enroll --offline-response FILE --ca-sha256 HEX`` completes it
  (the fingerprint is mandatory: the file travels on an untrusted medium).
- An enrolled suitcase is re-enrolled only by an admin account with
  ``--replace`` (checked before anything is sent or written).
- ``koffer sync --once``: one batch; without ``--once`` the background worker
  runs until Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from koffer import cli_common, labels
from koffer.cli_parser import args_language
from koffer.crypto.enrollment import EnrollmentToken
from koffer.errors import ConfigError
from koffer.queue import device, media
from koffer.queue.enroll import (
    PendingKeys,
    complete_offline,
    enroll_online,
    offline_request,
    require_ca_sha256,
)
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.sync_progress import SyncProgress
from koffer.queue.transmitter import Timeouts, Transmitter
from koffer.queue.worker import OutboxWorker
from koffer.store.settings import StoreSettings
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore


def _common(parser: argparse.ArgumentParser) -> None:
    cli_common.add_data_dir(parser)
    cli_common.add_config(parser)
    cli_common.add_passphrase_file(parser)
    parser.add_argument(
        "--account", default="admin", metavar="NAME", help="Konto (Standard: admin)"
    )


@contextmanager
def _unlocked(args: argparse.Namespace) -> Iterator[UnlockedStore]:
    config = cli_common.config(args)
    with Store.open(cli_common.data_dir(args), StoreSettings.from_config(config)) as store:
        secret = cli_common.passphrase(args, f"Passphrase für {args.account}: ")
        with store.unlock(args.account, secret) as unlocked:
            yield unlocked


def _settings(args: argparse.Namespace) -> TransmissionSettings:
    return TransmissionSettings.from_config(cli_common.config(args))


def _timeouts(settings: TransmissionSettings) -> Timeouts:
    return Timeouts(connect=settings.connect_timeout, read=settings.read_timeout)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    enroll = sub.add_parser("enroll", help="Koffer bei der Gegenstelle einrichten")
    _common(enroll)
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

    outbox = sub.add_parser("outbox", help="Postausgang anzeigen und exportieren")
    osub = outbox.add_subparsers(dest="outbox_command", metavar="BEFEHL", required=True)
    lst = osub.add_parser("list", help="Umschläge mit Status und Quittungen auflisten")
    _common(lst)
    lst.add_argument("--json", action="store_true", help="als JSON ausgeben")
    lst.set_defaults(func=_list)
    exp = osub.add_parser("export", help="versiegelte Umschläge auf einen Datenträger schreiben")
    _common(exp)
    exp.add_argument("--to", required=True, metavar="DIR", help="Zielverzeichnis")
    exp.set_defaults(func=_export)
    imp = osub.add_parser("import-receipts", help="Quittungen vom Datenträger übernehmen")
    _common(imp)
    imp.add_argument("--from", dest="source", required=True, metavar="DIR")
    imp.set_defaults(func=_import_receipts)
    req = osub.add_parser(
        "requeue", help="Umschlag erneut einreihen (abgelehnt oder wartend: beim nächsten Senden)"
    )
    _common(req)
    which = req.add_mutually_exclusive_group(required=True)
    which.add_argument("envelope_id", nargs="?", help="Umschlagnummer (aus »outbox list«)")
    which.add_argument(
        "--all", action="store_true", help="alle Umschläge, die noch im Koffer liegen"
    )
    req.set_defaults(func=_requeue)

    sync = sub.add_parser("sync", help="Postausgang an die Gegenstelle senden")
    _common(sync)
    sync.add_argument("--once", action="store_true", help="nur einen Durchgang")
    sync.set_defaults(func=_sync)


def _enroll(args: argparse.Namespace) -> int:
    if args.offline_response:
        require_ca_sha256(args.ca_sha256)  # before the passphrase prompt
    with _unlocked(args) as store:
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


def _list(args: argparse.Namespace) -> int:
    with _unlocked(args) as store:
        entries = Outbox.open(store, _settings(args)).list()
    if args.json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("Der Postausgang ist leer.")
    language = args_language(args)
    for e in entries:
        kind = labels.case_type(e.case_type, language)
        state = labels.outbox_state(e.state, language)
        line = f"{e.case_number}  {kind:<24} {state:<30} {e.envelope_id}"
        if e.receipt is not None:
            line += f"  Quittung {e.receipt['body']['received_at']}"
        if e.last_error and e.state != "purged":
            line += f"  – {e.last_error}"
        print(line)
    return 0


def _export(args: argparse.Namespace) -> int:
    with _unlocked(args) as store:
        count = media.export_envelopes(Outbox.open(store, _settings(args)), Path(args.to))
    print(f"{count} Umschläge nach {args.to} exportiert.")
    return 0


def _import_receipts(args: argparse.Namespace) -> int:
    with _unlocked(args) as store:
        creds = device.require_credentials(store)
        report = media.import_receipts(
            Outbox.open(store, _settings(args)), creds, Path(args.source)
        )
    for line in report.problems:
        print(f"Nicht übernommen: {line}", file=sys.stderr)
    print(f"{report.imported} Quittungen übernommen, {len(report.problems)} fehlerhaft.")
    return 0 if not report.problems else 3


def _requeue(args: argparse.Namespace) -> int:
    with _unlocked(args) as store:
        outbox = Outbox.open(store, _settings(args))
        if args.all:
            count = outbox.requeue_all()
            print(f"{count} Umschläge erneut eingereiht; sie werden beim nächsten Senden gesendet.")
            return 0
        outbox.requeue(args.envelope_id)
    print("Umschlag erneut eingereiht; er wird beim nächsten Senden gesendet.")
    return 0


def _sync(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with _unlocked(args) as store:
        creds = device.require_credentials(store)
        outbox = Outbox.open(store, settings)
        if args.once:
            with Transmitter(
                creds, timeouts=_timeouts(settings), clock_tolerance=settings.clock_tolerance
            ) as tx:
                report = outbox.sync_once(tx)
                warning = tx.clock_warning()
            if warning is not None:
                print(warning.message, file=sys.stderr)
            print(json.dumps(report.to_json(), ensure_ascii=False))
            return 0 if report.stopped is None else 3
        # a line per batch (the worker calls it before its pause)
        progress = SyncProgress(outbox, settings, lambda: worker.online, sys.stdout)
        worker = OutboxWorker(outbox, creds, settings, on_report=progress)
        print("Sende an die Gegenstelle; beenden mit Strg-C.", file=sys.stderr, flush=True)
        worker.start()
        try:
            worker.wait()
        finally:
            worker.stop()
    return 0
