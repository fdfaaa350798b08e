"""Migration 0005_cashbook, and nothing about a payment in the logs but method,
amount and result."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import inspect

from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook
from koffer.store.db import HEAD_REVISION, alembic_config, current_revision, make_engine, migrate

TABLES = {"cashbook", "cashbook_head", "card_intents"}


def test_migration_up_and_down(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.sqlite3")
    try:
        migrate(engine, "0004_tpm")
        assert not TABLES & set(inspect(engine).get_table_names())
        migrate(engine)
        assert current_revision(engine) == HEAD_REVISION == "0005_cashbook"
        assert TABLES <= set(inspect(engine).get_table_names())
        from alembic import command

        command.downgrade(alembic_config(engine), "0004_tpm")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_logs_carry_method_amount_and_result_only(
    card: CardPayments, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    card.pay("2026-000001", "2026-000001/fee", 4600)
    card.book.record_waived("2026-000002", "2026-000002/fee", 4600, "Härtefall Müller")
    card.book.record_cash("2026-000003", "2026-000003/fee", 2250, given_cents=5000)
    card.settle()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "method=card amount=46.00 result=approved" in text
    for secret in ("2026-00000", "4771", "girocard", "Müller", "Härtefall", "29001006", "fee"):
        assert secret not in text, secret
    assert isinstance(card.book, CashBook)
