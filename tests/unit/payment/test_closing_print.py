"""``koffer cashbook close --print`` and the Kassenabschluss document (issue 22)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.casework.cashbook_closing import (
    closing_document,
    document_data,
    period_of,
    seal_closings,
)
from koffer.commands import cli
from koffer.documents import kassenabschluss
from koffer.documents.kassenabschluss import AbschlussLine, Kassenabschluss, eur_de
from koffer.payment.cashbook import CashBook
from koffer.payment.chain import ChainHead, entry_from_wire, verify_chain
from koffer.store import Store, StoreSettings, UnlockedStore
from tests.unit.documents.pdftools import poppler
from tests.unit.payment.conftest import PASSPHRASE
from tests.unit.payment.test_cli import _common, _fill


def _text(pdf: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_eur_de() -> None:
    assert eur_de(0) == "0,00 €"
    assert eur_de(-50) == "-0,50 €"
    assert eur_de(123456789) == "1.234.567,89 €"


def test_render_shows_totals_and_entries_without_card_data(tmp_path: Path) -> None:
    at = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    data = Kassenabschluss(
        closing_seq=7,
        closed_at=at,
        counted_cents=4500,
        expected_cents=4600,
        card_total_cents=7000,
        invoice_total_cents=3700,
        terminal_total_cents=7000,
        terminal_ok=True,
        lines=[
            AbschlussLine(1, at, "cash", 4600, "2026-000001"),
            AbschlussLine(2, at, "card", 7000, "2026-000002"),
        ],
        from_seq=1,
        to_seq=6,
    )
    pdf = kassenabschluss.render(data)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf, tmp_path)
    for expected in ("Kassenabschluss", "45,00 €", "46,00 €", "-1,00 €", "70,00 € (in Ordnung)"):
        assert expected in text, expected
    assert "2026-000002" in text and "Karte" in text
    # PDF/A-2b like the other documents
    meta = poppler("pdfinfo", pdf, "-meta")
    assert "<pdfaid:part>2</pdfaid:part>" in meta
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    for line in poppler("pdffonts", pdf).splitlines()[2:]:
        assert " yes yes yes " in line, line
    assert b"/OutputIntents" in pdf and b"/Encrypt" not in pdf
    assert "Title:           Kassenabschluss 7" in poppler("pdfinfo", pdf)


def test_closing_document_carries_the_period_with_its_chain(unlocked: UnlockedStore) -> None:
    book = CashBook(unlocked)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    first = book.close(4600)
    book.record_waived("2026-000002", "2026-000002/fee", 3700, "Härtefall")
    book.record_invoice("2026-000003", "2026-000003/fee", 7000)
    second = book.close(0)
    entries = book.entries()
    assert [e.seq for e in period_of(entries, first.entry)] == [1, 2]
    assert [e.seq for e in period_of(entries, second.entry)] == [3, 4, 5]
    document = closing_document(entries, second.entry)
    assert document["type"] == "kassenabschluss" and document["closing_seq"] == 5
    wire = document["entries"]
    assert isinstance(wire, list)
    chained = [entry_from_wire(item) for item in wire]
    assert chained == [e.chained() for e in entries[2:]]
    assert "Härtefall" not in repr(document)  # the sealed reason stays home
    start = entries[1].chained()
    assert not verify_chain(chained).ok  # not from the genesis: from the first closing
    assert verify_chain(chained, start=ChainHead(start.seq, start.hash)).ok
    data = document_data(chained)
    assert (data.closing_seq, data.expected_cents, data.invoice_total_cents) == (5, 0, 7000)
    assert [line.seq for line in data.lines] == [3, 4]
    assert seal_closings(unlocked) is None  # not enrolled: nothing sealed, nothing lost


def test_close_print_on_the_simulated_printer(
    tmp_path: Path, data_dir: Path, settings: StoreSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    _fill(data_dir, settings)
    code = cli.main(
        ["cashbook", "close", "--counted-cash", "46,00", "--print", "--simulate", *common]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Kassenabschluss gedruckt." in out and "nicht eingerichtet" in out
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as handle:
        assert [e.method for e in CashBook(handle).entries()][-1] == "closing"


def test_print_again_and_refuse_a_non_closing(
    tmp_path: Path, data_dir: Path, settings: StoreSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    _fill(data_dir, settings)
    assert cli.main(["cashbook", "close", "--counted-cash", "46,00", *common]) == 0
    capsys.readouterr()
    assert cli.main(["cashbook", "print", "3", "--simulate", *common]) == 0
    assert "Kassenabschluss gedruckt." in capsys.readouterr().out
    assert cli.main(["cashbook", "print", "1", "--simulate", *common]) != 0
    assert "kein Kassenabschluss" in capsys.readouterr().err
