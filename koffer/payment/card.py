"""Card payments exactly once: intents written before the terminal is asked.

:meth:`CardPayments.pay`:

1. settles open intents first (:meth:`CardPayments.settle`) and refuses a
   fee the cash book shows as paid;
2. asks the terminal for its last transaction (``prior``: trace and receipt
   number), writes an intent row with it and **commits**;
3. sends the authorization; the outcome is recorded in **one** transaction
   with the cash-book entry (approved) or the intent's failure (declined);
4. if the terminal's answer is lost (link drop, timeout, crash of this
   process), the intent stays open.

:meth:`CardPayments.settle` reconnects, asks the terminal for its last
transaction (``06 20``: the last ``04 0F`` again, nothing printed) and
settles the newest open intent: the terminal's last transaction is this
payment when it differs from the intent's ``prior``, carries its amount,
is approved and is not in the cash book yet → a ``card`` entry; anything
else → not approved (the fee stays open). Older open intents (there is at
most one, as paying settles first) are not approved. Settling is
idempotent; a crash while settling is settled the next time.

:meth:`CardPayments.reverse` (a case abandoned after the card was charged,
with the clerk's confirmation) runs the same way: a ``reversal`` intent,
then ``06 30``; the reversal entry is booked with the outcome, or by
settling.

Assumption: no other cash register uses the terminal in between (the
suitcase's terminal is its own).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from koffer.devices.interfaces import PaymentResult, PaymentTerminal, Prompt, SilentPrompt
from koffer.errors import DeviceError
from koffer.payment import PaymentError
from koffer.payment.cashbook import CashBook, CashEntry, entry_from_row, reversed_seqs, utc_now
from koffer.payment.models import (
    APPROVED,
    NOT_APPROVED,
    OPEN,
    PAYMENT,
    REVERSAL,
    CardIntent,
    CashBookRow,
)
from koffer.payment.money import format_eur

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettleReport:
    settled: int = 0
    approved: int = 0
    not_approved: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "settled": self.settled,
            "approved": self.approved,
            "not_approved": self.not_approved,
        }

    def __add__(self, other: SettleReport) -> SettleReport:
        return SettleReport(
            self.settled + other.settled,
            self.approved + other.approved,
            self.not_approved + other.not_approved,
        )


@dataclass(frozen=True)
class CardOutcome:
    """How one card payment ended."""

    approved: bool
    entry: CashEntry | None
    #: the terminal's result (None when it was learnt by settling)
    result: PaymentResult | None
    #: German text for the clerk
    message: str
    receipt_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Intent:
    id: str
    case_number: str
    fee_id: str
    amount_cents: int
    state: str
    prior_trace: int | None
    prior_receipt: int | None
    entry_seq: int | None
    kind: str = PAYMENT
    reverses_seq: int | None = None


def _intent(row: CardIntent) -> Intent:
    return Intent(
        row.id,
        row.case_number,
        row.fee_id,
        row.amount_cents,
        row.state,
        row.prior_trace,
        row.prior_receipt,
        row.entry_seq,
        row.kind,
        row.reverses_seq,
    )


def is_this_payment(intent: Intent, last: PaymentResult | None) -> bool:
    """Pure: the terminal's last transaction is the one ``intent`` started."""
    if last is None or not last.approved:
        return False
    if (last.trace, last.receipt_number) == (intent.prior_trace, intent.prior_receipt):
        return False  # nothing happened on the terminal since the intent
    return last.amount_cents == intent.amount_cents


def _sealed_card(result: PaymentResult) -> dict[str, str | int | None]:
    # the terminal's own masked text, never more
    return {"masked_pan": result.masked_pan, "card_name": result.card_name}


def _lost() -> PaymentError:
    return PaymentError(
        "Die Verbindung zum Kartenterminal ist während der Zahlung abgebrochen. "
        "Ob die Zahlung ausgeführt wurde, wird beim erneuten Verbinden geprüft. "
        "Bitte kassieren Sie nicht noch einmal, bevor das geklärt ist.",
        message_en="The card terminal link broke during the payment; its outcome is "
        "checked on reconnecting. Do not charge again before that.",
    )


