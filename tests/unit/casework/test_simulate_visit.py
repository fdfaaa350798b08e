"""``koffer simulate-visit`` with Reisepass applications (issue 20)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from koffer.casework.payment import FeePayments
from koffer.commands.cli import build_parser
from koffer.commands.simulate_visit import MIXED, case_kinds, simulate
from koffer.payment.cashbook import CashBook
from koffer.store.unlocked import UnlockedStore


def test_reisepass_cases_are_completed_through_casework(unlocked: UnlockedStore) -> None:
    payments = FeePayments(unlocked, "cash")
    visit = simulate(
        unlocked, cases=3, case_type="reisepass", people=None, seed=5, seal=False, payments=payments
    )
    assert visit.refused == {}
    assert visit.by_type == {"reisepass": 3}
    assert visit.documents == 3  # one Antragsquittung each
    metas = unlocked.list_cases()
    assert [(m.case_type, m.state) for m in metas] == [("reisepass", "completed")] * 3
    fees = []
    for meta in metas:
        payload = unlocked.load_case(meta.case_id).payload
        assert payload["case_type"] == "reisepass"
        assert payload["state"] == "completed"
        fees.append(Decimal(payload["fee_amount"]))
        assert CashBook(unlocked).paid(f"{meta.case_number}/fee") is not None
    assert payments.counts.paid == 3
    assert payments.counts.amount_cents == sum(int(f * 100) for f in fees)


def test_a_list_of_case_types_is_cycled(unlocked: UnlockedStore) -> None:
    visit = simulate(
        unlocked,
        cases=4,
        case_type=("anmeldung", "reisepass"),
        people=None,
        seed=2,
        seal=False,
    )
    assert visit.refused == {}
    assert visit.by_type == {"anmeldung": 2, "reisepass": 2}


def test_case_type_option() -> None:
    assert case_kinds("mixed") == MIXED == ("anmeldung", "abmeldung", "personalausweis")
    assert case_kinds("reisepass") == ("reisepass",)
    assert case_kinds("personalausweis, reisepass") == ("personalausweis", "reisepass")
    parser = build_parser(["simulate-visit"])
    args = parser.parse_args(["simulate-visit", "--cases", "1", "--case-type", "reisepass"])
    assert args.case_type == ("reisepass",)
    assert parser.parse_args(["simulate-visit", "--cases", "1"]).case_type == MIXED


def test_unknown_case_type_is_refused_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser(["simulate-visit"])
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["simulate-visit", "--cases", "1", "--case-type", "reisepass,pass"])
    assert exit_info.value.code == 2
    assert "»reisepass,pass« ist keine Vorgangsart." in capsys.readouterr().err
