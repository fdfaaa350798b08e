"""Received Kassenabschlüsse: shape, chain check, flags (issue 22).

A suitcase seals each visit closing as an envelope of case type
:data:`CASE_TYPE` (``koffer.casework.cashbook_closing``): the period's
cash-book entries in the chain's wire form, the closing entry last.

- :func:`parse_closing` checks the shape (the validator refuses a malformed
  closing with 422, like a malformed case);
- :func:`findings` checks the chain of the period with
  :func:`koffer.crypto.cashchain.verify_chain`, starting at the previous
  closing of the same device: sequence continuity (a gap between two
  closings), ``prev_hash`` links and every hash. A broken chain never makes
  the intake refuse the envelope: it is kept and flagged
  (``cases.chain_flags``, JSON list of ``{"seq", "kind", "detail"}``; ``[]``
  for an intact period), so nothing is lost;
- :func:`received_closings` reads every closing back for the export and
  checks each again against the closing before it as received by then (a
  closing that arrived out of order is judged with all that is known).

Flags hold sequence numbers and kinds only, no personal data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from koffer.backend.db import Device, ReceivedCase
from koffer.crypto import aead, sealing
from koffer.crypto.cashchain import ChainedEntry, ChainHead, entry_from_wire, verify_chain
from koffer.errors import ValidationError

CASE_TYPE = "kassenabschluss"
SCHEMA_VERSION = 1
#: more entries than a visit can have are refused (a closing per visit)
MAX_ENTRIES = 100_000

#: German texts of the finding kinds
KIND_TEXTS = {
    "sequence": "Lücke oder falsche Reihenfolge der Eintragsnummern",
    "link": "Verkettung zum vorigen Eintrag gebrochen",
    "hash": "Eintrag wurde verändert (Prüfsumme falsch)",
    "method": "unbekannte Zahlungsart",
    "previous": "voriger Kassenabschluss dieses Koffers liegt nicht vor",
}


@dataclass(frozen=True)
class Finding:
    seq: int
    kind: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "detail": self.detail}

    def text_de(self) -> str:
        return f"Eintrag {self.seq}: {KIND_TEXTS.get(self.kind, self.kind)}"


def _malformed(what: str) -> ValidationError:
    return ValidationError(
        f"Der Kassenabschluss ist unvollständig oder beschädigt ({what}).",
        message_en=f"The cash-book closing is incomplete or damaged ({what}).",
    )


def is_closing(case: Mapping[str, Any]) -> bool:
    return isinstance(case, Mapping) and case.get("type") == CASE_TYPE


def parse_closing(case: Mapping[str, Any]) -> list[ChainedEntry]:
    """The period's entries; :class:`ValidationError` (German) for a bad shape."""
    if not is_closing(case):
        raise _malformed("type")
    if case.get("schema_version") != SCHEMA_VERSION:
        raise _malformed("schema_version")
    raw = case.get("entries")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_ENTRIES:
        raise _malformed("entries")
    try:
        entries = [entry_from_wire(item) for item in raw]
    except ValueError as exc:
        raise _malformed(str(exc)[:80]) from exc
    if entries[-1].fields.method != "closing" or case.get("closing_seq") != entries[-1].seq:
        raise _malformed("closing")
    return entries


def validate_closing(case: Mapping[str, Any], created: str) -> None:
    """The validator's part for a Kassenabschluss (shape only: a broken chain is flagged)."""
    parse_closing(case)


def findings(entries: Sequence[ChainedEntry], previous: ChainHead | None) -> list[Finding]:
    """The chain check of one period after ``previous`` (the closing before it).

    ``previous`` unknown: a period that starts at entry 1 starts at the
    genesis; any other is flagged ``previous`` and checked from its first link.
    """
    found: list[Finding] = []
    if not entries:
        return found
    first = entries[0]
    start = previous
    if start is None:
        if first.seq == 1:
            start = ChainHead()
        else:
            found.append(Finding(first.seq, "previous", f"entries before {first.seq} not received"))
            start = ChainHead(first.seq - 1, first.prev_hash)
    check = verify_chain(entries, start=start)
    found.extend(Finding(p.seq, p.kind, p.detail) for p in check.problems)
    return found


