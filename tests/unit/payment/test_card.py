"""Card payments exactly once, against the ZVT simulator on TCP (the real driver
through the device registry): approved, declined, link drops, settling."""

from __future__ import annotations

import pytest

from koffer.config import Config
from koffer.devices.interfaces import (
    PaymentApproved,
    PaymentDeclined,
    SilentPrompt,
)
from koffer.drivers.zvt.sim_servers import TcpServer
from koffer.drivers.zvt.simulator import Outcome, ZvtSimulator
from koffer.errors import DeviceError
from koffer.payment import PaymentError
from koffer.payment.card import CardPayments, Intent, is_this_payment
from koffer.payment.cashbook import CashBook
from koffer.payment.models import APPROVED, NOT_APPROVED, OPEN, REVERSAL
from koffer.payment.terminal import configured_terminal, optional_terminal
from koffer.store import UnlockedStore
from tests.unit.payment.conftest import crash_after_intent, terminal_config


def _approved(simulator: ZvtSimulator) -> list[int]:
    return [t.amount_cents for t in simulator.approved_payments]


def test_an_approved_payment_is_booked_with_trace_and_receipt(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    outcome = card.pay("2026-000001", "2026-000001/fee", 4600)
    assert outcome.approved and outcome.entry is not None
    entry = outcome.entry
    assert (entry.method, entry.amount_cents, entry.case_number) == ("card", 4600, "2026-000001")
    assert entry.trace == 1 and entry.receipt == 1 and entry.terminal_id == "29001006"
    assert entry.to_json()["amount"] == "46.00"
    sealed = card.book.open_sealed(entry)
    assert sealed["masked_pan"].endswith("4771") and "*" in sealed["masked_pan"]
    assert [i.state for i in card.intents()] == [APPROVED]
    assert _approved(simulator) == [4600]
    assert outcome.receipt_lines  # for the receipt printer
    with pytest.raises(PaymentError, match="bereits bezahlt"):
        card.pay("2026-000001", "2026-000001/fee", 4600)
    assert _approved(simulator) == [4600]
    assert card.book.check().ok


@pytest.mark.parametrize(
    "outcome", [Outcome.DECLINED, Outcome.CUSTOMER_ABORT, Outcome.TIMEOUT, Outcome.CARD_REMOVED]
)
def test_a_payment_not_approved_leaves_the_fee_open(
    card: CardPayments, simulator: ZvtSimulator, outcome: Outcome
) -> None:
    simulator.script(outcome)
    result = card.pay("2026-000001", "2026-000001/fee", 4600)
    assert not result.approved and result.entry is None
    assert [i.state for i in card.intents()] == [NOT_APPROVED]
    assert card.book.entries() == []
    # the fee can be paid again
    assert card.pay("2026-000001", "2026-000001/fee", 4600).approved
    assert _approved(simulator) == [4600]


@pytest.mark.parametrize(
    "outcome", [Outcome.LINK_DROP_AFTER_APPROVAL, Outcome.GARBAGE_AFTER_APPROVAL]
)
def test_a_lost_answer_after_approval_is_settled_as_paid(
    card: CardPayments, simulator: ZvtSimulator, outcome: Outcome
) -> None:
    simulator.script(outcome)
    result = card.pay("2026-000001", "2026-000001/fee", 4600)
    assert result.approved and result.entry is not None and result.entry.trace == 1
    assert [i.state for i in card.intents()] == [APPROVED]
    assert _approved(simulator) == [4600]
    with pytest.raises(PaymentError):
        card.pay("2026-000001", "2026-000001/fee", 4600)
    assert _approved(simulator) == [4600]


def test_no_answer_at_all_is_not_paid(card: CardPayments, simulator: ZvtSimulator) -> None:
    simulator.script(Outcome.SILENT)
    result = card.pay("2026-000001", "2026-000001/fee", 4600)
    assert not result.approved
    assert [i.state for i in card.intents()] == [NOT_APPROVED]


def test_settle_books_an_approved_payment_whose_answer_was_never_recorded(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    card.pay("2026-000001", "2026-000001/fee", 1000)
    crash_after_intent(card, 4600, send=True)
    report = card.settle()
    assert report.to_json() == {"settled": 1, "approved": 1, "not_approved": 0}
    paid = card.book.paid("2026-000005/fee")
    assert paid is not None and paid.amount_cents == 4600 and paid.trace == 2
    assert card.settle().settled == 0
    assert sorted(_approved(simulator)) == [1000, 4600]


def test_settle_marks_an_intent_that_never_reached_the_terminal(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    card.pay("2026-000001", "2026-000001/fee", 4600)
    crash_after_intent(card, 4600, send=False)  # same amount as the last transaction
    assert card.settle().to_json() == {"settled": 1, "approved": 0, "not_approved": 1}
    assert card.book.paid("2026-000005/fee") is None
    assert card.pay("2026-000005", "2026-000005/fee", 4600).approved
    assert _approved(simulator) == [4600, 4600]


def test_no_cash_for_a_fee_whose_card_payment_is_unsettled(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    crash_after_intent(card, 4600, send=True)
    with pytest.raises(PaymentError, match="ungeklärt"):
        card.book.record_cash("2026-000005", "2026-000005/fee", 4600)
    with pytest.raises(PaymentError, match="ungeklärt"):
        card.book.record_invoice("2026-000005", "2026-000005/fee", 4600)
    assert card.settle().approved == 1
    with pytest.raises(PaymentError, match="bereits bezahlt"):
        card.book.record_cash("2026-000005", "2026-000005/fee", 4600)


def test_settle_on_a_fresh_terminal_without_transactions(card: CardPayments) -> None:
    crash_after_intent(card, 4600, send=False)
    assert card.settle().not_approved == 1


def test_paying_settles_first_and_refuses_while_the_terminal_is_away(
    unlocked: UnlockedStore, sim_server: TcpServer, simulator: ZvtSimulator
) -> None:
    card = CardPayments(CashBook(unlocked), configured_terminal(terminal_config(sim_server.port)))
    crash_after_intent(card, 4600, send=True)
    sim_server.stop()
    with pytest.raises(DeviceError, match="Kartenterminal"):
        card.pay("2026-000005", "2026-000005/fee", 4600)
    assert [i.state for i in card.open_intents()] == [OPEN]
    sim_server.start()
    card.terminal = configured_terminal(terminal_config(sim_server.port))
    with pytest.raises(PaymentError, match="bereits bezahlt"):  # settled first: it was paid
        card.pay("2026-000005", "2026-000005/fee", 4600)
    assert _approved(simulator) == [4600]
    card.terminal.close()


def test_a_card_payment_is_reversed_on_the_terminal(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    entry = card.pay("2026-000001", "2026-000001/fee", 4600).entry
    assert entry is not None
    reversal = card.reverse(entry.seq)
    assert reversal.method == "reversal" and reversal.amount_cents == -4600
    assert reversal.trace is not None and reversal.receipt is not None
    assert _approved(simulator) == []
    assert card.book.paid("2026-000001/fee") is None
    with pytest.raises(PaymentError):
        card.book.reverse(entry.seq)
    assert card.book.check().ok


def test_a_reversal_whose_answer_was_lost_is_booked_by_settling(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    entry = card.pay("2026-000001", "2026-000001/fee", 4600).entry
    assert entry is not None and entry.receipt is not None
    # the process died after the terminal reversed, before the book said so
    card._write_intent(REVERSAL, "2026-000001", "2026-000001/fee", 4600, entry.seq)
    card.terminal.reverse(entry.receipt, SilentPrompt())
    card.terminal.close()
    assert _approved(simulator) == []
    assert card.settle().to_json() == {"settled": 1, "approved": 1, "not_approved": 0}
    methods = [(e.method, e.amount_cents) for e in card.book.entries()]
    assert methods == [("card", 4600), ("reversal", -4600)]
    assert card.book.paid("2026-000001/fee") is None
    assert card.settle().settled == 0
    assert card.book.check().ok


def test_a_reversal_intent_that_never_reached_the_terminal(
    card: CardPayments, simulator: ZvtSimulator
) -> None:
    entry = card.pay("2026-000001", "2026-000001/fee", 4600).entry
    assert entry is not None
    card._write_intent(REVERSAL, "2026-000001", "2026-000001/fee", 4600, entry.seq)
    assert card.settle().to_json() == {"settled": 1, "approved": 0, "not_approved": 1}
    assert card.book.paid("2026-000001/fee") is not None
    assert _approved(simulator) == [4600]


def test_is_this_payment_is_pure() -> None:
    intent = Intent("i", "c", "c/fee", 4600, OPEN, 7, 3, None)
    assert is_this_payment(intent, PaymentApproved(0, 4600, trace=8, receipt_number=4))
    assert not is_this_payment(intent, PaymentApproved(0, 4600, trace=7, receipt_number=3))
    assert not is_this_payment(intent, PaymentApproved(0, 100, trace=8, receipt_number=4))
    assert not is_this_payment(intent, PaymentDeclined(5, 4600, trace=8, receipt_number=4))
    assert not is_this_payment(intent, None)


def test_no_terminal_configured() -> None:
    assert optional_terminal(Config()) is None
    assert optional_terminal(Config(), simulate=True) is not None
