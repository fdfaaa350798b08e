"""Fixtures: a real store on disk with tiny Argon2id cost, and a ZVT simulator on TCP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from koffer.config import Config
from koffer.devices.interfaces import PaymentTerminal, SilentPrompt
from koffer.drivers.zvt.sim_servers import TcpServer
from koffer.drivers.zvt.simulator import ZvtSimulator
from koffer.payment.card import CardPayments
from koffer.payment.cashbook import CashBook
from koffer.payment.models import OPEN, CardIntent
from koffer.payment.terminal import configured_terminal
from koffer.store import Store, StoreSettings, UnlockedStore

PASSPHRASE = "korrekt-pferd-batterie"


@pytest.fixture
def settings() -> StoreSettings:
    return StoreSettings.insecure_fast()


@pytest.fixture
def data_dir(tmp_path: Path, settings: StoreSettings) -> Path:
    path = tmp_path / "data"
    Store.create(path, "admin", PASSPHRASE, settings)
    return path


@pytest.fixture
def unlocked(data_dir: Path, settings: StoreSettings) -> Iterator[UnlockedStore]:
    with Store.open(data_dir, settings) as store, store.unlock("admin", PASSPHRASE) as handle:
        yield handle


@pytest.fixture
def simulator() -> ZvtSimulator:
    return ZvtSimulator(password="000000")


@pytest.fixture
def sim_server(simulator: ZvtSimulator) -> Iterator[TcpServer]:
    with TcpServer(simulator) as server:
        yield server


def terminal_config(port: int) -> Config:
    table = {"type": "zvt", "host": "127.0.0.1", "port": port, "password": "000000"}
    return Config({"devices": {"payment_terminal": {**table, "reply_timeout": 2.0}}})


def crash_after_intent(card: CardPayments, amount: int, *, send: bool) -> None:
    """Write an intent as pay() does; ``send``: the authorization went through too."""
    card.terminal.open()
    prior = card.terminal.last_transaction()
    now = datetime.now(UTC)
    with card.book.store.transaction() as s:
        s.add(
            CardIntent(
                id="intent-1",
                created_at=now,
                updated_at=now,
                case_number="2026-000005",
                fee_id="2026-000005/fee",
                amount_cents=amount,
                state=OPEN,
                prior_trace=None if prior is None else prior.trace,
                prior_receipt=None if prior is None else prior.receipt_number,
            )
        )
    if send:
        card.terminal.pay(amount, SilentPrompt())
    card.terminal.close()


@pytest.fixture
def terminal(sim_server: TcpServer) -> Iterator[PaymentTerminal]:
    device = configured_terminal(terminal_config(sim_server.port))
    yield device
    device.close()


@pytest.fixture
def card(unlocked: UnlockedStore, terminal: PaymentTerminal) -> CardPayments:
    return CardPayments(CashBook(unlocked), terminal)
