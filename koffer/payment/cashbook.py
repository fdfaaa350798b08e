"""The append-only cash book in the encrypted store.

Every entry is one row of ``cashbook`` (:mod:`koffer.payment.models`),
chained to the one before by SHA-256 (:mod:`koffer.payment.chain`); rows
are only ever added. A correction is a new ``reversal`` entry with the
negative amount that names the entry it takes back (``detail.reverses``).
The head (newest seq and hash) is kept encrypted and authenticated under
the store in ``cashbook_head``, written in the same transaction as the row,
so :meth:`CashBook.check` also finds a deleted or added last row.

Plain columns carry no personal data; the terminal's masked card text, the
card name and a waiver's reason go into the encrypted ``sealed`` column.
Logging: method, amount and result only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from koffer.errors import CryptoError
from koffer.payment import PaymentError
from koffer.payment.chain import (
    GENESIS,
    PAYING_METHODS,
    ChainCheck,
    ChainHead,
    ChainProblem,
    DetailValue,
    EntryFields,
    chain,
    verify_chain,
)
from koffer.payment.entries import (
    CashEntry,
    Closing,
    PeriodTotals,
    detail_text,
    entry_from_row,
    period_totals,
    reversed_seqs,
)
from koffer.payment.models import OPEN, CardIntent, CashBookHead, CashBookRow
from koffer.payment.money import format_eur
from koffer.store.unlocked import UnlockedStore

__all__ = [
    "CashBook",
    "CashEntry",
    "Closing",
    "PeriodTotals",
    "entry_from_row",
    "period_totals",
    "reversed_seqs",
    "utc_now",
]

log = logging.getLogger(__name__)

SEALED_PURPOSE = "cashbook-sealed"
HEAD_PURPOSE = "cashbook-head"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _tampered() -> PaymentError:
    return PaymentError(
        "Das Kassenbuch wurde außerhalb der Software verändert; es werden keine Einträge "
        "mehr angenommen. Bitte wenden Sie sich an die Technik (koffer cashbook list).",
        message_en="The cash book was altered outside the software; no more entries are "
        "accepted. Please contact technical support (koffer cashbook list).",
    )


class CashBook:
    """The cash book of one unlocked store."""

    def __init__(self, store: UnlockedStore, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    # ---------------------------------------------------------- sessions

    @contextmanager
    def _session(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            yield session
        else:
            with self.store.transaction() as own:
                yield own

    # ---------------------------------------------------------- reading

    def entries(self, *, session: Session | None = None) -> list[CashEntry]:
        """Every entry in storage order."""
        with self._session(session) as s:
            rows = s.scalars(select(CashBookRow).order_by(CashBookRow.seq)).all()
            return [entry_from_row(row) for row in rows]

    def _head(self, session: Session) -> ChainHead | None:
        """The authenticated head; ``None`` if it is missing or altered."""
        row = session.get(CashBookHead, 1)
        if row is None:
            return None
        try:
            value = json.loads(self.store.decrypt_secret(HEAD_PURPOSE, row.blob))
            return ChainHead(int(value["seq"]), str(value["hash"]))
        except (CryptoError, ValueError, KeyError, TypeError):
            return None

    def check(self, *, session: Session | None = None) -> ChainCheck:
        """:func:`~koffer.payment.chain.verify_chain` with the stored head."""
        with self._session(session) as s:
            entries = self.entries(session=s)
            head = self._head(s)
            has_head = s.get(CashBookHead, 1) is not None
        check = verify_chain([e.chained() for e in entries], head or ChainHead())
        if head is None and has_head:
            problem = ChainProblem(0, "head", "the stored head was altered")
            return ChainCheck((*check.problems, problem), check.count)
        return check

    def open_sealed(self, entry: CashEntry) -> dict[str, Any]:
        """The encrypted part of ``entry`` (masked card text, reason), checked."""
        if entry.sealed is None:
            return {}
        value = json.loads(self.store.decrypt_secret(SEALED_PURPOSE, entry.sealed))
        if not isinstance(value, dict) or value.get("seq") != entry.seq:
            raise PaymentError(
                "Ein Kassenbucheintrag ist beschädigt.",
                message_en="A cash-book entry is damaged.",
            )
        return value

    def paid(self, fee_id: str, *, session: Session | None = None) -> CashEntry | None:
        """The entry that pays ``fee_id`` and is not reversed, if any."""
        with self._session(session) as s:
            rows = s.scalars(
                select(CashBookRow).where(CashBookRow.fee_id == fee_id).order_by(CashBookRow.seq)
            ).all()
            entries = [entry_from_row(row) for row in rows]
        taken_back = reversed_seqs(entries)
        for entry in reversed(entries):
            if entry.method in PAYING_METHODS and entry.seq not in taken_back:
                return entry
        return None

    # ---------------------------------------------------------- writing

    def _next_link(self, session: Session) -> tuple[int, str]:
        """The seq and prev_hash of the next entry: from the authenticated head.

        A row deleted or added behind the head's back stays visible to
        :meth:`check` (the new entry links to the head, not to the rows);
        a head that is missing or altered while rows exist stops the book.
        """
        last = session.scalars(select(CashBookRow).order_by(CashBookRow.seq.desc())).first()
        if session.get(CashBookHead, 1) is None:
            if last is not None:
                raise _tampered()
            return 1, GENESIS
        head = self._head(session)
        if head is None:
            raise _tampered()
        return max(head.seq, 0 if last is None else last.seq) + 1, head.hash

    def append(
        self,
        session: Session,
        *,
        method: str,
        amount_cents: int,
        case_number: str | None = None,
        fee_id: str | None = None,
        trace: int | None = None,
        receipt: int | None = None,
        terminal_id: str | None = None,
        detail: Mapping[str, DetailValue] | None = None,
        sealed: Mapping[str, str | int | None] | None = None,
    ) -> CashEntry:
        """Add one entry inside ``session`` (the caller's transaction)."""
        seq, prev = self._next_link(session)
        blob = None
        if sealed is not None:
            plain = json.dumps({**sealed, "seq": seq}, sort_keys=True, ensure_ascii=False)
            blob = self.store.encrypt_secret(SEALED_PURPOSE, plain.encode("utf-8"))
        at = self.clock()
        fields = EntryFields(
            seq=seq,
            time=at,
            method=method,
            amount_cents=amount_cents,
            case_number=case_number,
            fee_id=fee_id,
            trace=trace,
            receipt=receipt,
            terminal_id=terminal_id,
            detail=dict(detail or {}),
            sealed_sha256=hashlib.sha256(blob).hexdigest() if blob else "",
        )
        linked = chain(fields, prev)
        row = CashBookRow(
            seq=seq,
            at=at,
            case_number=case_number,
            fee_id=fee_id,
            method=method,
            amount_cents=amount_cents,
            trace=trace,
            receipt=receipt,
            terminal_id=terminal_id,
            detail=detail_text(fields.detail),
            sealed=blob,
            prev_hash=prev,
            hash=linked.hash,
        )
        session.add(row)
        head = json.dumps({"seq": seq, "hash": linked.hash}).encode()
        head_blob = self.store.encrypt_secret(HEAD_PURPOSE, head)
        head_row = session.get(CashBookHead, 1)
        if head_row is None:
            session.add(CashBookHead(id=1, blob=head_blob))
        else:
            head_row.blob = head_blob
        session.flush()
        log.info("cashbook: method=%s amount=%s result=recorded", method, format_eur(amount_cents))
        return entry_from_row(row)

    def _require_unpaid(self, fee_id: str, session: Session) -> None:
        if self.paid(fee_id, session=session) is not None:
            raise PaymentError(
                "Diese Gebühr ist bereits bezahlt. Bitte nicht noch einmal kassieren.",
                message_en="This fee is already paid. Do not charge it again.",
            )
        open_card = session.scalars(
            select(CardIntent).where(CardIntent.fee_id == fee_id, CardIntent.state == OPEN)
        ).first()
        if open_card is not None:
            raise PaymentError(
                "Eine Kartenzahlung dieser Gebühr ist noch ungeklärt. Bitte klären Sie sie "
                "zuerst mit dem Kartenterminal (koffer cashbook settle), dann nicht noch "
                "einmal kassieren, wenn sie ausgeführt wurde.",
                message_en="A card payment of this fee is still unsettled. Settle it with the "
                "card terminal first (koffer cashbook settle).",
            )

    @staticmethod
    def _positive(amount_cents: int) -> None:
        if amount_cents <= 0:
            raise PaymentError(
                "Der Betrag muss größer als 0 sein.", message_en="The amount must be above 0."
            )

    def record_cash(
        self, case_number: str, fee_id: str, amount_cents: int, *, given_cents: int | None = None
    ) -> CashEntry:
        """Cash received; ``given_cents`` (what the citizen handed over) gives the change."""
        self._positive(amount_cents)
        detail: dict[str, DetailValue] = {}
        if given_cents is not None:
            if given_cents < amount_cents:
                raise PaymentError(
                    "Der gegebene Betrag reicht nicht.",
                    message_en="The amount given is not enough.",
                )
            detail = {"given_cents": given_cents, "change_cents": given_cents - amount_cents}
        with self.store.transaction() as s:
            self._require_unpaid(fee_id, s)
            return self.append(
                s,
                method="cash",
                amount_cents=amount_cents,
                case_number=case_number,
                fee_id=fee_id,
                detail=detail,
            )

    def record_invoice(self, case_number: str, fee_id: str, amount_cents: int) -> CashEntry:
        """Paid by invoice: the transfer reference is the case number."""
        self._positive(amount_cents)
        with self.store.transaction() as s:
            self._require_unpaid(fee_id, s)
            return self.append(
                s,
                method="invoice",
                amount_cents=amount_cents,
                case_number=case_number,
                fee_id=fee_id,
                detail={"transfer_reference": case_number},
            )

    def record_waived(
        self, case_number: str, fee_id: str, amount_cents: int, reason: str
    ) -> CashEntry:
        """Fee waived (amount 0 in the book, the waived amount in detail; reason sealed)."""
        if not reason.strip():
            raise PaymentError(
                "Bitte geben Sie den Grund für den Gebührenerlass an.",
                message_en="Please give the reason for waiving the fee.",
            )
        with self.store.transaction() as s:
            self._require_unpaid(fee_id, s)
            return self.append(
                s,
                method="waived",
                amount_cents=0,
                case_number=case_number,
                fee_id=fee_id,
                detail={"waived_cents": amount_cents},
                sealed={"reason": reason},
            )

    def reverse(self, seq: int, *, session: Session | None = None) -> CashEntry:
        """Take back entry ``seq`` (cash, invoice, waived) with a new reversal entry.

        Card payments are reversed on the terminal first
        (:meth:`koffer.payment.card.CardPayments.reverse`).
        """
        with self._session(session) as s:
            original = self.reversible(seq, s)
            if original.method == "card":
                raise PaymentError(
                    "Eine Kartenzahlung wird am Kartenterminal storniert.",
                    message_en="A card payment is reversed on the card terminal.",
                )
            return self.append_reversal(s, original)

    def reversible(self, seq: int, session: Session) -> CashEntry:
        row = session.get(CashBookRow, seq)
        if row is None or row.method not in PAYING_METHODS:
            raise PaymentError(
                f"Eintrag {seq} ist keine Zahlung, die storniert werden kann.",
                message_en=f"Entry {seq} is not a payment that can be reversed.",
            )
        original = entry_from_row(row)
        siblings = session.scalars(
            select(CashBookRow).where(
                CashBookRow.method == "reversal", CashBookRow.fee_id == row.fee_id
            )
        ).all()
        if seq in reversed_seqs([entry_from_row(r) for r in siblings]):
            raise PaymentError(
                f"Eintrag {seq} ist bereits storniert.",
                message_en=f"Entry {seq} is already reversed.",
            )
        return original

    def append_reversal(
        self,
        session: Session,
        original: CashEntry,
        *,
        trace: int | None = None,
        receipt: int | None = None,
        terminal_id: str | None = None,
    ) -> CashEntry:
        return self.append(
            session,
            method="reversal",
            amount_cents=-original.amount_cents,
            case_number=original.case_number,
            fee_id=original.fee_id,
            trace=trace,
            receipt=receipt,
            terminal_id=terminal_id,
            detail={"reverses": original.seq, "reverses_method": original.method},
        )

    def totals(self) -> PeriodTotals:
        return period_totals(self.entries())

    def close(
        self,
        counted_cents: int,
        *,
        terminal_total_cents: int | None = None,
        terminal_result: int | None = None,
        terminal_trace: int | None = None,
    ) -> Closing:
        """Record the visit closing: counted against expected cash, terminal totals."""
        if counted_cents < 0:
            raise PaymentError(
                "Der gezählte Bargeldbetrag darf nicht negativ sein.",
                message_en="The counted cash must not be negative.",
            )
        with self.store.transaction() as s:
            period = period_totals(self.entries(session=s))
            expected = period.of("cash")
            detail: dict[str, DetailValue] = {
                "counted_cents": counted_cents,
                "expected_cents": expected,
                "difference_cents": counted_cents - expected,
                "card_total_cents": period.of("card"),
                "invoice_total_cents": period.of("invoice"),
                "from_seq": period.from_seq,
                "to_seq": period.to_seq,
                "terminal_total_cents": terminal_total_cents,
                "terminal_result": terminal_result,
                "terminal_trace": terminal_trace,
            }
            entry = self.append(s, method="closing", amount_cents=counted_cents, detail=detail)
        return Closing(
            entry=entry,
            counted_cents=counted_cents,
            expected_cents=expected,
            card_total_cents=period.of("card"),
            invoice_total_cents=period.of("invoice"),
            terminal_total_cents=terminal_total_cents,
            terminal_ok=None if terminal_result is None else terminal_result == 0,
        )
