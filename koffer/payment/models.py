"""Cash-book tables (on the store's shared ``Base``; migration ``0005_cashbook``).

``cashbook`` is append-only: one row per entry, never updated or deleted
(a correction is a new ``reversal`` row). Plain columns are non-personal
(case number, method, amount, the terminal's trace and receipt numbers);
``sealed`` holds what could say more (the terminal's masked card text and
card name, a waiver's reason), encrypted under the store
(``UnlockedStore.encrypt_secret``). ``cashbook_head`` keeps the newest
``seq`` and ``hash``, encrypted and authenticated, so a deleted or added
last row is found. ``card_intents`` holds one row per card authorization or
reversal, written and committed before the terminal is asked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from koffer.store.db import Base, UTCDateTime

#: card intent states
OPEN = "open"
APPROVED = "approved"
NOT_APPROVED = "not_approved"
INTENT_STATES = (OPEN, APPROVED, NOT_APPROVED)
#: what an intent asked the terminal for
PAYMENT = "payment"
REVERSAL = "reversal"


class CashBookRow(Base):
    __tablename__ = "cashbook"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_number: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    fee_id: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    trace: Mapped[int | None] = mapped_column(Integer, nullable=True)
    receipt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    #: canonical JSON of non-personal details (closing figures, reversed seq …)
    detail: Mapped[str] = mapped_column(Text)
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CashBookHead(Base):
    __tablename__ = "cashbook_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class CardIntent(Base):
    __tablename__ = "card_intents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_number: Mapped[str] = mapped_column(String(40))
    fee_id: Mapped[str] = mapped_column(String(80), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    #: "payment" (06 01) or "reversal" (06 30 of the card entry ``reverses_seq``)
    kind: Mapped[str] = mapped_column(String(16), default=PAYMENT)
    reverses_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the terminal's last transaction before this one (trace, receipt number)
    prior_trace: Mapped[int | None] = mapped_column(Integer, nullable=True)
    prior_receipt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    result_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the cash-book entry of an approved payment
    entry_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
