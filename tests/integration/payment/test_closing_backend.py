"""The Kassenabschluss end to end (issue 22 point 4).

Entries → close → sealed into the outbox → sync to a real back end on
loopback TLS (real validation) → ``koffer backend cashbook export`` → CSV and
PDF (checked with pdftotext). A cash-book row changed in the suitcase's
SQLite before the close is found by the suitcase and flagged by the back
end; a gap between two closings is flagged; nothing is refused.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from koffer.backend.db import ReceivedCase
from koffer.backend.keystore import BackendDir
from koffer.backend.server import Backend, BackendServer
from koffer.casework.cashbook_closing import CASE_TYPE, closing_document, seal_closings
from koffer.casework.sealing import reseal_completed
from koffer.commands import cli
from koffer.crypto.enrollment import DeviceCredentials
from koffer.enrollment.enroll import enroll_online
from koffer.payment.cashbook import CashBook
from koffer.queue.models import OutboxItem
from koffer.queue.outbox import Outbox
from koffer.queue.transmitter import Transmitter
from koffer.store import Store, StoreSettings, UnlockedStore
from koffer.store.files import db_path

PASSPHRASE = "korrekt-pferd-batterie"


@pytest.fixture
def backend_dir(tmp_path: Path) -> Path:
    path = tmp_path / "backend"
    BackendDir(path).init("https://127.0.0.1:1")
    return path


@pytest.fixture
def server(backend_dir: Path) -> Iterator[tuple[Backend, BackendServer]]:
    backend = Backend.open(backend_dir)  # the real validation
    with BackendServer(backend) as srv:
        yield backend, srv


@pytest.fixture
def creds(server: tuple[Backend, BackendServer]) -> DeviceCredentials:
    backend, srv = server
    token = backend.enrollment_token("koffer-1", url=srv.url, enroll_url=srv.enroll_url)
    return enroll_online(token)


@pytest.fixture
def suitcase_dir(tmp_path: Path) -> Path:
    path = tmp_path / "suitcase"
    Store.create(path, "admin", PASSPHRASE, StoreSettings.insecure_fast())
    return path


@pytest.fixture
def suitcase(suitcase_dir: Path) -> Iterator[UnlockedStore]:
    settings = StoreSettings.insecure_fast()
    with Store.open(suitcase_dir, settings) as store, store.unlock("admin", PASSPHRASE) as handle:
        yield handle


def _sync(store: UnlockedStore, creds: DeviceCredentials) -> None:
    with Transmitter(creds) as tx:
        report = Outbox(store).sync_once(tx)
    assert report.failed == 0 and report.rejected == 0, report


def _tamper(suitcase_dir: Path, sql: str) -> None:
    connection = sqlite3.connect(db_path(suitcase_dir))
    connection.execute(sql)
    connection.commit()
    connection.close()


def _closings(backend: Backend) -> list[ReceivedCase]:
    with backend.intake.sessions() as session:
        return list(
            session.scalars(
                select(ReceivedCase)
                .where(ReceivedCase.case_type == CASE_TYPE)
                .order_by(ReceivedCase.received_at)
            )
        )


def _export(backend_dir: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(
        ["backend", "cashbook", "export", "--out", str(out), "--data-dir", str(backend_dir)]
    )
    captured = capsys.readouterr()
    assert code == 0, captured
    return captured.out + captured.err


def _pdf_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def test_round_trip_entries_close_sync_export(
    server: tuple[Backend, BackendServer],
    backend_dir: Path,
    creds: DeviceCredentials,
    suitcase: UnlockedStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backend, _srv = server
    book = CashBook(suitcase)
    book.record_cash("2026-000001", "2026-000001/fee", 4600, given_cents=5000)
    book.record_invoice("2026-000002", "2026-000002/fee", 7000)
    wrong = book.record_cash("2026-000003", "2026-000003/fee", 1000)
    book.reverse(wrong.seq)
    book.record_waived("2026-000004", "2026-000004/fee", 3700, "Bedürftigkeit")
    closing = book.close(4550)
    assert book.check().ok

    sealed = seal_closings(suitcase, creds=creds)
    assert sealed is not None and len(sealed) == 1
    assert sealed[0].case_type == CASE_TYPE
    assert seal_closings(suitcase, creds=creds) == []  # exactly once
    _sync(suitcase, creds)

    (row,) = _closings(backend)
    assert json.loads(row.chain_flags or "null") == []

    out = tmp_path / "finanz"
    text = _export(backend_dir, out, capsys)
    assert "1 Kassenabschlüsse" in text and "0 mit unterbrochener" in text
    names = sorted(p.name for p in out.iterdir())
    base = f"kassenabschluss-koffer-1-{closing.entry.seq:06d}"
    assert names == [f"{base}.csv", f"{base}.pdf"]

    raw = (out / f"{base}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:7] == [
        "Koffer",
        "Abschluss",
        "Nr",
        "Zeit (UTC)",
        "Vorgangsnummer",
        "Art",
        "Betrag",
    ]
    rows = [line.split(";") for line in lines[1:]]
    assert [r[2] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0][4:7] == ["2026-000001", "Bar", "46,00"]
    assert rows[1][5:7] == ["Rechnung", "70,00"]
    assert rows[3][5:7] == ["Storno", "-10,00"]
    assert rows[5][5:7] == ["Abschluss", "45,50"]
    assert {r[9] for r in rows} == {"in Ordnung"}
    assert "Bedürftigkeit" not in raw.decode("utf-8-sig")  # the sealed reason stays home

    pdf = _pdf_text(out / f"{base}.pdf")
    assert "Kassenabschluss" in pdf
    assert "in Ordnung" in pdf
    for expected in ("45,50 €", "46,00 €", "-0,50 €", "70,00 €", "2026-000001", "koffer-1"):
        assert expected in pdf, expected

    # exported once: a second export finds nothing new; --all writes it again
    again = _export(backend_dir, tmp_path / "leer", capsys)
    assert "0 Kassenabschlüsse" in again
    cli.main(
        [
            "backend",
            "cashbook",
            "export",
            "--all",
            "--out",
            str(tmp_path / "alle"),
            "--data-dir",
            str(backend_dir),
        ]
    )
    assert (tmp_path / "alle" / f"{base}.csv").read_bytes() == raw
    # the case export for the Fachverfahren leaves closings alone
    assert (
        cli.main(
            ["backend", "export", "--out", str(tmp_path / "faelle"), "--data-dir", str(backend_dir)]
        )
        == 0
    )
    assert list((tmp_path / "faelle").iterdir()) == []


def test_tampered_row_is_found_by_the_suitcase_and_flagged_by_the_back_end(
    server: tuple[Backend, BackendServer],
    backend_dir: Path,
    creds: DeviceCredentials,
    suitcase: UnlockedStore,
    suitcase_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backend, _srv = server
    book = CashBook(suitcase)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    book.record_cash("2026-000002", "2026-000002/fee", 7000)
    _tamper(suitcase_dir, "UPDATE cashbook SET amount_cents = 700 WHERE seq = 2")
    check = book.check()
    assert not check.ok and {p.kind for p in check.problems} == {"hash"}

    book.close(5300)  # sent anyway
    seal_closings(suitcase, creds=creds)
    _sync(suitcase, creds)  # kept by the back end, not refused

    (row,) = _closings(backend)
    flags = json.loads(row.chain_flags or "null")
    assert [(f["seq"], f["kind"]) for f in flags] == [(2, "hash")]

    out = tmp_path / "finanz"
    text = _export(backend_dir, out, capsys)
    assert "1 mit unterbrochener Hash-Kette" in text and "ACHTUNG" in text
    base = "kassenabschluss-koffer-1-000003"
    assert (out / f"{base}.KETTE-GEBROCHEN.txt").exists()
    rows = [line.split(";") for line in (out / f"{base}.csv").read_text("utf-8-sig").splitlines()]
    assert {r[9] for r in rows[1:]} == {"GEBROCHEN"}
    assert "verändert" in rows[2][10]
    assert "ACHTUNG" in _pdf_text(out / f"{base}.pdf")


def test_a_gap_between_two_closings_is_flagged(
    server: tuple[Backend, BackendServer],
    backend_dir: Path,
    creds: DeviceCredentials,
    suitcase: UnlockedStore,
    suitcase_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backend, _srv = server
    book = CashBook(suitcase)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    first = book.close(4600)
    seal_closings(suitcase, creds=creds)
    _sync(suitcase, creds)

    lost = book.record_cash("2026-000002", "2026-000002/fee", 7000)
    book.record_cash("2026-000003", "2026-000003/fee", 4600)
    # a row of the second period disappears from the suitcase's database
    _tamper(suitcase_dir, f"DELETE FROM cashbook WHERE seq = {lost.seq}")
    assert not book.check().ok
    second = book.close(4600)
    seal_closings(suitcase, creds=creds)
    _sync(suitcase, creds)

    one, two = _closings(backend)
    assert json.loads(one.chain_flags or "null") == []
    kinds = {(f["seq"], f["kind"]) for f in json.loads(two.chain_flags or "null")}
    assert (lost.seq + 1, "sequence") in kinds and (lost.seq + 1, "link") in kinds

    out = tmp_path / "finanz"
    text = _export(backend_dir, out, capsys)
    assert "2 Kassenabschlüsse" in text and "1 mit unterbrochener" in text
    assert not (
        out / f"kassenabschluss-koffer-1-{first.entry.seq:06d}.KETTE-GEBROCHEN.txt"
    ).exists()
    flag = out / f"kassenabschluss-koffer-1-{second.entry.seq:06d}.KETTE-GEBROCHEN.txt"
    assert "Lücke" in flag.read_text("utf-8")


def test_a_closing_whose_predecessor_never_arrived_is_flagged(
    server: tuple[Backend, BackendServer],
    creds: DeviceCredentials,
    suitcase: UnlockedStore,
) -> None:
    backend, _srv = server
    book = CashBook(suitcase)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    book.close(4600)
    book.record_cash("2026-000002", "2026-000002/fee", 7000)
    book.close(7000)
    sealed = seal_closings(suitcase, creds=creds)
    assert sealed is not None and len(sealed) == 2
    with suitcase.transaction() as session:  # the first closing's envelope is lost
        session.delete(session.get(OutboxItem, sealed[0].envelope_id))
    _sync(suitcase, creds)
    (row,) = _closings(backend)
    assert [f["kind"] for f in json.loads(row.chain_flags or "null")] == ["previous"]


def test_recovery_seals_a_closing_left_unsealed(
    server: tuple[Backend, BackendServer],
    creds: DeviceCredentials,
    suitcase: UnlockedStore,
) -> None:
    backend, _srv = server
    book = CashBook(suitcase)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    book.close(4600)  # e.g. killed before sealing, or not yet enrolled
    recovery = reseal_completed(suitcase, creds=creds)
    assert recovery.closings == 1
    assert reseal_completed(suitcase, creds=creds).closings == 0
    _sync(suitcase, creds)
    assert len(_closings(backend)) == 1


def test_a_closing_under_another_case_type_is_refused(
    server: tuple[Backend, BackendServer],
    creds: DeviceCredentials,
    suitcase: UnlockedStore,
) -> None:
    book = CashBook(suitcase)
    book.record_cash("2026-000001", "2026-000001/fee", 4600)
    closing = book.close(4600)
    Outbox(suitcase).seal_document(
        case_id="x-1",
        case_number="KA-000002",
        case_type="anmeldung",
        document=closing_document(book.entries(), closing.entry),
        creds=creds,
    )
    with Transmitter(creds) as tx:
        report = Outbox(suitcase).sync_once(tx)
    assert report.rejected == 1
