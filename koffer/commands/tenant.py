"""``koffer backend tenant create|list|disable|station-token`` (a relay's tenants).

Registered by :mod:`koffer.commands.backend` under ``koffer backend``; it hands
in its option helper and the function that opens the back end, so that this
module does not import it back.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import timedelta

from koffer.backend.relay import RelayIntake
from koffer.backend.server import Backend
from koffer.errors import ConfigError

Opener = Callable[[argparse.Namespace], Backend]
Options = Callable[[argparse.ArgumentParser], None]


def _relay(backend: Backend) -> RelayIntake:
    relay = backend.relay
    if relay is None:
        raise ConfigError(
            "Dieses Datenverzeichnis ist keine Weiterleitungsstelle: Gemeinden gibt es nur "
            "dort (koffer backend init --relay). Die Gegenstelle einer einzelnen Gemeinde "
            "arbeitet wie bisher ohne »tenant«.",
            message_en="This data directory is not a relay (koffer backend init --relay).",
        )
    return relay


def register(
    bsub: argparse._SubParsersAction[argparse.ArgumentParser], options: Options, opener: Opener
) -> None:
    tenant = bsub.add_parser("tenant", help="Gemeinden einer Weiterleitungsstelle")
    tsub = tenant.add_subparsers(dest="tenant_command", metavar="BEFEHL", required=True)

    def create(args: argparse.Namespace) -> int:
        with opener(args) as backend:
            _relay(backend).create_tenant(args.name, args.gemeindeschluessel)
        print(f"Gemeinde {args.name} angelegt (Gemeindeschlüssel {args.gemeindeschluessel}).")
        return 0

    def listing(args: argparse.Namespace) -> int:
        with opener(args) as backend:
            tenants = _relay(backend).tenants()
        if args.json:
            print(json.dumps(tenants, ensure_ascii=False, indent=2))
            return 0
        for t in tenants:
            state = "gesperrt" if t["disabled"] else "aktiv"
            station = "Station eingerichtet" if t["station"] else "keine Station"
            print(
                f"{t['name']} ({t['gemeindeschluessel']}): {state}, {station}, "
                f"{t['devices']} Koffer"
            )
        return 0

    def disable(args: argparse.Namespace) -> int:
        with opener(args) as backend:
            _relay(backend).disable_tenant(args.name)
        print(f"Gemeinde {args.name} gesperrt: ihre Koffer und ihre Station werden abgewiesen.")
        return 0

    def station_token(args: argparse.Namespace) -> int:
        with opener(args) as backend:
            _relay(backend)
            token = backend.station_token(args.name, ttl=timedelta(hours=72))
        print(f"CA-Fingerabdruck (SHA-256, im Code enthalten): {token.ca_sha256}")
        print(f"Stationscode für die Gemeinde {args.name} (einmalig, 72 Stunden gültig):")
        print(token.encode())
        return 0

    p = tsub.add_parser("create", help="Gemeinde anlegen")
    options(p)
    p.add_argument("name")
    p.add_argument("--gemeindeschluessel", required=True, metavar="NNNNNNNN")
    p.set_defaults(func=create)

    p = tsub.add_parser("list", help="Gemeinden auflisten")
    options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=listing)

    p = tsub.add_parser("disable", help="Gemeinde sperren")
    options(p)
    p.add_argument("name")
    p.set_defaults(func=disable)

    p = tsub.add_parser("station-token", help="Einmal-Code für die Station der Gemeinde")
    options(p)
    p.add_argument("name")
    p.set_defaults(func=station_token)


def print_relay_stats(relay: RelayIntake, *, as_json: bool) -> int:
    stats = relay.relay_stats()
    if as_json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    for name, counts in stats["tenants"].items():
        print(
            f"Gemeinde {name}: {counts['received']} eingegangen, {counts['pulled']} von der "
            f"Station abgeholt, {counts['acknowledged']} bestätigt"
        )
    return 0
