"""The cash book's hash chain: canonical encoding and verification. Pure.

Shared by the suitcase (:mod:`koffer.payment.chain` re-exports it) and the
back end, which checks the entries a Kassenabschluss brings along; it lives
in the crypto layer because both stand above it (the back end may not
import :mod:`koffer.payment`).

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

:func:`entry_to_wire` / :func:`entry_from_wire` are the JSON form of one
chained entry inside a sealed Kassenabschluss (every hashed field, so the
receiver can recompute the hash; the encrypted part only as its SHA-256).
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


def verify_chain(
    entries: Sequence[ChainedEntry],
    head: ChainHead | None = None,
    *,
    start: ChainHead | None = None,
) -> ChainCheck:
    """Check ``entries`` in storage order; ``head`` (if known) is the newest entry.

    Finds edited rows (hash), deleted rows (sequence gap, link), inserted or
    reordered rows (sequence, link) and, with ``head``, a deleted or added
    last row. ``start`` is the entry before the first one (default: none,
    the book starts at seq 1 on :data:`GENESIS`), for checking one period.
    """
    problems: list[ChainProblem] = []
    origin = start or ChainHead()
    expected_seq = origin.seq + 1
    prev = origin.hash
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


# ------------------------------------------------------------------ wire form

_WIRE_KEYS = frozenset(
    {
        "seq",
        "time",
        "case_number",
        "fee_id",
        "method",
        "amount_cents",
        "trace",
        "receipt",
        "terminal_id",
        "detail",
        "sealed_sha256",
        "prev_hash",
        "hash",
    }
)


def entry_to_wire(entry: ChainedEntry) -> dict[str, object]:
    """One chained entry as JSON values (all hashed fields, prev_hash, hash)."""
    f = entry.fields
    return {
        "seq": f.seq,
        "time": format_time(f.time),
        "case_number": f.case_number,
        "fee_id": f.fee_id,
        "method": f.method,
        "amount_cents": f.amount_cents,
        "trace": f.trace,
        "receipt": f.receipt,
        "terminal_id": f.terminal_id,
        "detail": dict(f.detail),
        "sealed_sha256": f.sealed_sha256,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _int(value: object, name: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: not an integer")
    return value


def _text(value: object, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError(f"{name}: not a short text")
    return value


def entry_from_wire(value: object) -> ChainedEntry:
    """The inverse of :func:`entry_to_wire`; raises ``ValueError`` on any bad shape."""
    if not isinstance(value, Mapping) or set(value) != _WIRE_KEYS:
        raise ValueError("entry: not an object with the entry fields")
    detail = value["detail"]
    if not isinstance(detail, Mapping) or not all(
        isinstance(k, str) and (v is None or (isinstance(v, str | int) and not isinstance(v, bool)))
        for k, v in detail.items()
    ):
        raise ValueError("detail: not an object of texts and integers")
    time_text = _text(value["time"], "time")
    assert time_text is not None
    try:
        at = datetime.strptime(time_text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise ValueError("time: not a UTC time") from exc
    seq = _int(value["seq"], "seq")
    amount = _int(value["amount_cents"], "amount_cents")
    method = _text(value["method"], "method")
    sealed = _text(value["sealed_sha256"], "sealed_sha256")
    prev_hash = _text(value["prev_hash"], "prev_hash")
    own_hash = _text(value["hash"], "hash")
    assert seq is not None and amount is not None and method is not None
    assert sealed is not None and prev_hash is not None and own_hash is not None
    fields = EntryFields(
        seq=seq,
        time=at,
        method=method,
        amount_cents=amount,
        case_number=_text(value["case_number"], "case_number", optional=True),
        fee_id=_text(value["fee_id"], "fee_id", optional=True),
        trace=_int(value["trace"], "trace", optional=True),
        receipt=_int(value["receipt"], "receipt", optional=True),
        terminal_id=_text(value["terminal_id"], "terminal_id", optional=True),
        detail=dict(detail),
        sealed_sha256=sealed,
    )
    return ChainedEntry(fields, prev_hash, own_hash)
