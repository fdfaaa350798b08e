"""``koffer station init|pull|export|status``: the town hall's side of a relay.

- ``init --data-dir DIR --token TOKEN [--passphrase-file F] [--tenant NAME]
  [--relay URL]`` (the last two only checked against the token): new keys, the
  encrypted store, registration at the relay (the token of ``koffer backend
  tenant station-token``); prints the store's recovery code;
- ``pull --data-dir DIR [--passphrase-file F]``: prints ``{"pulled": N, "refused": N}``;
- ``export --data-dir DIR --out OUT``: the files of ``koffer backend export``;
- ``status --data-dir DIR [--json]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from koffer.commands import common
from koffer.crypto.enrollment import EnrollmentToken
from koffer.errors import ConfigError
from koffer.station import service
from koffer.store.settings import StoreSettings


def _dir(args: argparse.Namespace) -> Path:
    if not args.data_dir:
        raise ConfigError(
            "Bitte geben Sie das Datenverzeichnis der Station mit --data-dir an.",
            message_en="Please give the station's data directory with --data-dir.",
        )
    return Path(args.data_dir).expanduser()


def _settings(args: argparse.Namespace) -> StoreSettings:
    return StoreSettings.from_config(common.config(args))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    station = sub.add_parser("station", help="Station der Gemeinde (Schlüssel im Rathaus)")
    ssub = station.add_subparsers(dest="station_command", metavar="BEFEHL", required=True)

    init = ssub.add_parser("init", help="Station einrichten und bei der Weiterleitung anmelden")
    common.add_data_dir(init)
    common.add_config(init)
    common.add_passphrase_file(init)
    init.add_argument("--token", required=True, help="Stationscode der Weiterleitungsstelle")
    init.add_argument("--tenant", metavar="NAME", help="zur Kontrolle: Gemeinde des Codes")
    init.add_argument("--relay", metavar="URL", help="zur Kontrolle: Adresse im Code")
    init.set_defaults(func=_init)

    pull = ssub.add_parser("pull", help="Umschläge der Gemeinde abholen und öffnen")
    common.add_data_dir(pull)
    common.add_config(pull)
    common.add_passphrase_file(pull)
    pull.set_defaults(func=_pull)

    exp = ssub.add_parser("export", help="Vorgänge für das Fachverfahren exportieren")
    common.add_data_dir(exp)
    exp.add_argument("--out", required=True, metavar="DIR")
    exp.add_argument(
        "--retention-days", type=int, default=0, help="Fingerabdrücke nach N Tagen löschen"
    )
    exp.set_defaults(func=_export)

    status = ssub.add_parser("status", help="Zustand der Station")
    common.add_data_dir(status)
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_status)


def _check_token(args: argparse.Namespace) -> None:
    """``--tenant`` and ``--relay``, when given, must be what the token says."""
    token = EnrollmentToken.decode(args.token)
    if args.tenant is not None and args.tenant != token.name:
        raise ConfigError(
            f"Der Stationscode gilt für die Gemeinde »{token.name}«, nicht für "
            f"»{args.tenant}«. Es wurde nichts eingerichtet.",
            message_en=f"The station token is for the tenant '{token.name}', not "
            f"'{args.tenant}'. Nothing was set up.",
        )
    if args.relay is not None and args.relay.rstrip("/") != token.url.rstrip("/"):
        raise ConfigError(
            f"Der Stationscode nennt die Weiterleitungsstelle {token.url}, nicht "
            f"{args.relay}. Es wurde nichts eingerichtet.",
            message_en=f"The station token names the relay {token.url}, not {args.relay}.",
        )


def _init(args: argparse.Namespace) -> int:
    path = _dir(args)
    _check_token(args)
    settings = _settings(args)
    secret = common.passphrase(args, "Neue Passphrase der Station: ", confirm=True)
    info, code = service.init_station(path, args.token, secret, settings)
    print(f"Station der Gemeinde {info.tenant} eingerichtet ({info.station_id}).")
    print(f"Schlüsselkennung: {info.hpke_key_id}")
    print("Wiederherstellungscode (bitte ausdrucken und getrennt verwahren):")
    print(code)
    return 0


def _pull(args: argparse.Namespace) -> int:
    path = _dir(args)
    settings = _settings(args)
    secret = common.passphrase(args, "Passphrase der Station: ")
    report = service.pull(path, secret, settings)
    print(json.dumps(report.to_json()))
    return 0


def _export(args: argparse.Namespace) -> int:
    headers = service.export(_dir(args), Path(args.out), retention_days=args.retention_days)
    late = sum(1 for h in headers if h["fristUeberschritten"])
    print(f"{len(headers)} Vorgänge nach {args.out} exportiert ({late} nach Ablauf der Frist).")
    return 0


def _status(args: argparse.Namespace) -> int:
    status = service.status(_dir(args))
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    print(f"Station {status['station_id']} der Gemeinde {status['tenant']}")
    print(f"  Weiterleitungsstelle: {status['relay_url']}")
    print(f"  abgeholt, noch nicht exportiert: {status['received']}")
    print(f"  exportiert: {status['exported']}")
    print(f"  abgewiesen: {status['refused']}")
    return 0
