"""Werktage and the Rückmeldung deadline (BMG § 33 Abs. 1 S. 3).

The registration authority of the former residence is informed "spätestens
jedoch drei Werktage nach der Anmeldung" (BMG § 33 Abs. 1 S. 3; 1. BMeldDÜV
§ 6 Abs. 1). Neither text defines "Werktag", so which days count is a setting:

- Sundays and public holidays never count;
- Saturdays count by default (the safer reading: the EuWO Merkblatt equates
  three Werktage before a Sunday with Thursday); ``count_saturday=False``
  gives the Monday-to-Friday reading.

Public holidays per Land are the statewide ones in the table below (moveable
feasts from Easter Sunday). Holidays kept only in some municipalities
(Mariä Himmelfahrt in Bavaria, Fronleichnam in parts of Saxony and
Thuringia, Augsburger Friedensfest) are not statewide and are left out; a
municipality that keeps one passes it in ``extra``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

from koffer.errors import ValidationError

__all__ = [
    "LAENDER",
    "RUECKMELDUNG_WERKTAGE",
    "easter_sunday",
    "holidays",
    "is_werktag",
    "land_of_gemeindeschluessel",
    "rueckmeldung_due",
    "werktage_after",
]

#: Werktage after the Anmeldung within which the former authority is told
RUECKMELDUNG_WERKTAGE = 3

#: the 16 Länder by their usual abbreviation, in Gemeindeschlüssel order (01 … 16)
LAENDER = (
    "SH", "HH", "NI", "HB", "NW", "HE", "RP", "BW",
    "BY", "SL", "BE", "BB", "MV", "SN", "ST", "TH",
)  # fmt: skip

_ALL = frozenset(LAENDER)

# (month, day) -> Länder that keep the day statewide
_FIXED: dict[tuple[int, int], frozenset[str]] = {
    (1, 1): _ALL,  # Neujahr
    (1, 6): frozenset({"BW", "BY", "ST"}),  # Heilige Drei Könige
    (3, 8): frozenset({"BE", "MV"}),  # Internationaler Frauentag
    (5, 1): _ALL,  # Tag der Arbeit
    (8, 15): frozenset({"SL"}),  # Mariä Himmelfahrt
    (9, 20): frozenset({"TH"}),  # Weltkindertag
    (10, 3): _ALL,  # Tag der Deutschen Einheit
    (10, 31): frozenset({"BB", "HB", "HH", "MV", "NI", "SN", "ST", "SH", "TH"}),  # Reformationstag
    (11, 1): frozenset({"BW", "BY", "NW", "RP", "SL"}),  # Allerheiligen
    (12, 25): _ALL,  # 1. Weihnachtstag
    (12, 26): _ALL,  # 2. Weihnachtstag
}

# days after Easter Sunday -> Länder
_MOVEABLE: dict[int, frozenset[str]] = {
    -2: _ALL,  # Karfreitag
    0: frozenset({"BB"}),  # Ostersonntag
    1: _ALL,  # Ostermontag
    39: _ALL,  # Christi Himmelfahrt
    49: frozenset({"BB"}),  # Pfingstsonntag
    50: _ALL,  # Pfingstmontag
    60: frozenset({"BW", "BY", "HE", "NW", "RP", "SL"}),  # Fronleichnam
}


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the Gauss rule, Meeus' form)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _check_land(land: str | None) -> None:
    if land is not None and land not in _ALL:
        raise ValidationError(
            f"Unbekanntes Bundesland »{land}«. Erlaubt sind: {', '.join(LAENDER)}.",
            message_en=f"Unknown Land '{land}'. Allowed: {', '.join(LAENDER)}.",
        )


@lru_cache(maxsize=64)
def _holidays(year: int, land: str | None) -> frozenset[date]:
    days: set[date] = set()
    for (month, day), where in _FIXED.items():
        if where == _ALL or (land is not None and land in where):
            days.add(date(year, month, day))
    easter = easter_sunday(year)
    for offset, where in _MOVEABLE.items():
        if where == _ALL or (land is not None and land in where):
            days.add(easter + timedelta(days=offset))
    # Buß- und Bettag (Saxony): the Wednesday before 23 November
    if land == "SN":
        nov22 = date(year, 11, 22)
        days.add(nov22 - timedelta(days=(nov22.weekday() - 2) % 7))
    return frozenset(days)


def holidays(year: int, land: str | None = None) -> frozenset[date]:
    """Statewide public holidays of ``land`` in ``year`` (``None``: nationwide only)."""
    _check_land(land)
    return _holidays(year, land)


def is_werktag(
    day: date,
    land: str | None = None,
    *,
    count_saturday: bool = True,
    extra: Collection[date] = (),
) -> bool:
    """Whether ``day`` counts as a Werktag (see the module docstring)."""
    weekday = day.weekday()
    if weekday == 6 or (weekday == 5 and not count_saturday):
        return False
    return day not in extra and day not in holidays(day.year, land)


def werktage_after(
    start: date,
    days: int,
    land: str | None = None,
    *,
    count_saturday: bool = True,
    extra: Collection[date] = (),
) -> date:
    """The ``days``-th Werktag after ``start`` (``start`` itself does not count)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_werktag(current, land, count_saturday=count_saturday, extra=extra):
            left -= 1
    return current


def rueckmeldung_due(
    anmeldung: date,
    land: str | None = None,
    *,
    count_saturday: bool = True,
    extra: Collection[date] = (),
) -> date:
    """Last day for the Rückmeldung to the former authority (BMG § 33 Abs. 1 S. 3)."""
    return werktage_after(
        anmeldung, RUECKMELDUNG_WERKTAGE, land, count_saturday=count_saturday, extra=extra
    )


def land_of_gemeindeschluessel(key: str) -> str:
    """The Land of an 8-digit amtlicher Gemeindeschlüssel (its first two digits)."""
    if len(key) != 8 or not key.isascii() or not key.isdigit() or not 1 <= int(key[:2]) <= 16:
        raise ValidationError(
            "Der Gemeindeschlüssel muss aus 8 Ziffern bestehen und mit 01 bis 16 beginnen.",
            message_en="The Gemeindeschlüssel must be 8 digits starting with 01 to 16.",
        )
    return LAENDER[int(key[:2]) - 1]
