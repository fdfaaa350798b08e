"""Dates as people type them, and age in completed years."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["age_on", "parse_date"]

# TT.MM.JJJJ (also T.M.JJJJ), or the eight digits TTMMJJJJ typed without dots
_DOTTED = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*")
_DIGITS = re.compile(r"\s*(\d{2})(\d{2})(\d{4})\s*")


def parse_date(text: str) -> date | None:
    """``07.03.1985``, ``7.3.1985`` or ``07031985`` → date; ``None`` if not a date."""
    match = _DOTTED.fullmatch(text) or _DIGITS.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on the day ``on``.

    A person born on 29 February completes a year at the end of 28 February in
    common years (§ 187 Abs. 2, § 188 Abs. 2 and 3 BGB), i.e. is one year older
    from 1 March on. Comparing (month, day) pairs gives exactly that.
    """
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
