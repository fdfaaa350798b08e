"""Paying a case's fee, shared by ``koffer simulate-visit --pay`` (and the kiosk's step).

One fee per case: ``fee_amount`` of the case payload (EUR text, e.g.
"46.00"; ``fee_waived`` with a zero amount is a waived fee). The fee is
identified in the cash book as ``<case number>/fee``, so a fee is paid
once, whatever crashes in between (:mod:`koffer.payment.card`).

:class:`FeePayments` settles open card intents when it starts (the same
step every kiosk login runs), then pays each fee the chosen way: cash (the
exact amount), card (through the terminal) or invoice (transfer reference
= case number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from koffer.devices.interfaces import PaymentTerminal, Prompt
from koffer.payment import PaymentError
from koffer.payment.card import CardPayments, SettleReport
from koffer.payment.cashbook import CashBook
from koffer.payment.money import decimal_to_cents, format_eur
from koffer.store.unlocked import UnlockedStore

PayMethod = Literal["cash", "card", "invoice"]
PAY_METHODS: tuple[PayMethod, ...] = ("cash", "card", "invoice")


def fee_id(case_number: str) -> str:
    return f"{case_number}/fee"


def fee_cents(payload: Mapping[str, Any]) -> int | None:
    """The case's fee in cents; ``None`` without a fee (or with a waived one)."""
    raw = payload.get("fee_amount")
    if raw is None or payload.get("fee_waived"):
        return None
    try:
        cents = decimal_to_cents(Decimal(str(raw)))
    except (InvalidOperation, ValueError):
        return None
    return cents if cents > 0 else None


@dataclass
class PaymentCounts:
    """What the payments of one run did (non-personal: counts and sums)."""

    method: str
    settled: SettleReport = field(default_factory=SettleReport)
    paid: int = 0
    declined: int = 0
    amount_cents: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "paid": self.paid,
            "declined": self.declined,
            "amount": format_eur(self.amount_cents),
            "settled": self.settled.to_json(),
        }


class FeePayments:
    """Pays fees of one store one way.

    ``terminal`` is needed for card; with another method it only settles
    card intents an earlier run left open (a fee with an open card intent is
    not taken in cash or by invoice).
    """

    def __init__(
        self,
        store: UnlockedStore,
        method: PayMethod,
        terminal: PaymentTerminal | None = None,
        prompt: Prompt | None = None,
    ) -> None:
        if method == "card" and terminal is None:
            raise PaymentError(
                "Für Kartenzahlung ist kein Kartenterminal eingerichtet.",
                message_en="No card terminal is set up for card payments.",
            )
        self.book = CashBook(store)
        self.method = method
        self.prompt = prompt
        self.card = CardPayments(self.book, terminal) if terminal is not None else None
        self.pays_by_card = method == "card"
        self.counts = PaymentCounts(method)

    def start(self) -> SettleReport:
        """Settle open card intents before anything is paid."""
        if self.card is not None:
            self.counts.settled = self.card.settle()
        return self.counts.settled

    def pay(self, case_number: str, payload: Mapping[str, Any]) -> bool:
        """Pay the fee of the case (none: nothing to do); ``True`` when it is paid."""
        amount = fee_cents(payload)
        if amount is None:
            return False
        fid = fee_id(case_number)
        if self.book.paid(fid) is not None:
            return True
        if self.method == "cash":
            self.book.record_cash(case_number, fid, amount, given_cents=amount)
        elif self.method == "invoice":
            self.book.record_invoice(case_number, fid, amount)
        else:
            assert self.card is not None and self.pays_by_card
            outcome = self.card.pay(case_number, fid, amount, self.prompt)
            if not outcome.approved:
                self.counts.declined += 1
                return False
        self.counts.paid += 1
        self.counts.amount_cents += amount
        return True
