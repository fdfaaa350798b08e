"""``koffer cashbook``: the cash book of the suitcase (issue 22).

- ``cashbook list [--json]``: every entry and whether the hash chain is
  intact (``{"entries": [...], "chain_ok": true|false}``);
- ``cashbook close --counted-cash EUR [--json] [--print]``: the visit closing:
  counted against expected cash, the difference, the terminal's end-of-day
  totals; ``--print`` prints the Kassenabschluss on the A4 printer
  (``[devices.document_printer]``); the closing is then sealed into the
  outbox for the back end (:mod:`koffer.casework.cashbook_closing`; not
  enrolled: at the next closing);
- ``cashbook print NR``: the Kassenabschluss of closing entry NR again;
- ``cashbook settle``: settles open card intents with the configured
  terminal (``{"settled": N, "approved": N, "not_approved": N}``);
- ``cashbook reverse NR``: a correction: a new reversal entry for entry NR
  (a card payment is reversed on the terminal first, exactly once).

All commands unlock the store (``--account``, ``--passphrase-file``); the
card terminal is ``[devices.payment_terminal]`` of ``--config``
(``--simulate``: the simulated terminal).
"""

from __future__ import annotations

import argparse
import json
import sys

from koffer.casework.services import printer_from_config
from koffer.casework.visit_closing import close_visit, closing_pdf
from koffer.commands import common
from koffer.commands.unlock import unlocked
from koffer.config import Config
from koffer.documents.printing import print_document
from koffer.documents.settings import MunicipalitySettings
from koffer.payment.card import CardPayments, SettleReport
from koffer.payment.cashbook import CashBook, CashEntry
from koffer.payment.money import format_eur_de, parse_eur
from koffer.payment.terminal import configured_terminal, optional_terminal
from koffer.queue.settings import TransmissionSettings
from koffer.store.settings import StoreSettings

