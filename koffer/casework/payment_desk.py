"""The payment step of a case, for the kiosk (no Qt): one fee, four ways.

Every function blocks on the store (and, for card, on the terminal): the
kiosk runs them on its store lane. The fee is the one of
:mod:`koffer.casework.payment` (``<case number>/fee`` in the cash book), so
a fee is paid once whatever the screen does: the cash book refuses a second
payment (:class:`~koffer.payment.PaymentError`), and a card payment whose
outcome is open is settled with the terminal before anything else is taken.

- :func:`status`: settle open card intents (when a terminal is there), then
  the entry that pays the fee, if any;
- :func:`pay_cash` (amount given → change), :func:`pay_invoice` (transfer
  reference = Vorgangsnummer), :func:`waive` (reason required),
  :func:`pay_card` (through :class:`~koffer.payment.card.CardPayments`);
- :func:`payment_note`: what the case's documents say about the payment.
"""

from __future__ import annotations

from dataclasses import dataclass

from koffer.casework.payment import fee_id
from koffer.devices.interfaces import PaymentTerminal, Prompt
from koffer.documents.antragsquittung import PaymentNote
from koffer.payment.card import CardOutcome, CardPayments, SettleReport
from koffer.payment.cashbook import CashBook, CashEntry
from koffer.store.unlocked import UnlockedStore


@dataclass(frozen=True)
class FeeStatus:
    """The fee's state after settling: the paying entry (``None``: open)."""

    paid: CashEntry | None
    settled: SettleReport


def settle(store: UnlockedStore, terminal: PaymentTerminal | None) -> SettleReport:
    """Settle open card intents (the step of every login); nothing without a terminal."""
    if terminal is None:
        return SettleReport()
    return CardPayments(CashBook(store), terminal).settle()


def status(store: UnlockedStore, case_number: str, terminal: PaymentTerminal | None) -> FeeStatus:
    report = settle(store, terminal)
    return FeeStatus(CashBook(store).paid(fee_id(case_number)), report)


def pay_cash(
    store: UnlockedStore, case_number: str, amount_cents: int, given_cents: int
) -> CashEntry:
    return CashBook(store).record_cash(
        case_number, fee_id(case_number), amount_cents, given_cents=given_cents
    )


def pay_invoice(store: UnlockedStore, case_number: str, amount_cents: int) -> CashEntry:
    return CashBook(store).record_invoice(case_number, fee_id(case_number), amount_cents)


def waive(store: UnlockedStore, case_number: str, amount_cents: int, reason: str) -> CashEntry:
    return CashBook(store).record_waived(case_number, fee_id(case_number), amount_cents, reason)


def pay_card(
    store: UnlockedStore,
    terminal: PaymentTerminal,
    case_number: str,
    amount_cents: int,
    prompt: Prompt,
) -> CardOutcome:
    return CardPayments(CashBook(store), terminal).pay(
        case_number, fee_id(case_number), amount_cents, prompt
    )


def note_of(entry: CashEntry) -> PaymentNote:
    """The document line of a paying cash-book entry (nothing of the card)."""
    amount = entry.amount_cents
    if entry.method == "waived":
        waived = entry.detail.get("waived_cents")
        amount = waived if isinstance(waived, int) else 0
    reference = entry.case_number if entry.method == "invoice" else None
    return PaymentNote(entry.method, amount, reference)


def payment_note(store: UnlockedStore, case_number: str) -> PaymentNote | None:
    entry = CashBook(store).paid(fee_id(case_number))
    return None if entry is None else note_of(entry)
