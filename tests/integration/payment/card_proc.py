"""Card-paying processes for the kill -9 test, forked from one warm parent.

Usage: ``python -m tests.integration.payment.card_proc DATA_DIR PORT FEES``

The parent imports everything once (and configures the ORM), prints ``zygote``, then forks one child
per ``go`` line on stdin (after reaping the one before: it was killed or
finished) and prints ``forked <pid>``. Each child opens and unlocks the
store, builds the card terminal from a configuration (``type = "zvt"`` on
``127.0.0.1:PORT``, through the device registry), settles open intents and
prints ``ready <pid>``; then it pays fee after fee (fee ``i`` costs
``1000 + i`` cents, so each approved payment on the terminal names its fee)
by card, printing ``paid <i>`` after each, and ``done`` when every fee is
paid; every fee :func:`reverses` names is reversed on the terminal once
after it is paid, then paid again. The test
kills children with SIGKILL at random moments.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from koffer.config import Config
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook
from koffer.payment.terminal import configured_terminal
from koffer.store import Store, StoreSettings

PASS = "kill-passphrase"


def fee_amount(index: int) -> int:
    return 1000 + index


def reverses(index: int) -> bool:
    """Fees whose first card payment is reversed (and then paid again)."""
    return index % 4 == 1


def _reversed_once(card: CardPayments, fee: str) -> bool:
    return any(e.method == "reversal" and e.fee_id == fee for e in card.book.entries())


def config(port: int) -> Config:
    table = {"type": "zvt", "host": "127.0.0.1", "port": port, "password": "000000"}
    return Config({"devices": {"payment_terminal": {**table, "reply_timeout": 3.0}}})


def child(data_dir: Path, port: int, fees: int) -> None:
    store = Store.open(data_dir, StoreSettings.insecure_fast())
    unlocked = store.unlock("admin", PASS)
    card = CardPayments(CashBook(unlocked), configured_terminal(config(port)))
    card.settle()
    print(f"ready {os.getpid()}", flush=True)
    for index in range(fees):
        fee = f"2026-{index:06d}/fee"
        paid = card.book.paid(fee)
        if paid is None:
            outcome = card.pay(f"2026-{index:06d}", fee, fee_amount(index))
            print(f"{'paid' if outcome.approved else 'declined'} {index}", flush=True)
            paid = outcome.entry
        if paid is not None and reverses(index) and not _reversed_once(card, fee):
            card.reverse(paid.seq)  # the case was abandoned: once per such fee
            print(f"reversed {index}", flush=True)
            outcome = card.pay(f"2026-{index:06d}", fee, fee_amount(index))
            print(f"{'paid' if outcome.approved else 'declined'} {index}", flush=True)
    print("done", flush=True)


def warm_up(data_dir: Path) -> None:
    """Configure the ORM mappers once, here, so that children start quickly.

    Every connection is closed again before anything is forked.
    """
    with Store.open(data_dir, StoreSettings.insecure_fast()) as store:
        with store.unlock("admin", PASS) as unlocked:
            book = CashBook(unlocked)
            book.entries()
            book.paid("warm-up")
            book.check()


def main(data_dir: Path, port: int, fees: int) -> None:
    warm_up(data_dir)
    print("zygote", flush=True)
    previous = 0
    for line in sys.stdin:
        if line.strip() != "go":
            break
        if previous:
            os.waitpid(previous, 0)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                child(data_dir, port, fees)
            except BaseException as exc:  # reported, the test fails on it
                print(f"error {type(exc).__name__}: {exc}", flush=True)
                code = 1
            finally:
                os._exit(code)
        previous = pid
        print(f"forked {pid}", flush=True)
    if previous:
        os.waitpid(previous, 0)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