class CardPayments:
    """Card payments of one cash book through one terminal."""

    def __init__(
        self,
        book: CashBook,
        terminal: PaymentTerminal,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.book = book
        self.terminal = terminal
        self.clock = clock

    # ------------------------------------------------------------ intents

    def open_intents(self) -> list[Intent]:
        with self.book.store.transaction() as s:
            rows = s.scalars(
                select(CardIntent)
                .where(CardIntent.state == OPEN)
                .order_by(CardIntent.created_at, CardIntent.id)
            ).all()
            return [_intent(row) for row in rows]

    def intents(self) -> list[Intent]:
        with self.book.store.transaction() as s:
            rows = s.scalars(select(CardIntent).order_by(CardIntent.created_at)).all()
            return [_intent(row) for row in rows]

    def _ensure_open(self) -> None:
        if not self.terminal.is_open:
            self.terminal.open()

    def _write_intent(
        self,
        kind: str,
        case_number: str,
        fee_id: str,
        amount_cents: int,
        reverses_seq: int | None = None,
    ) -> str:
        """Ask the terminal for its last transaction, then write and commit the intent."""
        self._ensure_open()
        prior = self.terminal.last_transaction()
        intent_id = str(uuid.uuid4())
        now = self.clock()
        with self.book.store.transaction() as s:
            s.add(
                CardIntent(
                    id=intent_id,
                    created_at=now,
                    updated_at=now,
                    case_number=case_number,
                    fee_id=fee_id,
                    amount_cents=amount_cents,
                    state=OPEN,
                    kind=kind,
                    reverses_seq=reverses_seq,
                    prior_trace=None if prior is None else prior.trace,
                    prior_receipt=None if prior is None else prior.receipt_number,
                )
            )
        return intent_id

    def _matches(self, session: Session, row: CardIntent, last: PaymentResult | None) -> bool:
        """Settling: ``last`` is the terminal's answer to ``row`` and not booked yet."""
        if last is None or not is_this_payment(_intent(row), last):
            return False
        method = "card" if row.kind == PAYMENT else "reversal"
        booked = session.scalars(
            select(CashBookRow).where(
                CashBookRow.method == method,
                CashBookRow.terminal_id == (last.terminal_id or None),
                CashBookRow.trace == last.trace,
                CashBookRow.receipt == last.receipt_number,
            )
        ).first()
        if booked is not None:
            return False
        if row.kind == PAYMENT:
            return self.book.paid(row.fee_id, session=session) is None
        rows = session.scalars(select(CashBookRow).where(CashBookRow.fee_id == row.fee_id)).all()
        return row.reverses_seq not in reversed_seqs([entry_from_row(r) for r in rows])

    def _record(
        self, session: Session, row: CardIntent, result: PaymentResult | None, approved: bool
    ) -> CashEntry | None:
        """The intent's outcome and (approved) its cash-book entry, in ``session``."""
        entry = None
        if approved and result is not None:
            terminal_id = result.terminal_id or None
            if row.kind == REVERSAL:
                original = session.get(CashBookRow, row.reverses_seq)
                assert original is not None
                entry = self.book.append_reversal(
                    session,
                    entry_from_row(original),
                    trace=result.trace,
                    receipt=result.receipt_number,
                    terminal_id=terminal_id,
                )
            else:
                entry = self.book.append(
                    session,
                    method="card",
                    amount_cents=result.amount_cents,
                    case_number=row.case_number,
                    fee_id=row.fee_id,
                    trace=result.trace,
                    receipt=result.receipt_number,
                    terminal_id=terminal_id,
                    sealed=_sealed_card(result),
                )
            row.entry_seq = entry.seq
        row.state = APPROVED if approved else NOT_APPROVED
        row.result_code = None if result is None else result.result_code
        row.updated_at = self.clock()
        return entry

    # ------------------------------------------------------------ settling

    def settle(self) -> SettleReport:
        """Settle every open intent with the terminal's last transaction.

        Nothing to settle: the terminal is not contacted. A terminal that
        cannot be reached raises :class:`~koffer.errors.DeviceError` and the
        intents stay open (no new card payment until they are settled).
        """
        if not self.open_intents():
            return SettleReport()
        self._ensure_open()
        last = self.terminal.last_transaction()
        report = SettleReport()
        with self.book.store.transaction() as s:
            rows = s.scalars(
                select(CardIntent)
                .where(CardIntent.state == OPEN)
                .order_by(CardIntent.created_at.desc(), CardIntent.id)
            ).all()
            matched = False
            for row in rows:
                approved = not matched and self._matches(s, row, last)
                matched = matched or approved
                self._record(s, row, last if approved else None, approved)
                log.info(
                    "payment: method=%s amount=%s result=%s (settled)",
                    "card" if row.kind == PAYMENT else "reversal",
                    format_eur(row.amount_cents),
                    "approved" if approved else "not_approved",
                )
                report = report + SettleReport(1, int(approved), int(not approved))
        return report

    def _finish(self, intent_id: str, result: PaymentResult) -> CashEntry | None:
        with self.book.store.transaction() as s:
            row = s.get(CardIntent, intent_id)
            assert row is not None
            return self._record(s, row, result, result.approved)

    def _after_lost_answer(self, intent_id: str) -> tuple[bool, CashEntry | None]:
        """The terminal's answer was lost: settle now if the terminal can be reached."""
        try:
            self.terminal.close()
            self.settle()
        except DeviceError:
            raise _lost() from None
        with self.book.store.transaction() as s:
            row = s.get(CardIntent, intent_id)
            assert row is not None
            entry = None
            if row.entry_seq is not None:
                booked = s.get(CashBookRow, row.entry_seq)
                entry = None if booked is None else entry_from_row(booked)
            return row.state == APPROVED, entry

    # ------------------------------------------------------------ paying

    def pay(
        self,
        case_number: str,
        fee_id: str,
        amount_cents: int,
        prompt: Prompt | None = None,
    ) -> CardOutcome:
        """Take ``amount_cents`` for ``fee_id`` by card, exactly once."""
        if amount_cents <= 0:
            raise PaymentError(
                "Der Betrag muss größer als 0 sein.", message_en="The amount must be above 0."
            )
        self.settle()
        if self.book.paid(fee_id) is not None:
            raise PaymentError(
                "Diese Gebühr ist bereits bezahlt. Bitte nicht noch einmal kassieren.",
                message_en="This fee is already paid. Do not charge it again.",
            )
        intent_id = self._write_intent(PAYMENT, case_number, fee_id, amount_cents)
        # committed: from here on a crash leaves an open intent for settle()
        try:
            result = self.terminal.pay(amount_cents, prompt or SilentPrompt())
        except DeviceError:
            approved, entry = self._after_lost_answer(intent_id)
            message = "Zahlung erfolgreich." if approved else "Die Zahlung wurde nicht ausgeführt."
            return CardOutcome(approved, entry, None, message)
        entry = self._finish(intent_id, result)
        return CardOutcome(result.approved, entry, result, result.message, result.receipt_lines)

    # ------------------------------------------------------------ reversal

    def reverse(self, seq: int, prompt: Prompt | None = None) -> CashEntry:
        """Reverse card entry ``seq`` on the terminal (06 30), exactly once, and book it."""
        self.settle()
        with self.book.store.transaction() as s:
            original = self.book.reversible(seq, s)
        if original.method != "card" or original.receipt is None or original.fee_id is None:
            raise PaymentError(
                f"Eintrag {seq} ist keine Kartenzahlung.",
                message_en=f"Entry {seq} is not a card payment.",
            )
        intent_id = self._write_intent(
            REVERSAL, original.case_number or "", original.fee_id, original.amount_cents, seq
        )
        try:
            result = self.terminal.reverse(original.receipt, prompt or SilentPrompt())
        except DeviceError:
            approved, entry = self._after_lost_answer(intent_id)
        else:
            entry = self._finish(intent_id, result)
            approved = result.approved
        if not approved or entry is None:
            raise PaymentError(
                "Das Kartenterminal hat die Stornierung nicht ausgeführt.",
                message_en="The card terminal did not carry out the reversal.",
            )
        return entry
