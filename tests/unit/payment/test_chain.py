"""The hash chain, pure: every kind of tampering is found; amounts never float."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from koffer.errors import ConfigError
from koffer.payment.chain import (
    GENESIS,
    ChainedEntry,
    ChainHead,
    EntryFields,
    canonical,
    chain,
    verify_chain,
)
from koffer.payment.money import format_eur, format_eur_de, parse_eur

T0 = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)


def _book(n: int) -> list[ChainedEntry]:
    entries: list[ChainedEntry] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        fields = EntryFields(seq, T0, "cash", 4600 + seq, case_number=f"2026-{seq:06d}")
        entry = chain(fields, prev)
        entries.append(entry)
        prev = entry.hash
    return entries


def _kinds(entries: list[ChainedEntry], head: ChainHead | None = None) -> set[str]:
    return {p.kind for p in verify_chain(entries, head).problems}


def test_an_untouched_chain_is_ok() -> None:
    entries = _book(5)
    check = verify_chain(entries, ChainHead(5, entries[-1].hash))
    assert check.ok and check.count == 5
    assert verify_chain([], ChainHead()).ok


def test_canonical_encoding_is_stable_and_sorted() -> None:
    fields = EntryFields(1, T0, "card", 4600, "2026-000001", "2026-000001/fee", 12, 3, "29001006")
    assert canonical(fields, GENESIS) == (
        b'{"amount_cents":4600,"case_number":"2026-000001","detail":{},'
        b'"fee_id":"2026-000001/fee","method":"card","prev_hash":"' + GENESIS.encode() + b'",'
        b'"receipt":3,"sealed_sha256":"","seq":1,"terminal_id":"29001006",'
        b'"time":"2026-12-04T09:30:00.000000Z","trace":12,"v":1}'
    )


def test_an_edited_entry_is_found() -> None:
    entries = _book(4)
    edited = dataclasses.replace(entries[1].fields, amount_cents=1)
    entries[1] = ChainedEntry(edited, entries[1].prev_hash, entries[1].hash)
    assert _kinds(entries) == {"hash"}


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link() -> None:
    entries = _book(4)
    edited = dataclasses.replace(entries[1].fields, amount_cents=1)
    entries[1] = chain(edited, entries[1].prev_hash)
    assert _kinds(entries) == {"link"}


def test_a_deleted_entry_is_found() -> None:
    entries = _book(4)
    del entries[1]
    assert _kinds(entries) == {"sequence", "link"}


def test_a_deleted_last_entry_is_found_by_the_head() -> None:
    entries = _book(4)
    head = ChainHead(4, entries[-1].hash)
    assert _kinds(entries[:-1], head) == {"head"}


def test_reordered_entries_are_found() -> None:
    entries = _book(4)
    entries[1], entries[2] = entries[2], entries[1]
    assert {"sequence", "link"} <= _kinds(entries)


def test_an_inserted_entry_is_found() -> None:
    entries = _book(4)
    forged = chain(EntryFields(3, T0, "cash", 100), entries[1].hash)
    entries.insert(2, forged)
    assert {"sequence", "link"} <= _kinds(entries)


def test_an_appended_entry_is_found_by_the_head() -> None:
    entries = _book(3)
    head = ChainHead(3, entries[-1].hash)
    entries.append(chain(EntryFields(4, T0, "cash", 100), entries[-1].hash))
    assert _kinds(entries) == set()
    assert _kinds(entries, head) == {"head"}


def test_an_unknown_method_is_found() -> None:
    entries = [chain(EntryFields(1, T0, "bitcoin", 100), GENESIS)]
    assert _kinds(entries) == {"method"}


@pytest.mark.parametrize(
    ("text", "cents"),
    [("46", 4600), ("46.00", 4600), ("46,5", 4650), ("0.01", 1), ("-3.20", -320)],
)
def test_parse_eur(text: str, cents: int) -> None:
    assert parse_eur(text) == cents


@pytest.mark.parametrize("text", ["", "46.001", "4e3", "nan", "1.2.3", "46 EUR"])
def test_parse_eur_refuses(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_eur(text)


def test_format_eur() -> None:
    assert format_eur(4600) == "46.00"
    assert format_eur(-5) == "-0.05"
    assert format_eur_de(7000) == "70,00 EUR"
