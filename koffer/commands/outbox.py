"""``koffer outbox list|export|import-receipts|requeue [--all]``, ``koffer sync``.

All commands unlock the store (``--account``, ``--passphrase-file``).

- ``koffer sync --once``: one batch; without ``--once`` the background worker
  runs until Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from koffer import labels
from koffer.commands import common
from koffer.commands.parser import args_language
from koffer.commands.unlock import unlocked
from koffer.enrollment import device
from koffer.queue import media
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.sync_progress import SyncProgress
from koffer.queue.transmitter import Timeouts, Transmitter
from koffer.queue.worker import OutboxWorker


def _settings(args: argparse.Namespace) -> TransmissionSettings:
    return TransmissionSettings.from_config(common.config(args))


def _timeouts(settings: TransmissionSettings) -> Timeouts:
    return Timeouts(connect=settings.connect_timeout, read=settings.read_timeout)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = sub.add_parser("outbox", help="Postausgang anzeigen und exportieren")
    osub = outbox.add_subparsers(dest="outbox_command", metavar="BEFEHL", required=True)
    lst = osub.add_parser("list", help="Umschläge mit Status und Quittungen auflisten")
    common.add_store_options(lst)
    lst.add_argument("--json", action="store_true", help="als JSON ausgeben")
    lst.set_defaults(func=_list)
    exp = osub.add_parser("export", help="versiegelte Umschläge auf einen Datenträger schreiben")
    common.add_store_options(exp)
    exp.add_argument("--to", required=True, metavar="DIR", help="Zielverzeichnis")
    exp.set_defaults(func=_export)
    imp = osub.add_parser("import-receipts", help="Quittungen vom Datenträger übernehmen")
    common.add_store_options(imp)
    imp.add_argument("--from", dest="source", required=True, metavar="DIR")
    imp.set_defaults(func=_import_receipts)
    req = osub.add_parser(
        "requeue", help="Umschlag erneut einreihen (abgelehnt oder wartend: beim nächsten Senden)"
    )
    common.add_store_options(req)
    which = req.add_mutually_exclusive_group(required=True)
    which.add_argument("envelope_id", nargs="?", help="Umschlagnummer (aus »outbox list«)")
    which.add_argument(
        "--all", action="store_true", help="alle Umschläge, die noch im Koffer liegen"
    )
    req.set_defaults(func=_requeue)

    sync = sub.add_parser("sync", help="Postausgang an die Gegenstelle senden")
    common.add_store_options(sync)
    sync.add_argument("--once", action="store_true", help="nur einen Durchgang")
    sync.set_defaults(func=_sync)


def _list(args: argparse.Namespace) -> int:
    with unlocked(args) as store:
        entries = Outbox.open(store, _settings(args)).list()
    if args.json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2))
        return 0
    language = args_language(args)
    en = language == "en"
    if not entries:
        print("The outbox is empty." if en else "Der Postausgang ist leer.")
    for e in entries:
        kind = labels.case_type(e.case_type, language)
        state = labels.outbox_state(e.state, language)
        line = f"{e.case_number}  {kind:<24} {state:<30} {e.envelope_id}"
        if e.receipt is not None:
            line += f"  {'receipt' if en else 'Quittung'} {e.receipt['body']['received_at']}"
        error = e.last_error_en if en and e.last_error_en else e.last_error
        if error and e.state != "purged":
            line += f"  – {error}"
        print(line)
    return 0


def _export(args: argparse.Namespace) -> int:
    with unlocked(args) as store:
        count = media.export_envelopes(Outbox.open(store, _settings(args)), Path(args.to))
    print(f"{count} Umschläge nach {args.to} exportiert.")
    return 0


def _import_receipts(args: argparse.Namespace) -> int:
    with unlocked(args) as store:
        creds = device.require_credentials(store)
        report = media.import_receipts(
            Outbox.open(store, _settings(args)), creds, Path(args.source)
        )
    for line in report.problems:
        print(f"Nicht übernommen: {line}", file=sys.stderr)
    print(f"{report.imported} Quittungen übernommen, {len(report.problems)} fehlerhaft.")
    return 0 if not report.problems else 3


def _requeue(args: argparse.Namespace) -> int:
    with unlocked(args) as store:
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
    with unlocked(args) as store:
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
        # a line per batch that changed something, else a heartbeat now and then
        language = args_language(args)
        progress = SyncProgress(
            outbox, settings, lambda: worker.online, sys.stdout, language=language
        )
        worker = OutboxWorker(outbox, creds, settings, on_report=progress)
        start = (
            "Sending to the back end; stop with Ctrl-C."
            if language == "en"
            else "Sende an die Gegenstelle; beenden mit Strg-C."
        )
        print(start, file=sys.stderr, flush=True)
        worker.start()
        try:
            worker.wait()
        finally:
            worker.stop()
    return 0
