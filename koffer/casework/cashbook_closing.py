"""The Kassenabschluss travels sealed to the back end, like a case (issue 22).

A visit closing (:meth:`koffer.payment.cashbook.CashBook.close`) is one
``closing`` entry of the cash book. :func:`seal_closings` seals every
closing that has no envelope yet into the outbox as an envelope of case type
:data:`CASE_TYPE`; its payload is the period's entries, each in the chain's
wire form (:func:`koffer.payment.chain.entry_to_wire`: every hashed field,
``prev_hash`` and ``hash``), from the first entry after the previous closing
up to and including the closing itself, whose ``detail`` holds the counted
and expected cash and the totals. The encrypted part of an entry (the
terminal's masked card text, a waiver's reason) stays on the suitcase; only
its SHA-256 travels, so the back end can recompute every hash.

Exactly once: the envelope's ``case_id`` is ``kassenabschluss-<seq>``; a
closing that has one is not sealed again. A closing recorded while the
suitcase is not enrolled (or a crash between closing and sealing) is sealed
by the next :func:`seal_closings`.

:func:`document_data` maps the entries to
:class:`koffer.documents.kassenabschluss.Kassenabschluss`, for the printout
at the suitcase and the back end's export alike.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from koffer.crypto.enrollment import DeviceCredentials
from koffer.documents.kassenabschluss import AbschlussLine, Kassenabschluss
from koffer.enrollment import device
from koffer.payment.cashbook import CashBook, CashEntry
from koffer.payment.chain import ChainedEntry, entry_to_wire
from koffer.queue.models import OutboxItem
from koffer.queue.outbox import Outbox, OutboxEntry
from koffer.queue.settings import TransmissionSettings
from koffer.store.unlocked import UnlockedStore

log = logging.getLogger(__name__)

#: the envelope's case type (the back end validates and checks it as such)
CASE_TYPE = "kassenabschluss"
SCHEMA_VERSION = 1


def case_id(seq: int) -> str:
    return f"{CASE_TYPE}-{seq}"


def case_number(seq: int) -> str:
    """The non-personal number the outbox shows for a closing."""
    return f"KA-{seq:06d}"


def period_of(entries: Sequence[CashEntry], closing: CashEntry) -> list[CashEntry]:
    """The entries after the previous closing up to and including ``closing``."""
    start = 0
    for index, entry in enumerate(entries):
        if entry.seq >= closing.seq:
            break
        if entry.method == "closing":
            start = index + 1
    return [e for e in entries[start:] if e.seq <= closing.seq]


def closing_document(entries: Sequence[CashEntry], closing: CashEntry) -> dict[str, object]:
    """The sealed payload of one closing (no personal data, no card data)."""
    period = period_of(entries, closing)
    return {
        "type": CASE_TYPE,
        "schema_version": SCHEMA_VERSION,
        "closing_seq": closing.seq,
        "entries": [entry_to_wire(e.chained()) for e in period],
    }


def _sealed_ids(store: UnlockedStore) -> set[str]:
    with store.transaction() as session:
        rows = session.scalars(
            select(OutboxItem.case_id).where(OutboxItem.case_type == CASE_TYPE)
        ).all()
    return set(rows)


def seal_closings(
    store: UnlockedStore,
    *,
    creds: DeviceCredentials | None = None,
    settings: TransmissionSettings | None = None,
) -> list[OutboxEntry] | None:
    """Seal every closing without an envelope; ``None`` when not enrolled."""
    identity = creds if creds is not None else device.load_credentials(store)
    if identity is None:
        return None
    entries = CashBook(store).entries()
    done = _sealed_ids(store)
    outbox = Outbox(store, settings)
    sealed: list[OutboxEntry] = []
    for entry in entries:
        if entry.method != "closing" or case_id(entry.seq) in done:
            continue
        sealed.append(
            outbox.seal_document(
                case_id=case_id(entry.seq),
                case_number=case_number(entry.seq),
                case_type=CASE_TYPE,
                document=closing_document(entries, entry),
                creds=identity,
                schema_version=SCHEMA_VERSION,
            )
        )
    if sealed:
        log.info("cashbook: method=closing result=sealed count=%d", len(sealed))
    return sealed


def _detail_int(entry: ChainedEntry, key: str) -> int | None:
    value = entry.fields.detail.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def document_data(
    period: Sequence[ChainedEntry],
    *,
    device: str = "",
    chain_findings: Sequence[str] | None = None,
) -> Kassenabschluss:
    """The printable Kassenabschluss of a period whose last entry is the closing."""
    if not period or period[-1].fields.method != "closing":
        raise ValueError("the period must end with its closing entry")
    closing = period[-1]
    terminal_result = _detail_int(closing, "terminal_result")
    closed_at: datetime = closing.fields.time
    return Kassenabschluss(
        closing_seq=closing.seq,
        closed_at=closed_at,
        counted_cents=_detail_int(closing, "counted_cents") or 0,
        expected_cents=_detail_int(closing, "expected_cents") or 0,
        card_total_cents=_detail_int(closing, "card_total_cents") or 0,
        invoice_total_cents=_detail_int(closing, "invoice_total_cents") or 0,
        terminal_total_cents=_detail_int(closing, "terminal_total_cents"),
        terminal_ok=None if terminal_result is None else terminal_result == 0,
        lines=[
            AbschlussLine(
                seq=e.seq,
                time=e.fields.time,
                method=e.fields.method,
                amount_cents=e.fields.amount_cents,
                case_number=e.fields.case_number,
            )
            for e in period[:-1]
        ],
        device=device,
        chain_findings=chain_findings,
        from_seq=_detail_int(closing, "from_seq"),
        to_seq=_detail_int(closing, "to_seq"),
    )
