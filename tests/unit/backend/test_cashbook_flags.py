"""The back end's chain check of a Kassenabschluss and its CSV (pure parts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from koffer.backend.cashbook import (
    Finding,
    ReceivedClosing,
    findings,
    flags_from_text,
    flags_text,
    parse_closing,
)
from koffer.backend.cashbook_export import amount_de, csv_bytes
from koffer.backend.validation import validate_case
from koffer.crypto.cashchain import (
    GENESIS,
    ChainedEntry,
    ChainHead,
    EntryFields,
    chain,
    entry_from_wire,
    entry_to_wire,
)
from koffer.errors import ValidationError

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _book(n: int, *, closing_at: set[int]) -> list[ChainedEntry]:
    out: list[ChainedEntry] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        method = "closing" if seq in closing_at else "cash"
        fields = EntryFields(
            seq=seq,
            time=T0 + timedelta(minutes=seq),
            method=method,
            amount_cents=4600,
            case_number=None if method == "closing" else f"2026-{seq:06d}",
            detail={"counted_cents": 4600} if method == "closing" else {},
        )
        entry = chain(fields, prev)
        out.append(entry)
        prev = entry.hash
    return out


def _case(entries: list[ChainedEntry]) -> dict[str, object]:
    return {
        "type": "kassenabschluss",
        "schema_version": 1,
        "closing_seq": entries[-1].seq,
        "entries": [entry_to_wire(e) for e in entries],
    }


def test_wire_round_trip_and_shape() -> None:
    book = _book(3, closing_at={3})
    assert [entry_from_wire(entry_to_wire(e)) for e in book] == book
    assert parse_closing(_case(book)) == book
    validate_case(_case(book), "2026-12-03T10:00:00Z")
    bad = _case(book)
    bad["entries"] = [{**entry_to_wire(book[0]), "amount_cents": "46,00"}]
    with pytest.raises(ValidationError):
        validate_case(bad, "2026-12-03T10:00:00Z")
    with pytest.raises(ValidationError):
        parse_closing(_case(book[:2]))  # does not end with its closing


def test_findings_continuity_gap_and_edit() -> None:
    book = _book(6, closing_at={3, 6})
    first, second = book[:3], book[3:]
    assert findings(first, None) == []
    assert findings(second, ChainHead(3, book[2].hash)) == []
    # predecessor not received
    assert [f.kind for f in findings(second, None)] == ["previous"]
    # a row of the period missing (gap after the previous closing)
    gap = findings(second[1:], ChainHead(3, book[2].hash))
    assert {(f.seq, f.kind) for f in gap} == {(5, "sequence"), (5, "link")}
    # an edited row
    edited = replace(second[0], fields=replace(second[0].fields, amount_cents=460))
    assert [
        (f.seq, f.kind) for f in findings([edited, *second[1:]], ChainHead(3, book[2].hash))
    ] == [(4, "hash")]
    text = flags_text(gap)
    assert flags_from_text(text) == gap and flags_from_text(None) is None


def test_csv_is_for_a_german_spreadsheet() -> None:
    book = _book(3, closing_at={3})
    closing = ReceivedClosing(
        device_id="dev-1",
        device_name='Koffer "Nord"; 1',
        envelope_id="e" * 36,
        entries=book,
        findings=[Finding(2, "hash", "content does not match its hash")],
        intake_findings=None,
    )
    raw = csv_bytes(closing)
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith('"Koffer ""Nord""; 1";3;1;')
    assert ";46,00;" in lines[1] and lines[1].endswith(";GEBROCHEN;")
    assert "verändert" in lines[2]
    assert amount_de(-123456) == "-1234,56" and amount_de(5) == "0,05"
