"""Werktage and the Rückmeldung deadline, against calendar facts checked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from koffer.cases.werktage import (
    easter_sunday,
    holidays,
    is_werktag,
    land_of_gemeindeschluessel,
    rueckmeldung_due,
    werktage_after,
)
from koffer.errors import ValidationError


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # latest possible date
        (2285, date(2285, 3, 22)),  # earliest possible date
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_nationwide_holidays_2026() -> None:
    assert holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),  # Karfreitag
        date(2026, 4, 6),  # Ostermontag
        date(2026, 5, 1),
        date(2026, 5, 14),  # Christi Himmelfahrt
        date(2026, 5, 25),  # Pfingstmontag
        date(2026, 10, 3),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_holidays_of_some_laender() -> None:
    assert date(2026, 6, 4) in holidays(2026, "BY")  # Fronleichnam
    assert date(2026, 6, 4) not in holidays(2026, "NI")
    assert date(2026, 10, 31) in holidays(2026, "NI")  # Reformationstag
    assert date(2026, 10, 31) not in holidays(2026, "BY")
    assert date(2026, 11, 1) in holidays(2026, "NW")  # Allerheiligen
    assert date(2026, 11, 18) in holidays(2026, "SN")  # Buß- und Bettag 2026
    assert date(2025, 11, 19) in holidays(2025, "SN")
    assert date(2026, 3, 8) in holidays(2026, "BE")
    assert date(2026, 9, 20) in holidays(2026, "TH")
    assert date(2026, 1, 6) in holidays(2026, "ST")
    assert date(2026, 8, 15) in holidays(2026, "SL")
    assert date(2026, 8, 15) not in holidays(2026, "BY")  # only in some municipalities


def test_saturday_counts_by_default_and_can_be_switched_off() -> None:
    saturday = date(2026, 3, 7)
    assert is_werktag(saturday)
    assert not is_werktag(saturday, count_saturday=False)
    assert not is_werktag(date(2026, 3, 8))  # Sunday
    # Thursday + 3 Werktage: Fri, Sat, Mon
    assert werktage_after(date(2026, 3, 5), 3) == date(2026, 3, 9)
    assert werktage_after(date(2026, 3, 5), 3, count_saturday=False) == date(2026, 3, 10)


def test_deadline_skips_holidays() -> None:
    # Anmeldung Wed 23 Dec 2026: Thu 24 (1), Fri 25 + Sat 26 holidays, Sun, Mon 28 (2), Tue 29 (3)
    assert rueckmeldung_due(date(2026, 12, 23)) == date(2026, 12, 29)
    # Anmeldung Thu 1 Oct 2026: Fri 2 (1), Sat 3 Tag der Deutschen Einheit, Sun, Mon 5 (2), Tue 6
    assert rueckmeldung_due(date(2026, 10, 1)) == date(2026, 10, 6)
    # Bavaria: Fronleichnam Thu 4 Jun 2026 does not count
    assert rueckmeldung_due(date(2026, 6, 3), "BY") == date(2026, 6, 8)
    assert rueckmeldung_due(date(2026, 6, 3), "NI") == date(2026, 6, 6)
    # a municipal holiday passed in
    assert rueckmeldung_due(date(2026, 8, 13), "BY", extra={date(2026, 8, 15)}) == date(2026, 8, 18)


def test_land_from_gemeindeschluessel() -> None:
    assert land_of_gemeindeschluessel("09162000") == "BY"  # München
    assert land_of_gemeindeschluessel("01001000") == "SH"
    assert land_of_gemeindeschluessel("16051000") == "TH"
    for bad in ("1700000", "17000000", "00000000", "0916200x", "０９１６２０００"):
        with pytest.raises(ValidationError):
            land_of_gemeindeschluessel(bad)


def test_unknown_land_refused() -> None:
    with pytest.raises(ValidationError):
        holidays(2026, "XX")
