"""``koffer cashbook list|close|settle`` and ``koffer simulate-visit --pay``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from koffer.commands import cli
from koffer.drivers.zvt.sim_servers import TcpServer
from koffer.drivers.zvt.simulator import ZvtSimulator
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook
from koffer.payment.terminal import configured_terminal
from koffer.store import Store, StoreSettings
from koffer.store.files import db_path
from tests.unit.payment.conftest import PASSPHRASE, crash_after_intent, terminal_config

STORE_TABLE = "[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\nargon2_lanes = 1\n"


def _common(tmp_path: Path, data_dir: Path, extra: str = "") -> list[str]:
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    (tmp_path / "koffer.toml").write_text(STORE_TABLE + extra)
    return [
        "--data-dir",
        str(data_dir),
        "--passphrase-file",
        str(tmp_path / "pass"),
        "--config",
        str(tmp_path / "koffer.toml"),
    ]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(args)
    return code, capsys.readouterr().out


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    code, out = _run(args, capsys)
    assert code == 0, out
    return json.loads(out)


def _fill(data_dir: Path, settings: StoreSettings) -> None:
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        book = CashBook(unlocked)
        book.record_cash("2026-000001", "2026-000001/fee", 4600)
        book.record_invoice("2026-000002", "2026-000002/fee", 7000)


def test_list_json_and_text(
    tmp_path: Path, data_dir: Path, settings: StoreSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    assert _json(["cashbook", "list", "--json", *common], capsys) == {
        "entries": [],
        "chain_ok": True,
    }
    _fill(data_dir, settings)
    listed = _json(["cashbook", "list", "--json", *common], capsys)
    assert listed["chain_ok"] is True
    first, second = listed["entries"]
    assert {
        k: first[k] for k in ("seq", "case_number", "method", "amount", "trace", "receipt")
    } == {
        "seq": 1,
        "case_number": "2026-000001",
        "method": "cash",
        "amount": "46.00",
        "trace": None,
        "receipt": None,
    }
    assert first["time"].endswith("Z")
    assert second["method"] == "invoice" and second["amount"] == "70.00"
    code, text = _run(["cashbook", "list", *common], capsys)
    assert code == 0
    assert "46,00 EUR" in text and "Hash-Kette in Ordnung" in text


def test_list_reports_a_tampered_book(
    tmp_path: Path, data_dir: Path, settings: StoreSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    _fill(data_dir, settings)
    connection = sqlite3.connect(db_path(data_dir))
    connection.execute("UPDATE cashbook SET amount_cents = 460 WHERE seq = 1")
    connection.commit()
    connection.close()
    code, out = _run(["cashbook", "list", "--json", *common], capsys)
    assert code == 1 and json.loads(out)["chain_ok"] is False
    code, text = _run(["cashbook", "list", *common], capsys)
    assert code == 1 and "verändert" in text


def test_close_records_counted_and_expected_cash(
    tmp_path: Path, data_dir: Path, settings: StoreSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    _fill(data_dir, settings)
    closing = _json(
        ["cashbook", "close", "--counted-cash", "45,00", "--json", "--simulate", *common], capsys
    )
    assert closing["counted_cash"] == "45.00"
    assert closing["expected_cash"] == "46.00"
    assert closing["difference"] == "-1.00"
    assert closing["invoice_total"] == "70.00"
    assert closing["terminal_total"] == "0.00" and closing["terminal_ok"] is True
    listed = _json(["cashbook", "list", "--json", *common], capsys)
    assert [e["method"] for e in listed["entries"]] == ["cash", "invoice", "closing"]
    code, text = _run(["cashbook", "close", "--counted-cash", "0", *common], capsys)
    assert code == 0 and "Kassenabschluss" in text and "kein Tagesabschluss" in text
    assert cli.main(["cashbook", "close", "--counted-cash", "zehn", *common]) == 2


def test_settle_with_the_configured_terminal(
    tmp_path: Path,
    data_dir: Path,
    settings: StoreSettings,
    sim_server: TcpServer,
    simulator: ZvtSimulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = (
        '[devices.payment_terminal]\ntype = "zvt"\nhost = "127.0.0.1"\n'
        f'port = {sim_server.port}\npassword = "000000"\n'
    )
    common = _common(tmp_path, data_dir, table)
    assert _json(["cashbook", "settle", *common], capsys) == {
        "settled": 0,
        "approved": 0,
        "not_approved": 0,
    }
    # an intent left open (the process died after the terminal approved)
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        card = CardPayments(
            CashBook(unlocked), configured_terminal(terminal_config(sim_server.port))
        )
        crash_after_intent(card, 4600, send=True)
    assert _json(["cashbook", "settle", *common], capsys) == {
        "settled": 1,
        "approved": 1,
        "not_approved": 0,
    }
    listed = _json(["cashbook", "list", "--json", *common], capsys)
    (entry,) = listed["entries"]
    assert entry["method"] == "card" and entry["amount"] == "46.00"
    assert entry["trace"] == 1 and entry["receipt"] == 1
    assert "4771" not in json.dumps(listed)  # the masked card text stays sealed
    assert len(simulator.approved_payments) == 1


@pytest.mark.parametrize("method", ["cash", "card", "invoice"])
def test_simulate_visit_pays_every_fee(
    tmp_path: Path, data_dir: Path, method: str, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    args = ["simulate-visit", "--cases", "6", "--no-seal", "--simulate", "--pay", method]
    summary = _json([*args, *common], capsys)
    assert summary["cases"] == 6  # the existing fields stay
    assert summary["by_case_type"]["personalausweis"] == 2
    payments = summary["payments"]
    assert payments["method"] == method and payments["paid"] == 2
    assert payments["settled"] == {"settled": 0, "approved": 0, "not_approved": 0}
    listed = _json(["cashbook", "list", "--json", *common], capsys)
    assert listed["chain_ok"] is True
    assert [e["method"] for e in listed["entries"]] == [method, method]
    total = sum(int(e["amount"].replace(".", "")) for e in listed["entries"])
    assert payments["amount"] == f"{total // 100}.{total % 100:02d}"
    cards = [e for e in listed["entries"] if e["trace"] is not None]
    assert len(cards) == (2 if method == "card" else 0)


def test_simulate_visit_without_pay_has_no_payments_field(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _common(tmp_path, data_dir)
    summary = _json(["simulate-visit", "--cases", "1", "--no-seal", *common], capsys)
    assert "payments" not in summary


def test_reverse_cash_and_card(
    tmp_path: Path,
    data_dir: Path,
    settings: StoreSettings,
    sim_server: TcpServer,
    simulator: ZvtSimulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = (
        '[devices.payment_terminal]\ntype = "zvt"\nhost = "127.0.0.1"\n'
        f'port = {sim_server.port}\npassword = "000000"\n'
    )
    common = _common(tmp_path, data_dir, table)
    _fill(data_dir, settings)
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        card = CardPayments(
            CashBook(unlocked), configured_terminal(terminal_config(sim_server.port))
        )
        assert card.pay("2026-000003", "2026-000003/fee", 4600).approved
        card.terminal.close()
    cash = _json(["cashbook", "reverse", "1", "--json", *common], capsys)
    assert cash["method"] == "reversal" and cash["amount"] == "-46.00"
    assert cash["detail"] == {"reverses": 1, "reverses_method": "cash"}
    code, text = _run(["cashbook", "reverse", "3", *common], capsys)
    assert code == 0 and "Storniert: Eintrag 3" in text
    assert simulator.approved_payments == []
    assert cli.main(["cashbook", "reverse", "1", *common]) == 1  # already reversed
    listed = _json(["cashbook", "list", "--json", *common], capsys)
    assert [e["method"] for e in listed["entries"]] == [
        "cash",
        "invoice",
        "card",
        "reversal",
        "reversal",
    ]
    assert listed["chain_ok"] is True


def test_simulate_visit_settles_what_an_earlier_run_left_open(
    tmp_path: Path,
    data_dir: Path,
    settings: StoreSettings,
    sim_server: TcpServer,
    simulator: ZvtSimulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = (
        '[devices.payment_terminal]\ntype = "zvt"\nhost = "127.0.0.1"\n'
        f'port = {sim_server.port}\npassword = "000000"\n'
    )
    common = _common(tmp_path, data_dir, table)
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as unlocked:
        card = CardPayments(
            CashBook(unlocked), configured_terminal(terminal_config(sim_server.port))
        )
        crash_after_intent(card, 4600, send=True)
    args = ["simulate-visit", "--cases", "3", "--no-seal", "--pay", "card", *common]
    summary = _json(args, capsys)
    assert summary["payments"]["settled"] == {"settled": 1, "approved": 1, "not_approved": 0}
    assert summary["payments"]["paid"] == 1
    assert len(simulator.approved_payments) == 2
    listed = _json(["cashbook", "list", "--json", *common], capsys)
    assert [e["method"] for e in listed["entries"]] == ["card", "card"]
