"""Reisepass fees and validity, written from PassV § 27 and PassG § 5/§ 4/§ 6.

The expected amounts are the ordinance's own figures, added up by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from koffer.cases import passport
from koffer.cases.passport import PassportFeeRules, fee, fee_breakdown, validity_years
from koffer.errors import ValidationError

DAY = date(2026, 12, 2)


def _aged(years: int, on: date = DAY) -> date:
    return on.replace(year=on.year - years)


@pytest.mark.parametrize(
    ("age", "options", "expected"),
    [
        (30, {}, "70.00"),  # Nr. 1 a
        (23, {}, "37.50"),  # Nr. 1 b
        (30, {"pages_48": True}, "92.00"),  # a + c
        (23, {"pages_48": True}, "59.50"),  # b + c
        (30, {"express": True}, "102.00"),  # a + d
        (23, {"express": True}, "69.50"),  # b + d
        (30, {"pages_48": True, "express": True}, "124.00"),  # a + c + d
        (30, {"pages_48": True, "express": True, "direct_delivery": True}, "139.00"),  # + Nr. 3
        (23, {"pages_48": True, "express": True, "direct_delivery": True}, "106.50"),
        (30, {"provisional": True}, "26.00"),  # Nr. 1 e, age does not matter
        (12, {"provisional": True}, "26.00"),
        (30, {"authority_photo": True}, "76.00"),  # Nr. 4
        (30, {"provisional": True, "authority_photo": True}, "32.00"),
        (30, {"direct_delivery": True}, "85.00"),
    ],
)
def test_fee_table(age: int, options: dict[str, bool], expected: str) -> None:
    assert fee(DAY, _aged(age), **options) == Decimal(expected)


def test_24_year_boundary_is_the_birthday() -> None:
    birth = date(2002, 12, 3)
    assert fee(date(2026, 12, 2), birth) == Decimal("37.50")  # still 23
    assert fee(date(2026, 12, 3), birth) == Decimal("70.00")  # 24 today
    assert validity_years(date(2026, 12, 2), birth) == 6
    assert validity_years(date(2026, 12, 3), birth) == 10


def test_outside_office_hours_doubles_only_the_provisional_passport() -> None:
    # § 27 Abs. 2 Nr. 1: items 1 e–h and 2 only; a regular passport gets none
    assert fee(DAY, _aged(30), outside_hours_surcharge=True) == Decimal("70.00")
    assert fee(DAY, _aged(23), express=True, outside_hours_surcharge=True) == Decimal("69.50")
    assert fee(DAY, _aged(30), provisional=True, outside_hours_surcharge=True) == Decimal("52.00")


def test_non_competent_authority_doubles_base_fee_not_add_ons() -> None:
    # § 27 Abs. 2 Nr. 2: items 1 a, b, e and 2; c, d, Nr. 3 and 4 stay single
    assert fee(DAY, _aged(30), non_competent_authority=True) == Decimal("140.00")
    assert fee(DAY, _aged(23), non_competent_authority=True) == Decimal("75.00")
    assert fee(DAY, _aged(30), provisional=True, non_competent_authority=True) == Decimal("52.00")


def test_worked_example_of_the_domain_page() -> None:
    # aged 30, non-competent authority, 48 pages, express, authority photo,
    # Direktversand: 140 + 22 + 32 + 6 + 15
    amount = fee(
        DAY,
        _aged(30),
        pages_48=True,
        express=True,
        authority_photo=True,
        direct_delivery=True,
        non_competent_authority=True,
    )
    assert amount == Decimal("215.00")


def test_open_readings_are_settings() -> None:
    both = {"provisional": True, "outside_hours_surcharge": True, "non_competent_authority": True}
    assert fee(DAY, _aged(30), **both) == Decimal("52.00")
    stacked = PassportFeeRules(surcharges_stack=True)
    assert fee(DAY, _aged(30), rules=stacked, **both) == Decimal("78.00")
    pages = {"pages_48": True, "non_competent_authority": True}
    assert fee(DAY, _aged(30), **pages) == Decimal("162.00")
    assert fee(DAY, _aged(30), rules=PassportFeeRules(double_48_pages=True), **pages) == Decimal(
        "184.00"
    )


def test_breakdown_adds_up_and_names_the_doubling() -> None:
    items = fee_breakdown(DAY, _aged(30), pages_48=True, non_competent_authority=True)
    assert sum(i.amount for i in items) == fee(
        DAY, _aged(30), pages_48=True, non_competent_authority=True
    )
    labels = [i.label for i in items]
    assert "Verdoppelung: Reisepass (ab 24 Jahre)" in labels
    assert not any("Verdoppelung: 48" in label for label in labels)


@pytest.mark.parametrize("option", ["pages_48", "express", "direct_delivery"])
def test_provisional_passport_refuses_add_ons(option: str) -> None:
    with pytest.raises(ValidationError) as err:
        fee(DAY, _aged(30), provisional=True, **{option: True})
    assert "vorläufig" in err.value.message


@pytest.mark.parametrize(
    ("age", "provisional", "years"),
    [(0, False, 6), (23, False, 6), (24, False, 10), (80, False, 10), (30, True, 1), (5, True, 1)],
)
def test_validity(age: int, provisional: bool, years: int) -> None:
    assert validity_years(DAY, _aged(age), provisional=provisional) == years


def test_fingerprints_from_six_signature_from_ten_representative_under_18() -> None:
    assert not passport.fingerprints_required(DAY, _aged(5))
    assert passport.fingerprints_required(DAY, _aged(6))
    assert not passport.signature_required(DAY, _aged(9))
    assert passport.signature_required(DAY, _aged(10))
    assert passport.needs_legal_representative(DAY, _aged(17))
    assert not passport.needs_legal_representative(DAY, _aged(18))
    birth = date(2008, 12, 3)  # 18 tomorrow
    assert passport.needs_legal_representative(date(2026, 12, 2), birth)
    assert not passport.needs_legal_representative(date(2026, 12, 3), birth)
