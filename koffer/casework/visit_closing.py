"""The visit closing's steps, shared by ``koffer cashbook close`` and the kiosk.

:func:`close_visit` blocks on the store (and on the card terminal): settle
open card intents, run the terminal's end-of-day when one is configured,
record the closing in the cash book and seal it for the back end
(:func:`koffer.casework.cashbook_closing.seal_closings`). A broken hash
chain does not stop it: the back end flags the sealed period.
:func:`closing_pdf` renders the Kassenabschluss of one closing entry.
Nothing personal is logged (method, amount, result only).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from koffer.casework.cashbook_closing import document_data, period_of, seal_closings
from koffer.config import Config
from koffer.devices.interfaces import EndOfDayResult, PaymentTerminal, Prompt, SilentPrompt
from koffer.documents import kassenabschluss
from koffer.documents.settings import MunicipalitySettings
from koffer.payment import PaymentError
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook
from koffer.payment.chain import ChainCheck
from koffer.payment.entries import Closing, PeriodTotals, period_totals
from koffer.queue.outbox import OutboxEntry
from koffer.queue.settings import TransmissionSettings
from koffer.store.unlocked import UnlockedStore

log = logging.getLogger(__name__)


@dataclass
class VisitClosing:
    """What :func:`close_visit` did."""

    closing: Closing
    #: the envelopes sealed now; ``None`` when the suitcase is not enrolled
    sealed: list[OutboxEntry] | None
    #: the terminal's end-of-day; ``None`` without a Kartenterminal
    end_of_day: EndOfDayResult | None
    #: the hash chain was intact before the closing
    chain_ok: bool


@dataclass(frozen=True)
class OpenPeriod:
    """The cash book since the last closing: totals, entry count, chain state."""

    totals: PeriodTotals
    count: int
    chain: ChainCheck


def open_period(store: UnlockedStore) -> OpenPeriod:
    """What the next closing will cover (blocks; store lane)."""
    book = CashBook(store)
    entries = book.entries()
    totals = period_totals(entries)
    count = sum(1 for e in entries if e.seq >= totals.from_seq and e.method != "closing")
    return OpenPeriod(totals=totals, count=count, chain=book.check())


def printer_configured(config: Config, *, simulate: bool = False) -> bool:
    """Whether ``[devices.document_printer]`` names an A4 printer."""
    from koffer.devices.config import DeviceSettings
    from koffer.devices.interfaces import DeviceKind

    settings = DeviceSettings.from_config(config, simulate=simulate, validate=False)
    return settings.get(DeviceKind.DOCUMENT_PRINTER) is not None


def close_visit(
    store: UnlockedStore,
    counted_cents: int,
    *,
    terminal: PaymentTerminal | None,
    settings: TransmissionSettings | None = None,
    prompt: Prompt | None = None,
) -> VisitClosing:
    """Settle, end-of-day, record the closing, seal it (blocks; store lane)."""
    book = CashBook(store)
    chain_ok = book.check().ok
    day: EndOfDayResult | None = None
    try:
        if terminal is not None:
            CardPayments(book, terminal).settle()
            if not terminal.is_open:
                terminal.open()
            day = terminal.end_of_day(prompt if prompt is not None else SilentPrompt())
    finally:
        if terminal is not None:
            terminal.close()
    closing = book.close(
        counted_cents,
        terminal_total_cents=None if day is None else day.total_cents,
        terminal_result=None if day is None else day.result_code,
        terminal_trace=None if day is None else day.trace,
    )
    log.info(
        "cashbook: method=closing amount=%d result=%s",
        closing.counted_cents,
        "recorded" if chain_ok else "recorded_chain_broken",
    )
    sealed = seal_closings(store, settings=settings)
    return VisitClosing(closing=closing, sealed=sealed, end_of_day=day, chain_ok=chain_ok)


def closing_pdf(book: CashBook, seq: int, municipality: MunicipalitySettings) -> bytes:
    """The Kassenabschluss of closing entry ``seq`` as PDF."""
    entries = book.entries()
    closing = next((e for e in entries if e.seq == seq and e.method == "closing"), None)
    if closing is None:
        raise PaymentError(
            f"Eintrag {seq} ist kein Kassenabschluss.",
            message_en=f"Entry {seq} is not a cash-book closing.",
        )
    period = period_of(entries, closing)
    return kassenabschluss.render(
        document_data([e.chained() for e in period]), municipality=municipality
    )
