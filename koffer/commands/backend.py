"""``koffer backend init|serve|enroll-device|revoke-device|rotate-key|stats|export|import``
(and ``cashbook export``, :mod:`koffer.commands.backend_cashbook`).

``init --relay`` makes a relay (no HPKE key; tenants, see
:mod:`koffer.commands.tenant` for ``koffer backend tenant …``).

Every command takes ``--data-dir DIR`` (the back end's own directory, see
:mod:`koffer.backend.keystore`; without it, ``$KOFFER_HOME``) and
``--database-url URL`` where it touches the database (default: SQLite in the
data directory).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from koffer import labels
from koffer.backend import export as export_module
from koffer.backend import media_import
from koffer.backend.app import MAX_ENVELOPE
from koffer.backend.keystore import BackendDir, write_private
from koffer.backend.refusals import Refusal
from koffer.backend.server import Backend, BackendServer
from koffer.backend.server_settings import ServerSettings
from koffer.commands import backend_cashbook, common, tenant
from koffer.commands.parser import args_language
from koffer.crypto import tls
from koffer.errors import ConfigError

#: valid range of ``enroll-device --hours``
MIN_TOKEN_HOURS = 1.0
MAX_TOKEN_HOURS = 720.0


def data_dir(option: str | None, environ: Mapping[str, str]) -> Path:
    """``--data-dir``, else ``$KOFFER_HOME`` (the packaged unit sets it), else refused.

    There is no per-user default: that is the suitcase's data directory.
    """
    if option:
        return Path(option).expanduser()
    home = environ.get("KOFFER_HOME")
    if home:
        return Path(home).expanduser()
    raise ConfigError(
        "Bitte geben Sie das Datenverzeichnis der Gegenstelle mit --data-dir an "
        "(oder setzen Sie die Umgebungsvariable KOFFER_HOME).",
        message_en="Please give the back end's data directory with --data-dir (or KOFFER_HOME).",
    )


def _dir(args: argparse.Namespace) -> Path:
    return data_dir(getattr(args, "data_dir", None), os.environ)


def token_hours(raw: str) -> float:
    """``--hours`` as a number of hours in 1 … 720; refused in German otherwise."""
    try:
        hours = float(raw)
    except ValueError:
        hours = math.nan
    if not math.isfinite(hours) or not MIN_TOKEN_HOURS <= hours <= MAX_TOKEN_HOURS:
        raise ConfigError(
            f"Die Gültigkeit des Einrichtungscodes (--hours) muss zwischen "
            f"{MIN_TOKEN_HOURS:g} und {MAX_TOKEN_HOURS:g} Stunden liegen. Bitte geben Sie "
            "eine Zahl in diesem Bereich an, zum Beispiel --hours 72.",
            message_en="--hours must be a number from 1 to 720.",
        )
    return hours


def _open(args: argparse.Namespace) -> Backend:
    return Backend.open(_dir(args), database_url=getattr(args, "database_url", None))


def _common(parser: argparse.ArgumentParser, *, database: bool = True) -> None:
    common.add_data_dir(parser)
    if database:
        parser.add_argument("--database-url", metavar="URL", help="SQLAlchemy-URL der Datenbank")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backend = sub.add_parser("backend", help="Referenz-Gegenstelle (Meldebehörde)")
    bsub = backend.add_subparsers(dest="backend_command", metavar="BEFEHL", required=True)

    init = bsub.add_parser("init", help="Schlüssel, CA und Zertifikate anlegen")
    _common(init)
    init.add_argument("--url", default="https://127.0.0.1:8443", help="öffentliche Adresse")
    init.add_argument("--enroll-url", help="Adresse der Einrichtung (Standard: Port + 1)")
    init.add_argument(
        "--relay",
        action="store_true",
        help="Weiterleitungsstelle für viele Gemeinden (ohne Entschlüsselungsschlüssel)",
    )
    init.set_defaults(func=_init)

    serve = bsub.add_parser("serve", help="Gegenstelle starten")
    _common(serve)
    common.add_config(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, help="Port (Standard: aus der Adresse)")
    serve.add_argument("--enroll-port", type=int, help="Port der Einrichtung")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="Arbeitsprozesse (Standard 1; je CPU-Kern einer)",
    )
    serve.set_defaults(func=_serve)

    enroll = bsub.add_parser("enroll-device", help="Einrichtungscode für einen Koffer ausstellen")
    _common(enroll)
    enroll.add_argument("name", help="Name des Koffers")
    enroll.add_argument("--tenant", metavar="NAME", help="Gemeinde (nur Weiterleitungsstelle)")
    enroll.add_argument(
        "--hours", default="72", help="Gültigkeit in Stunden (1 bis 720, Standard 72)"
    )
    enroll.add_argument("--request", metavar="FILE", help="Offline: Anfrage-Datei des Koffers")
    enroll.add_argument("--response", metavar="FILE", help="Offline: Antwort-Datei schreiben")
    enroll.set_defaults(func=_enroll)

    revoke = bsub.add_parser("revoke-device", help="Koffer sperren")
    _common(revoke)
    revoke.add_argument("name")
    revoke.set_defaults(func=_revoke)

    rotate = bsub.add_parser("rotate-key", help="neuen Versiegelungsschlüssel erzeugen")
    _common(rotate, database=False)
    rotate.set_defaults(func=_rotate)

    stats = bsub.add_parser("stats", help="Zählerstände")
    _common(stats)
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=_stats)

    exp = bsub.add_parser("export", help="Vorgänge für das Fachverfahren exportieren")
    _common(exp)
    exp.add_argument("--out", required=True, metavar="DIR")
    exp.add_argument(
        "--retention-days", type=int, default=0, help="Fingerabdrücke nach N Tagen löschen"
    )
    exp.set_defaults(func=_export)

    imp = bsub.add_parser("import", help="Umschläge von einem Datenträger übernehmen")
    _common(imp)
    imp.add_argument("--from", dest="source", required=True, metavar="DIR")
    imp.set_defaults(func=_import)

    tenant.register(bsub, _common, _open)
    backend_cashbook.register(bsub, _common, _open)


def _init(args: argparse.Namespace) -> int:
    directory = BackendDir(_dir(args))
    settings = directory.init(args.url, args.enroll_url, relay=bool(args.relay))
    if args.database_url:
        settings.database_url = args.database_url
        directory.save_settings(settings)
    ca = tls.fingerprint(directory.keys().ca_pem)
    what = "Weiterleitungsstelle" if settings.relay else "Gegenstelle"
    print(f"{what} eingerichtet: {settings.url} (Einrichtung: {settings.enroll_url})")
    print(f"CA-Fingerabdruck (SHA-256): {ca}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    server_settings = ServerSettings.from_config(common.config(args))
    with _open(args) as backend:
        settings = backend.directory.settings()
        server = BackendServer(
            backend,
            host=args.host,
            port=args.port if args.port is not None else settings.port,
            enroll_port=args.enroll_port if args.enroll_port is not None else settings.enroll_port,
            settings=server_settings,
        )
        print(f"Gegenstelle läuft: {server.url} (Einrichtung: {server.enroll_url})", flush=True)
        server.run(workers=max(1, args.workers))
        return 0


def _enroll(args: argparse.Namespace) -> int:
    hours = token_hours(str(args.hours))
    with _open(args) as backend:
        if args.request:
            if not args.response:
                raise ConfigError(
                    "Offline-Einrichtung: bitte auch --response DATEI angeben.",
                    message_en="Offline enrollment: please also give --response FILE.",
                )
            try:
                answer = backend.enroll_offline(args.name, Path(args.request).read_bytes())
            except Refusal as exc:
                raise ConfigError(exc.message, message_en=exc.message_en) from exc
            write_private(Path(args.response), answer)
            ca = tls.fingerprint(backend.intake.public_material()["ca_cert"].encode())
            print(f"Antwort-Datei geschrieben: {args.response}")
            print(f"CA-Fingerabdruck zum Abgleich (--ca-sha256): {ca}")
            return 0
        token = backend.enrollment_token(
            args.name, ttl=timedelta(hours=hours), tenant=getattr(args, "tenant", None)
        )
        print(f"CA-Fingerabdruck (SHA-256, im Code enthalten): {token.ca_sha256}")
        print(f"Einrichtungscode für {args.name} (einmalig, {hours:g} Stunden gültig):")
        print(token.encode())
        return 0


def _revoke(args: argparse.Namespace) -> int:
    with _open(args) as backend:
        device_id = backend.intake.revoke(args.name)
    print(f"Gerät {args.name} ({device_id}) gesperrt.")
    return 0


def _rotate(args: argparse.Namespace) -> int:
    kid = BackendDir(_dir(args)).rotate_hpke_key()
    print(f"Neuer Versiegelungsschlüssel: {kid} (alte Schlüssel bleiben gültig)")
    return 0


def _stats(args: argparse.Namespace) -> int:
    with _open(args) as backend:
        if backend.relay is not None:
            return tenant.print_relay_stats(backend.relay, as_json=bool(args.json))
        stats = backend.intake.stats()
        stats["overdue"] = export_module.overdue(backend.intake.sessions, datetime.now(UTC))
        if args.json:
            print(json.dumps(stats, ensure_ascii=False, indent=2))
            return 0
        language = args_language(args)
        en = language == "en"
        total, overdue = stats["total"], stats["overdue"]
        if en:
            print(f"Cases in total: {total} (overdue: {overdue})")
        else:
            print(f"Vorgänge gesamt: {total} (davon überfällig: {overdue})")
        words: dict[str, Callable[[str, str], str]] = {
            "by_case_type": labels.case_type,
            "by_state": labels.backend_state,
            "by_device": lambda name, _: name,
        }
        for key, label in (
            ("by_case_type", "Case type" if en else "Vorgangsart"),
            ("by_state", "State" if en else "Status"),
            ("by_device", "Device" if en else "Gerät"),
        ):
            for name, count in sorted(stats[key].items()):
                print(f"  {label} {words[key](name, language)}: {count}")
        for reason, count in sorted(stats["implausible_created"].items()):
            print(f"  Erstellungszeit unplausibel ({_IMPLAUSIBLE.get(reason, reason)}): {count}")
        return 0


_IMPLAUSIBLE = {
    "before_enrollment": "vor der Einrichtung des Geräts",
    "future": "in der Zukunft",
    "invalid": "kein gültiger Zeitpunkt",
}


def _export(args: argparse.Namespace) -> int:
    with _open(args) as backend:
        if backend.relay is not None:
            raise ConfigError(
                "Eine Weiterleitungsstelle kann keine Vorgänge exportieren: sie hält sie nur "
                "versiegelt. Der Export geschieht an der Station der Gemeinde "
                "(»koffer station export«).",
                message_en="A relay cannot export cases (it holds them sealed); "
                "use 'koffer station export'.",
            )
        headers = export_module.export_cases(
            backend.intake.sessions,
            backend.intake.keys,
            Path(args.out),
            retention_days=args.retention_days,
        )
        late = sum(1 for h in headers if h["fristUeberschritten"])
        print(f"{len(headers)} Vorgänge nach {args.out} exportiert ({late} nach Ablauf der Frist).")
        return 0


def _import(args: argparse.Namespace) -> int:
    with _open(args) as backend:
        report = media_import.import_media(backend.intake, Path(args.source), limit=MAX_ENVELOPE)
    for line in report.problems:
        print(f"Abgelehnt: {line}", file=sys.stderr)
    print(f"{report.accepted} Umschläge übernommen, {report.refused} abgelehnt.")
    return 0 if report.refused == 0 else 3