def flags_text(found: Iterable[Finding]) -> str:
    return json.dumps([f.to_json() for f in found], separators=(",", ":"))


def flags_from_text(text: str | None) -> list[Finding] | None:
    if text is None:
        return None
    try:
        items = json.loads(text)
        return [Finding(int(i["seq"]), str(i["kind"]), str(i["detail"])) for i in items]
    except (ValueError, TypeError, KeyError):
        return [Finding(0, "unreadable", "flags unreadable")]


def _entries_of(storage_key: bytes, envelope_id: str, blob: bytes) -> list[ChainedEntry] | None:
    payload = sealing.decode_payload(aead.decrypt(storage_key, blob, envelope_id.encode()))
    try:
        return parse_closing(payload.case)
    except ValidationError:
        return None


def previous_head(
    conn: Connection, storage_key: bytes, device_id: str, first_seq: int
) -> ChainHead | None:
    """The newest closing of ``device_id`` received so far that lies before ``first_seq``."""
    table = ReceivedCase.__table__
    rows = conn.execute(
        select(table.c.envelope_id, table.c.payload).where(
            table.c.device_id == device_id, table.c.case_type == CASE_TYPE
        )
    ).all()
    best: ChainHead | None = None
    for row in rows:
        entries = _entries_of(storage_key, row.envelope_id, bytes(row.payload))
        if not entries:
            continue
        last = entries[-1]
        if last.seq < first_seq and (best is None or last.seq > best.seq):
            best = ChainHead(last.seq, last.hash)
    return best


def intake_flags(
    conn: Connection, storage_key: bytes, device_id: str, case: Mapping[str, Any]
) -> str:
    """The ``cases.chain_flags`` of a received closing (never raises for a broken chain)."""
    try:
        entries = parse_closing(case)
    except ValidationError:
        return flags_text([Finding(0, "unreadable", "closing not readable")])
    previous = previous_head(conn, storage_key, device_id, entries[0].seq)
    return flags_text(findings(entries, previous))


@dataclass(frozen=True)
class ReceivedClosing:
    device_id: str
    device_name: str
    envelope_id: str
    entries: list[ChainedEntry]
    #: checked now, against every closing of the device received so far
    findings: list[Finding]
    #: what the intake found when it arrived (None: received without a check)
    intake_findings: list[Finding] | None

    @property
    def closing_seq(self) -> int:
        return self.entries[-1].seq

    @property
    def chain_ok(self) -> bool:
        return not self.findings


def received_closings(sessions: sessionmaker[Session], storage_key: bytes) -> list[ReceivedClosing]:
    """Every received closing, by device and closing number, checked in order."""
    with sessions() as session:
        names = dict(session.execute(select(Device.device_id, Device.name)).all())
        rows = session.scalars(
            select(ReceivedCase).where(ReceivedCase.case_type == CASE_TYPE)
        ).all()
        loaded = []
        for row in rows:
            entries = _entries_of(storage_key, row.envelope_id, bytes(row.payload))
            if entries:
                loaded.append((row.device_id, row.envelope_id, entries, row.chain_flags))
    loaded.sort(key=lambda item: (item[0], item[2][-1].seq))
    result: list[ReceivedClosing] = []
    previous: dict[str, ChainHead] = {}
    for device_id, envelope_id, entries, flags in loaded:
        prior = previous.get(device_id)
        if prior is not None and prior.seq >= entries[0].seq:
            prior = None  # the same closing twice (another envelope): judged on its own
        result.append(
            ReceivedClosing(
                device_id=device_id,
                device_name=str(names.get(device_id, device_id)),
                envelope_id=envelope_id,
                entries=entries,
                findings=findings(entries, prior),
                intake_findings=flags_from_text(flags),
            )
        )
        previous[device_id] = ChainHead(entries[-1].seq, entries[-1].hash)
    return result
