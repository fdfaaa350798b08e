"""Fees, validity and age arithmetic of the Personalausweis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from koffer.cases import age_on, fee, fee_breakdown, finger_substitution_order, validity_years
from koffer.cases.enums import FingerCode, Hand
from koffer.errors import ValidationError

BEFORE = date(2026, 2, 6)
AFTER = date(2026, 2, 7)


def _born_years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


@pytest.mark.parametrize(
    ("application", "age", "expected"),
    [
        (BEFORE, 23, "22.80"),
        (BEFORE, 24, "37.00"),
        (AFTER, 23, "27.60"),
        (AFTER, 24, "46.00"),
        (date(2025, 5, 1), 60, "37.00"),
        (date(2030, 1, 1), 5, "27.60"),
    ],
)
def test_base_fee_table(application: date, age: int, expected: str) -> None:
    birth = _born_years_before(application, age)
    assert fee(application, birth) == Decimal(expected)


def test_age_24_boundary_is_the_birthday() -> None:
    birth = date(2002, 3, 10)
    assert fee(date(2026, 3, 9), birth) == Decimal("27.60")  # still 23
    assert fee(date(2026, 3, 10), birth) == Decimal("46.00")  # 24 today
    assert validity_years(date(2026, 3, 9), birth) == 6
    assert validity_years(date(2026, 3, 10), birth) == 10


def test_fee_change_date_boundary() -> None:
    birth = date(1980, 1, 1)
    assert fee(date(2026, 2, 6), birth) == Decimal("37.00")
    assert fee(date(2026, 2, 7), birth) == Decimal("46.00")


def test_surcharges_add_up() -> None:
    birth = date(1980, 1, 1)
    total = fee(
        AFTER, birth, direct_delivery=True, authority_photo=True, outside_hours_surcharge=True
    )
    assert total == Decimal("46.00") + Decimal("15.00") + Decimal("6.00") + Decimal("13.00")
    assert fee(BEFORE, birth, direct_delivery=True) == Decimal("52.00")
    assert fee(BEFORE, birth, authority_photo=True) == Decimal("43.00")
    assert fee(BEFORE, birth, outside_hours_surcharge=True) == Decimal("50.00")


def test_provisional_card() -> None:
    birth = date(2010, 1, 1)
    assert fee(AFTER, birth, provisional=True) == Decimal("10.00")
    assert fee(BEFORE, birth, provisional=True, authority_photo=True) == Decimal("16.00")
    assert fee(AFTER, birth, provisional=True, outside_hours_surcharge=True) == Decimal("23.00")
    with pytest.raises(ValidationError) as info:
        fee(AFTER, birth, provisional=True, direct_delivery=True)
    assert "Direktversand" in info.value.message


def test_breakdown_sums_to_fee() -> None:
    birth = date(2003, 2, 7)
    for application in (BEFORE, AFTER):
        for flags in range(16):
            kwargs = {
                "direct_delivery": bool(flags & 1),
                "authority_photo": bool(flags & 2),
                "outside_hours_surcharge": bool(flags & 4),
                "provisional": bool(flags & 8),
            }
            if kwargs["provisional"] and kwargs["direct_delivery"]:
                continue
            items = fee_breakdown(application, birth, **kwargs)
            assert sum(i.amount for i in items) == fee(application, birth, **kwargs)
            assert all(i.label and i.label_en for i in items)
            assert fee(application, birth, **kwargs).as_tuple().exponent == -2


def test_leap_day_birthday() -> None:
    birth = date(2000, 2, 29)
    assert age_on(birth, date(2023, 2, 28)) == 22
    assert age_on(birth, date(2023, 3, 1)) == 23
    assert age_on(birth, date(2024, 2, 28)) == 23
    assert age_on(birth, date(2024, 2, 29)) == 24
    # 24th birthday in a common year falls on 1 March
    birth2 = date(2004, 2, 29)
    assert validity_years(date(2028, 2, 28), birth2) == 6
    assert validity_years(date(2028, 2, 29), birth2) == 10
    assert fee(date(2027, 2, 28), date(2003, 2, 28)) == Decimal("46.00")


def test_age_before_birthday() -> None:
    assert age_on(date(1990, 12, 31), date(2020, 12, 30)) == 29
    assert age_on(date(1990, 12, 31), date(2020, 12, 31)) == 30


def test_finger_order() -> None:
    assert finger_substitution_order(Hand.RIGHT) == (
        FingerCode.RIGHT_INDEX,
        FingerCode.RIGHT_THUMB,
        FingerCode.RIGHT_MIDDLE,
        FingerCode.RIGHT_RING,
    )
    left = finger_substitution_order(Hand.LEFT)
    assert left[0] is FingerCode.LEFT_INDEX
    assert [f.value for f in left] == ["7", "6", "8", "9"]
    assert not any(f.is_little for f in left + finger_substitution_order(Hand.RIGHT))
