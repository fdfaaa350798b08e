"""``koffer backend cashbook export --out DIR``: closings for the finance office.

Registered by :mod:`koffer.commands.backend` under ``koffer backend`` (it
hands in its option helper and the function that opens the back end). Per
received Kassenabschluss a CSV and a PDF, plus a flag file when the
back end found the cash book's chain broken
(:mod:`koffer.backend.cashbook_export`). ``--config`` gives the letterhead
(``[municipality]``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from koffer.backend.cashbook import ReceivedClosing
from koffer.backend.cashbook_export import export_closings
from koffer.backend.server import Backend
from koffer.casework.cashbook_closing import document_data
from koffer.commands import common
from koffer.documents import kassenabschluss
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import ConfigError

Opener = Callable[[argparse.Namespace], Backend]
Options = Callable[[argparse.ArgumentParser], None]


def register(
    bsub: argparse._SubParsersAction[argparse.ArgumentParser], options: Options, opener: Opener
) -> None:
    book = bsub.add_parser("cashbook", help="Kassenabschlüsse der Koffer")
    csub = book.add_subparsers(dest="cashbook_command", metavar="BEFEHL", required=True)
    exp = csub.add_parser(
        "export", help="Kassenabschlüsse als CSV und PDF für die Kasse exportieren"
    )
    options(exp)
    common.add_config(exp)
    exp.add_argument("--out", required=True, metavar="DIR", help="Zielverzeichnis (neu oder leer)")
    exp.add_argument(
        "--all",
        dest="everything",
        action="store_true",
        help="auch bereits exportierte Abschlüsse noch einmal schreiben",
    )
    exp.set_defaults(func=lambda args: _export(args, opener))


def _export(args: argparse.Namespace, opener: Opener) -> int:
    municipality = MunicipalitySettings.from_config(common.config(args))

    def render(closing: ReceivedClosing) -> bytes:
        data = document_data(
            closing.entries,
            device=closing.device_name,
            chain_findings=[f.text_de() for f in closing.findings],
        )
        return kassenabschluss.render(data, municipality=municipality)

    with opener(args) as backend:
        if backend.relay is not None:
            raise ConfigError(
                "Eine Weiterleitungsstelle hält Kassenabschlüsse nur versiegelt; sie werden "
                "an der Station der Gemeinde ausgewertet.",
                message_en="A relay holds cash-book closings sealed only.",
            )
        written = export_closings(
            backend.intake.sessions,
            backend.intake.keys.storage_key,
            Path(args.out),
            render,
            everything=args.everything,
        )
    broken = [w for w in written if not w.chain_ok]
    print(
        f"{len(written)} Kassenabschlüsse nach {args.out} exportiert"
        f" ({len(broken)} mit unterbrochener Hash-Kette)."
    )
    for item in broken:
        print(
            f"ACHTUNG: Kassenabschluss {item.closing_seq} von {item.device}: "
            "Hash-Kette unterbrochen oder verändert.",
            file=sys.stderr,
        )
    return 0
