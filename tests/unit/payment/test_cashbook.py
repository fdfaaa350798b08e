"""The cash book in the store: append-only entries, reversals, closing, and
tampering with the SQLite file found (edited, deleted, reordered, inserted rows)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.payment import PaymentError
from koffer.payment.cashbook import CashBook
from koffer.payment.chain import EntryFields, chain, format_time
from koffer.store import Store, StoreSettings, UnlockedStore
from koffer.store.files import db_path
from tests.unit.payment.conftest import PASSPHRASE


def _fill(book: CashBook) -> None:
    book.record_cash("2026-000001", "2026-000001/fee", 4600, given_cents=5000)
    book.record_invoice("2026-000002", "2026-000002/fee", 7000)
    book.record_waived("2026-000003", "2026-000003/fee", 4600, "Sozialhilfe")
    book.record_cash("2026-000004", "2026-000004/fee", 2250)


def test_entries_are_chained_and_listed(unlocked: UnlockedStore) -> None:
    book = CashBook(unlocked)
    _fill(book)
    entries = book.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert [e.method for e in entries] == ["cash", "invoice", "waived", "cash"]
    assert entries[0].detail == {"given_cents": 5000, "change_cents": 400}
    assert entries[1].detail == {"transfer_reference": "2026-000002"}
    assert entries[1].prev_hash == entries[0].hash
    assert book.check().ok
    listed = entries[0].to_json()
    assert listed["amount"] == "46.00" and listed["trace"] is None and listed["receipt"] is None
    # the waiver's reason is sealed, not in a plain column
    assert book.open_sealed(entries[2])["reason"] == "Sozialhilfe"
    assert "Sozialhilfe" not in str(entries[2].to_json())


def test_a_fee_is_paid_once_and_a_correction_is_a_reversal(unlocked: UnlockedStore) -> None:
    book = CashBook(unlocked)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    with pytest.raises(PaymentError, match="bereits bezahlt"):
        book.record_invoice("2026-000001", "2026-000001/fee", 4600)
    reversal = book.reverse(1)
    assert reversal.method == "reversal" and reversal.amount_cents == -4600
    assert reversal.detail == {"reverses": 1, "reverses_method": "cash"}
    with pytest.raises(PaymentError, match="bereits storniert"):
        book.reverse(1)
    assert book.paid("2026-000001/fee") is None
    book.record_invoice("2026-000001", "2026-000001/fee", 4600)
    assert book.paid("2026-000001/fee") is not None
    assert [e.method for e in book.entries()] == ["cash", "reversal", "invoice"]
    assert book.check().ok


def test_closing_compares_counted_with_expected_cash(unlocked: UnlockedStore) -> None:
    book = CashBook(unlocked)
    _fill(book)
    book.reverse(4)
    closing = book.close(4500, terminal_total_cents=0, terminal_result=0)
    assert closing.expected_cents == 4600
    assert closing.difference_cents == -100
    assert closing.invoice_total_cents == 7000
    assert closing.to_json()["difference"] == "-1.00"
    assert closing.entry.method == "closing" and closing.entry.amount_cents == 4500
    assert closing.entry.detail["difference_cents"] == -100
    assert "Differenz" in "\n".join(closing.summary_de())
    # the next period starts empty
    book.record_cash("2026-000009", "2026-000009/fee", 1000)
    assert book.close(1000).difference_cents == 0
    assert book.check().ok


# ------------------------------------------------------------------ tampering


@pytest.fixture
def filled(data_dir: Path, settings: StoreSettings) -> Path:
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        _fill(CashBook(unlocked))
    return data_dir


def _sql(data_dir: Path, *statements: str) -> None:
    connection = sqlite3.connect(db_path(data_dir))
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


@pytest.fixture
def reopen(filled: Path, settings: StoreSettings) -> tuple[Path, StoreSettings]:
    return filled, settings


def _problems(reopen: tuple[Path, StoreSettings]) -> set[str]:
    data_dir, settings = reopen
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        return {p.kind for p in CashBook(unlocked).check().problems}


def test_untouched_file_is_ok(reopen: tuple[Path, StoreSettings]) -> None:
    assert _problems(reopen) == set()


def test_an_edited_amount_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(reopen[0], "UPDATE cashbook SET amount_cents = 100 WHERE seq = 2")
    assert _problems(reopen) == {"hash"}


def test_an_edited_case_number_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(reopen[0], "UPDATE cashbook SET case_number = '2026-999999' WHERE seq = 1")
    assert _problems(reopen) == {"hash"}


def test_a_swapped_sealed_part_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(
        reopen[0],
        "UPDATE cashbook SET sealed = (SELECT sealed FROM cashbook WHERE seq = 3) WHERE seq = 1",
    )
    assert _problems(reopen) == {"hash"}


def test_a_deleted_row_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(reopen[0], "DELETE FROM cashbook WHERE seq = 2")
    assert _problems(reopen) == {"sequence", "link"}


def test_a_deleted_last_row_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(reopen[0], "DELETE FROM cashbook WHERE seq = 4")
    assert _problems(reopen) == {"head"}


def test_reordered_rows_are_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(
        reopen[0],
        "UPDATE cashbook SET seq = 100 WHERE seq = 2",
        "UPDATE cashbook SET seq = 2 WHERE seq = 3",
        "UPDATE cashbook SET seq = 3 WHERE seq = 100",
    )
    assert {"hash", "link"} <= _problems(reopen)


def test_an_inserted_row_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    # a forged row between 2 and 3 with a correct hash of its own; the rows after it
    # renumbered to make room
    connection = sqlite3.connect(db_path(reopen[0]))
    prev = connection.execute("SELECT hash FROM cashbook WHERE seq = 2").fetchone()[0]
    connection.close()
    forged = chain(EntryFields(3, datetime.now(UTC), "cash", 100, "2026-000077"), prev)
    _sql(
        reopen[0],
        "UPDATE cashbook SET seq = seq + 10 WHERE seq >= 3",
        "UPDATE cashbook SET seq = seq - 9 WHERE seq >= 13",
        "INSERT INTO cashbook (seq, at, case_number, fee_id, method, amount_cents, detail, "
        f"prev_hash, hash) VALUES (3, '{format_time(forged.fields.time)}', '2026-000077', NULL, "
        f"'cash', 100, '{{}}', '{prev}', '{forged.hash}')",
    )
    assert _problems(reopen) == {"hash", "link", "head"}


def test_an_appended_row_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(
        reopen[0],
        "INSERT INTO cashbook (seq, at, case_number, fee_id, method, amount_cents, detail, "
        "prev_hash, hash) SELECT 5, at, '2026-000077', NULL, 'cash', 100, '{}', hash, hash "
        "FROM cashbook WHERE seq = 4",
    )
    assert "head" in _problems(reopen)


def test_an_altered_head_is_found(reopen: tuple[Path, StoreSettings]) -> None:
    _sql(reopen[0], "UPDATE cashbook_head SET blob = x'00'")
    assert _problems(reopen) == {"head"}


def _append_after(data_dir: Path, settings: StoreSettings) -> None:
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        CashBook(unlocked).record_cash("2026-000050", "2026-000050/fee", 100)


def test_a_deleted_last_row_stays_visible_after_the_next_entry(
    reopen: tuple[Path, StoreSettings],
) -> None:
    _sql(reopen[0], "DELETE FROM cashbook WHERE seq = 4")
    _append_after(*reopen)
    assert _problems(reopen) == {"sequence", "link"}


def test_an_appended_row_stays_visible_after_the_next_entry(
    reopen: tuple[Path, StoreSettings],
) -> None:
    # a forged 5th row with a correct hash of its own, then a real entry
    connection = sqlite3.connect(db_path(reopen[0]))
    prev = connection.execute("SELECT hash FROM cashbook WHERE seq = 4").fetchone()[0]
    connection.close()
    forged = chain(EntryFields(5, datetime.now(UTC), "cash", 100, "2026-000077"), prev)
    _sql(
        reopen[0],
        "INSERT INTO cashbook (seq, at, case_number, fee_id, method, amount_cents, detail, "
        f"prev_hash, hash) VALUES (5, '{format_time(forged.fields.time)}', '2026-000077', NULL, "
        f"'cash', 100, '{{}}', '{prev}', '{forged.hash}')",
    )
    assert _problems(reopen) == {"head"}
    _append_after(*reopen)
    assert _problems(reopen) == {"link"}


@pytest.mark.parametrize(
    "statement", ["UPDATE cashbook_head SET blob = x'00'", "DELETE FROM cashbook_head"]
)
def test_no_entry_is_added_to_a_book_whose_head_was_tampered_with(
    reopen: tuple[Path, StoreSettings], statement: str
) -> None:
    _sql(reopen[0], statement)
    with pytest.raises(PaymentError, match="verändert"):
        _append_after(*reopen)
    assert "head" in _problems(reopen)
