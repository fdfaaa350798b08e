"""The cash book's hash chain: canonical encoding and verification. Pure.

Each entry carries ``prev_hash`` (the hash of the entry before it, or
:data:`GENESIS` for the first) and ``hash``: SHA-256 over the canonical
encoding of its own fields and ``prev_hash``. The canonical encoding is
JSON with sorted keys, no insignificant white space and ASCII escapes, of

``{"v", "seq", "time", "case_number", "fee_id", "method", "amount_cents",
"trace", "receipt", "terminal_id", "detail", "sealed_sha256", "prev_hash"}``

(``time`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC; ``sealed_sha256`` the
SHA-256 of the encrypted part, empty without one). Changing any field of
any row changes its hash; deleting, inserting or reordering rows breaks the
sequence numbers and the links. A deleted or added *last* row is found by
comparing with the head (the newest ``seq`` and ``hash``), which the store
keeps encrypted and authenticated apart from the rows
(:mod:`koffer.payment.cashbook`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Method = Literal["cash", "card", "invoice", "waived", "reversal", "closing"]
METHODS: tuple[Method, ...] = ("cash", "card", "invoice", "waived", "reversal", "closing")
#: methods that pay a fee (a reversal takes one back)
PAYING_METHODS: frozenset[str] = frozenset({"cash", "card", "invoice", "waived"})

GENESIS = "0" * 64
FORMAT_VERSION = 1

DetailValue = str | int | None


def format_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("only timezone-aware times")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class EntryFields:
    """What an entry says (without its chain links)."""

    seq: int
    time: datetime
    method: str
    amount_cents: int
    case_number: str | None = None
    fee_id: str | None = None
    trace: int | None = None
    receipt: int | None = None
    terminal_id: str | None = None
    detail: Mapping[str, DetailValue] = field(default_factory=dict)
    #: SHA-256 (hex) of the encrypted part of the row, "" without one
    sealed_sha256: str = ""


@dataclass(frozen=True)
class ChainedEntry:
    fields: EntryFields
    prev_hash: str
    hash: str

    @property
    def seq(self) -> int:
        return self.fields.seq


def canonical(fields: EntryFields, prev_hash: str) -> bytes:
    """The bytes the entry's hash is taken over (see the module docstring)."""
    document = {
        "v": FORMAT_VERSION,
        "seq": fields.seq,
        "time": format_time(fields.time),
        "case_number": fields.case_number,
        "fee_id": fields.fee_id,
        "method": fields.method,
        "amount_cents": fields.amount_cents,
        "trace": fields.trace,
        "receipt": fields.receipt,
        "terminal_id": fields.terminal_id,
        "detail": dict(fields.detail),
        "sealed_sha256": fields.sealed_sha256,
        "prev_hash": prev_hash,
    }
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def entry_hash(fields: EntryFields, prev_hash: str) -> str:
    return hashlib.sha256(canonical(fields, prev_hash)).hexdigest()


def chain(fields: EntryFields, prev_hash: str) -> ChainedEntry:
    """``fields`` linked to the entry whose hash is ``prev_hash``."""
    return ChainedEntry(fields, prev_hash, entry_hash(fields, prev_hash))


@dataclass(frozen=True)
class ChainHead:
    """The newest entry: its sequence number and hash (0 and GENESIS when empty)."""

    seq: int = 0
    hash: str = GENESIS


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    #: "sequence" (gap: deleted row; repeat/out of order: inserted or reordered),
    #: "link" (prev_hash differs from the entry before), "hash" (edited),
    #: "method" (unknown method), "head" (last row deleted or added)
    kind: str
    detail: str


@dataclass(frozen=True)
class ChainCheck:
    problems: tuple[ChainProblem, ...] = ()
    count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(entries: Sequence[ChainedEntry], head: ChainHead | None = None) -> ChainCheck:
    """Check ``entries`` in storage order; ``head`` (if known) is the newest entry.

    Finds edited rows (hash), deleted rows (sequence gap, link), inserted or
    reordered rows (sequence, link) and, with ``head``, a deleted or added
    last row.
    """
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev = GENESIS
    for entry in entries:
        seq = entry.fields.seq
        if seq != expected_seq:
            what = "gap (deleted row)" if seq > expected_seq else "repeated or out of order"
            problems.append(ChainProblem(seq, "sequence", f"expected {expected_seq}: {what}"))
        if entry.prev_hash != prev:
            problems.append(ChainProblem(seq, "link", "prev_hash is not the previous hash"))
        if entry.fields.method not in METHODS:
            problems.append(ChainProblem(seq, "method", f"unknown method {entry.fields.method!r}"))
        if entry_hash(entry.fields, entry.prev_hash) != entry.hash:
            problems.append(ChainProblem(seq, "hash", "content does not match its hash"))
        expected_seq = seq + 1
        prev = entry.hash
    if head is not None:
        last = entries[-1] if entries else None
        last_seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
        if (last_seq, last_hash) != (head.seq, head.hash):
            problems.append(
                ChainProblem(
                    last_seq, "head", f"the newest entry should be {head.seq}, found {last_seq}"
                )
            )
    return ChainCheck(tuple(problems), len(entries))
