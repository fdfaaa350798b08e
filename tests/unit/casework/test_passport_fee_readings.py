"""The open readings of PassV § 27 Abs. 2 as configuration (issue 20; domain.md "Reisepass").

Configured in ``[rules]`` (``passport_double_48_pages``, ``passport_surcharges_stack``),
applied when the draft becomes an application, recorded in it, and honoured by
the rules, the Antragsquittung and the completion.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from koffer.cases import PassportApplication, RuleSettings, case_from_dict, case_to_dict, check
from koffer.cases.passport import DEFAULT_FEE_RULES, PassportFeeRules
from koffer.casework.ausweis_draft import AusweisDraft
from koffer.casework.case_store import CaseStore
from koffer.casework.completion import complete_case
from koffer.config import Config
from koffer.documents.antragsquittung import fee_summary
from koffer.documents.settings import MunicipalitySettings
from tests.unit.casework.conftest import TODAY
from tests.unit.casework.test_passport_draft import _child

DOUBLE_48 = RuleSettings(passport_double_48_pages=True)
STACK = RuleSettings(passport_surcharges_stack=True)


def _application(draft: AusweisDraft, rules: RuleSettings | None) -> PassportApplication:
    app = draft.to_application(TODAY, rules=rules)
    assert isinstance(app, PassportApplication)
    return app


def _non_competent_48_pages() -> AusweisDraft:
    draft = _child()  # 12 years old: base fee 37.50 (Nr. 1 b), authority photo 6.00
    draft.passport.pages_48 = True
    draft.passport.non_competent = True
    return draft


def test_the_readings_are_configuration_keys() -> None:
    raw = {"rules": {"passport_double_48_pages": True, "passport_surcharges_stack": True}}
    rules = RuleSettings.from_config(Config(raw=raw))
    assert rules.passport_fee_rules == PassportFeeRules(double_48_pages=True, surcharges_stack=True)
    assert RuleSettings.from_config(Config()).passport_fee_rules == DEFAULT_FEE_RULES


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # 37.50 doubled + 22.00 + 6.00 (48 pages single, as in domain.md's worked example)
        (None, Decimal("103.00")),
        (DOUBLE_48, Decimal("125.00")),  # + 22.00: the 48-page add-on doubled as well
    ],
)
def test_the_48_pages_reading_changes_the_recorded_fee(
    rules: RuleSettings | None, expected: Decimal
) -> None:
    app = _application(_non_competent_48_pages(), rules)
    assert app.fee_amount == expected
    assert app.fee_rules == (rules or RuleSettings()).passport_fee_rules
    assert [f for f in check(app, TODAY) if f.field == "fee_amount"] == []


def test_the_stacking_reading_changes_a_provisional_passport() -> None:
    draft = _child()
    draft.passport.provisional = True
    draft.passport.non_competent = True
    draft.outside_hours = True
    # 26.00 + one doubling (default) or a doubling per surcharge, + 6.00 photo
    assert _application(draft, None).fee_amount == Decimal("58.00")
    assert _application(draft, STACK).fee_amount == Decimal("84.00")


def test_the_reading_travels_in_the_case_and_is_checked_by_it() -> None:
    app = _application(_non_competent_48_pages(), DOUBLE_48)
    data = json.loads(json.dumps(case_to_dict(app)))
    assert data["fee_rules"] == {"double_48_pages": True, "surcharges_stack": False}
    again = case_from_dict(data)
    assert again == app
    # the back end checks with its defaults: the recorded reading decides
    assert [f for f in check(again, TODAY) if f.field == "fee_amount"] == []
    data["fee_rules"]["double_48_pages"] = False  # the fee no longer fits the reading
    findings = check(case_from_dict(data), TODAY)
    assert [f.field for f in findings if f.severity == "error"] == ["fee_amount"]


def test_an_earlier_payload_without_the_readings_reads_the_defaults() -> None:
    data = case_to_dict(_application(_non_competent_48_pages(), None))
    del data["fee_rules"]
    again = case_from_dict(data)
    assert isinstance(again, PassportApplication) and again.fee_rules == DEFAULT_FEE_RULES


def test_antragsquittung_lines_follow_the_recorded_reading() -> None:
    app = _application(_non_competent_48_pages(), DOUBLE_48)
    summary = fee_summary(app)
    assert summary.total == app.fee_amount == Decimal("125.00")
    assert summary.reduction is None
    assert "Verdoppelung: 48 Seiten statt 32" in [item.label for item in summary.items]


def test_completion_records_the_configured_fee(case_store: CaseStore) -> None:
    app = _application(_non_competent_48_pages(), DOUBLE_48)
    app.old_passport_presented = False
    payload = {"kiosk_draft": 1, "case_type": "reisepass", "application": case_to_dict(app)}
    case_id = case_store.create_case("reisepass", payload)
    municipality = MunicipalitySettings(name="Gemeinde Test", authority="Bürgerbüro")
    result = complete_case(case_store, case_id, TODAY, municipality, seal=None, rules=DOUBLE_48)
    assert result.documents[0].kind == "antragsquittung"
    stored = case_from_dict(case_store.load_case(case_id).payload)
    assert isinstance(stored, PassportApplication)
    assert stored.fee_amount == Decimal("125.00") and stored.fee_rules.double_48_pages