_METHODS_DE = {
    "cash": "Bar",
    "card": "Karte",
    "invoice": "Rechnung",
    "waived": "Erlassen",
    "reversal": "Storno",
    "closing": "Abschluss",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    book = sub.add_parser(
        "cashbook", help="Kassenbuch anzeigen, abschließen, Kartenzahlungen klären"
    )
    bsub = book.add_subparsers(dest="cashbook_command", metavar="BEFEHL", required=True)
    lst = bsub.add_parser("list", help="Einträge und Prüfung der Hash-Kette anzeigen")
    common.add_store_options(lst)
    lst.add_argument("--json", action="store_true", help="als JSON ausgeben")
    lst.set_defaults(func=_list)
    close = bsub.add_parser(
        "close", help="Kassenabschluss: Bargeld zählen, Terminal-Tagesabschluss"
    )
    common.add_store_options(close)
    close.add_argument(
        "--counted-cash", required=True, metavar="EUR", help="gezähltes Bargeld in Euro"
    )
    close.add_argument("--json", action="store_true", help="als JSON ausgeben")
    close.add_argument(
        "--simulate", action="store_true", help="simuliertes Kartenterminal (und Drucker)"
    )
    close.add_argument(
        "--print", dest="print_", action="store_true", help="Kassenabschluss auf A4 drucken"
    )
    close.set_defaults(func=_close)
    again = bsub.add_parser("print", help="einen Kassenabschluss noch einmal auf A4 drucken")
    common.add_store_options(again)
    again.add_argument("seq", type=int, metavar="NR", help="Nummer des Abschluss-Eintrags")
    again.add_argument("--simulate", action="store_true", help="simulierter Drucker")
    again.set_defaults(func=_print)
    settle = bsub.add_parser("settle", help="offene Kartenzahlungen mit dem Terminal klären")
    common.add_store_options(settle)
    settle.add_argument("--simulate", action="store_true", help="simuliertes Kartenterminal")
    settle.set_defaults(func=_settle)
    reverse = bsub.add_parser(
        "reverse", help="eine Zahlung stornieren (neuer Storno-Eintrag; Karte: am Terminal)"
    )
    common.add_store_options(reverse)
    reverse.add_argument("seq", type=int, metavar="NR", help="Nummer des Eintrags")
    reverse.add_argument("--json", action="store_true", help="als JSON ausgeben")
    reverse.add_argument("--simulate", action="store_true", help="simuliertes Kartenterminal")
    reverse.set_defaults(func=_reverse)


def _line(entry: CashEntry) -> str:
    method = _METHODS_DE.get(entry.method, entry.method)
    parts = [
        f"{entry.seq:>5}",
        entry.time.strftime("%d.%m.%Y %H:%M:%S"),
        f"{method:<9}",
        f"{format_eur_de(entry.amount_cents):>14}",
        entry.case_number or "-",
    ]
    if entry.trace is not None or entry.receipt is not None:
        parts.append(f"Trace {entry.trace} Beleg {entry.receipt}")
    return "  ".join(parts)


def _list(args: argparse.Namespace) -> int:
    config = common.config(args)
    with unlocked(args, StoreSettings.from_config(config)) as store:
        book = CashBook(store)
        entries = book.entries()
        check = book.check()
    if args.json:
        print(
            json.dumps(
                {"entries": [e.to_json() for e in entries], "chain_ok": check.ok},
                ensure_ascii=False,
            )
        )
    else:
        if not entries:
            print("Das Kassenbuch ist leer.")
        for entry in entries:
            print(_line(entry))
        if check.ok:
            print(f"Hash-Kette in Ordnung ({check.count} Einträge).")
        else:
            print("ACHTUNG: Das Kassenbuch wurde verändert:")
            for problem in check.problems:
                print(f"  Eintrag {problem.seq}: {problem.kind} ({problem.detail})")
    return 0 if check.ok else 1


def _close(args: argparse.Namespace) -> int:
    counted = parse_eur(args.counted_cash)
    config = common.config(args)
    transmission = TransmissionSettings.from_config(config)
    municipality = MunicipalitySettings.from_config(config)
    terminal = optional_terminal(config, simulate=args.simulate)
    with unlocked(args, StoreSettings.from_config(config)) as store:
        done = close_visit(store, counted, terminal=terminal, settings=transmission)
        closing, sealed = done.closing, done.sealed
        pdf = closing_pdf(CashBook(store), closing.entry.seq, municipality) if args.print_ else None
    if args.json:
        print(json.dumps({**closing.to_json(), "sealed": sealed is not None}, ensure_ascii=False))
    else:
        print("\n".join(closing.summary_de()))
        if sealed is None:
            print(
                "Der Koffer ist nicht eingerichtet: der Abschluss wird versiegelt, sobald er "
                "eingerichtet ist (bei der nächsten Anmeldung oder dem nächsten Abschluss)."
            )
        else:
            print("Der Abschluss liegt versiegelt im Postausgang (koffer sync).")
    if pdf is not None:
        _print_pdf(config, args.simulate, pdf, closing.entry.seq)
        if not args.json:
            print("Kassenabschluss gedruckt.")
    return 0


def _print_pdf(config: Config, simulate: bool, pdf: bytes, seq: int) -> None:
    printer = printer_from_config(config, simulate)()
    try:
        print_document(printer, pdf, f"Kassenabschluss {seq}")
    finally:
        printer.close()


def _print(args: argparse.Namespace) -> int:
    """``cashbook print NR``: the Kassenabschluss NR again (e.g. after a printer fault)."""
    config = common.config(args)
    municipality = MunicipalitySettings.from_config(config)
    with unlocked(args, StoreSettings.from_config(config)) as store:
        pdf = closing_pdf(CashBook(store), args.seq, municipality)
    _print_pdf(config, args.simulate, pdf, args.seq)
    print("Kassenabschluss gedruckt.")
    return 0


def _settle(args: argparse.Namespace) -> int:
    config = common.config(args)
    with unlocked(args, StoreSettings.from_config(config)) as store:
        payments = CardPayments(
            CashBook(store), configured_terminal(config, simulate=args.simulate)
        )
        try:
            report: SettleReport = payments.settle()
        finally:
            payments.terminal.close()
    print(json.dumps(report.to_json()))
    sys.stdout.flush()
    return 0


def _reverse(args: argparse.Namespace) -> int:
    config = common.config(args)
    with unlocked(args, StoreSettings.from_config(config)) as store:
        book = CashBook(store)
        original = next((e for e in book.entries() if e.seq == args.seq), None)
        if original is not None and original.method == "card":
            payments = CardPayments(book, configured_terminal(config, simulate=args.simulate))
            try:
                entry = payments.reverse(args.seq)
            finally:
                payments.terminal.close()
        else:
            entry = book.reverse(args.seq)
    if args.json:
        print(json.dumps(entry.to_json(), ensure_ascii=False))
    else:
        print(f"Storniert: Eintrag {args.seq}, neuer Eintrag {entry.seq}")
        print(_line(entry))
    return 0
