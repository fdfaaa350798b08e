"""The cash book's values: one entry, a closing, period totals (pure, no store).

:class:`~koffer.payment.cashbook.CashBook` reads and writes them; the
commands and the kiosk show them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from koffer.payment.chain import (
    ChainedEntry,
    DetailValue,
    EntryFields,
    format_time,
)
from koffer.payment.models import CashBookRow
from koffer.payment.money import format_eur, format_eur_de


@dataclass(frozen=True)
class CashEntry:
    """One cash-book entry as the store holds it (no ORM object leaves)."""

    seq: int
    time: datetime
    method: str
    amount_cents: int
    case_number: str | None
    fee_id: str | None
    trace: int | None
    receipt: int | None
    terminal_id: str | None
    detail: Mapping[str, DetailValue]
    sealed: bytes | None
    prev_hash: str
    hash: str

    def fields(self) -> EntryFields:
        return EntryFields(
            seq=self.seq,
            time=self.time,
            method=self.method,
            amount_cents=self.amount_cents,
            case_number=self.case_number,
            fee_id=self.fee_id,
            trace=self.trace,
            receipt=self.receipt,
            terminal_id=self.terminal_id,
            detail=self.detail,
            sealed_sha256=hashlib.sha256(self.sealed).hexdigest() if self.sealed else "",
        )

    def chained(self) -> ChainedEntry:
        return ChainedEntry(self.fields(), self.prev_hash, self.hash)

    def to_json(self) -> dict[str, Any]:
        """The ``koffer cashbook list --json`` form (no personal data)."""
        return {
            "seq": self.seq,
            "time": format_time(self.time),
            "case_number": self.case_number,
            "fee_id": self.fee_id,
            "method": self.method,
            "amount": format_eur(self.amount_cents),
            "trace": self.trace,
            "receipt": self.receipt,
            "terminal_id": self.terminal_id,
            "detail": dict(self.detail),
        }


def detail_from_text(text: str) -> dict[str, DetailValue]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"unreadable": text[:64]}
    if not isinstance(value, dict):
        return {"unreadable": text[:64]}
    return {
        str(k): v if isinstance(v, str | int) or v is None else str(v) for k, v in value.items()
    }


def detail_text(detail: Mapping[str, DetailValue]) -> str:
    return json.dumps(dict(detail), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def entry_from_row(row: CashBookRow) -> CashEntry:
    return CashEntry(
        seq=row.seq,
        time=row.at,
        method=row.method,
        amount_cents=row.amount_cents,
        case_number=row.case_number,
        fee_id=row.fee_id,
        trace=row.trace,
        receipt=row.receipt,
        terminal_id=row.terminal_id,
        detail=detail_from_text(row.detail),
        sealed=row.sealed,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@dataclass(frozen=True)
class Closing:
    """What a visit closing found (all amounts in cents)."""

    entry: CashEntry
    counted_cents: int
    expected_cents: int
    card_total_cents: int
    invoice_total_cents: int
    terminal_total_cents: int | None
    terminal_ok: bool | None

    @property
    def difference_cents(self) -> int:
        return self.counted_cents - self.expected_cents

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.entry.seq,
            "counted_cash": format_eur(self.counted_cents),
            "expected_cash": format_eur(self.expected_cents),
            "difference": format_eur(self.difference_cents),
            "card_total": format_eur(self.card_total_cents),
            "invoice_total": format_eur(self.invoice_total_cents),
            "terminal_total": (
                None if self.terminal_total_cents is None else format_eur(self.terminal_total_cents)
            ),
            "terminal_ok": self.terminal_ok,
        }

    def summary_de(self) -> list[str]:
        lines = [
            f"Kassenabschluss (Eintrag {self.entry.seq})",
            f"  Bargeld gezählt:  {format_eur_de(self.counted_cents)}",
            f"  Bargeld erwartet: {format_eur_de(self.expected_cents)}",
            f"  Differenz:        {format_eur_de(self.difference_cents)}",
            f"  Kartenzahlungen:  {format_eur_de(self.card_total_cents)}",
            f"  Auf Rechnung:     {format_eur_de(self.invoice_total_cents)}",
        ]
        if self.terminal_total_cents is None:
            lines.append("  Kartenterminal:   kein Tagesabschluss")
        else:
            state = "in Ordnung" if self.terminal_ok else "FEHLGESCHLAGEN"
            lines.append(
                f"  Kartenterminal:   {format_eur_de(self.terminal_total_cents)} ({state})"
            )
        return lines


@dataclass(frozen=True)
class PeriodTotals:
    """Sums since the last closing, by method (reversals counted to their method)."""

    from_seq: int
    to_seq: int
    totals: dict[str, int] = field(default_factory=dict)

    def of(self, method: str) -> int:
        return self.totals.get(method, 0)


def period_totals(entries: list[CashEntry]) -> PeriodTotals:
    """Pure: the totals of the entries after the newest closing."""
    start = 0
    for index, entry in enumerate(entries):
        if entry.method == "closing":
            start = index + 1
    period = entries[start:]
    totals: dict[str, int] = {}
    for entry in period:
        if entry.method == "closing":
            continue
        method = entry.method
        if method == "reversal":
            method = str(entry.detail.get("reverses_method") or "reversal")
        totals[method] = totals.get(method, 0) + entry.amount_cents
    first = period[0].seq if period else (entries[-1].seq + 1 if entries else 1)
    last = period[-1].seq if period else first - 1
    return PeriodTotals(first, last, totals)


def reversed_seqs(entries: list[CashEntry]) -> set[int]:
    """Pure: the seqs that a reversal entry takes back."""
    found: set[int] = set()
    for entry in entries:
        target = entry.detail.get("reverses")
        if entry.method == "reversal" and isinstance(target, int):
            found.add(target)
    return found
